// The statements that point at one entity (bounded: a class or an institution has
// thousands), for dereferencing its URI (kg.web.describe). Parameters: id (IRI), limit (int).
MATCH (s)-[r]->(:Resource {uri: $id})
MATCH (name:KgName {name: type(r)})
WITH DISTINCT s, name.iri AS p
ORDER BY p, s.uri
LIMIT $limit
RETURN s, {iri: p} AS p

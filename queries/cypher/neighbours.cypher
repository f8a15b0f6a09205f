// An entity's statements, outgoing and incoming, optionally by some properties, bounded.
// Parameters: id (IRI), predicates (IRIs; none: every property), limit (int).
// Ordered as SPARQL orders terms: IRIs before literals.
MATCH (node:Resource {uri: $id})
CALL (node) {
  MATCH (node)-[r]->(o)
  RETURN "out" AS dir, type(r) AS kind, o
  UNION ALL
  MATCH (o)-[r]->(node)
  RETURN "in" AS dir, type(r) AS kind, o
}
MATCH (name:KgName {name: kind})
WITH dir, name.iri AS p, o
WHERE size($predicates) = 0 OR p IN $predicates
WITH DISTINCT dir, p, CASE WHEN o:Literal THEN o {.value, .lang, .datatype} ELSE o END AS object
ORDER BY dir, p, object.uri IS NULL, coalesce(object.uri, object.value)
LIMIT $limit
RETURN dir, {iri: p} AS p, object AS o

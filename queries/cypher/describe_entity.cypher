// What the graph says about one entity, for dereferencing its URI (kg.web.describe):
// its own statements in every graph, and the statements of the fragment nodes it links
// to (``{base}record/…#title0``: parts of one record's description, which have no page of
// their own). Parameters: id (IRI), base (the minted URIs' prefix).
MATCH (node:Resource {uri: $id})
CALL (node) {
  RETURN node AS s
  UNION
  MATCH (node)-->(s:Resource)
  WHERE s.uri STARTS WITH $base.value AND s.uri CONTAINS "#"
  RETURN s
}
MATCH (s)-[r]->(o)
MATCH (name:KgName {name: type(r)})
WITH DISTINCT s, name.iri AS p, CASE WHEN o:Literal THEN o {.value, .lang, .datatype} ELSE o END AS object
RETURN s, {iri: p} AS p, object AS o

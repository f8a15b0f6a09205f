// Replace the theme definitions and every theme membership (in every record graph).
// The new definitions and memberships follow in the same transaction (Store.update).
// Parameters: graph (IRI of the themes graph).
// Each statement deletes relationships, removes the class label of a subject whose last
// rdf_type to that class went, and deletes the nodes left without any relationship
// (docs/neo4j.md). Dropping the themes graph reads every relationship's g: a rare,
// whole-catalogue operation, as re-evaluating every work's themes is.

// DROP SILENT GRAPH $graph
MATCH (s)-[r]->(o) WHERE r.g = $graph
WITH s, o, type(r) = "rdf_type" AS typing, r
DELETE r
WITH s, o, typing
CALL (s, o, typing) {
  WITH * WHERE typing AND o.label IS NOT NULL AND NOT EXISTS { (s)-[:rdf_type]->(o) }
  REMOVE s:$(o.label)
}
WITH collect(DISTINCT s) + collect(DISTINCT o) AS nodes
UNWIND nodes AS n
WITH DISTINCT n WHERE NOT EXISTS { (n)--() }
DELETE n;

MATCH (named:NamedGraph {uri: $graph}) DELETE named;

// every ?work kg:inTheme ?theme, in any graph
MATCH (work)-[r:kg_inTheme]->(theme)
DELETE r
WITH collect(DISTINCT work) + collect(DISTINCT theme) AS nodes
UNWIND nodes AS n
WITH DISTINCT n WHERE NOT EXISTS { (n)--() }
DELETE n;

// every statement of a kg:ThemeMembership, in the graphs that type it so
MATCH (m)-[t:rdf_type]->(:Resource {uri: "https://w3id.org/regional-kg/vocab#ThemeMembership"})
WITH DISTINCT m, t.g AS graph
MATCH (m)-[r]->(o) WHERE r.g = graph
WITH m, o, type(r) = "rdf_type" AS typing, r
DELETE r
WITH m, o, typing
CALL (m, o, typing) {
  WITH * WHERE typing AND o.label IS NOT NULL AND NOT EXISTS { (m)-[:rdf_type]->(o) }
  REMOVE m:$(o.label)
}
WITH collect(DISTINCT m) + collect(DISTINCT o) AS nodes
UNWIND nodes AS n
WITH DISTINCT n WHERE NOT EXISTS { (n)--() }
DELETE n

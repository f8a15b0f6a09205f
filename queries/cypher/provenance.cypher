// The named graphs that speak of an entity, each with the load run that wrote it
// (prov:wasGeneratedBy), the source file the run used and the contributing member.
// Parameters: id (IRI), limit (int).
MATCH (node:Resource {uri: $id})
CALL (node) {
  MATCH (node)-[r]->()
  RETURN DISTINCT r.g AS graph
  UNION
  MATCH ()-[r]->(node)
  RETURN DISTINCT r.g AS graph
}
OPTIONAL MATCH (:Resource {uri: graph})-[:prov_wasGeneratedBy]->(run)
OPTIONAL MATCH (:Resource {uri: graph})-[:kg_institution]->(institution)
OPTIONAL MATCH (run)-[:prov_used]->(source)
OPTIONAL MATCH (source)-[:schema_name]->(name)
OPTIONAL MATCH (run)-[:prov_endedAtTime]->(end)
WITH DISTINCT graph, run, source, name {.value, .lang, .datatype} AS file, institution,
     end {.value, .lang, .datatype} AS ended
RETURN {iri: graph} AS g, run, source, file, institution, ended
ORDER BY graph
LIMIT $limit

// The records (and their instances and works) whose graphs one run dropped, from the
// tombstones it wrote (kg.union), and whether each is still described: a record that is
// not was deleted (kg.web.changes). Parameters: run (IRI).
MATCH (tomb)-[:prov_wasInvalidatedBy]->(:Resource {uri: $run})
MATCH (tomb)-[:rdf_type]->(:Resource {uri: "https://w3id.org/regional-kg/vocab#Tombstone"})
MATCH (tomb)-[:kg_reason]->(r)
MATCH (tomb)-[:kg_formerRecord|kg_formerInstance|kg_formerWork]->(entity)
OPTIONAL MATCH (entity)-[:rdf_type]->(type)
WITH entity, tomb, CASE WHEN r:Literal THEN r {.value, .lang, .datatype} ELSE r END AS reason,
     CASE WHEN type IS NULL THEN null ELSE true END AS live
RETURN entity, tomb, reason, max(live) AS described

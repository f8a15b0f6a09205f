// What one document is about (schema:about with its kg:Aboutness score), best first.
// Parameters: work (IRI of the document's bf:Work).
MATCH (about)-[:kg_work]->(:Resource {uri: $work})
MATCH (about)-[:rdf_type]->(:Resource {uri: "https://w3id.org/regional-kg/vocab#Aboutness"})
MATCH (about)-[:kg_entity]->(entity)
MATCH (about)-[:kg_score]->(score)
MATCH (about)-[:kg_count]->(count)
RETURN entity, score, count
ORDER BY toFloat(score.value) DESC, entity.uri

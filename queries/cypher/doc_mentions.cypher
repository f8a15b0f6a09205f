// Mentions of the graph's entities in one document (kg:Mention): surface form as written,
// number of occurrences and the first character offset into the cleaned text.
// Parameters: work (IRI of the document's bf:Work).
MATCH (mention)-[:kg_work]->(:Resource {uri: $work})
MATCH (mention)-[:rdf_type]->(:Resource {uri: "https://w3id.org/regional-kg/vocab#Mention"})
MATCH (mention)-[:kg_entity]->(entity)
MATCH (mention)-[:kg_surface]->(s)
MATCH (mention)-[:kg_count]->(n)
MATCH (mention)-[:kg_offset]->(offset)
WITH entity, s {.value, .lang, .datatype} AS surface, n {.value, .lang, .datatype} AS count,
     min(toInteger(offset.value)) AS first
RETURN entity, surface, count, first
ORDER BY first, entity.uri

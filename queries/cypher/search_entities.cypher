// What the search index (kg.search.documents) reads about agents and concepts, one row
// per label (the SPARQL twin says which fields). Parameter: entities (a list of IRIs).
// Labels are returned as maps so that DISTINCT folds one label stated in several graphs.
// An entity that is both an agent and a concept has rows of both kinds (the reader keeps
// the agent's), as in the SPARQL twin.
UNWIND $entities AS uri
MATCH (entity:Resource {uri: uri})
CALL (entity) {
  WITH entity WHERE entity:bf_Agent|bf_Person|bf_Organization|bf_Family|bf_Meeting|bf_Jurisdiction
  MATCH (entity)-[:rdfs_label]->(value)
  RETURN "agent" AS kind, "label" AS field, value
  UNION ALL
  WITH entity WHERE entity:bf_Agent|bf_Person|bf_Organization|bf_Family|bf_Meeting|bf_Jurisdiction
  MATCH (entity)-[:kg_dates]->(value)
  RETURN "agent" AS kind, "dates" AS field, value
  UNION ALL
  WITH entity WHERE entity:skos_Concept
  MATCH (entity)-[:skos_prefLabel]->(value)
  RETURN "concept" AS kind, "label" AS field, value
  UNION ALL
  WITH entity WHERE entity:skos_Concept
  MATCH (entity)-[:skos_altLabel]->(value)
  RETURN "concept" AS kind, "alt" AS field, value
  UNION ALL
  WITH entity WHERE entity:skos_Concept
  MATCH (entity)-[:skos_notation]->(value)
  RETURN "concept" AS kind, "notation" AS field, value
}
WITH entity, kind, field,
     CASE WHEN value:Literal THEN value {.value, .lang, .datatype} ELSE value END AS value
RETURN DISTINCT entity, kind, field, value

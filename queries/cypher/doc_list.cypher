// Documents loaded with `kg load docs` (one named graph each), with title, language and date.
// Parameters: none.
MATCH (record)-[p:kg_sourcePath]->(path)
WITH record, path, p.g AS graph
MATCH (record)-[:rdf_type {g: graph}]->
      (:Resource {uri: "http://id.loc.gov/ontologies/bibframe/AdminMetadata"})
MATCH (record)-[:bf_assigner {g: graph}]->(institution)
MATCH (instance)-[:bf_adminMetadata {g: graph}]->(record)
MATCH (instance)-[:bf_instanceOf {g: graph}]->(work)
OPTIONAL MATCH (instance)-[:bf_title {g: graph}]->()-[:bf_mainTitle {g: graph}]->(title)
OPTIONAL MATCH (work)-[:bf_language {g: graph}]->(language)
OPTIONAL MATCH (work)-[:bf_originDate {g: graph}]->(date)
RETURN {iri: graph} AS g, record, work, path, title, language, date, institution
ORDER BY path.value, institution.uri

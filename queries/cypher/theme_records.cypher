// Every loaded record with its work and institution (what themes are evaluated for).
// Parameters: none.
MATCH (record)-[t:rdf_type]->
      (:Resource {uri: "http://id.loc.gov/ontologies/bibframe/AdminMetadata"})
WITH record, t.g AS graph
MATCH (instance)-[:bf_adminMetadata {g: graph}]->(record)
MATCH (instance)-[:bf_instanceOf {g: graph}]->(work)
MATCH (:Resource {uri: graph})-[:kg_institution {g: graph}]->(institution)
RETURN {iri: graph} AS g, record, work, institution

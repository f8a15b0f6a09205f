// An institution's records already in the store: control number, the name of the file
// each was loaded from and the main titles of its instance, for the duplicate control
// number check (loaders/marc/checks.py).
// Parameters: scope (the institution's IRI).
MATCH (record)-[a:bf_assigner]->(:Resource {uri: $scope})
MATCH (record)-[c:kg_controlNumber]->(control:Literal)
WHERE c.g = a.g
MATCH (graph:Resource {uri: a.g})-[p:prov_wasGeneratedBy]->(run)
WHERE p.g = a.g
MATCH (run)-[:prov_used]->(source)-[:schema_name]->(file:Literal)
OPTIONAL MATCH (instance)-[m:bf_adminMetadata]->(record)
  WHERE m.g = a.g
OPTIONAL MATCH (instance)-[b:bf_title]->(t)-[ty:rdf_type]->(:Resource {uri: "http://id.loc.gov/ontologies/bibframe/Title"})
  WHERE b.g = a.g AND ty.g = a.g
OPTIONAL MATCH (t)-[mt:bf_mainTitle]->(title:Literal)
  WHERE mt.g = a.g
RETURN control, file, title

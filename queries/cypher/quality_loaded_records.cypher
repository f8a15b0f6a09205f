// Which of the given records (bf:AdminMetadata IRIs of one institution) are already in the
// store: control number, the name of the file each was loaded from and the main titles of
// its instance, for the duplicate control number check (loaders/marc/checks.py, asked per
// batch for the control numbers the batch brings).
// Parameters: records (IRIs).
UNWIND $records AS uri
MATCH (record:Resource {uri: uri})-[c:kg_controlNumber]->(control:Literal)
MATCH (graph:Resource {uri: c.g})-[p:prov_wasGeneratedBy]->(run)
WHERE p.g = c.g
MATCH (run)-[:prov_used]->(source)-[:schema_name]->(file:Literal)
OPTIONAL MATCH (instance)-[m:bf_adminMetadata]->(record)
  WHERE m.g = c.g
OPTIONAL MATCH (instance)-[b:bf_title]->(t)-[ty:rdf_type]->(:Resource {uri: "http://id.loc.gov/ontologies/bibframe/Title"})
  WHERE b.g = c.g AND ty.g = c.g
OPTIONAL MATCH (t)-[mt:bf_mainTitle]->(title:Literal)
  WHERE mt.g = c.g
RETURN control, file, title

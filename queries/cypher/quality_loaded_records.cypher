// What the store holds in the given record graphs (one institution's, one per control
// number): control number, the name of the file each was loaded from and the main titles
// of its instance, for the duplicate control number check (loaders/marc/checks.py, asked
// per batch for the control numbers the batch brings).
// Parameters: graphs (record graph IRIs).
UNWIND $graphs AS g
MATCH (graph:Resource {uri: g})-[p:prov_wasGeneratedBy]->(run)
WHERE p.g = g
MATCH (record)-[c:kg_controlNumber]->(control:Literal)
WHERE c.g = g
MATCH (run)-[:prov_used]->(source)-[:schema_name]->(file:Literal)
OPTIONAL MATCH (instance)-[m:bf_adminMetadata]->(record)
  WHERE m.g = g
OPTIONAL MATCH (instance)-[b:bf_title]->(t)-[ty:rdf_type]->(:Resource {uri: "http://id.loc.gov/ontologies/bibframe/Title"})
  WHERE b.g = g AND ty.g = g
OPTIONAL MATCH (t)-[mt:bf_mainTitle]->(title:Literal)
  WHERE mt.g = g
RETURN control, file, title

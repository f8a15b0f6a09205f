// Institutions of the loaded roster, with their code and names.
MATCH (institution)-[:rdf_type]->(:Resource {uri: "http://www.w3.org/ns/org#Organization"})
MATCH (institution)-[:skos_notation]->(code:Literal)
RETURN institution, code

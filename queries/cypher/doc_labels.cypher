// Names a document may mention, for the document linker (loaders.docs.lexicon): labels of
// institutions (org:Organization) and alliances (org:FormalOrganization, whose codes count
// as acronyms), and labels of the concepts of the given schemes as stated in the graph that
// declares the scheme.
// Parameters: schemes (list of skos:ConceptScheme IRIs).
MATCH (entity)-[:rdf_type]->(:Resource {uri: "http://www.w3.org/ns/org#Organization"})
MATCH (entity)-[:skos_prefLabel|skos_altLabel]->(label)
RETURN entity, "institution" AS kind, label
UNION ALL
MATCH (entity)-[:rdf_type]->(:Resource {uri: "http://www.w3.org/ns/org#FormalOrganization"})
MATCH (entity)-[:skos_prefLabel|skos_altLabel|skos_notation]->(label)
RETURN entity, "alliance" AS kind, label
UNION ALL
UNWIND $schemes AS schemeIri
MATCH (scheme:Resource {uri: schemeIri})-[t:rdf_type]->
      (:Resource {uri: "http://www.w3.org/2004/02/skos/core#ConceptScheme"})
WITH scheme, t.g AS graph
MATCH (entity)-[:skos_inScheme {g: graph}]->(scheme)
MATCH (entity)-[:skos_prefLabel|skos_altLabel {g: graph}]->(label)
RETURN entity, scheme.uri AS kind, label

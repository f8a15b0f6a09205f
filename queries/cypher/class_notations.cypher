// Notations of every class a classification scheme defines (to resolve catalogued notations).
// Parameters: scheme (IRI of the skos:ConceptScheme).
// Only concepts in the graph that declares the scheme (every relationship below has that g).
MATCH (scheme:Resource {uri: $scheme})-[t:rdf_type]->
      (:Resource {uri: "http://www.w3.org/2004/02/skos/core#ConceptScheme"})
WITH scheme, t.g AS g
MATCH (class)-[:skos_inScheme {g: g}]->(scheme)
MATCH (class)-[:rdf_type {g: g}]->(:Resource {uri: "http://www.w3.org/2004/02/skos/core#Concept"})
MATCH (class)-[:skos_notation {g: g}]->(notation:Literal)
RETURN notation

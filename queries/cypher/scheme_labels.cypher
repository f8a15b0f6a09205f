// Preferred and alternative labels of every concept a loaded vocabulary defines.
// Parameters: scheme (IRI of the skos:ConceptScheme).
// Only the graph that declares the scheme counts (records also mint concepts in schemes).
MATCH (scheme:Resource {uri: $scheme})-[t:rdf_type]->
      (:Resource {uri: "http://www.w3.org/2004/02/skos/core#ConceptScheme"})
WITH scheme, t.g AS g
MATCH (concept)-[:skos_inScheme {g: g}]->(scheme)
CALL (concept, g) {
  MATCH (concept)-[:skos_prefLabel {g: g}]->(label:Literal)
  RETURN label, true AS preferred
  UNION ALL
  MATCH (concept)-[:skos_altLabel {g: g}]->(label:Literal)
  RETURN label, false AS preferred
}
RETURN concept, label, preferred

// What each record graph says that theme rules look at (kg.themes.WorkFacts), one row
// per fact: kind is isbn | clc | subject | text | place (see the SPARQL twin for each).
// Parameters: clcClasses (literal: the IRI prefix of CLC classes),
//             places (literal: the IRI prefix of gazetteer places),
//             graphPrefixes (literals: the IRI prefixes of the graphs to read: records, documents).
// Every relationship below is in the graph g: each branch seeks its type's g index.
MATCH (named:NamedGraph) WHERE any(prefix IN $graphPrefixes WHERE named.uri STARTS WITH prefix.value)
WITH named.uri AS graph
CALL (graph) {
  MATCH (id)-[:rdf_type {g: graph}]->(:Resource {uri: "http://id.loc.gov/ontologies/bibframe/Isbn"})
  MATCH (id)-[:rdf_value {g: graph}]->(value)
  WHERE NOT EXISTS { (id)-[:bf_status {g: graph}]->() }
  RETURN "isbn" AS kind, value
  UNION ALL
  MATCH (c)-[:bf_classificationPortion {g: graph}]->(value)
  OPTIONAL MATCH (c)-[:kg_classConcept {g: graph}]->(class)
  WITH value, class WHERE class IS NULL OR class.uri STARTS WITH $clcClasses.value
  RETURN "clc" AS kind, value
  UNION ALL
  MATCH (work)-[:bf_subject {g: graph}]->(concept)
  MATCH (concept)-[:skos_prefLabel {g: graph}]->(value)
  RETURN "subject" AS kind, value
  UNION ALL
  MATCH (work)-[:bf_subject {g: graph}]->(concept)
  MATCH (concept)-[:kg_component {g: graph}]->(part)
  MATCH (part)-[:skos_prefLabel {g: graph}]->(value)
  RETURN "subject" AS kind, value
  UNION ALL
  MATCH (term)-[:rdf_type {g: graph}]->(:Resource {uri: "https://w3id.org/regional-kg/vocab#KeyTerm"})
  MATCH (term)-[:kg_concept {g: graph}]->()
  MATCH (term)-[:rdfs_label {g: graph}]->(value)
  RETURN "subject" AS kind, value
  UNION ALL
  MATCH (title)-[:bf_mainTitle|bf_subtitle|bf_partName {g: graph}]->(value)
  RETURN "text" AS kind, value
  UNION ALL
  MATCH (work)-[:bf_summary {g: graph}]->(summary)
  MATCH (summary)-[:rdfs_label {g: graph}]->(value)
  RETURN "text" AS kind, value
  UNION ALL
  MATCH (provision)-[:kg_placeConcept {g: graph}]->(value)
  RETURN "place" AS kind, value
  UNION ALL
  MATCH (work)-[:bf_subject {g: graph}]->(value)
  WHERE value.uri STARTS WITH $places.value
  RETURN "place" AS kind, value
}
RETURN {iri: graph} AS g, kind, value

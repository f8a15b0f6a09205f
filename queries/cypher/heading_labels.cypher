// The preferred labels of the subject headings and heading parts that records minted, per
// record graph: what a (re)loaded thesaurus links to its terms (loaders.vocab.thesaurus).
// Parameters: recordGraphs (literal: the IRI prefix of record graphs), concepts (literal: the
// IRI prefix of minted concepts; class stubs and vocabulary places are not headings).
MATCH (concept:Resource)-[t:rdf_type]->
      (:Resource {uri: "http://www.w3.org/2004/02/skos/core#Concept"})
WHERE t.g STARTS WITH $recordGraphs.value AND concept.uri STARTS WITH $concepts.value
MATCH (concept)-[:skos_prefLabel {g: t.g}]->(label:Literal)
RETURN {iri: t.g} AS g, concept, label

// The skos:closeMatch links from record graphs' headings to a vocabulary's terms, per record
// graph (what a thesaurus reload keeps, adds to or removes: loaders.vocab.thesaurus).
// Parameters: recordGraphs (literal: the IRI prefix of record graphs), terms (literal: the IRI
// prefix of the vocabulary's terms).
MATCH (concept:Resource)-[r:skos_closeMatch]->(term:Resource)
WHERE r.g STARTS WITH $recordGraphs.value AND term.uri STARTS WITH $terms.value
RETURN {iri: r.g} AS g, concept, term

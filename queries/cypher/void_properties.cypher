// VoID property partitions (kg.web.void): statements per property over every named graph
// (their sum is void:triples; their namespaces are the vocabularies used). No parameters.
// Reads every relationship, as the SPARQL twin reads every quad.
MATCH ()-[r]->()
WITH type(r) AS kind, count(*) AS triples
MATCH (name:KgName {name: kind})
RETURN {iri: name.iri} AS p, triples
ORDER BY triples DESC, name.iri

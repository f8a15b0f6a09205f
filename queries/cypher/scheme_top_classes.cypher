// The top classes of a classification scheme, each with its precomputed rolled-up count.
// Parameters: scheme (IRI of the skos:ConceptScheme).
MATCH (class)-[:skos_topConceptOf]->(:Resource {uri: $scheme})
MATCH (class)-[:skos_notation]->(n:Literal)
OPTIONAL MATCH (count)-[:kg_countOf]->(class),
               (count)-[:kg_dimension]->(:Literal {key: '"rollup"'}),
               (count)-[:kg_works]->(w:Literal)
WITH DISTINCT class, n {.value, .lang, .datatype} AS notation, w {.value, .lang, .datatype} AS works
RETURN class, notation, works
ORDER BY notation.value

// The narrower classes of a class, each with its precomputed rolled-up work count.
// Parameters: parent (IRI of a class).
MATCH (class)-[:skos_broader]->(:Resource {uri: $parent})
MATCH (class)-[:skos_notation]->(n:Literal)
OPTIONAL MATCH (count)-[:kg_countOf]->(class),
               (count)-[:kg_dimension]->(:Literal {key: '"rollup"'}),
               (count)-[:kg_works]->(w:Literal)
WITH DISTINCT class, n {.value, .lang, .datatype} AS notation, w {.value, .lang, .datatype} AS works
RETURN class, notation, works
ORDER BY notation.value

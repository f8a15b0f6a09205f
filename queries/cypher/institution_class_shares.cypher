// For each top-level class, the works a member holds under it and all works under it
// (precomputed counts: the class's institution facet and its rollup).
// Parameters: institution (IRI), classes (literal: the IRI prefix of classification classes).
MATCH (facet)-[:kg_facetValue]->(:Resource {uri: $institution})
MATCH (facet)-[:kg_dimension]->(:Literal {key: '"institution"'})
MATCH (facet)-[:kg_countOf]->(class)
MATCH (facet)-[:kg_works]->(held)
MATCH (class)-[:skos_topConceptOf]->()
WHERE class.uri STARTS WITH $classes.value
MATCH (rollup)-[:kg_countOf]->(class)
MATCH (rollup)-[:kg_dimension]->(:Literal {key: '"rollup"'})
MATCH (rollup)-[:kg_works]->(total)
RETURN class, held, total

// Precomputed counts of the given scopes by one dimension (direct, rollup, or a facet).
// Parameters: scopes (IRIs), dimension (literal).
UNWIND $scopes AS uri
MATCH (scope:Resource {uri: uri})<-[:kg_countOf]-(count)
MATCH (count)-[:kg_dimension]->(:Literal {key: $dimension.key})
MATCH (count)-[:kg_works]->(works)
OPTIONAL MATCH (count)-[:kg_facetValue]->(value)
RETURN scope, value, works

// The precomputed facet counts of a scope (a theme, a top-level class or the catalogue):
// works by institution, tier, decade, language and top-level class.
// Parameters: scope (IRI).
MATCH (count)-[:kg_countOf]->(:Resource {uri: $scope})
MATCH (count)-[:kg_dimension]->(dimension)
MATCH (count)-[:kg_facetValue]->(value)
MATCH (count)-[:kg_works]->(works)
RETURN dimension, value, works
ORDER BY dimension.value, toInteger(works.value) DESC, coalesce(value.uri, value.value)

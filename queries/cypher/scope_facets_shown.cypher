// The precomputed facet counts a portal shows beside a scope's works (a theme, a class, the
// catalogue): works by institution, tier, decade, language and top-level class — every
// facet but the year, which is a timeline's (counts_of) and more than half of the rows.
// Unordered (schema.works.listing orders the values).
// Parameters: scope (IRI).
MATCH (count)-[:kg_countOf]->(:Resource {uri: $scope})
MATCH (count)-[:kg_dimension]->(dimension)
WHERE dimension.value <> "year"
MATCH (count)-[:kg_facetValue]->(value)
MATCH (count)-[:kg_works]->(works)
RETURN dimension, value, works

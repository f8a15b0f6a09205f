// Every stored count, as counts_groupby returns them ("" for a count without facet value).
MATCH (count)-[:rdf_type]->(:Resource {uri: "https://w3id.org/regional-kg/vocab#Count"})
MATCH (count)-[:kg_countOf]->(scope)
MATCH (count)-[:kg_dimension]->(dimension)
MATCH (count)-[:kg_works]->(works)
OPTIONAL MATCH (count)-[:kg_facetValue]->(facetValue)
RETURN scope, dimension, coalesce(facetValue, "") AS value, works

// The top-level themes of the themes scheme.
// Parameters: scheme (IRI of the themes skos:ConceptScheme).
MATCH (theme)-[:skos_topConceptOf]->(:Resource {uri: $scheme})
MATCH (theme)-[:skos_notation]->(k:Literal)
WITH DISTINCT theme, k {.value, .lang, .datatype} AS key
RETURN theme, key
ORDER BY key.value

// Number of works per theme (themes without members count 0).
// Parameters: scheme (IRI of the themes skos:ConceptScheme).
MATCH (theme)-[:skos_inScheme]->(:Resource {uri: $scheme})
MATCH (theme)-[:skos_notation]->(notation:Literal)
OPTIONAL MATCH (work)-[:kg_inTheme]->(theme)
WITH theme, notation {.value, .lang, .datatype} AS id, count(DISTINCT work) AS works
RETURN theme, id, works
ORDER BY id.value

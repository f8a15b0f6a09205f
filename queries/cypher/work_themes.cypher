// The themes a work is in, with the rules that put it there (kg:ThemeMembership).
// Parameters: work (IRI).
MATCH (m)-[:kg_work]->(:Resource {uri: $work})
MATCH (m)-[:rdf_type]->(:Resource {uri: "https://w3id.org/regional-kg/vocab#ThemeMembership"})
MATCH (m)-[:kg_theme]->(theme)
MATCH (m)-[:kg_matchedRule]->(r)
WITH DISTINCT theme, CASE WHEN r:Literal THEN r {.value, .lang, .datatype} ELSE r END AS rule
RETURN theme, rule
ORDER BY theme.uri, coalesce(rule.uri, rule.value)

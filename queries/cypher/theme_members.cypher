// Works in each theme, with the records and the rules that put them there.
// Parameters: none.
MATCH (m)-[t:rdf_type]->(:Resource {uri: "https://w3id.org/regional-kg/vocab#ThemeMembership"})
WITH m, t.g AS g
MATCH (m)-[:kg_theme {g: g}]->(theme)
MATCH (m)-[:kg_work {g: g}]->(work)
MATCH (m)-[:kg_record {g: g}]->(record)
MATCH (m)-[:kg_matchedRule {g: g}]->(rule)
MATCH (theme)-[:skos_notation]->(id:Literal)
RETURN theme, id, work, record, rule
ORDER BY id.value, work.uri, record.uri, coalesce(rule.uri, rule.value)

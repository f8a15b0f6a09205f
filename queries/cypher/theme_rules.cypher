// Why each of the given works is in a theme or its subthemes: the theme's key and
// the rules that matched (kg:ThemeMembership, one per record).
// Parameters: theme (IRI), works (IRIs).
// Anchored on the page's works (index seeks), not on the theme: starting from the theme
// expanded every membership of it and its subthemes before keeping the page's.
UNWIND $works AS uri
MATCH (work:Resource {uri: uri})
USING INDEX work:Resource(uri)
MATCH (m)-[:kg_work]->(work)
MATCH (m)-[:kg_theme]->(sub)
WHERE EXISTS { MATCH (sub)-[:skos_broader*0..]->(:Resource {uri: $theme}) }
  AND EXISTS { MATCH (m)-[:rdf_type]->(:Resource {uri: "https://w3id.org/regional-kg/vocab#ThemeMembership"}) }
MATCH (sub)-[:skos_notation]->(k:Literal)
MATCH (m)-[:kg_matchedRule]->(r)
WITH DISTINCT work, k {.value, .lang, .datatype} AS key,
     CASE WHEN r:Literal THEN r {.value, .lang, .datatype} ELSE r END AS rule
RETURN work, key, rule

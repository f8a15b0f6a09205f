// Member institutions, optionally by alliance code, tier, kind and city.
// Parameters: alliances, tiers, kinds, cities (literals; none: no filter); after (literal:
// the last code of the previous page, "" for the first); limit (int).
MATCH (membership)-[:org_member]->(institution)
MATCH (membership)-[:org_organization]->(alliance)
MATCH (institution)-[:skos_notation]->(code:Literal)
MATCH (alliance)-[:skos_notation]->(allianceCode:Literal)
WHERE (size($alliances) = 0 OR allianceCode.key IN [a IN $alliances | a.key])
  AND (size($tiers) = 0
       OR EXISTS { MATCH (membership)-[:org_role]->(t) WHERE t.key IN [x IN $tiers | x.key] })
  AND (size($kinds) = 0
       OR EXISTS { MATCH (institution)-[:org_classification]->(k) WHERE k.key IN [x IN $kinds | x.key] })
  AND (size($cities) = 0
       OR EXISTS { MATCH (institution)-[:schema_addressLocality]->(c) WHERE c.key IN [x IN $cities | x.key] })
  AND code.value > $after.value
WITH DISTINCT institution, code {.value, .lang, .datatype} AS code
RETURN institution, code
ORDER BY code.value
LIMIT $limit

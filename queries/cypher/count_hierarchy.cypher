// What the counts roll up over, one row per fact: kind is
//   broader  a skos:broader b (classes, thesaurus terms, places, themes)
//   top      a is a top concept of a classification scheme (a top-level class)
//   tier     member a has the tier b (org:role of an org:Membership)
// Parameters: classes (literal: the IRI prefix of classification classes).
MATCH (a)-[:skos_broader]->(b)
RETURN "broader" AS kind, a, b
UNION ALL
MATCH (a)-[:skos_topConceptOf]->(b)
WHERE a.uri STARTS WITH $classes.value
RETURN "top" AS kind, a, b
UNION ALL
MATCH (membership)-[:org_member]->(a)
MATCH (membership)-[:org_role]->(b)
RETURN "tier" AS kind, a, b

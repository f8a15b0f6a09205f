// scope_facets for a theme, computed by counting over the graph (the benchmark's
// reference): works of the theme and its subthemes, by facet.
// Parameters: theme (IRI), classes (literal: the IRI prefix of classification classes).
MATCH (subtheme)-[:skos_broader*0..]->(:Resource {uri: $theme})
MATCH (work)-[:kg_inTheme]->(subtheme)
WHERE EXISTS { ()-[:bf_instanceOf]->(work) }
WITH DISTINCT work
CALL (work) {
  MATCH (instance)-[:bf_instanceOf]->(work)
  MATCH (item)-[:bf_itemOf]->(instance)
  MATCH (item)-[:bf_heldBy]->(value)
  RETURN "institution" AS dimension, value, value.uri AS ordering
  UNION
  MATCH (instance)-[:bf_instanceOf]->(work)
  MATCH (item)-[:bf_itemOf]->(instance)
  MATCH (item)-[:bf_heldBy]->(member)
  MATCH (membership)-[:org_member]->(member)
  MATCH (membership)-[:org_role]->(role)
  // a tier is a literal: one node per statement, so group by its value
  WITH CASE WHEN role:Literal THEN role {.value, .lang, .datatype} ELSE role END AS value,
       coalesce(role.value, role.uri) AS ordering
  RETURN "tier" AS dimension, value, ordering
  UNION
  MATCH (instance)-[:bf_instanceOf]->(work)
  MATCH (instance)-[:kg_year]->(year)
  WHERE coalesce(year.value, year.uri) =~ "[0-9]{4}"
  WITH substring(coalesce(year.value, year.uri), 0, 3) + "0" AS decade
  RETURN "decade" AS dimension, decade AS value, decade AS ordering
  UNION
  MATCH (instance)-[:bf_instanceOf]->(work)
  MATCH (instance)-[:kg_year]->(year:Literal)
  WHERE year.value =~ "[0-9]{4}"
  RETURN "year" AS dimension, year {.value, .lang, .datatype} AS value, year.value AS ordering
  UNION
  MATCH (work)-[:bf_language]->(value)
  RETURN "language" AS dimension, value, value.uri AS ordering
  UNION
  MATCH (work)-[:bf_classification]->()-[:kg_classConcept]->()-[:skos_broader*0..]->(value)
  WHERE value.uri STARTS WITH $classes.value AND EXISTS { (value)-[:skos_topConceptOf]->() }
  RETURN "class" AS dimension, value, value.uri AS ordering
}
WITH dimension, value, ordering, count(DISTINCT work) AS works
RETURN dimension, value, works
ORDER BY dimension, works DESC, ordering

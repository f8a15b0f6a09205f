// Facet counts and the total of a scope's works under filters, counted over the graph (the
// unfiltered ones are precomputed: scope_facets). Same scope and filter parameters as
// scope_works, and classPrefix (literal: the IRI prefix of classification classes).
// Rows: dimension value works; the total is the row with dimension "total".
MATCH (descendant)-[:skos_broader*0..]->(:Resource {uri: $scope})
CALL (descendant) {
  MATCH (work)-[:kg_inTheme]->(descendant)
  RETURN work
  UNION ALL
  MATCH (node)-[:kg_classConcept]->(descendant)
  MATCH (work)-[:bf_classification]->(node)
  RETURN work
  UNION ALL
  MATCH (work)-[:bf_subject]->(descendant)
  RETURN work
}
WITH DISTINCT work
WHERE EXISTS { ()-[:bf_instanceOf]->(work) }
  AND (size($institutions) = 0 OR EXISTS {
         MATCH (i)-[:bf_instanceOf]->(work)
         MATCH (item)-[:bf_itemOf]->(i)
         MATCH (item)-[:bf_heldBy]->(holder)
         WHERE holder.uri IN $institutions })
  AND (size($languages) = 0
       OR EXISTS { MATCH (work)-[:bf_language]->(l) WHERE l.uri IN $languages })
  AND (size($decades) = 0 OR EXISTS {
         MATCH (i)-[:bf_instanceOf]->(work)
         MATCH (i)-[:kg_year]->(y)
         WHERE any(d IN $decades WHERE coalesce(y.value, y.uri) STARTS WITH substring(d.value, 0, 3)) })
  AND (size($classes) = 0 OR EXISTS {
         MATCH (work)-[:bf_classification]->()-[:kg_classConcept]->()-[:skos_broader*0..]->(top)
         WHERE top.uri IN $classes })
CALL (work) {
  RETURN "total" AS dimension, null AS value
  UNION
  MATCH (instance)-[:bf_instanceOf]->(work)
  MATCH (item)-[:bf_itemOf]->(instance)
  MATCH (item)-[:bf_heldBy]->(value)
  RETURN "institution" AS dimension, value
  UNION
  MATCH (instance)-[:bf_instanceOf]->(work)
  MATCH (item)-[:bf_itemOf]->(instance)
  MATCH (item)-[:bf_heldBy]->(member)
  MATCH (membership)-[:org_member]->(member)
  MATCH (membership)-[:org_role]->(role)
  // a tier is a literal: one node per statement, so group by its value
  RETURN "tier" AS dimension, CASE WHEN role:Literal THEN role {.value, .lang, .datatype} ELSE role END AS value
  UNION
  MATCH (instance)-[:bf_instanceOf]->(work)
  MATCH (instance)-[:kg_year]->(year)
  WHERE coalesce(year.value, year.uri) =~ "[0-9]{4}"
  RETURN "decade" AS dimension, substring(coalesce(year.value, year.uri), 0, 3) + "0" AS value
  UNION
  MATCH (instance)-[:bf_instanceOf]->(work)
  MATCH (instance)-[:kg_year]->(year:Literal)
  WHERE year.value =~ "[0-9]{4}"
  RETURN "year" AS dimension, year {.value, .lang, .datatype} AS value
  UNION
  MATCH (work)-[:bf_language]->(value)
  RETURN "language" AS dimension, value
  UNION
  MATCH (work)-[:bf_classification]->()-[:kg_classConcept]->()-[:skos_broader*0..]->(value)
  WHERE value.uri STARTS WITH $classPrefix.value AND EXISTS { (value)-[:skos_topConceptOf]->() }
  RETURN "class" AS dimension, value
}
RETURN dimension, value, count(DISTINCT work) AS works

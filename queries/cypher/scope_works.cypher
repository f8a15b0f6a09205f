// The works under a scope — a theme and its subthemes, or a class and its narrower
// classes, or a subject — optionally filtered by holding institution, language, decade
// and top-level class, each with its sort keys (kg:sortTitle, pinyin order, or kg:year of
// its instances): one row per work and key, none without an instance, a work whose
// instances have no key once without sort. Unordered: the caller keeps each work's
// smallest key and pages by keyset (schema.works.listing.works_page).
// Parameters: scope (IRI); institutions, languages, classes (IRIs: any of them; none:
//   no filter); decades (literals "1990"…); sort ("title" | "year" literal).
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
MATCH (instance)-[:bf_instanceOf]->(work)
WITH DISTINCT work, instance
WHERE (size($institutions) = 0 OR EXISTS {
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
// One relationship type per branch: matching both and filtering on type(r) expanded
// every key of both kinds (most of the query's db hits).
CALL (instance) {
  WITH instance WHERE $sort.value = "year"
  OPTIONAL MATCH (instance)-[:kg_year]->(key)
  RETURN key
  UNION ALL
  WITH instance WHERE $sort.value <> "year"
  OPTIONAL MATCH (instance)-[:kg_sortTitle]->(key)
  RETURN key
}
RETURN DISTINCT work, key.value AS sort

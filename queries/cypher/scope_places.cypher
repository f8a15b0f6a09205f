// Gazetteer places that the works under a scope are about (subject) or published in,
// with the number of works, most first.
// Parameters: scope (IRI), places (literal: the IRI prefix of places), limit (int).
MATCH (descendant)-[:skos_broader*0..]->(:Resource {uri: $scope})
CALL (descendant) {
  MATCH (work)-[:kg_inTheme]->(descendant)
  RETURN work
  UNION ALL
  MATCH (node)-[:kg_classConcept]->(descendant)
  MATCH (work)-[:bf_classification]->(node)
  RETURN work
}
CALL (work) {
  MATCH (work)-[:bf_subject]->(place)
  RETURN place
  UNION ALL
  MATCH (work)-[:bf_subject]->()-[:skos_closeMatch]->(place)
  RETURN place
  UNION ALL
  MATCH (instance)-[:bf_instanceOf]->(work)
  MATCH (instance)-[:bf_provisionActivity]->()-[:kg_placeConcept]->(place)
  RETURN place
}
WITH place, work WHERE place.uri STARTS WITH $places.value
RETURN place, count(DISTINCT work) AS works
ORDER BY works DESC, place.uri
LIMIT $limit

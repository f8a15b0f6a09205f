// Works that share subjects, classes, themes or agents with a work, most shared first.
// Parameters: work (IRI), limit (int).
MATCH (work:Resource {uri: $work})
CALL (work) {
  MATCH (work)-[:bf_subject]->(shared)<-[:bf_subject]-(other)
  RETURN other, shared, "subject" AS how
  UNION ALL
  MATCH (work)-[:bf_classification]->()-[:kg_classConcept]->(shared)
  MATCH (node)-[:kg_classConcept]->(shared)
  MATCH (other)-[:bf_classification]->(node)
  RETURN other, shared, "class" AS how
  UNION ALL
  MATCH (work)-[:kg_inTheme]->(shared)<-[:kg_inTheme]-(other)
  RETURN other, shared, "theme" AS how
  UNION ALL
  MATCH (work)-[:bf_contribution]->()-[:bf_agent]->(shared)
  MATCH (other)-[:bf_contribution]->()-[:bf_agent]->(shared)
  RETURN other, shared, "agent" AS how
}
WITH work, other, shared, how WHERE other <> work
WITH other, count(DISTINCT shared) AS score, collect(DISTINCT how) AS hows
RETURN other, score, reduce(via = head(hows), h IN tail(hows) | via + " " + h) AS via
ORDER BY score DESC, other.uri
LIMIT $limit

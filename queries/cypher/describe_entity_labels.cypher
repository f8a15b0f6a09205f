// Human-readable labels of the given entities, in every language, for the HTML page of a
// dereferenced URI (kg.web.html): preferred labels, names, titles (an instance's or a
// work's through bf:title), and the agent of a contribution node.
// Parameters: ids (IRIs).
UNWIND $ids AS uri
MATCH (id:Resource {uri: uri})
CALL (id) {
  MATCH (id)-[:skos_prefLabel|rdfs_label|schema_name]->(label)
  RETURN label
  UNION ALL
  MATCH (id)-[:bf_title]->()-[:bf_mainTitle]->(label)
  RETURN label
  UNION ALL
  MATCH (instance)-[:bf_instanceOf]->(id)
  MATCH (instance)-[:bf_title]->()-[:bf_mainTitle]->(label)
  RETURN label
  UNION ALL
  MATCH (id)-[:bf_agent]->()-[:rdfs_label|skos_prefLabel|schema_name]->(label)
  RETURN label
}
WITH DISTINCT id, CASE WHEN label:Literal THEN label {.value, .lang, .datatype} ELSE label END AS label
RETURN id, label

// What the counts look at for each of the given works, per named graph (kg.counting), one
// row per fact: kind is instance | class | subject | theme | institution | year | language |
// title (kg:sortTitle of an instance: kg.orders).
// Every fact's relationships are in one graph g, as in the SPARQL twin's GRAPH ?g.
// Parameters: works (IRIs).
UNWIND $works AS uri
MATCH (work:Resource {uri: uri})
CALL (work) {
  MATCH (value)-[r:bf_instanceOf]->(work)
  RETURN r.g AS graph, "instance" AS kind, value
  UNION ALL
  MATCH (work)-[r:bf_classification]->(node)
  MATCH (node)-[:kg_classConcept {g: r.g}]->(value)
  RETURN r.g AS graph, "class" AS kind, value
  UNION ALL
  MATCH (work)-[r:bf_subject]->(value)
  RETURN r.g AS graph, "subject" AS kind, value
  UNION ALL
  MATCH (work)-[r:bf_subject]->(concept)
  MATCH (concept)-[:skos_closeMatch {g: r.g}]->(value)
  RETURN r.g AS graph, "subject" AS kind, value
  UNION ALL
  MATCH (work)-[r:kg_inTheme]->(value)
  RETURN r.g AS graph, "theme" AS kind, value
  UNION ALL
  MATCH (instance)-[r:bf_instanceOf]->(work)
  MATCH (item)-[:bf_itemOf {g: r.g}]->(instance)
  MATCH (item)-[:bf_heldBy {g: r.g}]->(value)
  RETURN r.g AS graph, "institution" AS kind, value
  UNION ALL
  MATCH (instance)-[r:bf_instanceOf]->(work)
  MATCH (instance)-[:kg_year {g: r.g}]->(value)
  RETURN r.g AS graph, "year" AS kind, value
  UNION ALL
  MATCH (work)-[r:bf_language]->(value)
  RETURN r.g AS graph, "language" AS kind, value
  UNION ALL
  MATCH (instance)-[r:bf_instanceOf]->(work)
  MATCH (instance)-[:kg_sortTitle {g: r.g}]->(value)
  RETURN r.g AS graph, "title" AS kind, value
}
RETURN {iri: graph} AS g, work, kind, value

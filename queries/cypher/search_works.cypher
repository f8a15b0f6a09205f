// What the search index (kg.search.documents) reads about works, one row per fact (the
// SPARQL twin lists the fields). Parameter: works (a list of work IRIs).
// Literal values are returned as maps so that DISTINCT folds a value stated in several graphs.
UNWIND $works AS uri
MATCH (work:Resource {uri: uri})
CALL (work) {
  CALL (work) {
    MATCH (target)-[:bf_instanceOf]->(work)
    MATCH (target)-[:bf_title]->(node)
    RETURN target, node
    UNION ALL
    MATCH (work)-[:bf_title]->(node)
    RETURN null AS target, node
  }
  MATCH (node)-[:rdf_type]->(type)
  CALL (node) {
    MATCH (node)-[:bf_mainTitle]->(value)
    RETURN "title" AS field, value
    UNION ALL
    MATCH (node)-[:bf_subtitle|bf_partName]->(value)
    RETURN "subtitle" AS field, value
  }
  RETURN field, value, target, node, type
  UNION ALL
  MATCH (work)-[:rdfs_label]->(value)
  RETURN "label" AS field, value, null AS target, null AS node, null AS type
  UNION ALL
  MATCH (work)-[r1:bf_contribution]->()-[r2:bf_agent]->(target)
  WHERE r2.g = r1.g
  OPTIONAL MATCH (target)-[r3:rdfs_label]->(value) WHERE r3.g = r1.g
  RETURN "agent" AS field, value, target, null AS node, null AS type
  UNION ALL
  MATCH (work)-[r1:bf_subject]->(target)
  OPTIONAL MATCH (target)-[r2:skos_prefLabel]->(value) WHERE r2.g = r1.g
  RETURN "subject" AS field, value, target, null AS node, null AS type
  UNION ALL
  MATCH (work)-[r1:bf_subject]->()-[r2:kg_component]->(target)
  WHERE r2.g = r1.g
  OPTIONAL MATCH (target)-[r3:skos_prefLabel]->(value) WHERE r3.g = r1.g
  RETURN "component" AS field, value, target, null AS node, null AS type
  UNION ALL
  MATCH (work)-[r1:bf_classification]->()-[r2:kg_classConcept]->(target)
  WHERE r2.g = r1.g
  OPTIONAL MATCH (target)-[:skos_prefLabel]->(value)
  RETURN "class" AS field, value, target, null AS node, null AS type
  UNION ALL
  MATCH (work)-[:bf_classification]->()-[:bf_classificationPortion]->(value)
  RETURN "notation" AS field, value, null AS target, null AS node, null AS type
  UNION ALL
  MATCH (work)-[:bf_summary]->()-[:rdfs_label]->(value)
  RETURN "text" AS field, value, null AS target, null AS node, null AS type
  UNION ALL
  MATCH (instance)-[:bf_instanceOf]->(work)
  CALL (instance) {
    MATCH (instance)-[:bf_responsibilityStatement|bf_editionStatement]->(value)
    RETURN value
    UNION ALL
    MATCH (instance)-[:bf_seriesStatement]->(value:Literal)
    RETURN value
    UNION ALL
    MATCH (instance)-[:bf_provisionActivity]->()-[:bf_agent]->(value:Literal)
    RETURN value
  }
  RETURN "text" AS field, value, null AS target, null AS node, null AS type
  UNION ALL
  MATCH (work)-[:bf_language]->(target)
  RETURN "language" AS field, null AS value, target, null AS node, null AS type
  UNION ALL
  MATCH (instance)-[:bf_instanceOf]->(work)
  CALL (instance) {
    MATCH (item)-[:bf_itemOf]->(instance)
    MATCH (item)-[:bf_heldBy]->(target)
    RETURN target
    UNION ALL
    MATCH (instance)-[:bf_adminMetadata]->()-[:bf_assigner]->(target)
    RETURN target
  }
  RETURN "institution" AS field, null AS value, target, null AS node, null AS type
  UNION ALL
  MATCH (instance)-[:bf_instanceOf]->(work)
  MATCH (instance)-[:kg_year]->(value)
  RETURN "year" AS field, value, null AS target, null AS node, null AS type
  UNION ALL
  MATCH (instance)-[:bf_instanceOf]->(work)
  CALL (instance) {
    RETURN instance AS target
    UNION ALL
    MATCH (instance)-[:bf_adminMetadata]->(target)
    RETURN target
  }
  RETURN "source" AS field, null AS value, target, null AS node, null AS type
}
WITH work, field, target, node, type,
     CASE WHEN value:Literal THEN value {.value, .lang, .datatype} ELSE value END AS value
RETURN DISTINCT work, field, value, target, node, type

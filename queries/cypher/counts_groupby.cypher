// Every count of kg.counts computed from scratch (the reference the precomputed counts are
// tested and benchmarked against; never run by a portal page).
// Rows: scope dimension value ("" for direct and rollup) works.
// Parameters: catalogue (IRI of the catalogue scope),
//             classes (literal: the IRI prefix of classification classes).
MATCH ()-[:bf_instanceOf]->(work)
WITH DISTINCT work
CALL (work) {
  CALL (work) {
    MATCH (work)-[:bf_classification]->()-[:kg_classConcept]->(concept) RETURN concept
    UNION
    MATCH (work)-[:bf_subject]->(concept) RETURN concept
    UNION
    MATCH (work)-[:bf_subject]->()-[:skos_closeMatch]->(concept) RETURN concept
    UNION
    MATCH (work)-[:kg_inTheme]->(concept) RETURN concept
  }
  WITH collect(concept) AS concepts
  UNWIND concepts AS concept
  RETURN {iri: concept.uri} AS scope, "direct" AS dimension, "" AS value
  UNION
  CALL (work) {
    MATCH (work)-[:bf_classification]->()-[:kg_classConcept]->(concept) RETURN concept
    UNION
    MATCH (work)-[:bf_subject]->(concept) RETURN concept
    UNION
    MATCH (work)-[:bf_subject]->()-[:skos_closeMatch]->(concept) RETURN concept
    UNION
    MATCH (work)-[:kg_inTheme]->(concept) RETURN concept
  }
  MATCH (concept)-[:skos_broader*0..]->(up)
  RETURN {iri: up.uri} AS scope, "rollup" AS dimension, "" AS value
  UNION
  RETURN {iri: $catalogue} AS scope, "rollup" AS dimension, "" AS value
  UNION
  CALL (work) {
    RETURN {iri: $catalogue} AS scope
    UNION
    MATCH (work)-[:bf_classification]->()-[:kg_classConcept]->()-[:skos_broader*0..]->(top)
    WHERE top.uri STARTS WITH $classes.value AND EXISTS { (top)-[:skos_topConceptOf]->() }
    RETURN {iri: top.uri} AS scope
    UNION
    MATCH (work)-[:kg_inTheme]->()-[:skos_broader*0..]->(theme)
    RETURN {iri: theme.uri} AS scope
  }
  CALL (work) {
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
    WHERE value.uri STARTS WITH $classes.value AND EXISTS { (value)-[:skos_topConceptOf]->() }
    RETURN "class" AS dimension, value
  }
  RETURN scope, dimension, value
}
RETURN scope, dimension, value, count(DISTINCT work) AS works

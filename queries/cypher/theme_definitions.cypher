// The loaded theme definitions, one row per label / rule / include / exclude.
// Parameters: scheme (IRI of the themes skos:ConceptScheme).
MATCH (theme)-[s:skos_inScheme]->(:Resource {uri: $scheme})
WITH theme, s.g AS g
MATCH (theme)-[:skos_notation {g: g}]->(id:Literal)
CALL (theme, g) {
  MATCH (theme)-[:skos_prefLabel {g: g}]->(label)
  RETURN label, null AS definition, null AS parent, null AS rule, null AS include, null AS exclude
  UNION ALL
  MATCH (theme)-[:skos_definition {g: g}]->(definition)
  RETURN null AS label, definition, null AS parent, null AS rule, null AS include, null AS exclude
  UNION ALL
  MATCH (theme)-[:skos_broader {g: g}]->(parent)
  RETURN null AS label, null AS definition, parent, null AS rule, null AS include, null AS exclude
  UNION ALL
  MATCH (theme)-[:kg_rule {g: g}]->(rule)
  RETURN null AS label, null AS definition, null AS parent, rule, null AS include, null AS exclude
  UNION ALL
  MATCH (theme)-[:kg_include {g: g}]->(include)
  RETURN null AS label, null AS definition, null AS parent, null AS rule, include, null AS exclude
  UNION ALL
  MATCH (theme)-[:kg_exclude {g: g}]->(exclude)
  RETURN null AS label, null AS definition, null AS parent, null AS rule, null AS include, exclude
}
RETURN theme, id, label, definition, parent, rule, include, exclude

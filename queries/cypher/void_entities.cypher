// VoID totals (kg.web.void): entities minted under the base (typed, fragment nodes left
// out) and the latest end of a load run (dcterms:modified). Parameters: base (prefix).
CALL () {
  MATCH (s:Resource)-[:rdf_type]->()
  WHERE s.uri STARTS WITH $base.value AND NOT s.uri CONTAINS "#"
  RETURN count(DISTINCT s) AS entities
}
CALL () {
  MATCH (run)-[:rdf_type]->(:Resource {uri: "http://www.w3.org/ns/prov#Activity"})
  MATCH (run)-[:prov_endedAtTime]->(ended:Literal)
  WITH ended ORDER BY datetime(ended.value) DESC
  RETURN head(collect(ended)) AS modified
}
RETURN entities, modified

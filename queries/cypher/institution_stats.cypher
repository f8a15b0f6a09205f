// Per-institution counts: records contributed, items held, instances held,
// and instances shared with another member (merged across the alliance).
// A count that would be 0 is null, as the SPARQL twin leaves it unbound.
MATCH (institution:org_Organization)-[:skos_notation]->(code:Literal)
CALL (institution) {
  MATCH (record:bf_AdminMetadata)-[:bf_assigner]->(institution)
  RETURN count(DISTINCT record) AS records
}
WITH * WHERE records > 0
CALL (institution) {
  MATCH (item)-[:bf_heldBy]->(institution)
  MATCH (item)-[:bf_itemOf]->(instance)
  RETURN count(DISTINCT item) AS items, count(DISTINCT instance) AS instances
}
CALL (institution) {
  MATCH (item)-[:bf_heldBy]->(institution)
  MATCH (item)-[:bf_itemOf]->(instance)
  MATCH (other)-[:bf_itemOf]->(instance)
  MATCH (other)-[:bf_heldBy]->(otherInstitution)
  WHERE otherInstitution <> institution
  RETURN count(DISTINCT instance) AS shared
}
RETURN code, records,
       CASE items WHEN 0 THEN null ELSE items END AS items,
       CASE instances WHEN 0 THEN null ELSE instances END AS instances,
       CASE shared WHEN 0 THEN null ELSE shared END AS shared
ORDER BY code.value

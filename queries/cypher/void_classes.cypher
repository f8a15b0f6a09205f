// VoID class partitions (kg.web.void): entities per class, minted under the base
// (fragment nodes left out). Parameters: base (the minted URIs' prefix).
MATCH (s:Resource)-[:rdf_type]->(class)
WHERE s.uri STARTS WITH $base.value AND NOT s.uri CONTAINS "#"
RETURN class, count(DISTINCT s) AS entities
ORDER BY entities DESC, class.uri

// Every record with a load-time quality finding: its institution, control number and
// how many errors, warnings and findings it has (kg quality's worst records).
MATCH (finding:kg_QualityFinding)-[:kg_record]->(record)
MATCH (finding)-[:kg_severity]->(severity:Literal)
MATCH (record)-[:bf_assigner]->(institution)-[:skos_notation]->(notation:Literal)
MATCH (record)-[:kg_controlNumber]->(number:Literal)
WITH record, notation {.value, .lang, .datatype} AS code,
     number {.value, .lang, .datatype} AS control,
     sum(CASE WHEN severity.value = "error" THEN 1 ELSE 0 END) AS errors,
     sum(CASE WHEN severity.value = "warning" THEN 1 ELSE 0 END) AS warnings,
     count(finding) AS findings
RETURN record, code, control, errors, warnings, findings
ORDER BY record.uri

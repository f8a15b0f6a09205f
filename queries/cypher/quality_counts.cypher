// Load-time quality findings (kg:QualityFinding, loaders/marc/checks.py) per institution,
// check and severity: how many findings, and how many records have one.
MATCH (finding:kg_QualityFinding)-[:kg_record]->(record)
MATCH (finding)-[:kg_check]->(check:Literal)
MATCH (finding)-[:kg_severity]->(severity:Literal)
MATCH (record)-[:bf_assigner]->(institution)-[:skos_notation]->(notation:Literal)
WITH notation {.value, .lang, .datatype} AS code, check {.value, .lang, .datatype} AS check,
     severity {.value, .lang, .datatype} AS severity,
     count(finding) AS findings, count(DISTINCT record) AS records
RETURN code, check, severity, findings, records
ORDER BY code.value, check.value, severity.value

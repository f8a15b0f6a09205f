// The load-time quality findings of the given records: check, severity, field, message.
// Parameters: records (record IRIs).
UNWIND $records AS uri
MATCH (finding:kg_QualityFinding)-[:kg_record]->(record:Resource {uri: uri})
MATCH (finding)-[:kg_check]->(check:Literal)
MATCH (finding)-[:kg_severity]->(severity:Literal)
MATCH (finding)-[:kg_message]->(message:Literal)
OPTIONAL MATCH (finding)-[:kg_field]->(field:Literal)
RETURN record, check, severity, field, message
ORDER BY record.uri, severity.value, check.value, message.value

// The instance and work each of the given records said it belonged to (its merge
// decision), read before its graph is dropped, for the record's tombstone (kg.union).
// Parameters: records (IRIs).
UNWIND $records AS uri
MATCH (record:Resource {uri: uri})<-[:kg_record]-(merge)
MATCH (merge)-[:kg_instance]->(instance)
MATCH (merge)-[:kg_work]->(work)
RETURN record, instance, work

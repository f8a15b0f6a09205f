// Content hashes of records already in the store (to skip unchanged records on reload).
// Parameters: records (list of record IRIs).
UNWIND $records AS uri
MATCH (record:Resource {uri: uri})-[:kg_contentHash]->(hash:Literal)
RETURN record, hash

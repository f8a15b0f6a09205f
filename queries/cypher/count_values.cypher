// The stored value of each given count (kg.counts.Key, by its IRI).
// Parameters: keys (IRIs of the counts).
UNWIND $keys AS uri
MATCH (key:Resource {uri: uri})-[:kg_works]->(works)
RETURN key, works

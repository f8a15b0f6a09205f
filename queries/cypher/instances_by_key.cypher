// Instances already in the union catalogue that carry one of the given match keys.
// Parameters: keys (list of literals: isbn:..., issn:..., t:title|year).
UNWIND $keys AS wanted
MATCH (key:Literal {key: wanted.key})<-[:kg_matchKey]-(merge)
MATCH (merge)-[:kg_instance]->(instance)
MATCH (merge)-[:kg_record]->(record)
OPTIONAL MATCH (merge)-[:kg_work]->(work)
OPTIONAL MATCH (merge)-[:kg_year]->(year)
RETURN key, instance, work, record, year

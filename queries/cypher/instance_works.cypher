// The work each record's merge decision gives each of the given instances: an instance keeps
// the work of the records that describe it (kg.union.UnionCatalogue: one work an instance).
// Parameters: ids (IRIs of instances).
UNWIND $ids AS uri
MATCH (instance:Resource {uri: uri})<-[:kg_instance]-(merge)
MATCH (merge)-[:kg_work]->(work)
MATCH (merge)-[:kg_record]->(record)
RETURN instance, work, record

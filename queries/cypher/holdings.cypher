// Who holds each of the given instances: one row per item (bf:itemOf the instance,
// bf:heldBy a member); see holdings.rq.
// Parameters: ids (instance IRIs).
UNWIND $ids AS uri
MATCH (instance:Resource {uri: uri})<-[:bf_itemOf]-(item)-[:bf_heldBy]->(member)
RETURN DISTINCT instance, item, member
ORDER BY instance.uri, item.uri, member.uri

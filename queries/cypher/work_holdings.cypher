// Who holds each of the given works: one row per item of one of its instances (see
// work_holdings.rq).
// Parameters: ids (work IRIs).
UNWIND $ids AS uri
MATCH (work:Resource {uri: uri})<-[:bf_instanceOf]-(instance)<-[:bf_itemOf]-(item)-[:bf_heldBy]->(member)
RETURN DISTINCT work, instance, item, member
ORDER BY work.uri, instance.uri, item.uri, member.uri

// The works that IRIs a loader touched belong to now (kg.search.SearchIndex.refresh):
// a work itself, an instance of it, or a record (bf:AdminMetadata) of one of its instances.
// Parameter: uris (a list of IRIs). Entities that are not works have no row.
UNWIND $uris AS u
MATCH (uri:Resource {uri: u})
CALL (uri) {
  WITH uri WHERE uri:bf_Work
  RETURN uri AS work
  UNION
  MATCH (uri)-[:bf_instanceOf]->(work)
  RETURN work
  UNION
  MATCH (instance)-[:bf_adminMetadata]->(uri)
  MATCH (instance)-[:bf_instanceOf]->(work)
  RETURN work
}
RETURN DISTINCT uri, work

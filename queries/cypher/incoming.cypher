// The entities that point at each of the given entities by one property (an instance's
// items by bf:itemOf, a work's instances by bf:instanceOf): batched like describe.
// Parameters: ids (IRIs), predicate (IRI; its relationship type from :KgName).
MATCH (name:KgName {iri: $predicate})
UNWIND $ids AS uri
MATCH (o:Resource {uri: uri})<-[r]-(s)
WHERE type(r) = name.name
RETURN DISTINCT s, o
ORDER BY o.uri, s.uri

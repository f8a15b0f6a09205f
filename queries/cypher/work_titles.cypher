// The titles (rdfs:label) of each of the given works and of their instances, one row per
// title (see work_titles.rq).
// Parameters: ids (work IRIs).
UNWIND $ids AS uri
MATCH (work:Resource {uri: uri})
OPTIONAL MATCH (instance)-[:bf_instanceOf]->(work)
WITH work, [work] + collect(instance) AS titled
UNWIND titled AS s
MATCH (s)-[:rdfs_label]->(o:Literal)
RETURN DISTINCT {iri: work.uri} AS work, {iri: s.uri} AS s, o {.value, .lang, .datatype} AS o

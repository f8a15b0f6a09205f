// The labels, notations and scheme of each of the given entities (all graphs), one row per
// statement: what a portal shows of a facet value, a work's title or a class or concept
// in a list (see labels.rq).
// Parameters: ids (IRIs).
UNWIND $ids AS uri
MATCH (s:Resource {uri: uri})-[r:skos_prefLabel|skos_altLabel|rdfs_label|skos_notation|skos_inScheme]->(o)
WITH DISTINCT s.uri AS s, type(r) AS kind,
     CASE WHEN o:Literal THEN o {.value, .lang, .datatype} ELSE {iri: o.uri} END AS object
MATCH (name:KgName {name: kind})
RETURN {iri: s} AS s, {iri: name.iri} AS p, object AS o

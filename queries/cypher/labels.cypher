// The labels and notations of each of the given entities (all graphs), one row per
// statement: what a portal shows for a facet value or a work's title (see labels.rq).
// Parameters: ids (IRIs).
UNWIND $ids AS uri
MATCH (s:Resource {uri: uri})-[r:skos_prefLabel|rdfs_label|skos_notation]->(o:Literal)
WITH DISTINCT s.uri AS s, type(r) AS kind, o {.value, .lang, .datatype} AS object
MATCH (name:KgName {name: kind})
RETURN {iri: s} AS s, {iri: name.iri} AS p, object AS o

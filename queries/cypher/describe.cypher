// What the graph says about each of the given entities (all graphs), one row per
// statement: the API's batched lookup. Literals come back as maps, so DISTINCT folds a
// statement made in several graphs; IRIs as {iri} maps (not whole nodes: smaller rows),
// and predicates through :KgName once per distinct statement, not once per graph.
// Parameters: ids (IRIs).
UNWIND $ids AS uri
MATCH (s:Resource {uri: uri})-[r]->(o)
WITH DISTINCT s.uri AS s, type(r) AS kind,
     CASE WHEN o:Literal THEN o {.value, .lang, .datatype} ELSE {iri: o.uri} END AS object
MATCH (name:KgName {name: kind})
RETURN {iri: s} AS s, {iri: name.iri} AS p, object AS o

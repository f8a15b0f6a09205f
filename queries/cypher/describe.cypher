// What the graph says about each of the given entities (all graphs), one row per
// statement: the API's batched lookup. Predicates come back as IRIs through :KgName;
// literals as maps, so DISTINCT folds a statement made in several graphs.
// Parameters: ids (IRIs).
UNWIND $ids AS uri
MATCH (s:Resource {uri: uri})-[r]->(o)
MATCH (name:KgName {name: type(r)})
WITH s, name.iri AS p, CASE WHEN o:Literal THEN o {.value, .lang, .datatype} ELSE o END AS object
RETURN DISTINCT s, {iri: p} AS p, object AS o

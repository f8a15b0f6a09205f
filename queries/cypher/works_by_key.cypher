// Works already in the graph that carry one of the given work keys.
// Parameters: keys (list of literals: w:title|agent).
UNWIND $keys AS wanted
MATCH (key:Literal {key: wanted.key})<-[:kg_workKey]-(merge)
MATCH (merge)-[:kg_work]->(w)
WITH key {.value, .lang, .datatype} AS key, min(w.uri) AS work
RETURN key, {iri: work} AS work

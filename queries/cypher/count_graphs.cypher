// The named graphs of stored counts and of the works' orders (kg.orders): one row per
// kg:Count or kg:WorkOrder, with the graph that types it.
UNWIND ["https://w3id.org/regional-kg/vocab#Count",
        "https://w3id.org/regional-kg/vocab#WorkOrder"] AS type
MATCH (count)-[t:rdf_type]->(:Resource {uri: type})
RETURN DISTINCT {iri: t.g} AS graph

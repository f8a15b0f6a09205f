// The named graphs of stored counts: one row per kg:Count, with the graph that types it.
MATCH (count)-[t:rdf_type]->(:Resource {uri: "https://w3id.org/regional-kg/vocab#Count"})
RETURN {iri: t.g} AS graph

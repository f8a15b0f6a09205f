// The works that the given named graphs say something about (a record graph's instance
// links to its work): the works whose counts change when those graphs are dropped.
// Parameters: graphs (IRIs).
UNWIND $graphs AS graph
MATCH (instance)-[:bf_instanceOf {g: graph}]->(work)
RETURN DISTINCT work

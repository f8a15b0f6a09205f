// Which of the given works the store already speaks of (an instance of it, or a statement
// about it), in any graph: a work a batch mints anew from a key may be one an earlier record
// minted and another record still uses (kg.counting.Counting.changes).
// Parameters: works (IRIs).
UNWIND $works AS uri
MATCH (work:Resource {uri: uri})
WHERE EXISTS { ()-[:bf_instanceOf]->(work) } OR EXISTS { (work)-[]->() }
RETURN DISTINCT work

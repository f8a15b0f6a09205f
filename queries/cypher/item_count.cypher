// Number of items (holdings) and load runs (label counts: Neo4j keeps them, no scan).
CALL () { MATCH (item:bf_Item) RETURN count(item) AS items }
CALL () { MATCH (run:kg_LoadRun) RETURN count(run) AS runs }
RETURN items, runs

// Totals over the union catalogue.
MATCH (instance:bf_Instance)-[:bf_instanceOf]->(work)
RETURN count(DISTINCT work) AS works, count(DISTINCT instance) AS instances

// Every work that has an instance (the works the counts count), for a rebuild.
MATCH (instance)-[:bf_instanceOf]->(work)
RETURN DISTINCT work

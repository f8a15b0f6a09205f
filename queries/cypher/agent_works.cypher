// Works an agent contributed to (bf:contribution/bf:agent), by IRI, bounded.
// Parameters: agent (IRI), limit (int).
MATCH (work)-[:bf_contribution]->()-[:bf_agent]->(:Resource {uri: $agent})
RETURN DISTINCT work
ORDER BY work.uri
LIMIT $limit

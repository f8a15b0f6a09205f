// Works an agent contributed to (bf:contribution/bf:agent), by IRI, one page after a
// cursor. Parameters: agent (IRI), after (literal: the last IRI seen, "" first), limit (int).
MATCH (work)-[:bf_contribution]->()-[:bf_agent]->(:Resource {uri: $agent})
WHERE work.uri > $after.value
RETURN DISTINCT work
ORDER BY work.uri
LIMIT $limit

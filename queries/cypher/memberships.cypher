// The alliances of the given members, with tier (org:role) and join date.
// Parameters: members (IRIs).
UNWIND $members AS uri
MATCH (member:Resource {uri: uri})<-[:org_member]-(membership)
MATCH (membership)-[:org_organization]->(alliance)
MATCH (alliance)-[:skos_notation]->(code:Literal)
OPTIONAL MATCH (membership)-[:org_role]->(tier)
OPTIONAL MATCH (membership)-[:org_memberDuring]->(joined)
RETURN member, alliance, code, tier, joined
ORDER BY member.uri, code.value

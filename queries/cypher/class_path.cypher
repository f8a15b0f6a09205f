// The broader classes of a class, from the top-level class down to its parent.
// Parameters: id (IRI of a class).
MATCH (:Resource {uri: $id})-[:skos_broader*1..]->(ancestor)
WITH DISTINCT ancestor
MATCH (ancestor)-[:skos_broader*0..]->(above)
RETURN ancestor, count(DISTINCT above) AS depth
ORDER BY depth

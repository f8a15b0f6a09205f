// Merges a curator should check: two records joined into one instance although
// their years differ, or although they share no title key (an ISBN/ISSN match
// between different titles usually means a wrong number in one record).
// Parameters: limit (integer).
MATCH (m1)-[:kg_instance]->(instance), (m1)-[:kg_record]->(record1)
MATCH (m2)-[:kg_instance]->(instance)
MATCH (m2)-[:kg_record]->(record2), (m2)-[:kg_matchedOn]->(matchedOn)
WHERE record1.uri < record2.uri
OPTIONAL MATCH (m1)-[:kg_year]->(year1)
OPTIONAL MATCH (m2)-[:kg_year]->(year2)
OPTIONAL MATCH (m2)-[:kg_conflict]->(conflict)
WITH * WHERE (year1 IS NOT NULL AND year2 IS NOT NULL AND year1.key <> year2.key)
  OR NOT EXISTS {
    MATCH (m1)-[:kg_matchKey]->(k1:Literal)
    MATCH (m2)-[:kg_matchKey]->(k2:Literal)
    WHERE k1.key = k2.key AND k1.value STARTS WITH "s:"
  }
RETURN instance, record1, record2, matchedOn, year1, year2, conflict
ORDER BY instance.uri, record1.uri, record2.uri
LIMIT $limit

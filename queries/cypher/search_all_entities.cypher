// Every agent and concept, for a full rebuild of the search index
// (kg.search.SearchIndex.rebuild): bf:Agent of any kind, and skos:Concept.
MATCH (entity:skos_Concept)
RETURN entity
UNION
MATCH (entity:bf_Agent|bf_Person|bf_Organization|bf_Family|bf_Meeting|bf_Jurisdiction)
RETURN entity

// Every work, for a full rebuild of the search index (kg.search.SearchIndex.rebuild).
MATCH (work:bf_Work)
RETURN work

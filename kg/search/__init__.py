"""Search across works, agents and concepts, in Chinese (simplified, traditional, pinyin)
and English: a full-text side index (SQLite FTS5) beside the graph store.

The API underneath GraphQL's search (docs/search.md has the design and the figures)::

    from kg.search import SearchIndex

    index = SearchIndex.for_store(store)       # data/store → data/store.search.sqlite
    if index.needs_rebuild:                    # new file, or built by another version
        index.rebuild(store)                   # everything, in one transaction
    page = index.search("中國外交", kinds=["work"], filters={"institution": "JXUFE"})
    page.total, page.facets["decade"]          # all matches; counts per facet value
    for hit in page.hits:                      # ranked: exact titles, then BM25
        hit.uri, hit.kind, hit.label, hit.score, hit.snippet   # snippet: HTML, <mark>
    more = index.search("中國外交", kinds=["work"], filters={"institution": "JXUFE"},
                        after=page.end_cursor)  # the next page (same query and filters)

Keeping it current (the loader's hook): after each batch is written, call
``index.refresh(store, uris)`` with what the batch touched — works, instances, or the
URIs of records (including deleted ones: the index remembers which work a record was
part of). It re-reads those works and the agents and concepts they link or linked, with
the named queries ``search_*`` (``queries/sparql/``), and replaces their rows in one
SQLite transaction; entities gone from the store are removed. After a vocabulary load,
refresh its concepts, or rebuild.

Queries: words are AND-ed; each may match as written, in simplified or traditional
script (OpenCC folds both), as jieba words or any substring of Han text, as pinyin with
or without spaces (``zhongguo``, ``zhong guo``) or as pinyin initials (``zgwj``); a
trailing ``*`` asks for a prefix. User text never reaches SQLite as syntax: quotes,
operators and lone ``*`` are plain separators, so a query never raises a SQLite error.
Bad arguments (an unknown filter or kind, a cursor of another query) raise
:class:`SearchError`.
"""

from kg.search.documents import FACETS, KINDS, Document
from kg.search.index import (
    FacetValue,
    Hit,
    RefreshReport,
    SearchError,
    SearchIndex,
    SearchPage,
    index_path_for,
)

__all__ = [
    "FACETS",
    "KINDS",
    "Document",
    "FacetValue",
    "Hit",
    "RefreshReport",
    "SearchError",
    "SearchIndex",
    "SearchPage",
    "index_path_for",
]

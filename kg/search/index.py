"""The full-text side index: SQLite FTS5, beside the graph store (docs/search.md says why).

One SQLite database holds, per searchable entity (work, agent, concept), a row of an FTS5
table with the analysed text (:mod:`kg.search.analysis`), its facet values, its exact-title
keys and, for a work, the agents and concepts it links and the instances and records it is
made of. :meth:`SearchIndex.refresh` re-reads what a load touched and replaces those rows in
one SQLite transaction; :meth:`SearchIndex.search` answers a query with ranked hits, facet
counts and a cursor.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import sqlite3
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from kg.keys import fold
from kg.search.analysis import (
    QueryTerm,
    bigrams,
    has_han,
    index_words,
    initials,
    match_expression,
    pinyin_syllables,
    pinyin_words,
    query_terms,
    runs,
)
from kg.search.documents import FACETS, KINDS, Document, read_entities, read_works, works_of
from kg.search.facet_table import FacetTable, numbers_of
from kg.search.snippets import snippet
from kg.store import Store

SCHEMA_VERSION = "3"
"""Bumped whenever the tables or the text analysis change: an index of another version is
emptied when opened (it is derived data) and says so in :attr:`SearchIndex.needs_rebuild`."""

ENV_PATH = "KG_SEARCH_INDEX"
"""The environment variable that names the index file (wins over the default placement)."""

# BM25 weight of each FTS5 column, in the order of the table's columns
COLUMNS = ("title", "title_grams", "pinyin", "pinyin_words", "initials", "body", "body_grams")
WEIGHTS = (10.0, 6.0, 5.0, 5.0, 3.0, 1.0, 0.5)
MAX_FIRST = 200
FACET_VALUES = 50  # values listed per facet, most frequent first
FACET_CACHE = 64  # queries whose facets are kept for their next pages
TABLE_EVERY = 30.0
"""Seconds between two reads of the facets table into memory (while loads change the
index, facets are counted in SQL between them); doubled, up to ``TABLE_EVERY_MAX``, after
each read that a commit made stale before it finished."""
TABLE_EVERY_MAX = 600.0
RANK_ALL = 10_000
"""Matches up to which every match is scored by BM25. A query with more (a very common
word: one Han character at 1M works has 44k) is ordered by exact title match, then by the
length of the label, shortest first (an index walk that stops at the page: BM25 costs
FTS5 ~2 µs per match, 100 ms and more at that size; docs/search.md)."""
BATCH = 500  # entities read from the store per named query
READERS = 2  # threads reading a rebuild's batches from the store (see _read_ahead)
T = TypeVar("T")

_SCHEMA = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE docs (
  id INTEGER PRIMARY KEY,
  uri TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  label TEXT NOT NULL,
  display TEXT NOT NULL,
  length INTEGER NOT NULL
);
CREATE INDEX docs_by_length ON docs (length, id);
CREATE TABLE facets (
  doc INTEGER NOT NULL, facet TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (doc, facet, value)
) WITHOUT ROWID;
CREATE INDEX facets_by_value ON facets (facet, value, doc);
CREATE TABLE exact (key TEXT NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (key, doc)) WITHOUT ROWID;
CREATE INDEX exact_by_doc ON exact (doc);
CREATE TABLE links (work TEXT NOT NULL, target TEXT NOT NULL, PRIMARY KEY (work, target))
  WITHOUT ROWID;
CREATE TABLE sources (uri TEXT NOT NULL, work TEXT NOT NULL, PRIMARY KEY (uri, work))
  WITHOUT ROWID;
CREATE INDEX sources_by_work ON sources (work);
CREATE VIRTUAL TABLE fts USING fts5({", ".join(COLUMNS)}, tokenize='unicode61 remove_diacritics 0');
"""
# the number of documents, kept by triggers: /health reads it (count(*) took 20-120 ms at 1M)
_COUNTED = (
    "INSERT INTO meta VALUES ('documents', '0')",
    "CREATE TRIGGER docs_in AFTER INSERT ON docs BEGIN UPDATE meta"
    " SET value = CAST(value AS INTEGER) + 1 WHERE key = 'documents'; END",
    "CREATE TRIGGER docs_out AFTER DELETE ON docs BEGIN UPDATE meta"
    " SET value = CAST(value AS INTEGER) - 1 WHERE key = 'documents'; END",
)
_TABLES = ("meta", "docs", "facets", "exact", "links", "sources", "fts")


PageRow = tuple[int, int, float, str, str, str, str]
"""A hit as read: doc id, exact flag (or tier), score, uri, kind, label, display texts."""
Position = tuple[int, float, int]
"""Where a cursor points: exact flag (or tier), score, doc id."""


class SearchError(ValueError):
    """A search that cannot be answered as asked: an unknown filter or kind, a bad cursor."""


@dataclass(frozen=True, slots=True)
class Hit:
    """One ranked result. ``snippet`` is HTML: the matched text escaped, matches in
    ``<mark>`` (a title, name or label of the entity; the label when nothing else matched)."""

    uri: str
    kind: str
    label: str
    score: float
    snippet: str
    cursor: str = ""
    """Pass as ``after`` for the hits that follow this one (the same query and filters)."""


@dataclass(frozen=True, slots=True)
class FacetValue:
    """A facet value and the number of matching entities that have it."""

    value: str
    count: int


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of results: ``total`` matches (after filters), the ``hits`` of this page,
    ``facets`` (``kind``, ``institution``, ``language``, ``decade``) counted over all
    matches, and ``end_cursor`` to pass as ``after`` for the next page (None: last page)."""

    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    end_cursor: str | None

    @property
    def has_next_page(self) -> bool:
        """Whether another page follows."""
        return self.end_cursor is not None


@dataclass(slots=True)
class RefreshReport:
    """What a refresh or rebuild did, by kind of change."""

    updated: int = 0
    removed: int = 0
    uris: list[str] = field(default_factory=list)


def index_path_for(store: Store, env: Mapping[str, str] | None = None) -> Path | None:
    """Where the search index of ``store`` lives (None: in memory).

    ``KG_SEARCH_INDEX`` names the file when set (``:memory:`` for none); otherwise an
    on-disk embedded store at ``data/store`` gets ``data/store.search.sqlite`` beside it
    (never inside the store's directory, which belongs to RocksDB), and an embedded
    in-memory store an in-memory index. A server store (no ``path``) needs the variable.

    :raises SearchError: for a server store without ``KG_SEARCH_INDEX``.
    """
    env = os.environ if env is None else env
    named = env.get(ENV_PATH)
    if named:
        return None if named in (":memory:", "memory:") else Path(named)
    if store.path is not None:
        return store.path.with_name(store.path.name + ".search.sqlite")
    from kg.backends.oxigraph import OxigraphStore  # noqa: PLC0415 - only to tell memory

    if isinstance(store, OxigraphStore):
        return None
    raise SearchError(
        f"The store {type(store).__name__} is a server: set {ENV_PATH} to the file of its "
        "search index"
    )


def _rows_for(doc: Document) -> tuple[list[str], list[str]]:
    """The FTS5 column values of ``doc`` and its exact-match keys."""
    title = " \n".join(doc.titles)
    body = " \n".join(doc.texts)
    han_titles = [t for t in doc.titles if has_han(t)]
    columns = [
        " ".join(index_words(title)),
        " ".join(bigrams(title)),
        " , ".join(" ".join(pinyin_syllables(t)) for t in han_titles),
        " ".join(w for t in han_titles for w in pinyin_words(t)),
        " ".join(i for t in han_titles for i in initials(t)),
        " ".join(index_words(body)),
        " ".join(bigrams(body)),
    ]
    keys: list[str] = []
    for t in doc.titles:
        for key in (fold(t), _pinyin_key(t) if has_han(t) else ""):
            if key and key not in keys:
                keys.append(key)
    return columns, keys


def _pinyin_key(text: str) -> str:
    """A title as one run of pinyin and other words (the exact key a pinyin query meets)."""
    parts: list[str] = []
    for cjk, run in runs(text):
        parts.extend(pinyin_syllables(run) or [run] if cjk else [run])
    return fold("".join(parts))


def _encode_cursor(digest: str, exact: int, score: float, doc: int) -> str:
    raw = json.dumps([digest, exact, score, doc], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, digest: str) -> tuple[str, Position]:
    """The ranking mode (``b``: BM25, ``s``: label length, see :data:`RANK_ALL`) and the
    position in a cursor made by ``digest`` (the query and filters)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        mine, exact, score, doc = json.loads(raw)
        result = (int(exact), float(score), int(doc))
        if not math.isfinite(result[1]):
            raise ValueError("not a finite score")
    except (ValueError, TypeError) as exc:
        raise SearchError(f"Not a search cursor: {cursor!r}") from exc
    if not isinstance(mine, str) or mine[:-1] != digest:
        raise SearchError("The cursor belongs to another query or other filters")
    return mine[-1:], result


class SearchIndex:
    """The search index in the SQLite file ``path`` (created if missing), or in memory.

    Safe to share between threads (one connection, one lock); readers in other processes
    see each refresh whole (WAL journal).
    """

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = None if path is None or path == ":memory:" else Path(path)
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._facet_cache: OrderedDict[
            tuple[str, str, tuple[str, ...]], dict[str, list[FacetValue]]
        ]
        self._facet_cache = OrderedDict()  # facets of recent queries: the next pages reuse them
        # the facets table in memory (kg.search.facet_table), for the state it was read at
        self._table: tuple[str, FacetTable] | None = None
        self._table_started = -TABLE_EVERY  # when the last read of it started (monotonic)
        self._table_every = TABLE_EVERY  # doubled after each read a commit made stale
        self._writes = 0  # this connection's commits (data_version counts the others')
        self._last_matches: tuple[tuple[str, ...], npt.NDArray[np.int64]] | None = None
        try:
            self._db = sqlite3.connect(
                str(self.path) if self.path else ":memory:",
                isolation_level=None,
                check_same_thread=False,
            )
            if self.path is not None:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
            self.needs_rebuild = self._prepare_schema()
        except sqlite3.Error as exc:
            raise SearchError(f"Cannot open the search index at {self.path}: {exc}") from exc

    @classmethod
    def for_store(cls, store: Store) -> SearchIndex:
        """The index of ``store``, where :func:`index_path_for` places it."""
        return cls(index_path_for(store))

    def _prepare_schema(self) -> bool:
        """Create the tables, or recreate them for another schema version; True when the
        index is new or was emptied (and needs a :meth:`rebuild`)."""
        db = self._db
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "meta" in tables:
            row = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            if row is not None and row[0] == SCHEMA_VERSION:
                built = db.execute("SELECT value FROM meta WHERE key='built'").fetchone()
                return built is None
        with self._transaction():
            for table in _TABLES:
                db.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            for statement in _COUNTED:
                db.execute(statement)
            db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
        return True

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._facet_cache.clear()
            self._table = None
            self._writes += 1
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """One read transaction: every statement of a search sees the same state of the
        file, and ``PRAGMA data_version`` is that state's (a loader committing meanwhile
        changes neither the matches nor the rows read for the page)."""
        if self._db.in_transaction:  # inside a write: it is the state
            yield
            return
        self._db.execute("BEGIN")
        try:
            self._db.execute("SELECT 1 FROM meta LIMIT 1").fetchall()  # takes the snapshot
            yield
        finally:
            self._db.execute("COMMIT")

    def __len__(self) -> int:
        """The number of documents (kept by triggers, not counted)."""
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key='documents'").fetchone()
            return int(row[0])

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing ------------------------------------------------------------------------

    def write(self, documents: Iterable[Document], remove: Iterable[str] = ()) -> int:
        """In one transaction: replace the rows of ``documents``, remove those of the URIs
        ``remove``. :returns: the number of documents written."""
        written = 0
        with self._transaction() as db:
            for uri in remove:
                self._delete(db, uri)
            for doc in documents:
                self._put(db, doc)
                written += 1
        return written

    def _delete(self, db: sqlite3.Connection, uri: str) -> bool:
        row = db.execute("SELECT id FROM docs WHERE uri=?", (uri,)).fetchone()
        db.execute("DELETE FROM links WHERE work=?", (uri,))
        db.execute("DELETE FROM sources WHERE work=?", (uri,))
        if row is None:
            return False
        self._clear(db, row[0])
        db.execute("DELETE FROM docs WHERE id=?", row)
        return True

    @staticmethod
    def _clear(db: sqlite3.Connection, doc_id: int) -> None:
        db.execute("DELETE FROM fts WHERE rowid=?", (doc_id,))
        db.execute("DELETE FROM facets WHERE doc=?", (doc_id,))
        db.execute("DELETE FROM exact WHERE doc=?", (doc_id,))

    def _put(self, db: sqlite3.Connection, doc: Document) -> None:
        columns, keys = _rows_for(doc)
        display = json.dumps([*doc.titles, *doc.texts], ensure_ascii=False)
        row = db.execute("SELECT id FROM docs WHERE uri=?", (doc.uri,)).fetchone()
        if row is None:
            cursor = db.execute(
                "INSERT INTO docs (uri, kind, label, display, length) VALUES (?, ?, ?, ?, ?)",
                (doc.uri, doc.kind, doc.label, display, len(doc.label)),
            )
            doc_id = cursor.lastrowid
        else:
            doc_id = row[0]
            self._clear(db, doc_id)
            db.execute(
                "UPDATE docs SET kind=?, label=?, display=?, length=? WHERE id=?",
                (doc.kind, doc.label, display, len(doc.label), doc_id),
            )
        db.execute(
            f"INSERT INTO fts (rowid, {', '.join(COLUMNS)}) VALUES (?{', ?' * len(COLUMNS)})",
            (doc_id, *columns),
        )
        facets = [("kind", doc.kind)] + [
            (name, value) for name, values in doc.facets.items() for value in values
        ]
        db.executemany(
            "INSERT OR IGNORE INTO facets VALUES (?, ?, ?)", [(doc_id, f, v) for f, v in facets]
        )
        db.executemany("INSERT OR IGNORE INTO exact VALUES (?, ?)", [(k, doc_id) for k in keys])
        db.execute("DELETE FROM links WHERE work=?", (doc.uri,))
        db.execute("DELETE FROM sources WHERE work=?", (doc.uri,))
        db.executemany(
            "INSERT OR IGNORE INTO links VALUES (?, ?)", [(doc.uri, t) for t in doc.links]
        )
        db.executemany(
            "INSERT OR IGNORE INTO sources VALUES (?, ?)", [(s, doc.uri) for s in doc.sources]
        )

    def refresh(self, store: Store, entities: Iterable[str]) -> RefreshReport:
        """Re-read ``entities`` from ``store`` and replace their rows in one transaction.

        ``entities`` may name works, their instances or records (what a loader's batch
        touched: a deleted record's URI finds the work it was part of through the index),
        and agents or concepts. The works found are re-read, and so are the agents and
        concepts they link or linked; whatever is no longer in the store is removed.
        """
        uris = list(dict.fromkeys(entities))
        if not uris:
            return RefreshReport()
        found = works_of(store, uris)
        works = {w for ws in found.values() for w in ws}
        with self._lock:
            works |= set(self._indexed_works(uris))
            others = [u for u in uris if u not in found and u not in works]
            known = self._known_sources(others)
        others = [u for u in others if u not in known]
        docs = _batched(read_works, store, sorted(works))
        with self._lock:
            linked = set(self._links(sorted(works)))
        for doc in docs.values():
            linked |= doc.links
        linked |= set(others)
        docs.update(_batched(read_entities, store, sorted(linked)))
        gone = [u for u in sorted(works | linked) if u not in docs]
        with self._transaction() as db:
            removed = sum(self._delete(db, uri) for uri in gone)
            for doc in docs.values():
                self._put(db, doc)
        # not marked built: an index refreshed before any rebuild holds only what was
        # refreshed, and is rebuilt on opening
        return RefreshReport(len(docs), removed, sorted(docs))

    @property
    def built(self) -> str | None:
        """How the index was built: ``"rebuild"`` (everything), the reason given to
        :meth:`mark_built` (a partial index), or None (never: :attr:`needs_rebuild`)."""
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key='built'").fetchone()
        return None if row is None else str(row[0])

    def mark_built(self, how: str) -> None:
        """Say the index is built without indexing anything (``how``: why, e.g. a benchmark
        serving a 1M store whose search it does not measure), so that nothing rebuilds it
        on opening; :meth:`rebuild` still fills it when asked. Until then it is partial
        (later loads refresh only what they touch) and :attr:`built` says ``how``: for a
        store that is not searched."""
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('built', ?)", (how,))
        self.needs_rebuild = False

    def rebuild(
        self, store: Store, batch_size: int = BATCH, readers: int = READERS
    ) -> RefreshReport:
        """Index every work, agent and concept of ``store`` anew, in URI order (the same store
        makes the same index), in one transaction (readers see the old index until it
        commits). ``readers`` threads read batches from the store ahead of the one that
        indexes them (:func:`_read_ahead`)."""
        works = sorted(str(r["work"]) for r in store.select("search_all_works"))
        entities = sorted(str(r["entity"]) for r in store.select("search_all_entities"))
        jobs = (
            partial(reader, store, uris[start : start + batch_size])
            for reader, uris in ((read_works, works), (read_entities, entities))
            for start in range(0, len(uris), batch_size)
        )
        report = RefreshReport()
        with self._transaction() as db:
            for table in _TABLES[1:]:
                db.execute(f"DELETE FROM {table}")
            for docs in _read_ahead(jobs, readers):
                for doc in docs.values():
                    self._put(db, doc)
                    report.updated += 1
            db.execute("INSERT OR REPLACE INTO meta VALUES ('built', 'rebuild')")
        self.needs_rebuild = False
        return report

    def _indexed_works(self, uris: Sequence[str]) -> Iterator[str]:
        for chunk in _chunks(uris):
            marks = ",".join("?" * len(chunk))
            yield from (
                r[0]
                for r in self._db.execute(
                    f"SELECT work FROM sources WHERE uri IN ({marks}) "
                    f"UNION SELECT uri FROM docs WHERE kind='work' AND uri IN ({marks})",
                    (*chunk, *chunk),
                )
            )

    def _known_sources(self, uris: Sequence[str]) -> set[str]:
        out: set[str] = set()
        for chunk in _chunks(uris):
            marks = ",".join("?" * len(chunk))
            out.update(
                r[0]
                for r in self._db.execute(f"SELECT uri FROM sources WHERE uri IN ({marks})", chunk)
            )
        return out

    def _links(self, works: Sequence[str]) -> Iterator[str]:
        for chunk in _chunks(works):
            marks = ",".join("?" * len(chunk))
            yield from (
                r[0]
                for r in self._db.execute(
                    f"SELECT DISTINCT target FROM links WHERE work IN ({marks})", chunk
                )
            )

    # --- searching ----------------------------------------------------------------------

    def search(
        self,
        text: str,
        kinds: Iterable[str] | None = None,
        filters: Mapping[str, str | int | Iterable[str | int]] | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> SearchPage:
        """Search works, agents and concepts for ``text`` (any script, pinyin, English).

        ``kinds`` (``work``, ``agent``, ``concept``) and ``filters`` (``kind``,
        ``institution``, ``language``, ``decade``, each one value or several, OR-ed within
        a facet and AND-ed between facets) narrow the matches; ``first`` hits follow the
        cursor ``after``. Exact title matches come first, then BM25 with titles weighted
        above other text. Text without a searchable term gives an empty page.

        :raises SearchError: for an unknown kind or facet, a bad ``first``, a bad cursor.
        """
        if not 0 < first <= MAX_FIRST:
            raise SearchError(f"first must be between 1 and {MAX_FIRST}, not {first}")
        wanted = self._filters(kinds, filters)
        terms = query_terms(text)
        expression = match_expression(terms)
        digest = hashlib.sha1(
            json.dumps([expression, sorted(wanted.items())]).encode()
        ).hexdigest()[:12]
        cursor = _decode_cursor(after, digest) if after else None  # fails before any query
        if expression is None:
            return SearchPage(0, [], {name: [] for name in FACETS}, None)
        keys = [k for k in (fold(text), fold(text.replace(" ", ""))) if k]
        where, params = self._where(wanted)
        try:
            with self._lock, self._snapshot():
                facets = self._facets(expression, where, params)
                total = sum(v.count for v in facets["kind"])
                common = total > RANK_ALL  # the mode is part of the cursor
                mode = "s" if common else "b"
                if cursor is not None and cursor[0] != mode:
                    raise SearchError(
                        "The cursor was made when the query's matches were ranked another "
                        f"way (more or fewer than {RANK_ALL:,}): search again from the first page"
                    )
                position = cursor[1] if cursor else None
                page = self._by_length if common else self._page
                rows = page(expression, keys, where, params, first, position)
        except sqlite3.OperationalError as exc:  # an expression we built that FTS5 refused
            raise SearchError(f"The query {text!r} could not be run: {exc}") from exc
        hits = [self._hit(row, terms, digest + mode) for row in rows[:first]]
        end = hits[-1].cursor if len(rows) > first else None
        return SearchPage(total, hits, facets, end)

    @staticmethod
    def _filters(
        kinds: Iterable[str] | None,
        filters: Mapping[str, str | int | Iterable[str | int]] | None,
    ) -> dict[str, tuple[str, ...]]:
        wanted: dict[str, tuple[str, ...]] = {}
        for name, value in (filters or {}).items():
            if name not in FACETS:
                raise SearchError(f"Unknown filter {name!r}; filters are {', '.join(FACETS)}")
            values = [value] if isinstance(value, (str, int)) else list(value)
            wanted[name] = tuple(sorted({str(v) for v in values}))
        if kinds is not None:
            chosen = set(kinds)
            if "kind" in wanted:
                chosen &= set(wanted["kind"])
            wanted["kind"] = tuple(sorted(chosen))
        for kind in wanted.get("kind", ()):
            if kind not in KINDS:
                raise SearchError(f"Unknown kind {kind!r}; kinds are {', '.join(KINDS)}")
        return wanted

    @staticmethod
    def _where(wanted: dict[str, tuple[str, ...]]) -> tuple[str, list[str]]:
        clauses: list[str] = []
        params: list[str] = []
        for name, values in sorted(wanted.items()):
            marks = ",".join("?" * len(values)) or "NULL"
            clauses.append(
                f" AND m.id IN (SELECT doc FROM facets WHERE facet=? AND value IN ({marks}))"
            )
            params += [name, *values]
        return "".join(clauses), params

    def _page(
        self,
        expression: str,
        keys: list[str],
        where: str,
        params: list[str],
        first: int,
        position: Position | None,
    ) -> list[PageRow]:
        weights = ", ".join(str(w) for w in WEIGHTS)
        marks = ",".join("?" * len(keys))
        after = ""
        after_params: list[float] = []
        if position is not None:
            after = (
                " AND (m.exact < ? OR (m.exact = ? AND (m.score > ? OR "
                "(m.score = ? AND m.id > ?))))"
            )
            exact, score, doc = position
            after_params = [exact, exact, score, score, doc]
        # ranked and cut to the page before the documents' rows are read
        sql = f"""
            SELECT p.id, p.exact, p.score, d.uri, d.kind, d.label, d.display FROM (
              SELECT m.id, m.exact, m.score FROM (
                SELECT rowid AS id, bm25(fts, {weights}) AS score,
                       rowid IN (SELECT doc FROM exact WHERE key IN ({marks})) AS exact
                FROM fts WHERE fts MATCH ?
              ) AS m
              WHERE 1 {where}{after}
              ORDER BY m.exact DESC, m.score, m.id LIMIT ?
            ) AS p JOIN docs d ON d.id = p.id
            ORDER BY p.exact DESC, p.score, p.id
        """
        return self._db.execute(
            sql, [*keys, expression, *params, *after_params, first + 1]
        ).fetchall()

    def _by_length(
        self,
        expression: str,
        keys: list[str],
        where: str,
        params: list[str],
        first: int,
        position: Position | None,
    ) -> list[PageRow]:
        """A page of a query with more than :data:`RANK_ALL` matches: exact title matches,
        then the rest, each by label length and id (``docs_by_length``, walked until the
        page is full)."""
        marks = ",".join("?" * len(keys))
        exact = f"m.id IN (SELECT doc FROM exact WHERE key IN ({marks}))"
        rows: list[PageRow] = []
        for tier in (1, 0):
            if position is not None and position[0] < tier:
                continue  # the cursor is past this tier
            after, after_params = "", []
            if position is not None and position[0] == tier:
                after = " AND (m.length > ? OR (m.length = ? AND m.id > ?))"
                after_params = [position[1], position[1], position[2]]
            wanted = first + 1 - len(rows)
            table = None if tier else self._facet_table(self._version())
            if table is not None:  # the rest, picked in memory from every match
                resume = position is not None and position[0] == 0
                start = (position[1], position[2]) if position and resume else None
                rows += self._shortest(table, expression, keys, where, params, wanted, start)
                break
            if tier:  # the few exact title matches, from their keys
                source = (
                    f"docs m WHERE {exact} AND EXISTS "
                    "(SELECT 1 FROM fts WHERE fts MATCH ? AND rowid = m.id)"
                )
            else:  # the rest, in length order, until the page is full (no table in memory)
                source = (
                    "docs m INDEXED BY docs_by_length WHERE m.id IN "
                    f"(SELECT rowid FROM fts WHERE fts MATCH ?) AND NOT {exact}"
                )
            sql = f"""
                SELECT m.id, {tier}, m.length, m.uri, m.kind, m.label, m.display
                FROM {source} {where}{after}
                ORDER BY m.length, m.id LIMIT ?
            """
            order = [*keys, expression] if tier else [expression, *keys]
            rows += self._db.execute(sql, [*order, *params, *after_params, wanted]).fetchall()
            if len(rows) > first:
                break
        return rows

    def _shortest(
        self,
        table: FacetTable,
        expression: str,
        keys: list[str],
        where: str,
        params: list[str],
        wanted: int,
        after: tuple[float, int] | None,
    ) -> list[PageRow]:
        """The ``wanted`` matches that are not exact title matches with the shortest labels
        after ``after`` (length, id), picked from every match by the table in memory; the
        same rows as the ``docs_by_length`` walk, which pays ~0.5 µs a match for SQLite's
        temporary b-tree of the matches (22 ms for 49k at 100k works)."""
        marks = ",".join("?" * len(keys))
        exact = self._db.execute(f"SELECT doc FROM exact WHERE key IN ({marks})", keys)
        picked = table.shortest(
            self._matches(expression, where, params),
            wanted,
            after=after,
            exclude=(int(doc) for (doc,) in exact),
        ).tolist()
        found = self._db.execute(
            "SELECT id, 0, length, uri, kind, label, display FROM docs"
            f" WHERE id IN ({','.join('?' * len(picked))})",
            picked,
        )
        by_id = {row[0]: row for row in found}
        return [by_id[doc] for doc in picked]

    def _facets(
        self, expression: str, where: str, params: list[str]
    ) -> dict[str, list[FacetValue]]:
        """Facet counts over all matches, kept for the next pages of the same query until
        the index changes (a write here clears them; another process's commit changes
        SQLite's ``data_version``, which is part of the key)."""
        version = self._version()
        key = (expression, where, (version, *params))
        cached = self._facet_cache.get(key)
        if cached is not None:
            self._facet_cache.move_to_end(key)
            return cached
        table = self._facet_table(version)
        if table is not None:
            matches = self._matches(expression, where, params)
            rows = sorted(table.count(matches), key=lambda r: (r[0], -r[2], r[1]))
        else:
            sql = f"""
                SELECT f.facet, f.value, count(*) AS n
                FROM (SELECT rowid AS id FROM fts WHERE fts MATCH ?) AS m
                JOIN facets f ON f.doc = m.id
                WHERE 1 {where}
                GROUP BY f.facet, f.value ORDER BY f.facet, n DESC, f.value
            """
            rows = self._db.execute(sql, [expression, *params]).fetchall()
        out: dict[str, list[FacetValue]] = {name: [] for name in FACETS}
        for facet, value, count in rows:
            if len(out[facet]) < FACET_VALUES:
                out[facet].append(FacetValue(value, count))
        self._facet_cache[key] = out
        if len(self._facet_cache) > FACET_CACHE:
            self._facet_cache.popitem(last=False)
        return out

    def _matches(self, expression: str, where: str, params: list[str]) -> npt.NDArray[np.int64]:
        """The ids of every match under the filters, as one text parsed by numpy: 2.3×
        faster than a row per match (17.6 → 7.7 ms for 40k matches). The last query's are
        kept for the state of the index they were read at (its facets and then its page
        need them both)."""
        key = (expression, where, self._version(), *params)
        if self._last_matches is not None and self._last_matches[0] == key:
            return self._last_matches[1]
        sql = (
            "SELECT group_concat(m.id) FROM "
            f"(SELECT rowid AS id FROM fts WHERE fts MATCH ?) AS m WHERE 1 {where}"
        )
        (ids,) = self._db.execute(sql, [expression, *params]).fetchone()
        matches: npt.NDArray[np.int64] = numbers_of(ids)
        self._last_matches = (key, matches)
        return matches

    def _version(self) -> str:
        """The state of the index as this connection sees it: other connections' commits
        (``data_version``) and its own."""
        return f"{self._db.execute('PRAGMA data_version').fetchone()[0]}.{self._writes}"

    def read_facet_table(self, background: bool = False) -> threading.Thread | None:
        """Read the facets table into memory now, so that the first searches count facets
        in memory: in this thread (benchmarks measure searches, not the read beside
        them), or for a file, with ``background``, in a thread started now and returned
        (``kg serve`` answers while it reads, counting facets in SQL)."""
        with self._lock:
            version = self._version()
            self._table_started = time.monotonic()
        if self.path is None:
            with self._lock:
                self._table = (version, FacetTable.read(self._db))
            return None
        if background:
            thread = threading.Thread(
                target=self._read_table, args=(version,), name="facet-table", daemon=True
            )
            thread.start()
            return thread
        self._read_table(version)
        return None

    def _facet_table(self, version: str) -> FacetTable | None:
        """The facets table in memory if it was read at ``version``; else None (count in
        SQL), and a new read starts (in memory: now; from a file: in a thread, with its own
        connection, at most every :data:`TABLE_EVERY` seconds)."""
        if self._table is not None and self._table[0] == version:
            return self._table[1]
        now = time.monotonic()
        if now - self._table_started < self._table_every:
            return None
        self._table_started = now
        if self.path is None:
            self._table = (version, FacetTable.read(self._db))
            return self._table[1]
        threading.Thread(
            target=self._read_table, args=(version,), name="kg-facet-table", daemon=True
        ).start()
        return None

    def _read_table(self, version: str) -> None:
        """Read the facets table from the file; keep it only if nothing was committed since
        ``version`` (a commit during the read makes it stale: it is dropped, not trusted)."""
        assert self.path is not None
        try:
            with closing(sqlite3.connect(str(self.path))) as db:
                table = FacetTable.read(db)
        except sqlite3.Error:
            return  # facets are counted in SQL; the next read is tried later
        with self._lock:
            try:
                if self._version() == version:
                    self._table, self._table_every = (version, table), TABLE_EVERY
                else:  # a loader is writing: read less often until it stops (up to 10 min)
                    self._table_every = min(self._table_every * 2, TABLE_EVERY_MAX)
            except sqlite3.ProgrammingError:
                pass  # the index was closed meanwhile

    @staticmethod
    def _hit(row: PageRow, terms: list[QueryTerm], digest: str) -> Hit:
        doc, exact, score, uri, kind, label, display = row
        texts: list[str] = json.loads(display)
        cursor = _encode_cursor(digest, exact, score, doc)
        return Hit(uri, kind, label, -score, snippet(texts, terms, label), cursor)


def _chunks(items: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _read_ahead(jobs: Iterable[Callable[[], T]], workers: int) -> Iterator[T]:
    """The results of ``jobs`` in order, run by ``workers`` threads at most ``2 × workers``
    jobs ahead of the consumer (so memory stays bounded). The stores evaluate a query
    without Python's GIL (pyoxigraph's iteration, the neo4j driver's socket reads), so
    reading the next batches overlaps indexing this one: a rebuild at 1M works is bound
    by the store's reads (py-spy: most samples in ``OxigraphStore.sparql``)."""
    with ThreadPoolExecutor(max(1, workers), thread_name_prefix="search-read") as pool:
        pending: deque[Future[T]] = deque()
        for job in jobs:
            pending.append(pool.submit(job))
            if len(pending) > 2 * max(1, workers):
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _batched(
    reader: Callable[[Store, Sequence[str]], dict[str, Document]],
    store: Store,
    uris: Sequence[str],
) -> dict[str, Document]:
    out: dict[str, Document] = {}
    for chunk in _chunks(uris, BATCH):
        out.update(reader(store, chunk))
    return out

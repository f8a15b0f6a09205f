"""Facet counts and the shortest labels of many matches, from an in-memory copy of the
index's ``facets`` table and of its documents' label lengths.

SQLite counts a query's facets by looking up every match's rows in ``facets`` (about 10 µs
a match: half a second for a word in 48,000 titles). :class:`FacetTable` holds the same
rows as two numpy arrays sorted by document (document ids, value codes); counting the
facets of a set of matches is then a binary search for each match's rows and one
``bincount`` (about 1 µs a match). The copy is of one state of the index: the caller keeps
it for the ``PRAGMA data_version`` it was built at and counts in SQL while it is stale.

The labels' lengths (``docs.length``, sorted by document) serve a query with more matches
than BM25 is asked to rank (``RANK_ALL``): its page is the matches with the shortest labels,
picked by one ``partition`` over the matches (about 0.1 µs a match) where SQLite would put
every match in a temporary b-tree to walk ``docs_by_length`` against it (about 0.5 µs).

>>> import sqlite3
>>> db = sqlite3.connect(":memory:")
>>> _ = db.execute("CREATE TABLE docs (id INTEGER PRIMARY KEY, length INTEGER)")
>>> _ = db.executemany("INSERT INTO docs VALUES (?, ?)", [(1, 9), (2, 4), (3, 4), (4, 1)])
>>> _ = db.execute("CREATE TABLE facets (doc INTEGER, facet TEXT, value TEXT)")
>>> _ = db.executemany("INSERT INTO facets VALUES (?, ?, ?)", [
...     (1, "kind", "work"), (1, "language", "chi"), (2, "kind", "work"),
...     (3, "kind", "agent"), (3, "language", "eng")])
>>> FacetTable.read(db).count([1, 2, 3])
[('kind', 'agent', 1), ('kind', 'work', 2), ('language', 'chi', 1), ('language', 'eng', 1)]
>>> FacetTable.read(db).count([2, 9, -1])
[('kind', 'work', 1)]
>>> FacetTable.read(db).shortest([1, 2, 3, 4], 3, exclude=[4]).tolist()  # by length, id
[2, 3, 1]
>>> FacetTable.read(db).shortest([1, 2, 3], 5, after=(4, 2)).tolist()  # after (4, doc 2)
[3, 1]
>>> dense = FacetTable.read(db)  # ids 1-4: arrays indexed by id
>>> _ = db.execute("INSERT INTO docs VALUES (?, 4)", (1 << 32,))  # a rowid past 32 bits
>>> sparse = FacetTable.read(db)  # ids too sparse to index by: binary searches
>>> dense.offsets is not None, sparse.offsets is None
(True, True)
>>> sparse.shortest([1, 2, 3, 1 << 32], 3).tolist()
[2, 3, 4294967296]
>>> sparse.count([1, 2, 3, 9]) == dense.count([1, 2, 3, 9])
True
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

DENSE = 4
DENSE_SLACK = 1 << 16
"""Ids are dense enough to index arrays by when the largest is below ``DENSE`` × the number
of documents + ``DENSE_SLACK`` (a refresh gives a changed document a new id: holes grow
with refreshes until a rebuild); otherwise lookups are binary searches."""


@dataclass(frozen=True, slots=True)
class FacetTable:
    """The ``facets`` rows: ``docs`` (sorted) and ``codes`` (indices into ``values``)."""

    docs: npt.NDArray[np.int64]
    codes: npt.NDArray[np.int32]
    values: tuple[tuple[str, str], ...]
    """(facet, value) of each code."""
    ids: npt.NDArray[np.int64]
    """Every document's id, sorted."""
    lengths: npt.NDArray[np.int64]
    """The length of each document's label (``docs.length``), in the order of ``ids``."""
    offsets: npt.NDArray[np.int64] | None = None
    """Where each document id's rows start in ``docs``, indexed by id (its rows end where
    the next id's start), when the ids are dense enough (see :data:`DENSE`): a lookup is
    then one gather instead of two binary searches over every row (at 1M works, 4.4M
    rows: 18-28 ms for 45k matches by binary search)."""
    length_of: npt.NDArray[np.int64] | None = None
    """The label length of each document id, -1 for none, indexed by id (dense ids only)."""

    @classmethod
    def of(
        cls,
        docs: npt.NDArray[np.int64],
        codes: npt.NDArray[np.int32],
        values: tuple[tuple[str, str], ...],
        ids: npt.NDArray[np.int64],
        lengths: npt.NDArray[np.int64],
    ) -> FacetTable:
        """The table of these rows, with arrays indexed by id when the ids are dense."""
        top = max(int(docs.max()) if len(docs) else -1, int(ids.max()) if len(ids) else -1)
        if top < 0 or top >= DENSE * len(ids) + DENSE_SLACK:
            return cls(docs, codes, values, ids, lengths)
        offsets = np.zeros(top + 2, np.int64)
        np.cumsum(np.bincount(docs, minlength=top + 1), out=offsets[1:])
        length_of = np.full(top + 1, -1, np.int64)
        length_of[ids] = lengths
        return cls(docs, codes, values, ids, lengths, offsets, length_of)

    @classmethod
    def read(cls, db: sqlite3.Connection) -> FacetTable:
        """Every row of ``facets``, in one read: SQLite numbers the values and joins the
        columns into two strings (Python's sqlite3 lets other threads run meanwhile;
        a row at a time would hold the GIL for seconds at 1M works)."""
        values = db.execute("SELECT DISTINCT facet, value FROM facets ORDER BY facet, value")
        known = tuple((str(f), str(v)) for f, v in values)
        docs, codes = db.execute(
            "SELECT group_concat(doc), group_concat(code) FROM ("
            "  SELECT doc, dense_rank() OVER (ORDER BY facet, value) - 1 AS code"
            "  FROM facets ORDER BY doc)"
        ).fetchone()
        ids, lengths = db.execute(
            "SELECT group_concat(id), group_concat(length) FROM (SELECT id, length FROM docs"
            " ORDER BY id)"
        ).fetchone()
        return cls.of(
            numbers_of(docs, np.int64),
            numbers_of(codes, np.int32),
            known,
            numbers_of(ids, np.int64),
            numbers_of(lengths, np.int64),
        )

    def _known(self, ids: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """``ids`` without those outside the arrays indexed by id."""
        assert self.offsets is not None
        inside = (ids >= 0) & (ids < len(self.offsets) - 1)
        return ids if inside.all() else ids[inside]

    def count(self, matches: Sequence[int] | npt.NDArray[np.int64]) -> list[tuple[str, str, int]]:
        """(facet, value, number of ``matches`` with it), for every value found, sorted by
        facet and value."""
        if not len(matches) or not len(self.docs):
            return []
        ids = np.asarray(matches, dtype=np.int64)
        if self.offsets is not None:
            ids = self._known(ids)
            starts, ends = self.offsets[ids], self.offsets[ids + 1]
        else:
            starts = np.searchsorted(self.docs, ids, side="left")
            ends = np.searchsorted(self.docs, ids, side="right")
        lengths = ends - starts
        found = int(lengths.sum())
        if not found:
            return []
        # the positions of every match's rows: starts[i], starts[i]+1, … ends[i]-1
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        positions = offsets + np.arange(found)
        counts = np.bincount(self.codes[positions], minlength=len(self.values))
        rows = [(*self.values[c], int(counts[c])) for c in np.flatnonzero(counts)]
        return sorted(rows)

    def shortest(
        self,
        matches: Sequence[int] | npt.NDArray[np.int64],
        count: int,
        after: tuple[float, int] | None = None,
        exclude: Iterable[int] = (),
    ) -> npt.NDArray[np.int64]:
        """The ids of the ``count`` matches with the shortest labels, by (length, id),
        after the (length, id) ``after`` (compared as SQLite compares a cursor's number
        with ``docs.length``) and without ``exclude``; unknown ids are left out."""
        ids = np.asarray(matches, dtype=np.int64)
        if self.length_of is not None:
            ids = self._known(ids)
            lengths = self.length_of[ids]
            known = lengths >= 0
            ids, lengths = ids[known], lengths[known]
        else:
            at = np.searchsorted(self.ids, ids).clip(0, max(len(self.ids) - 1, 0))
            known = self.ids[at] == ids if len(self.ids) else np.zeros(len(ids), bool)
            ids, lengths = ids[known], self.lengths[at[known]]
        keep = ~np.isin(ids, np.fromiter(exclude, np.int64))
        if after is not None:
            length, doc = after
            keep &= (lengths > length) | ((lengths == length) & (ids > doc))
        ids, lengths = ids[keep], lengths[keep]
        if len(ids) and (ids.max() >= 1 << 32 or lengths.max() >= 1 << 31):
            big: npt.NDArray[np.int64] = ids[np.lexsort((ids, lengths))[:count]]
            return big  # too big to share one int64
        # one key per match, (length, id) in its high and low 32 bits: one partition, one sort
        keys = (lengths << 32) | ids
        if len(keys) > count:
            keys = np.partition(keys, count - 1)[:count]
        keys.sort()
        result: npt.NDArray[np.int64] = keys & 0xFFFFFFFF
        return result


def numbers_of(
    text: str | None, dtype: type[np.int64] | type[np.int32] = np.int64
) -> npt.NDArray[Any]:
    """The numbers of a ``group_concat`` text (empty for None: a table without rows)."""
    return np.fromstring(text, dtype=dtype, sep=",") if text else np.zeros(0, dtype)

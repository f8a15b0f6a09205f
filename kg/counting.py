"""Keeping the precomputed counts (:mod:`kg.counts`) current as batches are written.

The counts live in one named graph (``{base}graph/counts``), one node per count::

    <count/…> a kg:Count ; kg:countOf <scope> ; kg:dimension "rollup" ;
              kg:facetValue <value> ; kg:works 42 .

so they travel with the store (SPARQL, dumps, every backend). :meth:`Counting.write`
wraps a record write: the facts of the works it touches are read before and after,
and the difference of their keys is applied to the stored values. The write itself
carries a marker graph that the counts update drops; a marker left behind (the
process died between the two transactions) makes :meth:`Counting.check` rebuild.
Loads that change what counts roll up over (vocabularies, roster, themes) end with
:meth:`Counting.rebuild`.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from kg.counts import Hierarchy, Key, WorkFacts, delta, totals
from kg.ids import Minter
from kg.mapping import is_uri
from kg.store import Store, StoreError
from kg.terms import Lit, Quad, text_of
from kg.vocab import BF, KG, RDF, XSD

CHUNK = 1000
"""Works (or keys) per query: a VALUES list the store answers in a few milliseconds."""


class CountsDrifted(StoreError):
    """A stored count would go below zero: the counts graph no longer matches the graph."""


class Counting:
    """The counts of one store, kept current around writes of record graphs."""

    def __init__(self, store: Store, ids: Minter) -> None:
        self.store = store
        self.ids = ids
        self.graph = ids.counts_graph()
        self.catalogue = ids.catalogue()
        self._hierarchy: Hierarchy | None = None

    @property
    def hierarchy(self) -> Hierarchy:
        """What counts roll up over, read once (a vocabulary load rebuilds the counts)."""
        if self._hierarchy is None:
            broader: dict[str, set[str]] = {}
            tiers: dict[str, set[str]] = {}
            tops: set[str] = set()
            rows = self.store.select("count_hierarchy", classes=Lit(f"{self.ids.base}class/"))
            for row in rows:
                kind, a, b = text_of(row["kind"]), str(row["a"]), text_of(row["b"])
                if kind == "broader":
                    broader.setdefault(a, set()).add(b)
                elif kind == "top":
                    tops.add(a)
                else:
                    tiers.setdefault(a, set()).add(b)
            self._hierarchy = Hierarchy(broader, tops, tiers)
        return self._hierarchy

    def write(self, drop_graphs: Sequence[str], quads: Sequence[Quad]) -> None:
        """:meth:`Store.write`, then the counts of the works it touched, brought up to date."""
        works = self.touched(drop_graphs, quads)
        if not works:
            self.store.write(drop_graphs, quads)
            return
        before = self.facts(works)
        marker = self.ids.counts_marker(uuid.uuid4().hex)
        note = (marker, KG.pendingWorks, Lit(str(len(works)), None, XSD.integer), marker)
        self.store.write(drop_graphs, [*quads, note])
        after = self.facts(works)
        self.apply(delta(before, after, self.hierarchy, self.catalogue), pending=[marker])

    def touched(self, drop_graphs: Sequence[str], quads: Sequence[Quad]) -> list[str]:
        """Works the dropped graphs spoke of, and works the new quads speak of."""
        works = {str(o) for _, p, o, _ in quads if p == BF.instanceOf}
        for chunk in _chunks(list(dict.fromkeys(drop_graphs)), CHUNK):
            rows = self.store.select("count_graph_works", graphs=chunk)
            works.update(str(row["work"]) for row in rows)
        return sorted(works)

    def facts(self, works: Sequence[str]) -> dict[str, WorkFacts]:
        """The facts the counts look at, for each of ``works`` (absent works: no facts)."""
        out = {work: WorkFacts() for work in works}
        for chunk in _chunks(list(works), CHUNK):
            for row in self.store.select("count_facts", works=chunk):
                out[str(row["work"])].add(text_of(row["kind"]), text_of(row["value"]))
        return out

    def apply(self, change: Counter[Key], pending: Sequence[str] = ()) -> None:
        """Add ``change`` to the stored counts (one transaction), dropping ``pending`` markers.

        :raises CountsDrifted: when a count would go below zero (run :meth:`rebuild`).
        """
        uris = {key: self.ids.count(*key) for key, n in change.items() if n}
        current = self.values(list(uris.values()))
        quads: list[Quad] = []
        for key, uri in uris.items():
            n = current.get(uri, 0) + change[key]
            if n < 0:
                raise CountsDrifted(
                    f"The count {key} would become {n}: the counts graph has drifted from the "
                    "graph; run `kg counts --rebuild`"
                )
            if n:
                quads += self._count_quads(uri, key, n)
        self.store.update(
            "counts_set",
            quads,
            graph=self.graph,
            keys=list(uris.values()) or [KG.nothing],  # an empty VALUES list matches all
            pending=list(pending) or [KG.nothing],
        )

    def values(self, uris: Sequence[str]) -> dict[str, int]:
        """The stored value of each count (by its IRI); a count never stored is absent."""
        out: dict[str, int] = {}
        for chunk in _chunks(list(uris), CHUNK):
            for row in self.store.select("count_values", graph=self.graph, keys=chunk):
                out[str(row["key"])] = int(text_of(row["works"]))
        return out

    def rebuild(self) -> int:
        """Recompute every count from the graph and replace the counts graph.

        :returns: the number of counts stored.
        """
        self._hierarchy = None
        works = [str(row["work"]) for row in self.store.select("count_works")]
        counts = totals(self._all_facts(works), self.hierarchy, self.catalogue)
        markers = self.pending()
        quads = [
            q for key, n in counts.items() for q in self._count_quads(self.ids.count(*key), key, n)
        ]
        self.store.write([self.graph, *markers], quads)
        return len(counts)

    def pending(self) -> list[str]:
        """Marker graphs of writes whose counts were not applied."""
        rows = self.store.select("count_pending", prefix=Lit(self.ids.counts_marker("")))
        return [str(row["marker"]) for row in rows]

    def check(self) -> bool:
        """Rebuild when a write's counts were missed; True when a rebuild was needed."""
        if self.pending():
            self.rebuild()
            return True
        return False

    def _all_facts(self, works: list[str]) -> Iterator[WorkFacts]:
        for chunk in _chunks(works, CHUNK):
            yield from self.facts(chunk).values()

    def _count_quads(self, uri: str, key: Key, n: int) -> list[Quad]:
        g = self.graph
        out: list[Quad] = [
            (uri, RDF.type, KG.Count, g),
            (uri, KG.countOf, key.scope, g),
            (uri, KG.dimension, Lit(key.dimension), g),
            (uri, KG.works, Lit(str(n), None, XSD.integer), g),
        ]
        if key.value:
            value = key.value if is_uri(key.value) else Lit(key.value)
            out.append((uri, KG.facetValue, value, g))
        return out


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

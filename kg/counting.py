"""Keeping the precomputed counts (:mod:`kg.counts`) current as batches are written.

Each count is a small named graph of its own (``{base}graph/count/…``)::

    <count/…> a kg:Count ; kg:countOf <scope> ; kg:dimension "rollup" ;
              kg:facetValue <value> ; kg:works 42 .

so a count changes in the *same transaction* as the batch it accounts for (one
:meth:`Store.write`): the counts can never miss a write, and they travel with the
store (SPARQL, dumps, every backend). A changed count swaps its one ``kg:works``
statement (``remove=``); a new count writes its graph; a count that falls to zero
drops it.

:meth:`Counting.write` wraps a record write: the facts of the works the batch touches
are read per graph before the write (one query); the facts after are those of the
graphs the batch keeps plus what its quads say (:func:`kg.counts.facts_from_quads`);
the difference of their keys changes the stored values. Loads that change what counts
roll up over (vocabularies, roster, themes) end with :meth:`Counting.rebuild`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from kg.counts import Hierarchy, Key, WorkFacts, delta, facts_from_quads, merged, totals
from kg.ids import Minter
from kg.mapping import is_uri
from kg.store import Store, StoreError, write_new_graphs
from kg.terms import Lit, Quad, text_of
from kg.vocab import KG, RDF, XSD

CHUNK = 1000
"""Works (or keys) per query: a VALUES list the store answers in a few milliseconds."""


class CountsDrifted(StoreError):
    """A stored count would go below zero: the counts no longer match the graph."""


class Counting:
    """The counts of one store, kept current around writes of record graphs.

    One instance serves one load: it caches the values it has read or written, which
    stays right while it is the store's only writer (one load at a time).
    """

    def __init__(self, store: Store, ids: Minter) -> None:
        self.store = store
        self.ids = ids
        self.catalogue = ids.catalogue()
        self._hierarchy: Hierarchy | None = None
        self._values: dict[str, int] = {}
        self._deferred: Counter[Key] = Counter()  # write_bulk's change, until flush()

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
        """:meth:`Store.write` of the batch and the change of its counts, in one transaction."""
        change = self.change(drop_graphs, quads)
        if not change:
            self.store.write(drop_graphs, quads)
            return
        drop, count_quads, remove, values = self._changed(change)
        self.store.write([*drop_graphs, *drop], [*quads, *count_quads], remove)
        self._values.update(values)

    def write_bulk(self, drop_graphs: Sequence[str], quads: Sequence[Quad]) -> None:
        """A first load's write (:func:`kg.store.write_new_graphs`, no transaction for a
        batch of new graphs); the change of the counts is kept until :meth:`flush`."""
        change = self.change(drop_graphs, quads)
        write_new_graphs(self.store, drop_graphs, quads)
        self._deferred.update(change)

    def flush(self) -> None:
        """Store the counts' change kept by :meth:`write_bulk`, in one transaction."""
        change, self._deferred = self._deferred, Counter()
        if change:
            self.apply(change)

    def change(self, drop_graphs: Sequence[str], quads: Sequence[Quad]) -> Counter[Key]:
        """How writing the batch (drop ``drop_graphs``, add ``quads``) changes the counts:
        the facts of the works it touches, as stored (one query) and as they will be."""
        added = facts_from_quads(quads)
        works = self.touched(drop_graphs, added)
        if not works:
            return Counter()
        stored = self.graph_facts(works)
        dropped = set(drop_graphs)
        before = merged(stored.values())
        after = merged((f for g, f in stored.items() if g not in dropped), added.values())
        return delta(before, after, self.hierarchy, self.catalogue)

    def touched(
        self, drop_graphs: Sequence[str], added: dict[str, dict[str, WorkFacts]]
    ) -> list[str]:
        """Works the dropped graphs spoke of, and works the new quads speak of."""
        works = {work for by_work in added.values() for work in by_work}
        for chunk in _chunks(list(dict.fromkeys(drop_graphs)), CHUNK):
            rows = self.store.select("count_graph_works", graphs=chunk)
            works.update(str(row["work"]) for row in rows)
        return sorted(works)

    def graph_facts(self, works: Sequence[str]) -> dict[str, dict[str, WorkFacts]]:
        """What each named graph says about ``works``: graph → work → facts."""
        out: dict[str, dict[str, WorkFacts]] = {}
        for chunk in _chunks(list(works), CHUNK):
            for row in self.store.select("count_graph_facts", works=chunk):
                by_work = out.setdefault(str(row["g"]), {})
                facts = by_work.setdefault(str(row["work"]), WorkFacts())
                facts.add(text_of(row["kind"]), text_of(row["value"]))
        return out

    def apply(self, change: Counter[Key]) -> None:
        """Add ``change`` to the stored counts, in one transaction of its own.

        :raises CountsDrifted: when a count would go below zero (run :meth:`rebuild`).
        """
        drop, quads, remove, values = self._changed(change)
        self.store.write(drop, quads, remove)
        self._values.update(values)

    def _changed(
        self, change: Counter[Key]
    ) -> tuple[list[str], list[Quad], list[Quad], dict[str, int]]:
        """The count graphs to drop, the quads to add and to remove, and the new values.

        A count that stays stored changes by swapping its ``kg:works`` statement: measured
        on Oxigraph, a sixth of the cost of dropping its graph and writing it again.
        """
        keys = {key: self.ids.count(*key) for key, n in change.items() if n}
        current = self.values(list(keys.values()))
        drop: list[str] = []
        quads: list[Quad] = []
        remove: list[Quad] = []
        values: dict[str, int] = {}
        for key, uri in keys.items():
            old = current.get(uri, 0)
            n = old + change[key]
            if n < 0:
                raise CountsDrifted(
                    f"The count {key} would become {n}: the counts no longer match the "
                    "graph; run `kg counts --rebuild`"
                )
            if old and n:
                g = self.ids.count_graph(uri)
                remove.append((uri, KG.works, _integer(old), g))
                quads.append((uri, KG.works, _integer(n), g))
            elif old:
                drop.append(self.ids.count_graph(uri))
            else:
                quads += self._count_quads(uri, key, n)
            values[uri] = n
        return drop, quads, remove, values

    def values(self, uris: Sequence[str]) -> dict[str, int]:
        """The stored value of each count (by its IRI); a count never stored is absent."""
        missing = [u for u in uris if u not in self._values]
        for chunk in _chunks(missing, CHUNK):
            found = dict.fromkeys(chunk, 0)
            for row in self.store.select("count_values", keys=chunk):
                found[str(row["key"])] = int(text_of(row["works"]))
            self._values.update(found)
        return {u: self._values[u] for u in uris if self._values[u]}

    def rebuild(self) -> int:
        """Recompute every count from the graph and replace all stored counts.

        :returns: the number of counts stored.
        """
        self._hierarchy = None
        self._values = {}
        works = [str(row["work"]) for row in self.store.select("count_works")]
        counts = totals(self._all_facts(works), self.hierarchy, self.catalogue)
        old = [str(row["graph"]) for row in self.store.select("count_graphs")]
        quads = [
            q for key, n in counts.items() for q in self._count_quads(self.ids.count(*key), key, n)
        ]
        self.store.write(old, quads)
        return len(counts)

    def _all_facts(self, works: list[str]) -> Iterable[WorkFacts]:
        for chunk in _chunks(works, CHUNK):
            yield from merged(self.graph_facts(chunk).values()).values()

    def _count_quads(self, uri: str, key: Key, n: int) -> list[Quad]:
        g = self.ids.count_graph(uri)
        out: list[Quad] = [
            (uri, RDF.type, KG.Count, g),
            (uri, KG.countOf, key.scope, g),
            (uri, KG.dimension, Lit(key.dimension), g),
            (uri, KG.works, _integer(n), g),
        ]
        if key.value:
            value = key.value if is_uri(key.value) else Lit(key.value)
            out.append((uri, KG.facetValue, value, g))
        return out


def _integer(n: int) -> Lit:
    return Lit(str(n), None, XSD.integer)


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

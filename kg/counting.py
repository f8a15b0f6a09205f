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

The same writes keep the first works of every theme and class in portal order
(:mod:`kg.orders`), from the same facts before and after.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait

from kg import orders
from kg.counts import Hierarchy, Key, WorkFacts, delta, facts_from_quads, keys_of, merged
from kg.ids import Minter
from kg.mapping import is_uri
from kg.orders import SORTS, Delta, Entry, Head, entry, ordered_scopes
from kg.store import Store, StoreError, write_new_graphs
from kg.terms import Lit, Quad, text_of
from kg.vocab import KG, RDF, XSD

CHUNK = 1000
"""Works (or keys) per query: a VALUES list the store answers in a few milliseconds."""


_NEVER_STORED = Head(0, None)

Order = tuple[str, str, "list[Entry] | Delta"]
"""An order's change: its scope, its sort, and its new prefix or a delta of it."""


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
        self._orders: dict[str, list[Entry]] = {}  # order IRI → its prefix (kg.orders)
        self._stored_orders: dict[str, set[Entry]] = {}  # order IRI → its entries as stored
        self._heads: dict[str, Head] = {}  # order IRI → its head as stored (prefix not read)
        self._headless: set[str] = set()  # orders stored before heads were kept
        self._unflushed: dict[str, tuple[str, str]] = {}  # write_bulk's: IRI → (scope, sort)
        self._pool: ThreadPoolExecutor | None = None  # write_bulk's counting thread

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

    def write(
        self,
        drop_graphs: Sequence[str],
        quads: Sequence[Quad],
        new_works: Collection[str] = (),
    ) -> None:
        """:meth:`Store.write` of the batch and the change of its counts and orders, in one
        transaction (``new_works``: works no stored graph speaks of, see :meth:`changes`)."""
        change, order = self.changes(drop_graphs, quads, new_works=new_works, blind=True)
        if not change and not order:
            self.store.write(drop_graphs, quads)
            return
        drop, count_quads, remove, values = self._changed(change)
        o_drop, o_quads, o_remove = self._order_writes(order)
        self.store.write(
            [*drop_graphs, *drop, *o_drop], [*quads, *count_quads, *o_quads], [*remove, *o_remove]
        )
        self._values.update(values)
        self._stored(order)

    def write_bulk(
        self,
        drop_graphs: Sequence[str],
        quads: Sequence[Quad],
        new_works: Collection[str] = (),
    ) -> None:
        """A first load's write (:func:`kg.store.write_new_graphs`, no transaction for a
        batch of new graphs); the change of the counts and orders is kept until :meth:`flush`.

        A batch that only adds graphs has its change computed *while* the store writes it
        (the bulk loader releases the GIL): the write is a bulk load's critical path, and
        the change reads nothing the write can touch but the batch's own graphs, which it
        leaves out. A batch that drops graphs is counted first, then written."""
        if drop_graphs:
            change, order = self.changes(drop_graphs, quads, self._deferred, new_works)
            write_new_graphs(self.store, drop_graphs, quads)
        else:
            own = {q[3] for q in quads}
            counted = self._beside().submit(self.changes, [], quads, self._deferred, new_works, own)
            try:
                write_new_graphs(self.store, [], quads)
            finally:
                wait([counted])  # nothing of this batch is kept if its write failed
            change, order = counted.result()
        self._deferred.update(change)
        for iri, (scope, sort, entries) in order.items():
            assert not isinstance(entries, Delta)  # changes() gives whole prefixes here
            self._orders[iri] = entries
            self._unflushed[iri] = (scope, sort)

    def _beside(self) -> ThreadPoolExecutor:
        """The thread that counts a bulk batch while it is written (one per load)."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="kg-counting")
        return self._pool

    def flush(self) -> None:
        """Store the counts' and orders' change kept by :meth:`write_bulk`, in one transaction."""
        order: dict[str, Order] = {
            iri: (scope, sort, self._orders[iri]) for iri, (scope, sort) in self._unflushed.items()
        }
        if self._pool is not None:  # the file is written: its counting thread goes
            self._pool.shutdown()
            self._pool = None
        if self._deferred or order:
            self.apply(self._deferred, order)  # kept for another flush if the store refuses it
        self._deferred, self._unflushed = Counter(), {}

    def changes(
        self,
        drop_graphs: Sequence[str],
        quads: Sequence[Quad],
        pending: Counter[Key] | None = None,
        new_works: Collection[str] = (),
        own: Collection[str] = (),
        blind: bool = False,
    ) -> tuple[Counter[Key], dict[str, Order]]:
        """How writing the batch (drop ``drop_graphs``, add ``quads``) changes the counts and
        the orders: from the facts of the works it touches, as stored (one query) and as they
        will be. ``pending``: a change of the counts not stored yet (a bulk load's).
        ``new_works``: works the batch minted (kg.union.Prepared.new_works), whose stored
        facts need not be read: in a first load, most of the batch (unless a dropped graph
        speaks of one, or the store does: an IRI minted from a key outlives the record that
        minted it, and a record merged into it keeps it). ``own``: the batch's graphs, left
        out of what is stored (they may be landing while this runs, :meth:`write_bulk`).
        ``blind``: see :meth:`order_change`."""
        added = facts_from_quads(quads)
        works, of_dropped = self.touched(drop_graphs, added)
        if not works:
            return Counter(), {}
        skip = set(new_works) - of_dropped
        if skip:  # minted from a key, but the IRI may outlive the record that minted it
            skip -= self.stored_works(sorted(skip))
        stored = self.graph_facts([w for w in works if w not in skip])
        if own:
            stored = {g: facts for g, facts in stored.items() if g not in own}
        dropped = set(drop_graphs)
        before = merged(stored.values())
        after = merged((f for g, f in stored.items() if g not in dropped), added.values())
        change = delta(before, after, self.hierarchy, self.catalogue)
        return change, self.order_change(before, after, pending or Counter(), blind)

    def order_change(
        self,
        before: dict[str, WorkFacts],
        after: dict[str, WorkFacts],
        pending: Counter[Key],
        blind: bool = False,
    ) -> dict[str, Order]:
        """The orders (kg.orders) the touched works change: order IRI → (scope, sort, new
        prefix); with ``blind``, an order whose prefix is not known here changes by a
        :class:`kg.orders.Delta` from its head where one can say it (no read of the prefix;
        a transactional write, where the store is current: not a bulk load's pending
        change, kept as whole prefixes until :meth:`flush`)."""
        touched: dict[tuple[str, str], set[str]] = {}
        entries: dict[tuple[str, str], list[Entry]] = {}
        leaving: dict[tuple[str, str], list[Entry]] = {}
        for work in before.keys() | after.keys():
            old_facts, new_facts = before.get(work, WorkFacts()), after.get(work, WorkFacts())
            old_scopes = ordered_scopes(old_facts, self.hierarchy)
            new_scopes = ordered_scopes(new_facts, self.hierarchy)
            for sort in SORTS:
                old, new = entry(work, old_facts, sort), entry(work, new_facts, sort)
                for scope in old_scopes | new_scopes:
                    if old == new and scope in old_scopes and scope in new_scopes:
                        continue
                    touched.setdefault((scope, sort), set()).add(work)
                    if scope in new_scopes:
                        entries.setdefault((scope, sort), []).append(new)
                    if scope in old_scopes:
                        leaving.setdefault((scope, sort), []).append(old)
        if not touched:
            return {}
        iris = {key: self.ids.order(*key) for key in touched}
        rollups = {scope: self.ids.count(scope, "rollup") for scope, _ in touched}
        counts = self.values(list(set(rollups.values())))
        heads = self.heads(list(iris.values()))
        sizes: dict[tuple[str, str], int] = {}
        out: dict[str, Order] = {}
        for key, iri in iris.items():
            size = counts.get(rollups[key[0]], 0) + pending[Key(key[0], "rollup")]
            old_head = heads.get(iri, _NEVER_STORED)
            if old_head is None or iri in self._orders:  # read whole (or known whole)
                sizes[key] = size
                continue
            complete = old_head.length == size
            leaves, comes = leaving.get(key, ()), entries.get(key, ())
            if not orders.may_change(old_head, complete, leaves, comes):
                continue
            change = orders.delta(old_head, complete, leaves, comes) if blind else None
            if change is None:
                sizes[key] = size
            else:
                out[iri] = (*key, change)
        prefixes = self.orders([iris[key] for key in sizes])
        for (scope, sort), size in sizes.items():
            iri = iris[(scope, sort)]
            old_prefix = prefixes.get(iri, [])
            new_prefix = orders.update(
                old_prefix,
                len(old_prefix) == size,
                touched[(scope, sort)],
                entries.get((scope, sort), ()),
                orders.SIZE,
            )
            if new_prefix != old_prefix or iri in self._headless:
                out[iri] = (scope, sort, new_prefix)
        return out

    def heads(self, iris: Sequence[str]) -> dict[str, Head | None]:
        """The head of each order (kg.orders.Head); an order never stored is absent, one
        stored before heads were kept is ``None`` (and is remembered, to be given one)."""
        out: dict[str, Head | None] = {}
        missing: list[str] = []
        for iri in iris:
            if iri in self._orders:
                out[iri] = orders.head(self._orders[iri])
            elif iri in self._heads:
                out[iri] = self._heads[iri]
            else:
                missing.append(iri)
        for chunk in _chunks(missing, CHUNK):
            found = orders.read_heads(self.store.select("order_heads", orders=chunk))
            for iri in chunk:
                h = found.get(iri, _NEVER_STORED)
                if h is None:
                    self._headless.add(iri)
                else:
                    self._heads[iri] = h
                out[iri] = h
        return {iri: h for iri, h in out.items() if h is None or h.length}

    def orders(self, iris: Sequence[str]) -> dict[str, list[Entry]]:
        """The current prefix of each order (by its IRI); an order never stored is absent."""
        missing = [i for i in iris if i not in self._orders]
        for chunk in _chunks(missing, CHUNK):
            found: dict[str, list[Entry]] = {i: [] for i in chunk}
            for order, entries in orders.read(self.store.select("order_values", orders=chunk)):
                found[order] = entries
            self._stored_orders.update((i, set(entries)) for i, entries in found.items())
            self._orders.update(found)
        return {i: self._orders[i] for i in iris if self._orders[i]}

    def _order_writes(self, order: dict[str, Order]) -> tuple[list[str], list[Quad], list[Quad]]:
        """The order graphs to drop and the quads to add and to remove: the entries that
        come and go and the head when it changes (a new order also says what it orders;
        one stored before heads were kept gets its head); an emptied order is dropped."""
        drop: list[str] = []
        quads: list[Quad] = []
        remove: list[Quad] = []
        for iri, (scope, sort, entries) in order.items():
            g = self.ids.count_graph(iri)
            if isinstance(entries, Delta):
                quads, remove = self._delta_writes(iri, scope, sort, entries, g, quads, remove)
                continue
            old = self._stored_orders.get(iri, set())
            new = set(entries)
            if not new:
                if old:
                    drop.append(g)
                continue
            if not old:
                quads += _order_quads(iri, scope, sort, g)
            quads += [(iri, KG.firstWork, Lit(orders.dumps(e)), g) for e in new - old]
            remove += [(iri, KG.firstWork, Lit(orders.dumps(e)), g) for e in old - new]
            old_head = None if not old or iri in self._headless else Head(len(old), max(old))
            new_head = orders.head(entries)
            if new_head != old_head:
                quads += _head_quads(iri, new_head, g)
                if old_head is not None:
                    remove += _head_quads(iri, old_head, g)
        return drop, quads, remove

    def _delta_writes(
        self,
        iri: str,
        scope: str,
        sort: str,
        change: Delta,
        g: str,
        quads: list[Quad],
        remove: list[Quad],
    ) -> tuple[list[Quad], list[Quad]]:
        """:meth:`_order_writes` of a delta: its entries and the head it swaps."""
        old_head = self._heads.get(iri, _NEVER_STORED)
        if not old_head.length:
            quads += _order_quads(iri, scope, sort, g)
        quads += [(iri, KG.firstWork, Lit(orders.dumps(e)), g) for e in change.add]
        remove += [(iri, KG.firstWork, Lit(orders.dumps(e)), g) for e in change.remove]
        if change.head != old_head:
            quads += _head_quads(iri, change.head, g)
            if old_head.length:
                remove += _head_quads(iri, old_head, g)
        return quads, remove

    def _stored(self, order: dict[str, Order]) -> None:
        """Remember what a write that succeeded stored of the orders."""
        for iri, (_, _, entries) in order.items():
            if isinstance(entries, Delta):
                self._heads[iri] = entries.head
                continue
            self._orders[iri] = entries
            self._stored_orders[iri] = set(entries)
            self._headless.discard(iri)

    def touched(
        self, drop_graphs: Sequence[str], added: dict[str, dict[str, WorkFacts]]
    ) -> tuple[list[str], set[str]]:
        """Works the dropped graphs spoke of and works the new quads speak of; and the
        former alone."""
        works = {work for by_work in added.values() for work in by_work}
        dropped: set[str] = set()
        for chunk in _chunks(list(dict.fromkeys(drop_graphs)), CHUNK):
            rows = self.store.select("count_graph_works", graphs=chunk)
            dropped.update(str(row["work"]) for row in rows)
        return sorted(works | dropped), dropped

    def stored_works(self, works: Sequence[str]) -> set[str]:
        """Those of ``works`` the store speaks of already (``count_stored_works``)."""
        out: set[str] = set()
        for chunk in _chunks(list(works), CHUNK):
            out.update(
                str(row["work"]) for row in self.store.select("count_stored_works", works=chunk)
            )
        return out

    def graph_facts(self, works: Sequence[str]) -> dict[str, dict[str, WorkFacts]]:
        """What each named graph says about ``works``: graph → work → facts."""
        out: dict[str, dict[str, WorkFacts]] = {}
        for chunk in _chunks(list(works), CHUNK):
            for row in self.store.select("count_graph_facts", works=chunk):
                by_work = out.setdefault(str(row["g"]), {})
                facts = by_work.setdefault(str(row["work"]), WorkFacts())
                facts.add(text_of(row["kind"]), text_of(row["value"]))
        return out

    def apply(
        self,
        change: Counter[Key],
        order: dict[str, Order] | None = None,
    ) -> None:
        """Add ``change`` to the stored counts (and store ``order``'s prefixes), in one
        transaction of its own.

        :raises CountsDrifted: when a count would go below zero (run :meth:`rebuild`).
        """
        drop, quads, remove, values = self._changed(change)
        o_drop, o_quads, o_remove = self._order_writes(order or {})
        self.store.write([*drop, *o_drop], [*quads, *o_quads], [*remove, *o_remove])
        self._values.update(values)
        self._stored(order or {})

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
        """Recompute every count and order from the graph and replace all stored ones.

        :returns: the number of counts stored.
        """
        self._hierarchy = None
        self._values = {}
        self._orders, self._stored_orders, self._unflushed = {}, {}, {}
        self._heads, self._headless = {}, set()
        self._deferred = Counter()  # a rebuild counts everything there is
        works = [str(row["work"]) for row in self.store.select("count_works")]
        counts: Counter[Key] = Counter()
        first: dict[tuple[str, str], list[Entry]] = {}
        for work, facts in self._all_facts(works):
            counts.update(keys_of(facts, self.hierarchy, self.catalogue))
            for scope in ordered_scopes(facts, self.hierarchy):
                for sort in SORTS:
                    prefix = first.setdefault((scope, sort), [])
                    prefix.append(entry(work, facts, sort))
                    if len(prefix) >= 4 * orders.SIZE:  # bounded memory at any size
                        prefix[:] = orders.smallest(prefix, orders.SIZE)
        old = [str(row["graph"]) for row in self.store.select("count_graphs")]
        quads = [
            q for key, n in counts.items() for q in self._count_quads(self.ids.count(*key), key, n)
        ]
        order: dict[str, Order] = {
            self.ids.order(scope, sort): (scope, sort, orders.smallest(p, orders.SIZE))
            for (scope, sort), p in first.items()
        }
        _, o_quads, _ = self._order_writes(order)
        self.store.write(old, [*quads, *o_quads])
        self._stored(order)
        return len(counts)

    def _all_facts(self, works: list[str]) -> Iterable[tuple[str, WorkFacts]]:
        for chunk in _chunks(works, CHUNK):
            yield from merged(self.graph_facts(chunk).values()).items()

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


def _order_quads(iri: str, scope: str, sort: str, g: str) -> list[Quad]:
    """What a new order says of itself: what it orders and by what."""
    return [
        (iri, RDF.type, KG.WorkOrder, g),
        (iri, KG.orderOf, scope, g),
        (iri, KG.sort, Lit(sort), g),
    ]


def _head_quads(iri: str, head: Head, g: str) -> list[Quad]:
    """The statements of an order's head (kg.orders.Head; not empty)."""
    assert head.last is not None
    return [
        (iri, KG.entries, _integer(head.length), g),
        (iri, KG.lastEntry, Lit(orders.dumps(head.last)), g),
    ]


def _integer(n: int) -> Lit:
    return Lit(str(n), None, XSD.integer)


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

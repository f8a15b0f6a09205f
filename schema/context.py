"""The request context: the store, the URI minter, the search index and the DataLoaders.

One :class:`Context` per request (Strawberry's "Usage with context" for DataLoaders):
every resolver reads the graph through :meth:`Context.select` or a loader, so a page
of 20 works with their holdings costs a fixed number of store round-trips
(:attr:`Context.round_trips`, asserted by the tests), whatever the page size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import strawberry
from strawberry.dataloader import DataLoader

from kg.ids import Minter
from kg.store import Param, Row, Store, StoreUnavailable
from kg.terms import Lit, Term, text_of
from kg.vocab import RDFS

if TYPE_CHECKING:
    from kg.search import SearchIndex

Props = dict[str, list[Term]]
"""What the graph says about one entity: property IRI → values (all graphs, distinct)."""

Held = tuple[str, str, str]
"""One copy held: (instance, item, member) IRIs (bf:itemOf, bf:heldBy)."""


@dataclass
class Context:
    """What every resolver needs; created per request by :func:`get_context`."""

    store: Store
    ids: Minter
    search: SearchIndex | None = None
    round_trips: int = 0
    response: Any = None
    """The HTTP response being built: a store that is unavailable makes it a 503."""
    describe: DataLoader[str, Props] = field(init=False)
    labels: DataLoader[str, Props] = field(init=False)
    """Only the labels, notations and scheme of entities (``labels``): facet values, titles,
    classes and concepts in lists."""
    holdings: DataLoader[str, list[Held]] = field(init=False)
    """Who holds instances: their (instance, item, member) rows (``holdings``)."""
    work_holdings: DataLoader[str, list[Held]] = field(init=False)
    """Who holds works: the (instance, item, member) rows of their instances
    (``work_holdings``)."""
    titles: DataLoader[str, list[tuple[str, Props]]] = field(init=False)
    """The titles of works: (the work or one of its instances, its rdfs:label values),
    the work first, then its instances by IRI (``work_titles``)."""
    _incoming: dict[str, DataLoader[str, list[str]]] = field(init=False, default_factory=dict)
    _once: dict[str, list[Row]] = field(init=False, default_factory=dict)

    counts: DataLoader[tuple[str, str] | tuple[str, str, str], int] = field(init=False)
    memberships: DataLoader[str, list[Row]] = field(init=False)

    def __post_init__(self) -> None:
        self.describe = DataLoader(load_fn=self._describe)
        self.labels = DataLoader(load_fn=self._labels)
        self.holdings = DataLoader(load_fn=self._holdings)
        self.work_holdings = DataLoader(load_fn=self._work_holdings)
        self.titles = DataLoader(load_fn=self._titles)
        self.counts = DataLoader(load_fn=self._counts)
        self.memberships = DataLoader(load_fn=self._memberships)

    def select(self, name: str, **params: Param) -> list[Row]:
        """Run a named query (``queries/<dialect>/NAME``), counting the round-trip."""
        self.round_trips += 1
        try:
            return self.store.select(name, **params)
        except StoreUnavailable:
            if self.response is not None:
                self.response.status_code = 503
            raise

    def select_once(self, name: str, **params: Param) -> list[Row]:
        """:meth:`select`, run once per request for the same query and parameters (a
        filtered list's total and its facets are one GROUP BY)."""
        key = f"{name}\x1f{sorted(params.items())!r}"
        if key not in self._once:
            self._once[key] = self.select(name, **params)
        return self._once[key]

    def incoming(self, predicate: str) -> DataLoader[str, list[str]]:
        """The loader of entities pointing at a key by ``predicate`` (batched per property)."""
        loader = self._incoming.get(predicate)
        if loader is None:

            async def load(keys: list[str]) -> list[list[str]]:
                found: dict[str, list[str]] = defaultdict(list)
                for row in self.select("incoming", ids=keys, predicate=predicate):
                    found[str(row["o"])].append(str(row["s"]))
                return [found.get(k, []) for k in keys]

            loader = self._incoming[predicate] = DataLoader(load_fn=load)
        return loader

    async def _describe(self, keys: list[str]) -> list[Props]:
        return self._statements("describe", keys)

    async def _labels(self, keys: list[str]) -> list[Props]:
        return self._statements("labels", keys)

    def _statements(self, name: str, keys: list[str]) -> list[Props]:
        """Rows of ?s ?p ?o from ``name``, grouped per entity in the order of ``keys``."""
        found: dict[str, Props] = {k: defaultdict(list) for k in keys}
        for row in self.select(name, ids=keys):
            found[str(row["s"])][str(row["p"])].append(row["o"])
        return [dict(found[k]) for k in keys]

    async def _holdings(self, instances: list[str]) -> list[list[Held]]:
        return self._held("holdings", "instance", instances)

    async def _work_holdings(self, works: list[str]) -> list[list[Held]]:
        return self._held("work_holdings", "work", works)

    def _held(self, name: str, key: str, ids: list[str]) -> list[list[Held]]:
        """Rows of ?instance ?item ?member from ``name``, grouped by ``key`` in ``ids`` order."""
        found: dict[str, list[Held]] = defaultdict(list)
        for row in self.select(name, ids=ids):
            found[str(row[key])].append(
                (str(row["instance"]), str(row["item"]), str(row["member"]))
            )
        return [found.get(i, []) for i in ids]

    async def _titles(self, works: list[str]) -> list[list[tuple[str, Props]]]:
        found: dict[str, dict[str, Props]] = {w: {} for w in works}
        for row in self.select("work_titles", ids=works):
            work, titled = str(row["work"]), str(row["s"])
            found[work].setdefault(titled, {}).setdefault(RDFS.label, []).append(row["o"])
        return [sorted(found[w].items(), key=lambda t: (t[0] != w, t[0])) for w in works]

    async def _counts(self, keys: list[tuple[str, str] | tuple[str, str, str]]) -> list[int]:
        """Precomputed counts by (scope, dimension[, facet value]), one round-trip per
        dimension asked (kg.counting)."""
        found: dict[tuple[str, str, str], int] = {}
        for dimension in sorted({k[1] for k in keys}):
            scopes = sorted({k[0] for k in keys if k[1] == dimension})
            for row in self.select("counts_of", scopes=scopes, dimension=Lit(dimension)):
                value = str(row["value"]) if "value" in row else ""
                found[(str(row["scope"]), dimension, value)] = int(text_of(row["works"]))
        return [found.get((k[0], k[1], k[2] if len(k) > 2 else ""), 0) for k in keys]

    async def _memberships(self, members: list[str]) -> list[list[Row]]:
        found: dict[str, list[Row]] = defaultdict(list)
        for row in self.select("memberships", members=members):
            found[str(row["member"])].append(row)
        return [found.get(m, []) for m in members]

    async def describe_many(self, ids: Sequence[str]) -> list[Props]:
        """:attr:`describe` for several entities at once."""
        return list(await self.describe.load_many(list(ids)))


Info = strawberry.Info[Context, Any]
"""The ``info`` argument of every resolver."""

"""The first works of every theme and class in portal order (kg.orders): a page within
the stored prefix is read from it, with exactly the works and cursors the scan gives."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from kg import orders
from kg.backends.oxigraph import OxigraphStore
from kg.counting import Counting
from kg.ids import Minter
from kg.orders import Entry
from kg.store import Param, Row, Store
from loaders.sample import load_sample
from schema import schema
from schema.context import Context
from tests.conftest import BASE

THEME = "china-economic-development"  # the sample's 8 works of CLC F12x and 经济发展
PAGE = """query($after: String, $n: Int!, $sort: WorkSort!) {
  %s(id: "%s") { works(first: $n, after: $after, sort: $sort) {
    edges { cursor %s } pageInfo { hasNextPage endCursor } } } }"""


class Recording:
    """The store, with the named queries it was asked (and orders hidden, to scan)."""

    def __init__(self, store: Store, hide_orders: bool = False) -> None:
        self.store = store
        self.hide_orders = hide_orders
        self.names: list[str] = []

    def select(self, name: str, **params: Param) -> list[Row]:
        self.names.append(name)
        if name == "order_values" and self.hide_orders:
            return []
        return self.store.select(name, **params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


@pytest.fixture(scope="module")
def sample() -> Iterator[OxigraphStore]:
    store = OxigraphStore(None)
    load_sample(store, Minter(BASE))
    yield store
    store.close()


def pages(store: Any, kind: str, id: str, n: int, sort: str) -> list[tuple[list[str], list[str]]]:
    """Every page of a theme's or class's works: (works, cursors) per page, and the
    named queries each page asked (in ``store.names``)."""
    node = "node { work { id } }" if kind == "theme" else "node { id }"
    out = []
    after = None
    while True:
        result = asyncio.run(
            schema.execute(
                PAGE % (kind, id, node),
                variable_values={"after": after, "n": n, "sort": sort},
                context_value=Context(store, Minter(BASE), None),
            )
        )
        assert result.errors is None, result.errors
        works = result.data[kind]["works"]  # type: ignore[index]
        edges = works["edges"]
        ids = [e["node"]["work"]["id"] if kind == "theme" else e["node"]["id"] for e in edges]
        out.append((ids, [e["cursor"] for e in edges]))
        if not works["pageInfo"]["hasNextPage"]:
            return out
        after = works["pageInfo"]["endCursor"]


@pytest.mark.parametrize("sort", ["TITLE", "YEAR"])
@pytest.mark.parametrize(("kind", "id"), [("theme", THEME), ("class", "F")])
def test_pages_from_the_order_equal_the_scan_and_skip_it(
    sample: OxigraphStore, kind: str, id: str, sort: str
) -> None:
    read, scanned = Recording(sample), Recording(sample, hide_orders=True)
    from_order = pages(read, kind, id, 3, sort)
    assert from_order == pages(scanned, kind, id, 3, sort)
    assert sum(len(works) for works, _ in from_order) == (8 if kind == "theme" else 7)
    assert "scope_works" not in read.names  # the whole scope is in its order
    assert "scope_works" in scanned.names


def test_a_page_past_a_short_prefix_is_sorted_from_the_scope(
    sample: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = OxigraphStore(None)
    ids = Minter(BASE)
    load_sample(store, ids)
    monkeypatch.setattr(orders, "SIZE", 3)
    Counting(store, ids).rebuild()  # prefixes of 3 of the theme's 8 works
    read = Recording(store)
    got = pages(read, "theme", THEME, 2, "TITLE")
    assert got == pages(Recording(sample), "theme", THEME, 2, "TITLE")
    # page 1 (2 works + 1 to know there is a next) came from the prefix, page 2 could not
    assert read.names.count("scope_works") == len(got) - 1


def test_an_order_keeps_an_exact_prefix_through_a_batch() -> None:
    a, c, e = Entry(True, "a", "w:a"), Entry(True, "c", "w:c"), Entry(True, "e", "w:e")
    none = Entry(False, "", "w:z")  # a work without a sort key comes first
    # the whole scope (complete): anything goes in, in order, cut at the size
    assert orders.update([a, e], True, {"w:z"}, [none], 5) == [none, a, e]
    assert orders.update([a, e], True, {"w:c"}, [c], 2) == [a, c]
    # a prefix: what sorts after its last entry may have unseen works before it
    assert orders.update([a, c], False, {"w:e"}, [e], 5) == [a, c]
    assert orders.update([a, e], False, {"w:c"}, [c], 5) == [a, c, e]
    # a work that leaves, or moves past the end, shortens it; a rename within stays
    assert orders.update([a, c, e], False, {"w:a"}, [], 5) == [c, e]
    assert orders.update([a, c, e], False, {"w:a"}, [Entry(True, "f", "w:a")], 5) == [c, e]
    assert orders.update([a, c, e], False, {"w:a"}, [Entry(True, "d", "w:a")], 5) == [
        c,
        Entry(True, "d", "w:a"),
        e,
    ]

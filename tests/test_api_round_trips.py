"""No N+1 on a portal page of the size the issue names (issue 4, item 10): a class with 21
narrower classes and 20 works with their holdings, asked at page sizes 2, 20 and 60, costs
the same store round trips.

The class is CLC ``T`` of the 5th-edition table (``../shared/data``) read to its first
level (21 narrower classes, TB … TV); 210 generated books (``benchmarks/generate.py``: real
records of the marc2bibframe2 set with new ISBNs and titles) are classed under them, about
ten to each, and held by two members, 30 % of them by both.
"""

from __future__ import annotations

from typing import Any, cast

import pytest

from benchmarks.generate import generate
from kg.backends.oxigraph import OxigraphStore
from kg.ids import Minter
from kg.store import Store
from kg.terms import text_of
from loaders.marc.loader import MarcLoader
from loaders.sample import load_vocabularies
from loaders.vocab.clc import load_clc
from tests.conftest import BASE, SHARED, execute

CLC = SHARED / "vocab" / "clc" / "clc5.md"
NARROWER = 21  # TB TD TE TF TG TH TJ TK TL TM TN TP TQ TS TU TV + the five T- classes

PAGE = """query($n: Int!) {
  class(id: "T") { label workCount narrower { nodes { notation label workCount } }
    facets { dimension values { value label count } }
    works(first: $n) { totalCount edges { node { label
      holdings { nodes { institution { code city kind } tier items } } } } } }
}"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = OxigraphStore(None)
    ids = Minter(BASE)
    load_vocabularies(store, ids, echo=lambda _: None)
    load_clc(store, ids, CLC, max_depth=2)
    classes = [
        text_of(r["notation"])
        for r in store.sparql(
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?notation WHERE { "
            "?t skos:notation 'T' ; skos:narrower ?c . ?c skos:notation ?notation }"
        )
    ]
    assert len(classes) == NARROWER
    out = tmp_path_factory.mktemp("marc")
    files = generate(10 * NARROWER, out, members=2, clc=sorted(classes))
    for code, path in zip(("JXUFE", "NCU"), files, strict=True):
        MarcLoader(store, ids, code).load(path)
    return store


def page(store: Store, n: int) -> tuple[int, dict[str, Any]]:
    """The store round trips of the page of ``n`` works, and its answer."""
    result, context = execute(store, PAGE, n=n)
    assert result.errors is None, result.errors
    return context.round_trips, cast(dict[str, Any], result.data)["class"]


def test_a_class_page_of_20_narrower_classes_and_20_works_costs_what_a_page_of_2_does(
    store: Store,
) -> None:
    small, two = page(store, 2)
    full, twenty = page(store, 20)
    more, sixty = page(store, 60)
    assert len(twenty["narrower"]["nodes"]) == NARROWER
    assert all(c["workCount"] > 0 for c in twenty["narrower"]["nodes"])
    assert twenty["workCount"] == twenty["works"]["totalCount"] > 20
    assert [len(p["works"]["edges"]) for p in (two, twenty, sixty)] == [2, 20, 60]
    holders = {
        h["institution"]["code"]
        for e in twenty["works"]["edges"]
        for h in e["node"]["holdings"]["nodes"]
    }
    assert holders == {"JXUFE", "NCU"}
    # one extra round trip at most (two DataLoader batches in separate ticks); an N+1 (a
    # query per work, per holding or per narrower class) would add 20 or more
    assert full - small <= 1 and more - full <= 1
    assert full <= 16

"""What a portal browses, through GraphQL on the bundled sample (issue 4, items 4, 6, 9, 11):
a class's broader path, search with filters, facets and cursors (concepts and agents too),
an entity's neighbours cut at the bound asked, and the token limit."""

from __future__ import annotations

from typing import Any

import pytest

from kg.backends.oxigraph import OxigraphStore
from kg.ids import Minter
from kg.search import SearchIndex
from kg.store import Store
from kg.terms import text_of
from loaders.sample import load_sample
from schema import MAX_TOKENS
from schema.common import MAX_NEIGHBOURS
from schema.relay import MAX_PAGE
from tests.conftest import BASE, answer, execute


@pytest.fixture(scope="module")
def store() -> Store:
    store = OxigraphStore(None)
    load_sample(store, Minter(BASE))
    return store


@pytest.fixture(scope="module")
def index(store: Store) -> SearchIndex:
    index = SearchIndex(None)
    index.rebuild(store)
    return index


def run(store: Store, index: SearchIndex | None, query: str, **variables: Any) -> Any:
    return execute(store, query, index, **variables)[0]


def ask(store: Store, index: SearchIndex | None, query: str, **variables: Any) -> dict[str, Any]:
    return answer(store, query, index, **variables)


def test_a_class_has_its_broader_path_from_the_top(store: Store) -> None:
    found = ask(store, None, '{ class(id: "F1") { notation broader { notation } } }')["class"]
    assert found == {"notation": "F1", "broader": [{"notation": "F"}]}


SEARCH = """query($q: String!, $kinds: [String!], $filter: SearchFilter, $after: String) {
  search(query: $q, kinds: $kinds, filter: $filter, first: 2, after: $after) {
    totalCount endCursor hasNextPage
    hits { kind label node { id } }
    facets { dimension values { value count } } } }"""


def test_search_pages_with_cursors_through_every_hit_once(store: Store, index: SearchIndex) -> None:
    seen: list[str] = []
    after = None
    while True:
        page = ask(store, index, SEARCH, q="中国", kinds=["work"], after=after)["search"]
        seen += [h["node"]["id"] for h in page["hits"]]
        if not page["hasNextPage"]:
            break
        after = page["endCursor"]
    assert len(seen) == len(set(seen)) == page["totalCount"] > 4


def test_search_filters_and_facets_agree(store: Store, index: SearchIndex) -> None:
    everything = ask(store, index, SEARCH, q="中国", kinds=["work"])["search"]
    facets = {
        f["dimension"]: {v["value"]: v["count"] for v in f["values"]} for f in everything["facets"]
    }
    assert sum(facets["kind"].values()) == everything["totalCount"]
    institution, n = max(facets["institution"].items(), key=lambda kv: kv[1])
    only = ask(
        store, index, SEARCH, q="中国", kinds=["work"], filter={"institutions": [institution]}
    )["search"]
    assert only["totalCount"] == n < everything["totalCount"]


def test_search_finds_agents_and_concepts_by_kind(store: Store, index: SearchIndex) -> None:
    agents = ask(store, index, SEARCH, q="Brahms", kinds=["agent"])["search"]
    assert agents["hits"] and {h["kind"] for h in agents["hits"]} == {"agent"}
    concepts = ask(store, index, SEARCH, q="Foreign relations", kinds=["concept"])["search"]
    assert concepts["hits"] and {h["kind"] for h in concepts["hits"]} == {"concept"}


def test_search_with_an_unknown_kind_says_which_kinds_there_are(
    store: Store, index: SearchIndex
) -> None:
    result = run(store, index, SEARCH, q="中国", kinds=["book"])
    assert result.errors and "book" in result.errors[0].message


NEIGHBOURS = """query($id: ID!, $n: Int!, $after: String) { node(id: $id) {
  neighbours(first: $n, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { predicate value inverse } } } }"""


def test_neighbours_are_a_bounded_list_paged_with_cursors(store: Store) -> None:
    institution = f"{BASE}org/JXUFE"  # pointed at by every JXUFE item and record
    statements = store.sparql(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ <{institution}> ?p ?o }} UNION "
        f"{{ ?s ?p <{institution}> }} }}"
    )
    everything = int(text_of(statements[0]["n"]))
    assert everything > MAX_PAGE  # more than one page
    first = ask(store, None, NEIGHBOURS, id=institution, n=5)["node"]["neighbours"]
    assert len(first["nodes"]) == 5 and first["pageInfo"]["hasNextPage"]
    assert first["totalCount"] == min(everything, MAX_NEIGHBOURS)
    seen: list[tuple[bool, str, str]] = []
    after = None
    while True:
        page = ask(store, None, NEIGHBOURS, id=institution, n=MAX_PAGE, after=after)
        found = page["node"]["neighbours"]
        seen += [(s["inverse"], s["predicate"], s["value"]) for s in found["nodes"]]
        if not found["pageInfo"]["hasNextPage"]:
            break
        after = found["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == first["totalCount"]
    assert seen[:5] == [(s["inverse"], s["predicate"], s["value"]) for s in first["nodes"]]
    refused = run(store, None, NEIGHBOURS, id=institution, n=MAX_PAGE + 1)
    assert refused.errors and f"between 0 and {MAX_PAGE}" in refused.errors[0].message
    stranger = run(store, None, NEIGHBOURS, id=f"{BASE}org/NCU", n=5, after=after)
    assert stranger.errors and "names no row of this list" in stranger.errors[0].message


def test_a_document_of_too_many_tokens_is_refused_before_it_runs(store: Store) -> None:
    aliases = " ".join(f"a{n}: __typename" for n in range(MAX_TOKENS // 3))
    result = run(store, None, f"{{ {aliases} }}")
    assert result.errors and "token" in result.errors[0].message.lower()


def test_search_is_a_relay_connection_whose_every_edge_cursor_resumes_after_it(
    store: Store, index: SearchIndex
) -> None:
    query = """query($after: String, $n: Int!) { search(query: "中国", kinds: ["work"],
      first: $n, after: $after) { totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { node { id } } } hits { node { id } } } }"""
    five = ask(store, index, query, n=5)["search"]
    ids = [e["node"]["node"]["id"] for e in five["edges"]]
    assert ids == [h["node"]["id"] for h in five["hits"]] and len(ids) == 5
    assert five["pageInfo"] == {"hasNextPage": True, "endCursor": five["edges"][-1]["cursor"]}
    after_second = ask(store, index, query, n=3, after=five["edges"][1]["cursor"])["search"]
    assert [e["node"]["node"]["id"] for e in after_second["edges"]] == ids[2:5]

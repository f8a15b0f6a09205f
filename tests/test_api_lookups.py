"""Every kind of entity by its id (issue 4, item 3): ``node(id:)`` with the entity's URI
gives the right type, and each typed lookup (work, document, instance, item, agent,
concept, class, theme, institution, place) gives the same entity; institutions filter by
tier (item 8). On the bundled sample with one paper loaded as a local document."""

from __future__ import annotations

from typing import Any

import pytest

from kg.backends.oxigraph import OxigraphStore
from kg.ids import Minter
from kg.store import Store
from loaders.docs.loader import DocumentLoader
from loaders.sample import load_sample
from tests.conftest import BASE, SHARED, answer

PAPER = SHARED / "documents" / "poyang-lake-alliance-paper.txt"
PREFIXES = """PREFIX bf: <http://id.loc.gov/ontologies/bibframe/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX kg: <https://w3id.org/regional-kg/vocab#>
"""


@pytest.fixture(scope="module")
def store() -> Store:
    store = OxigraphStore(None)
    load_sample(store, Minter(BASE))
    assert DocumentLoader(store, Minter(BASE), "JXPL").load([PAPER]).loaded == 1
    return store


def ask(store: Store, query: str, **variables: Any) -> dict[str, Any]:
    return answer(store, query, **variables)


def first(store: Store, pattern: str) -> str:
    """The first IRI (in IRI order) that matches ``pattern`` (on ``?x``)."""
    rows = store.sparql(f"{PREFIXES} SELECT DISTINCT ?x WHERE {{ {pattern} }} ORDER BY ?x LIMIT 1")
    assert rows, pattern
    return str(rows[0]["x"])


# (typed lookup, GraphQL type, the pattern of its URIs, the id the lookup takes)
KINDS = [
    ("work", "Work", "?x a bf:Work ; ^bf:instanceOf/^bf:itemOf ?item", None),
    ("instance", "Instance", "?x a bf:Instance", None),
    ("item", "Item", "?x a bf:Item", None),
    ("agent", "Agent", "?x a bf:Person", None),
    (
        "concept",
        "Concept",
        "?x a bf:Topic ; ^bf:subject ?w FILTER(CONTAINS(STR(?x), '/concept/'))",
        None,
    ),
    ("class", "Class", "?x skos:notation 'F1' ; skos:inScheme ?s", "F1"),
    ("theme", "Theme", "?x a kg:Theme", None),
    ("institution", "Institution", "?x skos:notation 'JXUFE'", "JXUFE"),
    ("place", "Place", "?x a ?t FILTER(STRENDS(STR(?x), '/place/poyang-lake'))", "poyang-lake"),
]


@pytest.mark.parametrize(
    ("lookup", "typename", "pattern", "short"), KINDS, ids=[k[0] for k in KINDS]
)
def test_node_and_the_typed_lookup_find_the_same_entity(
    store: Store, lookup: str, typename: str, pattern: str, short: str | None
) -> None:
    uri = first(store, pattern)
    node = ask(store, "query($id: ID!) { node(id: $id) { __typename id } }", id=uri)["node"]
    assert node == {"__typename": typename, "id": uri}
    id_type = "ID!" if lookup in ("work", "instance", "item", "agent") else "String!"
    typed = ask(store, f"query($id: {id_type}) {{ {lookup}(id: $id) {{ id }} }}", id=short or uri)
    assert typed[lookup]["id"] == uri


def test_a_local_document_is_a_work_found_by_document_and_by_node(store: Store) -> None:
    uri = first(store, "GRAPH ?g { ?i bf:instanceOf ?x } FILTER(CONTAINS(STR(?g), '/graph/doc/'))")
    found = ask(store, "query($id: ID!) { document(id: $id) { id label } }", id=uri)["document"]
    assert found["id"] == uri and found["label"]
    assert ask(store, "query($id: ID!) { node(id: $id) { __typename } }", id=uri)["node"] == {
        "__typename": "Work"
    }


def test_institutions_filter_by_tier_and_alliance(store: Store) -> None:
    query = """query($tier: String, $alliance: String) {
      institutions(tier: $tier, alliance: $alliance, first: 50) {
        totalCount edges { node { code } } } }"""
    core = ask(store, query, tier="core")["institutions"]
    codes = {e["node"]["code"] for e in core["edges"]}
    assert codes == {"JXSTI", "JXPL", "NCU"} and core["totalCount"] == 3  # PYLEEZ's core
    founders = ask(store, query, tier="founder", alliance="JALA")["institutions"]
    assert {e["node"]["code"] for e in founders["edges"]} == {"JXUFE", "ECJTU", "JXAU"}
    assert ask(store, query, tier="core", alliance="JALA")["institutions"]["totalCount"] == 0

"""``/sparql`` (issue 7, item 2): SPARQL 1.1 Protocol answers checked against the same query
run directly on the store; result formats; the cap and the timeout; Update refused (400);
bad requests (400), unservable Accept (406), a non-Oxigraph store (501).
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence

import pyoxigraph as ox
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from kg.app import create_app
from kg.backends.oxigraph import OxigraphStore
from kg.ids import Minter
from kg.store import Param, Row, Store
from kg.terms import Quad, text_of
from kg.vocab import sparql_prefixes
from kg.web import WebSettings, linked_data_routes
from loaders.sample import load_sample
from tests.conftest import BASE

WORKS_BY_LANGUAGE = """
SELECT ?language (COUNT(DISTINCT ?work) AS ?works) WHERE {
  ?work a bf:Work ; bf:language ?language .
} GROUP BY ?language ORDER BY DESC(?works) ?language
"""
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture(scope="module")
def store() -> Iterator[OxigraphStore]:
    s = OxigraphStore(None)
    load_sample(s, Minter(BASE))
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(store: OxigraphStore) -> TestClient:
    return TestClient(create_app(store, Minter(BASE)))


def direct(store: OxigraphStore, query: str) -> list[dict[str, str]]:
    """The rows of ``query`` run on the store itself, as plain strings."""
    rows = store.sparql(sparql_prefixes() + query)
    return [{k: text_of(v) for k, v in row.items()} for row in rows]


def test_select_as_json_equals_the_store(client: TestClient, store: OxigraphStore) -> None:
    response = client.get(
        "/sparql",
        params={"query": WORKS_BY_LANGUAGE},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    body = response.json()
    assert body["head"]["vars"] == ["language", "works"]
    got = [{k: v["value"] for k, v in b.items()} for b in body["results"]["bindings"]]
    expected = direct(store, WORKS_BY_LANGUAGE)
    assert got == expected and len(expected) > 1


def test_post_forms_and_query_bodies_answer_the_same(client: TestClient) -> None:
    get = client.get("/sparql", params={"query": WORKS_BY_LANGUAGE}).json()
    form = client.post("/sparql", data={"query": WORKS_BY_LANGUAGE}).json()
    body = client.post(
        "/sparql",
        content=WORKS_BY_LANGUAGE,
        headers={"Content-Type": "application/sparql-query"},
    ).json()
    assert get == form == body


def test_xml_csv_and_tsv_results(client: TestClient, store: OxigraphStore) -> None:
    expected = direct(store, WORKS_BY_LANGUAGE)

    def ask(accept: str) -> str:
        response = client.get(
            "/sparql", params={"query": WORKS_BY_LANGUAGE}, headers={"Accept": accept}
        )
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(accept)
        return response.text

    rows = list(csv.DictReader(io.StringIO(ask("text/csv"))))
    assert rows == expected
    tsv = ask("text/tab-separated-values").splitlines()
    assert tsv[0] == "?language\t?works"
    assert tsv[1].split("\t")[0] == f"<{expected[0]['language']}>"
    assert len(tsv) == len(expected) + 1
    xml = ET.fromstring(ask("application/sparql-results+xml"))
    results = xml.findall(f"{RESULTS_NS}results/{RESULTS_NS}result")
    assert len(results) == len(expected)


def test_ask_and_construct(client: TestClient, store: OxigraphStore) -> None:
    ask = client.get("/sparql", params={"query": "ASK { ?w a bf:Work }"}).json()
    assert ask["boolean"] is True
    construct = "CONSTRUCT { ?w bf:language ?l } WHERE { ?w a bf:Work ; bf:language ?l }"
    direct_triples = set(store._store.query(sparql_prefixes() + construct,
                                            use_default_graph_as_union=True))  # fmt: skip
    for accept, fmt in (
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
    ):
        response = client.get("/sparql", params={"query": construct}, headers={"Accept": accept})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(accept)
        assert {q.triple for q in ox.parse(response.content, fmt)} == direct_triples


def test_default_graph_is_the_union_unless_named(client: TestClient, store: OxigraphStore) -> None:
    graph = next(g for g in store.graphs() if "/graph/record/" in g)
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    one = client.get("/sparql", params={"query": query, "default-graph-uri": graph}).json()
    everything = client.get("/sparql", params={"query": query}).json()
    n_one = int(one["results"]["bindings"][0]["n"]["value"])
    assert n_one == len(list(store.quads(graph)))
    assert int(everything["results"]["bindings"][0]["n"]["value"]) > n_one


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "GET", "params": {"query": "INSERT DATA { <a:s> <a:p> <a:o> }"}},
        {"method": "POST", "data": {"update": "DELETE WHERE { ?s ?p ?o }"}},
        {
            "method": "POST",
            "content": "CLEAR ALL",
            "headers": {"Content-Type": "application/sparql-update"},
        },
        {"method": "GET", "params": {"query": "PREFIX x: <http://e/>\nDROP GRAPH x:g"}},
    ],
    ids=["get-insert", "post-update-form", "post-sparql-update", "get-drop"],
)
def test_update_is_refused(
    client: TestClient, store: OxigraphStore, request_kwargs: dict[str, object]
) -> None:
    before = len(store._store)
    response = client.request(url="/sparql", **request_kwargs)  # type: ignore[arg-type]
    assert response.status_code == 400
    assert "SPARQL Update is not accepted" in response.json()["error"]
    assert len(store._store) == before


def test_bad_requests(client: TestClient) -> None:
    missing = client.get("/sparql")
    assert missing.status_code == 400 and "exactly one SPARQL query" in missing.json()["error"]
    broken = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x"})
    assert broken.status_code == 400 and "not valid SPARQL" in broken.json()["error"]
    wrong_type = client.post("/sparql", content="x", headers={"Content-Type": "text/plain"})
    assert wrong_type.status_code == 400
    not_acceptable = client.get(
        "/sparql", params={"query": WORKS_BY_LANGUAGE}, headers={"Accept": "text/turtle"}
    )
    assert not_acceptable.status_code == 406
    assert "text/csv" in not_acceptable.json()["available"]


def app_with(store: Store, **settings: object) -> TestClient:
    routes = linked_data_routes(store, Minter(BASE), WebSettings(**settings))  # type: ignore[arg-type]
    return TestClient(Starlette(routes=routes))


def test_results_are_capped_and_say_so(store: OxigraphStore) -> None:
    client = app_with(store, sparql_limit=5)
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert len(response.json()["results"]["bindings"]) == 5
    assert response.headers["x-result-truncated"] == "true"
    small = client.get("/sparql", params={"query": "SELECT * WHERE { ?s a bf:Work } LIMIT 2"})
    assert "x-result-truncated" not in small.headers


def test_a_slow_query_times_out(store: OxigraphStore) -> None:
    client = app_with(store, sparql_timeout=0.05)
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
    response = client.get("/sparql", params={"query": slow})
    assert response.status_code == 503
    assert "KG_SPARQL_TIMEOUT" in response.json()["error"]


def test_settings_come_from_the_environment(store: OxigraphStore) -> None:
    env = {"KG_SPARQL_TIMEOUT": "2.5", "KG_SPARQL_LIMIT": "50"}
    settings = WebSettings.from_env(store, env)
    assert (settings.sparql_timeout, settings.sparql_limit) == (2.5, 50)
    with pytest.raises(ValueError, match="KG_SPARQL_LIMIT"):
        WebSettings.from_env(store, {"KG_SPARQL_LIMIT": "lots"})


class NotOxigraph(Store):
    """Stands for a store without the embedded SPARQL engine (e.g. Neo4jStore)."""

    def write(
        self, drop_graphs: Sequence[str], quads: Sequence[Quad], remove: Sequence[Quad] = ()
    ) -> None:
        raise NotImplementedError

    def select(self, name: str, **params: Param) -> list[Row]:
        raise NotImplementedError

    def update(self, name: str, quads: Sequence[Quad] = (), **params: Param) -> None:
        raise NotImplementedError

    def quads(self, graph: str | None = None) -> Iterator[Quad]:
        raise NotImplementedError

    def graphs(self) -> list[str]:
        return []

    def close(self) -> None:
        pass


def test_other_backends_answer_501() -> None:
    response = app_with(NotOxigraph()).get("/sparql", params={"query": "ASK {}"})
    assert response.status_code == 501
    assert response.json() == {
        "status": 501,
        "error": "SPARQL needs the embedded Oxigraph store; this service runs on NotOxigraph. "
        "Use the GraphQL API at /graphql, or serve a copy made with `kg copy` into an "
        "Oxigraph directory.",
    }

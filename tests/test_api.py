"""The GraphQL API (issue 4) on the bundled sample, in process (Starlette TestClient).

The contract documents in ``tests/graphql/`` are what a portal really sends; each has
its exact expected answer beside it (``NAME.json``). They run against every backend the
``api_store`` fixture offers. ``UPDATE_EXPECTED=1`` rewrites the answers (then review
the diff: the expectations are read from the records).
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from starlette.testclient import TestClient
from strawberry.extensions.validation_cache import _get_validate_cache

from kg.app import create_app
from kg.backends.oxigraph import OxigraphStore
from kg.ids import Minter
from kg.search import SearchIndex
from kg.store import Param, Row, Store, StoreUnavailable
from kg.terms import text_of
from loaders.sample import load_sample
from schema import schema
from schema.context import Context
from schema.cost import MAX_COST
from tests.backends.conftest import NEO4J_URL, open_neo4j
from tests.conftest import BASE, ROOT

DOCUMENTS = sorted((ROOT / "tests" / "graphql").glob("*.graphql"))


@pytest.fixture(scope="module", params=["memory", "disk", *(["bolt"] if NEO4J_URL else [])])
def api_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """The bundled sample in each backend: the embedded store in memory and on disk (as
    `kg serve` opens it), and Neo4j when ``KG_TEST_NEO4J`` names a server (scripts/test
    starts one)."""
    store: Store
    if request.param == "bolt":
        store = open_neo4j()
    elif request.param == "disk":
        store = OxigraphStore(tmp_path_factory.mktemp("api") / "store")
    else:
        store = OxigraphStore(None)
    load_sample(store, Minter(BASE))
    yield store
    store.close()


@pytest.fixture(scope="module")
def index(api_store: Store) -> SearchIndex:
    idx = SearchIndex(None)
    idx.rebuild(api_store)
    return idx


@pytest.fixture(scope="module")
def client(api_store: Store, index: SearchIndex) -> TestClient:
    return TestClient(create_app(api_store, Minter(BASE), index))


def gql(client: TestClient, query: str, **variables: Any) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.stem for d in DOCUMENTS])
def test_contract_document_answers_exactly(client: TestClient, document: Path) -> None:
    answer = gql(client, document.read_text(encoding="utf-8"))
    expected_file = document.with_suffix(".json")
    if os.environ.get("UPDATE_EXPECTED"):
        text = json.dumps(answer, ensure_ascii=False, indent=2) + "\n"
        expected_file.write_text(text, encoding="utf-8")
    assert answer == json.loads(expected_file.read_text(encoding="utf-8"))


def test_the_committed_sdl_is_the_schema_in_the_code() -> None:
    committed = (ROOT / "schema" / "schema.graphql").read_text(encoding="utf-8")
    assert committed.strip() == schema.as_str().strip(), (
        "schema/schema.graphql is stale: run `kg schema > schema/schema.graphql`"
    )


def test_health_reports_the_store_and_the_index(client: TestClient, api_store: Store) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["store"] == {
        "ok": True,
        "backend": type(api_store).__name__,
        "path": str(api_store.path)
        if isinstance(api_store, OxigraphStore) and api_store.path
        else None,
        "works": 91,
    }
    assert body["search"]["ok"] is True and body["search"]["entries"] > 91
    assert body["search"]["built"] == "rebuild"  # complete (a partial index says why)


def test_health_reads_the_stored_total_and_counts_nothing(api_store: Store) -> None:
    """A poller's /health costs one keyed lookup at any size: the works are the
    catalogue's stored rollup, which equals what the counting ``totals`` query finds."""
    calls = _Calls(api_store)
    client = TestClient(create_app(cast(Store, calls), Minter(BASE)))
    works = client.get("/health").json()["store"]["works"]
    assert [name for name, _ in calls.asked] == ["counts_of"]
    assert works == int(text_of(api_store.select("totals")[0]["works"])) == 91


def test_graphiql_is_served_to_browsers(client: TestClient) -> None:
    page = client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()


# --- paging ---------------------------------------------------------------------------

PAGE = """query($after: String) { theme(id: "china-economic-development") {
  works(first: 3, after: $after) { totalCount edges { cursor node { work { id } } }
  pageInfo { hasNextPage endCursor } } } }"""


def test_cursor_pages_cover_the_list_once_in_order(client: TestClient) -> None:
    seen: list[str] = []
    after = None
    while True:
        works = gql(client, PAGE, after=after)["data"]["theme"]["works"]
        assert works["totalCount"] == 8
        seen += [e["node"]["work"]["id"] for e in works["edges"]]
        if not works["pageInfo"]["hasNextPage"]:
            break
        after = works["pageInfo"]["endCursor"]
    everything = gql(client, PAGE.replace("first: 3", "first: 20"))["data"]["theme"]["works"]
    assert seen == [e["node"]["work"]["id"] for e in everything["edges"]]
    assert len(seen) == len(set(seen)) == 8


# --- round-trips: no N+1 --------------------------------------------------------------

PORTAL_PAGE = """query($n: Int!) {
  class(id: "F") { label workCount narrower { nodes { notation label workCount } }
    works(first: $n) { totalCount
      nodes { label holdings { nodes { institution { code city } tier } } } } }
  theme(id: "china-economic-development") {
    works(first: $n) {
      edges { node { rules work { label holdings { nodes { institution { name } } } } } } }
  }
}"""


def round_trips(store: Store, index: SearchIndex, n: int) -> int:
    context = Context(store, Minter(BASE), index)
    run = schema.execute(PORTAL_PAGE, variable_values={"n": n}, context_value=context)
    result = asyncio.run(run)
    assert result.errors is None, result.errors
    return context.round_trips


def test_a_portal_page_costs_the_same_round_trips_whatever_its_size(
    api_store: Store, index: SearchIndex
) -> None:
    # the sample's class F and theme hold 7 and 8 works: pages of 2, 8 and 100 rows
    small, full, capped = (round_trips(api_store, index, n) for n in (2, 8, 100))
    # one extra round-trip at most, where two DataLoader batches fall into separate ticks;
    # an N+1 (a query per work or per holding) would add a dozen
    assert full - small <= 1
    assert capped == full <= 16


class _Calls:
    """A store that remembers the named queries asked of it (and their ids)."""

    def __init__(self, store: Store) -> None:
        self.store, self.asked = store, list[tuple[str, list[str]]]()
        self.path = store.path

    def select(self, name: str, **params: Param) -> list[Row]:
        ids = params.get("ids")
        self.asked.append((name, [str(i) for i in ids] if isinstance(ids, list) else []))
        return self.store.select(name, **params)


def test_a_page_of_titles_and_holdings_reads_no_whole_work(
    api_store: Store, index: SearchIndex
) -> None:
    """A work's description (subjects, notes, contributions) is read only when a field
    needs it: a theme page's titles come from the works' and instances' titles alone."""
    calls = _Calls(api_store)
    context = Context(cast(Store, calls), Minter(BASE), index)
    page = """{ theme(id: "china-economic-development") { works(first: 20) {
      edges { node { work { id label holdings { nodes { institution { code } } } } } } } } }"""
    result = asyncio.run(schema.execute(page, context_value=context))
    assert result.errors is None, result.errors
    edges = cast(dict[str, Any], result.data)["theme"]["works"]["edges"]
    shown = {e["node"]["work"]["id"] for e in edges}
    assert len(shown) == 8 and all(e["node"]["work"]["label"] for e in edges)
    described = {i for name, ids in calls.asked if name == "describe" for i in ids}
    titled = {i for name, ids in calls.asked if name == "work_titles" for i in ids}
    assert not described & shown
    assert shown <= titled


# --- errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            '{ work(id: "http://kg.test/work/nope") { label } }',
            "No work 'http://kg.test/work/nope'",
        ),
        ('{ institution(id: "NOPE") { name } }', "No institution 'NOPE'"),
        (
            '{ class(id: "F") { works(first: 500) { totalCount } } }',
            "first must be between 0 and 100",
        ),
        (
            '{ class(id: "F") { works(after: "garbage") { totalCount } } }',
            "Invalid cursor 'garbage'",
        ),
        (
            '{ class(id: "F") { works(filter: {decades: [1995]}) { totalCount } } }',
            "decades take the decade's first year (1990), not 1995",
        ),
        ('{ work(id: "http://kg.test/org/NCU") { label } }', "is not a work"),
    ],
)
def test_bad_arguments_say_what_was_wrong(client: TestClient, query: str, message: str) -> None:
    body = gql(client, query)
    assert message in body["errors"][0]["message"]


def test_a_query_too_deep_is_refused(client: TestClient) -> None:
    nested = (
        '{ theme(id: "jiangxi-collections") { '
        + "subthemes { nodes { " * 12
        + "key"
        + " } }" * 12
        + " } }"
    )
    body = gql(client, nested)
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]


COSTLY = """query($n: Int!) { themes(first: $n) { nodes { subthemes(first: $n) {
  nodes { works(first: $n) { nodes { work { label } } } } } } } }"""


def test_a_query_that_may_resolve_too_many_fields_is_refused_before_it_runs(
    client: TestClient,
) -> None:
    """Nested lists are short and shallow but multiply: the cost counts each field once
    per row of every list above it, with the request's own variables (the validation of
    the document is cached; the cost is not)."""
    small = client.post("/graphql", json={"query": COSTLY, "variables": {"n": 5}}).json()
    assert "errors" not in small and small["data"]["themes"]["nodes"]
    for _ in range(2):  # the second time the document's validation is a cache hit
        body = client.post("/graphql", json={"query": COSTLY, "variables": {"n": 100}}).json()
        assert body["data"] is None
        error = body["errors"][0]
        assert error["message"].startswith(
            f"The query may resolve 3,020,201 fields, more than {MAX_COST:,}"
        )
        assert error["extensions"] == {
            "code": "QUERY_TOO_COSTLY",
            "cost": 3_020_201,
            "maxCost": MAX_COST,
        }


def test_a_document_sent_again_is_not_validated_again(client: TestClient) -> None:
    """Portals send the same few documents: the second time, validation (a tenth of a
    class page's CPU) is a cache hit, with the depth and alias limits still applied."""
    cache: Any = _get_validate_cache(256)  # functools.lru_cache: cache_info()
    document = '{ class(id: "F") { label narrower { nodes { notation } } } }'
    gql(client, document)
    hits = cache.cache_info().hits
    assert "errors" not in gql(client, document)
    assert cache.cache_info().hits == hits + 1
    aliases = "{ " + " ".join(f"a{i}: __typename" for i in range(31)) + " }"
    body = gql(client, aliases)
    assert "31 aliases found. Allowed: 30" in body["errors"][0]["message"]


class _Outage(OxigraphStore):
    """The sample store, after its server went away (every query fails to connect)."""

    def select(self, name: str, **params: Param) -> list[Row]:
        raise StoreUnavailable("connection refused (the store's server is down)")


def test_a_store_outage_is_a_503_with_a_message_not_a_trace() -> None:
    app = create_app(_Outage(None), Minter(BASE))
    client = TestClient(app)
    response = client.post("/graphql", json={"query": '{ class(id: "F") { label } }'})
    assert response.status_code == 503
    error = response.json()["errors"][0]
    assert error["message"] == (
        "The store could not answer: connection refused (the store's server is down)"
    )
    assert "Traceback" not in response.text
    health = client.get("/health")
    assert health.status_code == 503 and health.json()["store"] == {"ok": False}


def test_provenance_names_the_load_runs_and_files_of_an_entity(client: TestClient) -> None:
    query = """{ instance(id: "http://kg.test/instance/isbn-9787503726231") {
      provenance { nodes { graph run file institution ended } } } }"""
    rows = gql(client, query)["data"]["instance"]["provenance"]["nodes"]
    records = {r["graph"]: r for r in rows}
    # the edition's two dp2 records (990001379280203961, 9910637057203961) are in JXAU's
    # CNMARC export and in NCU's UNIMARC export: four record graphs, two runs
    assert sorted(g.rsplit("/", 2)[-2] for g in records) == ["JXAU", "JXAU", "NCU", "NCU"]
    assert {r["file"] for r in rows} == {"jxau-dp2-cnmarc.xml", "ncu-dp2-unimarc.xml"}
    assert len({r["run"] for r in rows}) == 2
    assert all(r["run"].startswith("http://kg.test/run/") and r["ended"] for r in rows)


INSTITUTIONS = """query($after: String) { institutions(alliance: "JALA", first: 4, after: $after) {
  totalCount nodes { code } pageInfo { hasNextPage endCursor } } }"""


def test_institutions_and_an_agents_works_are_paged_with_cursors(client: TestClient) -> None:
    codes: list[str] = []
    after = None
    while True:
        page = gql(client, INSTITUTIONS, after=after)["data"]["institutions"]
        codes += [n["code"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert codes == sorted(codes) and len(codes) == len(set(codes)) == page["totalCount"] == 15
    agent = """{ search(query: "国家统计局", kinds: ["agent"]) { hits { node {
      ... on Agent { works(first: 1) { totalCount nodes { id } pageInfo { hasNextPage } } }
    } } } }"""
    works = gql(client, agent)["data"]["search"]["hits"][0]["node"]["works"]
    assert works["totalCount"] >= 1 and len(works["nodes"]) == 1
    assert works["pageInfo"]["hasNextPage"] is (works["totalCount"] > 1)


def test_a_filtered_total_and_its_facets_share_one_group_by(api_store: Store) -> None:
    names: list[str] = []

    class Recording(Context):
        def select(self, name: str, **params: Param) -> list[Row]:
            names.append(name)
            return super().select(name, **params)

    query = """{ class(id: "F") { works(filter: {institutions: ["NCU"]}) { totalCount }
      facets(filter: {institutions: ["NCU"]}) { dimension } } }"""
    context = Recording(api_store, Minter(BASE))
    result = asyncio.run(schema.execute(query, context_value=context))
    assert result.errors is None, result.errors
    assert result.data and result.data["class"]["works"]["totalCount"] == 4
    assert names.count("scope_facets_filtered") == 1

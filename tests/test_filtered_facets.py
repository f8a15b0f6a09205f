"""Filtered totals and facets (``scope_facets_filtered``) on the bundled sample, exactly.

The counts were read from the records, not from the query: the theme
china-economic-development holds 8 works (7 in CLC F, one of them also in D, all
Chinese, from the 1990s, held by JXAU; four of them — the '93 to '97 *Zhong guo fa zhan
bao gao* — also by NCU; and 新时期城市经济体制综合改革, 2011, held by ECJTU and not in CLC).
The LCSH concept "Instrumental music" has 8 works: 4 with a year in the 1980s
(Frédéric Chopin 1981 and Preludes, impromptus… 1983, also held by ECJTU; Symphony no. 3
1983, Nikolai Medtner 1989), and Anthems, in English, with no year.

The filters are nested one-pattern ``FILTER EXISTS`` (Oxigraph evaluates a join inside
EXISTS without the outer ?work: a scan of every item per work); these pin the rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from kg.app import create_app
from kg.backends.oxigraph import OxigraphStore
from kg.ids import Minter
from kg.search import SearchIndex
from kg.store import Store
from loaders.sample import load_sample
from tests.backends.conftest import NEO4J_URL, open_neo4j
from tests.conftest import BASE

MUSIC = "http://kg.test/concept/lcsh/c2ecbb9c08368e19"
"""The LCSH concept "Instrumental music"."""


@pytest.fixture(scope="module", params=["memory", *(["bolt"] if NEO4J_URL else [])])
def client(request: pytest.FixtureRequest) -> Iterator[TestClient]:
    """The API over the bundled sample, in each backend (Neo4j when KG_TEST_NEO4J is set)."""
    store: Store = open_neo4j() if request.param == "bolt" else OxigraphStore(None)
    load_sample(store, Minter(BASE))
    yield TestClient(create_app(store, Minter(BASE), SearchIndex(None)))
    store.close()


def gql(client: TestClient, query: str) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]  # type: ignore[no-any-return]


def theme_page(client: TestClient, key: str, filter: str) -> tuple[int, dict[str, dict[str, int]]]:
    """The filtered total and facets of a theme, as {dimension: {value: count}}."""
    data = gql(
        client,
        f"""{{ theme(id: "{key}") {{ works(filter: {filter}) {{ totalCount }}
          facets(filter: {filter}) {{ dimension values {{ value count }} }} }} }}""",
    )["theme"]
    facets = {f["dimension"]: {v["value"]: v["count"] for v in f["values"]} for f in data["facets"]}
    return data["works"]["totalCount"], facets


THEME = "china-economic-development"


def test_a_theme_filtered_by_one_member(client: TestClient) -> None:
    total, facets = theme_page(client, THEME, '{institutions: ["NCU"]}')
    assert total == 4
    assert facets["institution"] == {"JXAU": 4, "NCU": 4}
    assert facets["decade"] == {"1990": 4}
    assert facets["language"] == {"chi": 4}
    assert facets["class"] == {"F": 4}


def test_a_theme_filtered_by_decade_keeps_the_unclassified_work(client: TestClient) -> None:
    total, facets = theme_page(client, THEME, "{decades: [2010]}")
    assert total == 1
    assert facets["institution"] == {"ECJTU": 1}
    assert facets["decade"] == {"2010": 1}
    assert facets["language"] == {"chi": 1}
    assert "class" not in facets


def test_a_theme_filtered_by_a_top_class(client: TestClient) -> None:
    total, facets = theme_page(client, THEME, '{classes: ["D"]}')
    assert total == 1
    assert facets["institution"] == {"JXAU": 1}
    assert facets["class"] == {"D": 1, "F": 1}


def test_values_of_one_field_are_any_of_them_fields_all_of_them(client: TestClient) -> None:
    either = '{institutions: ["JXAU", "ECJTU"], decades: [1990, 2010]}'
    total, facets = theme_page(client, THEME, either)
    assert total == 8
    assert facets["institution"] == {"JXAU": 7, "NCU": 4, "ECJTU": 1}
    assert facets["decade"] == {"1990": 7, "2010": 1}
    assert facets["class"] == {"F": 7, "D": 1}
    every = '{institutions: ["NCU"], languages: ["chi"], decades: [1990], classes: ["F"]}'
    total, facets = theme_page(client, THEME, every)
    assert (total, facets["institution"]) == (4, {"JXAU": 4, "NCU": 4})
    assert theme_page(client, THEME, '{languages: ["eng"]}') == (0, {})


def test_a_subjects_filtered_totals(client: TestClient) -> None:
    def total(filter: str) -> int:
        query = f'{{ concept(id: "{MUSIC}") {{ works(filter: {filter}) {{ totalCount }} }} }}'
        return int(gql(client, query)["concept"]["works"]["totalCount"])

    assert total('{institutions: ["ECJTU"]}') == 2
    assert total("{decades: [1980]}") == 4
    assert total('{institutions: ["ECJTU"], decades: [1980]}') == 2
    assert total('{languages: ["eng"]}') == 1


def test_a_class_filtered_to_nothing_has_no_facets(client: TestClient) -> None:
    data = gql(
        client,
        """{ class(id: "F") { works(filter: {institutions: ["NCU"], classes: ["D"]}) { totalCount }
          facets(filter: {institutions: ["NCU"], classes: ["D"]}) { dimension } } }""",
    )["class"]
    assert data == {"works": {"totalCount": 0}, "facets": []}

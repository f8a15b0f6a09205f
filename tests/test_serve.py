"""`kg serve`: the real uvicorn server, started as a user starts it, answered over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import free_port, http_json, running_service


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("serve") / "store"
    with running_service(store, free_port(), "http://kg.test/") as url:
        yield url.rstrip("/")


def test_serve_answers_health_and_graphql_over_http(server: str) -> None:
    status, health = http_json(f"{server}/health")
    assert status == 200
    assert health["store"]["ok"] is True and health["store"]["works"] == 91
    assert Path(health["store"]["path"]).name == "store"
    status, body = http_json(
        f"{server}/graphql",
        {"query": '{ theme(id: "china-economic-development") { total label } }'},
    )
    assert status == 200
    assert body == {"data": {"theme": {"total": 8, "label": "中国经济发展"}}}


def test_serve_searches_the_index_the_loads_kept_current(server: str) -> None:
    status, body = http_json(
        f"{server}/graphql", {"query": '{ search(query: "zhongguo waijiao") { totalCount } }'}
    )
    assert status == 200 and body["data"]["search"]["totalCount"] == 4

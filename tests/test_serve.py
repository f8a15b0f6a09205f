"""`kg serve`: the real uvicorn server, started as a user starts it, answered over HTTP."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import KG, ROOT, free_port, http_json, running_service


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


def test_the_readme_main_command_loads_the_sample_and_serves_where_kg_host_and_port_say(
    tmp_path: Path,
) -> None:
    """``scripts/run`` is ``scripts/bootstrap`` then the bare ``kg``: load the bundled
    sample (once) and serve it, on ``KG_HOST``/``KG_PORT`` (here a loopback address that
    is not the default 127.0.0.1)."""
    port = free_port()
    env = {
        "KG_STORE": str(tmp_path / "store"),
        "KG_BASE": "http://kg.test/",
        "KG_HOST": "127.0.0.2",
        "KG_PORT": str(port),
        "PATH": "/usr/bin:/bin",
    }
    process = subprocess.Popen(
        KG, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    url = f"http://127.0.0.2:{port}/health"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, health = http_json(url)
                break
            except OSError:
                assert process.poll() is None, process.stdout.read() if process.stdout else ""
                assert time.monotonic() < deadline, "kg did not serve within 120 s"
                time.sleep(0.5)
        assert status == 200 and health["store"]["works"] == 91
        assert health["search"]["built"] == "rebuild"
    finally:
        process.terminate()
        out, _ = process.communicate(timeout=30)
    assert "Loading the bundled sample collection" in out
    assert f"on http://127.0.0.2:{port}/graphql" in out

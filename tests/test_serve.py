"""`kg serve`: the real uvicorn server, started as a user starts it, answered over HTTP."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

KG = [sys.executable, "-c", "from kg_cli import main; main()"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str, data: dict[str, Any] | None = None) -> tuple[int, dict[str, Any]]:
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("serve") / "store"
    env = {"KG_STORE": str(store), "KG_BASE": "http://kg.test/", "PATH": "/usr/bin:/bin"}
    loaded = subprocess.run(
        [*KG, "demo"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert loaded.returncode == 0, loaded.stderr
    port = free_port()
    process = subprocess.Popen(
        [*KG, "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if get(f"{url}/health")[0] == 200:
                break
        except OSError:
            pass
        assert process.poll() is None, process.stdout.read() if process.stdout else ""
        assert time.monotonic() < deadline, "kg serve did not answer /health within 60 s"
        time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=30)
    if process.stdout:
        process.stdout.close()


def test_serve_answers_health_and_graphql_over_http(server: str) -> None:
    status, health = get(f"{server}/health")
    assert status == 200
    assert health["store"]["ok"] is True and health["store"]["works"] == 91
    assert Path(health["store"]["path"]).name == "store"
    status, body = get(
        f"{server}/graphql",
        {"query": '{ theme(id: "china-economic-development") { total label } }'},
    )
    assert status == 200
    assert body == {"data": {"theme": {"total": 8, "label": "中国经济发展"}}}


def test_serve_searches_the_index_the_loads_kept_current(server: str) -> None:
    status, body = get(
        f"{server}/graphql", {"query": '{ search(query: "zhongguo waijiao") { totalCount } }'}
    )
    assert status == 200 and body["data"]["search"]["totalCount"] == 4

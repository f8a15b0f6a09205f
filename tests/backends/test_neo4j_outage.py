"""Neo4j killed mid-load (issue 5, item 7): the load stops with StoreUnavailable and a
clear message, every batch committed before survives the restart, and a rerun completes;
the API answers 503 with a message while the server is down, and again once it is back.

Runs its own server (scripts/neo4j on a free port, in a temporary home), since it kills it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from kg.app import create_app
from kg.backends.neo4j import Neo4jStore
from kg.backends.oxigraph import OxigraphStore
from kg.ids import Minter
from kg.store import Store, StoreUnavailable
from kg.terms import Quad
from kg.vocab import PROV
from loaders.marc.loader import MarcLoader
from loaders.report import LoadReport
from loaders.roster import load_roster
from loaders.sample import SAMPLE
from tests.backends.conftest import needs_neo4j
from tests.conftest import ROOT

BASE = "http://localhost:8000/"
RECORDS = f"{BASE}graph/record/"


class Server:
    """A Neo4j server of this test's own, driven through scripts/neo4j."""

    def __init__(self, home: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"bolt://127.0.0.1:{self.port}"
        self.home = home
        self.env = {**os.environ, "KG_NEO4J_PORT": str(self.port), "KG_NEO4J_HOME": str(home)}

    def crash(self) -> None:
        """Kill the server (SIGKILL): the harshest outage; committed transactions must survive."""
        pid = int((self.home / "neo4j.pid").read_text())
        os.kill(pid, signal.SIGKILL)
        for _ in range(200):  # its sockets close as it dies
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) != 0:
                    return
            time.sleep(0.05)

    def __call__(self, command: str) -> None:
        subprocess.run([ROOT / "scripts" / "neo4j", command], env=self.env, check=True)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    if shutil.which("java") is None:
        pytest.skip("no java on PATH")
    running = Server(tmp_path / "neo4j")
    running("start")
    yield running
    running.crash()


def record_graphs(store: Store) -> list[Quad]:
    """The record graphs' quads, but which run wrote them."""
    return sorted(
        (q for q in store.quads() if q[3].startswith(RECORDS) and q[1] != PROV.wasGeneratedBy),
        key=repr,
    )


@needs_neo4j
def test_a_load_stopped_by_an_outage_keeps_its_committed_batches_and_resumes(
    server: Server,
) -> None:
    ids = Minter(BASE)
    store = Neo4jStore(server.url, retry_seconds=1)
    load_roster(store, ids, SAMPLE / "roster.csv")
    committed: list[str] = []

    def crash_after_ten_records(report: LoadReport) -> None:
        if report.read == 10:
            committed.extend(g for g in store.graphs() if g.startswith(RECORDS))
            server.crash()

    loader = MarcLoader(
        store, ids, "JXUFE", batch_size=5, progress=crash_after_ten_records, progress_every=10
    )
    with pytest.raises(StoreUnavailable, match=r"unavailable .*start the server \(scripts/neo4j"):
        loader.load(SAMPLE / "jxufe-gwu.xml")
    store.close()
    assert committed, "the first batches were committed before the outage"

    server("start")
    store = Neo4jStore(server.url)
    assert set(committed) <= set(store.graphs()), "a committed batch was lost"
    report = MarcLoader(store, ids, "JXUFE", batch_size=5).load(SAMPLE / "jxufe-gwu.xml")
    assert report.unchanged >= len(committed)

    embedded = OxigraphStore(None)
    load_roster(embedded, ids, SAMPLE / "roster.csv")
    MarcLoader(embedded, ids, "JXUFE", batch_size=5).load(SAMPLE / "jxufe-gwu.xml")
    assert record_graphs(store) == record_graphs(embedded)
    store.close()


@needs_neo4j
def test_the_api_answers_503_while_neo4j_is_down_and_recovers_when_it_restarts(
    server: Server,
) -> None:
    ids = Minter(BASE)
    store = Neo4jStore(server.url, retry_seconds=1)
    load_roster(store, ids, SAMPLE / "roster.csv")
    client = TestClient(create_app(store, ids))
    query = {"query": '{ institution(id: "NCU") { name } }'}
    assert client.get("/health").json()["store"]["ok"] is True
    assert client.post("/graphql", json=query).json()["data"]["institution"]["name"]

    server.crash()
    health = client.get("/health")
    assert health.status_code == 503 and health.json()["store"] == {"ok": False}
    assert health.json()["error"].startswith("The store is unavailable: ")
    answer = client.post("/graphql", json=query)
    assert answer.status_code == 503
    assert answer.json()["errors"][0]["message"].startswith("The store could not answer: ")
    assert "Traceback" not in answer.text

    server("start")  # the same service, without a restart of its own
    assert client.get("/health").status_code == 200
    assert client.post("/graphql", json=query).json()["data"]["institution"]["name"]
    store.close()

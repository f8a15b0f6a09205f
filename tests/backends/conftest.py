"""Backends under test: every embedded one, and Neo4j when ``KG_TEST_NEO4J`` names a server
(``scripts/test`` starts one with ``scripts/neo4j`` and sets it)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.backends import SERVERS, SUPPORTED_BACKENDS, open_store
from kg.backends.neo4j import Neo4jStore
from kg.store import Store

NEO4J_URL = os.environ.get("KG_TEST_NEO4J", "")
EMBEDDED = sorted(s for s in SUPPORTED_BACKENDS if s not in SERVERS)
BACKENDS = [*EMBEDDED, *(["bolt"] if NEO4J_URL else [])]
needs_neo4j = pytest.mark.skipif(not NEO4J_URL, reason="KG_TEST_NEO4J is not set")


def open_neo4j() -> Neo4jStore:
    """The test server, emptied."""
    store = open_store(NEO4J_URL)
    assert isinstance(store, Neo4jStore)
    store.clear()
    return store


def open_backend(scheme: str, tmp_path: Path) -> Store:
    """A fresh, empty store of the backend that serves ``scheme``."""
    if scheme in SERVERS:
        return open_neo4j()
    if scheme == "memory":
        return open_store("memory:")
    if scheme == "file":
        return open_store(str(tmp_path / "store"))
    return open_store(f"{scheme}:{tmp_path / 'store'}")


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Each backend in turn, empty."""
    s = open_backend(request.param, tmp_path)
    yield s
    s.close()

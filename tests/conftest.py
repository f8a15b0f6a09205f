"""Shared fixtures: the real data beside the repo, and stores to load into."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.backends.oxigraph import OxigraphStore
from kg.ids import Minter
from kg.store import Store
from loaders.roster import load_roster

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
SAMPLE = ROOT / "sample"
BASE = "http://kg.test/"


def shared(relative: str) -> Path:
    """A file of the shared data set; skips nothing: CI has ../shared beside the clone."""
    path = SHARED / relative
    assert path.exists(), f"missing shared data file {path}"
    return path


@pytest.fixture
def ids() -> Minter:
    return Minter(BASE)


@pytest.fixture(params=["memory", "disk"])
def store(request: pytest.FixtureRequest, tmp_path: Path, ids: Minter) -> Iterator[Store]:
    """An Oxigraph store (in memory and on disk) with the bundled roster loaded."""
    s = OxigraphStore(None if request.param == "memory" else tmp_path / "store")
    load_roster(s, ids, SAMPLE / "roster.csv")
    yield s
    s.close()


@pytest.fixture
def mem_store(ids: Minter) -> Iterator[Store]:
    """An in-memory Oxigraph store with the bundled roster loaded."""
    s = OxigraphStore(None)
    load_roster(s, ids, SAMPLE / "roster.csv")
    yield s
    s.close()

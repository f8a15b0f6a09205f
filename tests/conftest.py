"""Shared fixtures: the real data beside the repo, and stores to load into."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from kg.backends.oxigraph import OxigraphStore
from kg.ids import Minter
from kg.search import SearchIndex
from kg.store import Store
from loaders.roster import load_roster
from schema import schema
from schema.context import Context

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


KG = [sys.executable, "-c", "from kg_cli import main; main()"]
"""The ``kg`` command, as a subprocess of the test's own interpreter."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_service(store: Path, port: int, base: str) -> Iterator[str]:
    """``kg demo`` into ``store``, then ``kg serve`` on ``port`` as a user runs them (real
    uvicorn subprocess); yields the service's URL once /health answers."""
    env = {"KG_STORE": str(store), "KG_BASE": base, "PATH": "/usr/bin:/bin"}
    loaded = subprocess.run(
        [*KG, "demo"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert loaded.returncode == 0, loaded.stderr
    with serving(env, port) as url:
        yield url


@contextmanager
def serving(env: dict[str, str], port: int) -> Iterator[str]:
    """``kg serve --port PORT`` with ``env`` (its store, base, index) as a real uvicorn
    subprocess; yields its URL once /health answers 200, and stops it afterwards."""
    process = subprocess.Popen(
        [*KG, "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}health", timeout=10) as response:
                    if response.status == 200:
                        break
            except (OSError, urllib.error.HTTPError):
                pass
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            assert time.monotonic() < deadline, "kg serve did not answer /health within 60 s"
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        if process.stdout:
            process.stdout.close()


def http_json(url: str, data: dict[str, Any] | None = None) -> tuple[int, Any]:
    """Status and JSON body of one real HTTP request (POSTed JSON when ``data``)."""
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def smoke_run(script: str, *args: str, timeout: int = 600) -> Any:
    """Run ``benchmarks/SCRIPT --smoke --json ARGS`` (it must succeed); its JSON output."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), "--smoke", "--json", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout[result.stdout.index("{") :])


def execute(
    store: Store, query: str, index: SearchIndex | None = None, **variables: Any
) -> tuple[Any, Context]:
    """A GraphQL document executed in process over ``store`` (and ``index``): the result
    and the request context (its ``round_trips``)."""
    context = Context(store, Minter(BASE), index)
    run = schema.execute(query, variable_values=variables, context_value=context)
    return asyncio.run(run), context


def answer(
    store: Store, query: str, index: SearchIndex | None = None, **variables: Any
) -> dict[str, Any]:
    """The data of a document that must answer without errors."""
    result, _ = execute(store, query, index, **variables)
    assert result.errors is None, result.errors
    data: dict[str, Any] = result.data
    return data

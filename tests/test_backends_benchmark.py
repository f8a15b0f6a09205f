"""The backends benchmark (issue 5, item 8) in its smoke size: 300 generated records loaded
into the embedded store and into the Neo4j test server (``KG_TEST_NEO4J``, which
scripts/test starts), the portal documents timed on both through the GraphQL schema, and
their named queries profiled. Figures are not asserted (they depend on the machine; see
docs/benchmarks.md), answers and plans are."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.backends.conftest import NEO4J_URL, needs_neo4j
from tests.conftest import ROOT, smoke_run

SCRIPT = str(ROOT / "benchmarks" / "backends_speed.py")


@needs_neo4j
def test_backends_benchmark_smoke_runs_on_both_backends() -> None:
    out = smoke_run("backends_speed.py", "--neo4j", NEO4J_URL, timeout=900)
    assert out["records"] == 300
    for backend in ("oxigraph", "neo4j"):
        assert out["load"][backend]["read"] == 300
        assert out["load"][backend]["rejected"] == 0
        assert out["load"][backend]["records_per_s"] > 0
    assert out["load"]["oxigraph"]["new"] == out["load"]["neo4j"]["new"]
    assert set(out["portal"]) == {"class_level", "theme_page", "holdings"}
    for name, figures in out["portal"].items():
        assert figures["same_answer"], name
        assert figures["oxigraph_p50_ms"] > 0 and figures["neo4j_p50_ms"] > 0
        assert figures["calls"], name
        profiled = out["named_queries"][name]
        assert {q["query"] for q in profiled} == set(figures["calls"])
        for query in profiled:
            assert query["db_hits"] > 0, query
            assert not query["all_nodes_scan"], query  # target: no count scans every node


def test_backends_benchmark_skips_without_a_neo4j_server() -> None:
    env = {k: v for k, v in os.environ.items() if k != "KG_TEST_NEO4J"}
    run = subprocess.run(
        [sys.executable, SCRIPT, "--smoke"],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    assert "skipped" in run.stderr and "KG_TEST_NEO4J" in run.stderr
    assert run.stdout == ""

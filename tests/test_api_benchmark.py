"""The API benchmark (issue 4, item 13) runs end to end in its smoke size: it builds a
small store, starts ``kg serve``, times the portal queries over HTTP beside their bare
store calls, and drives concurrent clients without errors. Figures are not asserted
(they depend on the machine); see docs/benchmarks.md for the real ones."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT


def test_api_benchmark_smoke_runs_without_errors() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "api_speed.py"), "--smoke", "--json"],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(run.stdout)
    assert out["records"] == 300 and out["store"]["works"] > 0
    assert set(out["latency"]) == {"class_level", "theme_page", "search_zh"}
    for name, figures in out["latency"].items():
        assert figures["same_answer"], name
        assert figures["calls"], name  # the bare side replays what the query ran
        assert figures["http_p50_ms"] > 0 and figures["bare_p50_ms"] > 0
    assert [r["clients"] for r in out["throughput"]] == [2, 5]
    assert all(r["requests"] > 0 for r in out["throughput"])
    assert out["errors"] == 0

"""The search benchmark keeps working (run small: figures are not asserted, CI is noisy)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT


def test_search_benchmark_smoke_run_reports_every_query_set_and_side() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "search_speed.py"), "--smoke", "--json"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(result.stdout)
    assert data["works"] == 2000 and data["documents"] == 2200
    assert set(data["results"]) == {"chinese", "pinyin", "english"}
    for sides in data["results"].values():
        assert set(sides) == {"search", "fts5_plain", "like_scan"}
        assert all(side["p95_ms"] >= side["p50_ms"] > 0 for side in sides.values())
    assert all(n > 0 for n in data["queries_with_hits"].values())

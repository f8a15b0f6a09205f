"""The load benchmark keeps working (run small: figures are not asserted, CI is noisy)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT


def test_load_benchmark_smoke_run_prints_both_sides() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "load_speed.py"), "--smoke", "--json"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(result.stdout[result.stdout.index("{") :])
    for fmt in ("iso2709", "marcxml"):
        side = data["results"][fmt]
        assert side["parse"]["records"] == side["load"]["records"] > 0
        assert side["load"]["records_per_s"] > 0 and side["parse"]["records_per_s"] > 0


def test_counts_benchmark_smoke_run_agrees_with_its_group_by() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "counts_speed.py"), "--smoke", "--json"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(result.stdout[result.stdout.index("{") :])
    assert data["load"]["with_counts_s"] > 0 and data["load"]["without_counts_s"] > 0
    for name in ("class_level", "theme_facets"):
        assert data["read"][name]["agree"] is True
        assert data["read"][name]["rows"] > 0

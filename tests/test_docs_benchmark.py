"""The document speed benchmark keeps working (run small: figures are not asserted)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT


def test_docs_benchmark_smoke_run_prints_both_sides_and_the_ratio() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "docs_speed.py"), "--smoke", "--json"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(result.stdout)
    medians = data["medians"]
    assert medians["extract"]["documents"] == medians["link"]["documents"] == 9
    assert medians["load"]["documents"] == 9
    assert medians["extract"]["chars"] == medians["link"]["chars"] == medians["load"]["chars"] > 0
    assert 0 < data["ratio_link_to_extract"] < 1

"""The document speed benchmark keeps working (run small: figures are not asserted)."""

from __future__ import annotations

from tests.conftest import smoke_run


def test_docs_benchmark_smoke_run_prints_both_sides_and_the_ratio() -> None:
    data = smoke_run("docs_speed.py")
    medians = data["medians"]
    assert medians["extract"]["documents"] == medians["link"]["documents"] == 9
    assert medians["load"]["documents"] == 9
    assert medians["extract"]["chars"] == medians["link"]["chars"] == medians["load"]["chars"] > 0
    assert 0 < data["ratio_link_to_extract"] < 1

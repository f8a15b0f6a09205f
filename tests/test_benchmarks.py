"""The load benchmark keeps working (run small: figures are not asserted, CI is noisy)."""

from __future__ import annotations

from tests.conftest import smoke_run


def test_load_benchmark_smoke_run_prints_both_sides() -> None:
    data = smoke_run("load_speed.py")
    for fmt in ("iso2709", "marcxml"):
        side = data["results"][fmt]
        assert side["parse"]["records"] == side["load"]["records"] == side["bulk"]["records"] > 0
        assert side["load"]["records_per_s"] > 0 and side["parse"]["records_per_s"] > 0
        assert side["ratio"] > 0 and side["bulk_ratio"] > 0


def test_counts_increment_smoke_run_loads_both_sides_and_keeps_the_counts_current() -> None:
    data = smoke_run("counts_increment.py")
    assert data["works_after"] > data["works_before"] > 0
    assert len(data["load"]["runs"]["with_counts"]) == len(data["load"]["overheads"]) == 2
    assert all(r["agree"] is True for r in data["read"].values() if isinstance(r, dict))


def test_counts_benchmark_smoke_run_agrees_with_its_group_by() -> None:
    data = smoke_run("counts_speed.py")
    assert data["load"]["with_counts_s"] > 0 and data["load"]["without_counts_s"] > 0
    for name in ("class_level", "theme_facets"):
        assert data["read"][name]["agree"] is True
        assert data["read"][name]["rows"] > 0

"""The search benchmark keeps working (run small: figures are not asserted, CI is noisy)."""

from __future__ import annotations

from tests.conftest import smoke_run


def test_search_benchmark_smoke_run_reports_every_query_set_and_side() -> None:
    data = smoke_run("search_speed.py")
    assert data["works"] == 2000 and data["documents"] == 2200 and data["facet_table_s"] >= 0
    assert set(data["results"]) == {"chinese", "pinyin", "english", "common"}
    for sides in data["results"].values():
        assert set(sides) == {
            "search", "search_again", "fts5_plain", "bm25_all", "like_scan",
            "length_walk", "length_pick",
        }  # fmt: skip
        assert all(side["p95_ms"] >= side["p50_ms"] > 0 for side in sides.values())
    assert all(n > 0 for n in data["queries_with_hits"].values())

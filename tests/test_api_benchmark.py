"""The API benchmark (issue 4, item 13) runs end to end in its smoke size: it builds a
small store, starts ``kg serve``, times the portal queries over HTTP beside their bare
store calls, and drives concurrent clients without errors. Figures are not asserted
(they depend on the machine); see docs/benchmarks.md for the real ones."""

from __future__ import annotations

from tests.conftest import smoke_run


def test_api_benchmark_smoke_runs_without_errors() -> None:
    out = smoke_run("api_speed.py", timeout=300)
    assert out["records"] == 300 and out["store"]["works"] > 0
    assert set(out["latency"]) == {"class_level", "theme_page", "search_zh"}
    for name, figures in out["latency"].items():
        assert figures["same_answer"], name
        assert figures["calls"], name  # the bare side replays what the query ran
        assert figures["http_p50_ms"] > 0 and figures["bare_p50_ms"] > 0
    assert [r["clients"] for r in out["throughput"]] == [2, 5]
    assert all(r["requests"] > 0 for r in out["throughput"])
    assert out["errors"] == 0

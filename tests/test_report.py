"""The load report: counts for everything, details kept up to a limit (big loads stay small)."""

from __future__ import annotations

import json

import pytest

import loaders.report
from loaders.report import LoadReport, MergedRecord


def test_details_are_capped_but_counts_are_not(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loaders.report, "DETAIL_LIMIT", 3)
    report = LoadReport("f.mrc", "JXUFE", "http://kg.test/run/1", "0" * 64, new=10)
    for n in range(5):
        report.add_merge(
            MergedRecord(str(n), "http://kg.test/instance/x", "isbn", "isbn:1", [], [])
        )
        report.unknown_notation(str(n), f"clc Y{n}")
    assert (report.merged_count, len(report.merged)) == (5, 3)
    assert (report.warning_count, len(report.warnings), report.unknown_notations()) == (5, 3, 5)
    assert report.reuse_ratio == 0.5
    text = report.render(limit=2)
    assert "merged      5 into existing instances (record reuse ratio 50%)" in text
    assert "… 3 more merges" in text and "… 3 more warnings" in text
    data = json.loads(report.to_json())
    assert data["merged_count"] == 5 and len(data["merged"]) == 3

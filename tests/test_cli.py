"""The curator's CLI: loads, reports, stats, review, exit codes and clear errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg_cli import cli
from tests.conftest import SAMPLE, shared


@pytest.fixture
def run(tmp_path: Path) -> CliRunner:
    return CliRunner(env={"KG_STORE": str(tmp_path / "store"), "KG_BASE": "http://kg.test/"})


def invoke(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_main_job_loads_the_sample_once_and_prints_stats(run: CliRunner) -> None:
    # `kg` alone is `kg demo` then `kg serve`: the serving half is tested in test_serve.py
    code, out = invoke(run, "demo")
    assert code == 0, out
    assert "Loading the bundled sample collection" in out
    assert "merged      15 into existing instances (record reuse ratio 38%)" in out
    assert "merged      5 into existing instances (record reuse ratio 100%)" in out
    assert "ECJTU              40      40         40      15" in out
    code, out = invoke(run, "demo")
    assert code == 0 and "already loaded" in out
    assert "JXUFE              50      50         50      15" in out


def test_load_marc_reports_rejections_with_file_record_offset_and_reason(
    run: CliRunner, tmp_path: Path
) -> None:
    assert invoke(run, "load", "roster", str(SAMPLE / "roster.csv"))[0] == 0
    # marc4j 008008027.mrc: 19 records, the last truncated
    bad = shared("marc/marc4j/test/resources/008008027.mrc")
    report_file = tmp_path / "report.json"
    code, out = invoke(
        run, "load", "marc", str(bad), "-i", "JXPL", "--silent", "--report-file", str(report_file)
    )
    assert code == 0, out
    assert "read        19 records" in out
    assert "loaded      18 (18 new, 0 replaced)" in out
    assert "rejected    1 {'truncated': 1}" in out
    assert "008008027.mrc: record 19 at byte" in out
    report = json.loads(report_file.read_text())[0]
    assert report["loaded"] == 18 and report["rejected"][0]["reason"] == "truncated"
    code, out = invoke(run, "load", "marc", str(bad), "-i", "JXPL", "--silent", "--strict")
    assert code == 3
    assert "unchanged   18" in out


def test_unknown_institution_is_a_clear_error(run: CliRunner) -> None:
    invoke(run, "load", "roster", str(SAMPLE / "roster.csv"))
    code, out = invoke(run, "load", "marc", str(SAMPLE / "jxufe-gwu.xml"), "-i", "NOPE")
    assert code == 1
    assert "Unknown institution code 'NOPE'. Known codes:" in out and "JXUFE" in out


def test_without_roster_the_error_says_what_to_do(run: CliRunner) -> None:
    code, out = invoke(run, "load", "marc", str(SAMPLE / "jxufe-gwu.xml"), "-i", "JXUFE")
    assert code == 1
    assert "run `kg load roster FILE` first" in out


def test_forced_flavour_and_format(run: CliRunner, tmp_path: Path) -> None:
    invoke(run, "load", "roster", str(SAMPLE / "roster.csv"))
    # a MARC21 file that sits in qa-catalogue's unimarc/ folder is detected as MARC21 ...
    firenze = shared("marc/qa-catalogue/src/test/resources/unimarc/short.firenze.1977.mrc")
    code, out = invoke(run, "load", "marc", str(firenze), "-i", "NCU", "--silent")
    assert code == 0 and "(iso2709, marc21)" in out
    # ... and a CNMARC file can be forced, even under a misleading name
    renamed = tmp_path / "records.dat"
    shutil.copy(SAMPLE / "jxau-dp2-cnmarc.xml", renamed)
    code, out = invoke(
        run,
        "load",
        "marc",
        str(renamed),
        "-i",
        "JXAU",
        "--silent",
        "--format",
        "marcxml",
        "--flavour",
        "unimarc",
    )
    assert code == 0 and "(marcxml, unimarc)" in out and "loaded      10" in out


def test_stats_review_and_named_query(run: CliRunner) -> None:
    invoke(run, "demo")
    code, out = invoke(run, "stats")
    assert code == 0 and "works 91  instances 93  items 115  load runs 5" in out
    assert "china-economic-development              8" in out
    code, out = invoke(run, "review")
    assert code == 0 and "No doubtful merges." in out
    code, out = invoke(run, "query", "institutions")
    assert code == 0 and "code=JXUFE" in out
    code, out = invoke(run, "query", "no_such_query")
    assert code == 1 and "No named query 'no_such_query'" in out


def test_bad_roster_names_file_and_line(run: CliRunner, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("code,alliance,name_zh\nA,JALA,甲\n,JALA,乙\n", encoding="utf-8")
    code, out = invoke(run, "load", "roster", str(roster))
    assert code == 1
    assert f"{roster}, line 3: empty institution code" in out


def test_holdings_profile_option(run: CliRunner, tmp_path: Path) -> None:
    invoke(run, "load", "roster", str(SAMPLE / "roster.csv"))
    profile = tmp_path / "gwu.toml"
    profile.write_text('[fields.949]\nbarcode = "b"\n', encoding="utf-8")
    gwu = shared("marc/marc2bibframe2/dataset/gwu.xml")
    code, out = invoke(
        run, "load", "marc", str(gwu), "-i", "JXUFE", "--silent", "--holdings", str(profile)
    )
    assert code == 0 and "holdings    99 items added" in out
    code, out = invoke(run, "query", "item_count")
    assert "items=99" in out
    profile.write_text('[fields.949]\nbarcod = "b"\n', encoding="utf-8")
    code, out = invoke(run, "load", "marc", str(gwu), "-i", "JXUFE", "--holdings", str(profile))
    assert code == 1 and "unknown key(s) barcod" in out


def test_vocabulary_and_places_commands(run: CliRunner) -> None:
    clc = shared("vocab/clc/clc5.md")
    code, out = invoke(run, "load", "vocab", "clc", str(clc), "--max-depth", "3")
    assert code == 0 and "2031 classes (22 top, depth ≤ 3)" in out
    vault = shared("vocab/chinese-thesaurus/abc202306_obsidian-vault")
    code, out = invoke(run, "load", "vocab", "thesaurus", str(vault))
    assert code == 0 and "791 terms" in out
    code, out = invoke(run, "load", "places", str(SAMPLE / "gazetteer.csv"))
    assert code == 0 and "51 places" in out
    code, out = invoke(run, "load", "vocab", "clc", str(SAMPLE / "roster.csv"))
    assert code == 1 and "roster.csv" in out


def test_load_reports_are_kept_as_json_beside_the_store(run: CliRunner, tmp_path: Path) -> None:
    invoke(run, "load", "roster", str(SAMPLE / "roster.csv"))
    code, _ = invoke(
        run, "load", "marc", str(SAMPLE / "jxau-dp2-cnmarc.xml"), "-i", "JXAU", "--silent"
    )
    assert code == 0
    [log] = list((tmp_path / "logs").glob("*.json"))
    report = json.loads(log.read_text(encoding="utf-8"))
    assert report["institution"] == "JXAU" and report["read"] == 10
    assert report["run"].endswith(log.stem)


def test_counts_shows_and_rebuilds_the_precomputed_counts(run: CliRunner) -> None:
    assert invoke(run, "demo")[0] == 0
    code, shown = invoke(run, "counts")
    assert code == 0 and "works in the union catalogue: 91" in shown
    code, rebuilt = invoke(run, "counts", "--rebuild")
    assert code == 0 and rebuilt.startswith("Rebuilt ")
    assert rebuilt.split("\n", 1)[1] == shown  # the loads had kept every count current


def test_load_themes_adds_a_theme_and_fills_it_from_the_works_already_loaded(
    run: CliRunner, tmp_path: Path
) -> None:
    assert invoke(run, "demo")[0] == 0
    themes = tmp_path / "themes.yaml"
    extra = """
  - id: development-reports
    labels: {zh-Hans: 发展报告, en: Development reports}
    description: Annual and thematic development reports (titles with 报告).
    rules:
      keyword: [发展报告]
"""
    themes.write_text((SAMPLE / "themes.yaml").read_text(encoding="utf-8") + extra, "utf-8")
    code, out = invoke(run, "load", "themes", str(themes))
    assert code == 0, out
    assert "7 themes" in out
    code, out = invoke(run, "stats")
    row = next(line for line in out.splitlines() if line.startswith("development-reports"))
    assert int(row.split()[-1]) > 0  # works of the sample already loaded are members now
    bad = tmp_path / "bad.yaml"
    bad.write_text("themes:\n  - id: x\n    rules: {clc: 42}\n", "utf-8")
    code, out = invoke(run, "load", "themes", str(bad))
    assert code == 1 and "bad.yaml" in out
    assert "development-reports" in invoke(run, "stats")[1]  # the failed load changed nothing

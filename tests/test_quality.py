"""Load-time quality checks (loaders/marc/checks.py) on the real broken and edge records of
../shared/data: which record, which check, what message; their findings in the graph and
the load report; ``kg quality`` and the GraphQL ``qualityReport`` on the bundled sample.

The expectations were read from the records themselves (record numbers are 1-based
positions in the file).
"""

from __future__ import annotations

import asyncio
import json
from functools import cache
from pathlib import Path

import pymarc
import pytest
from click.testing import CliRunner

from kg.backends.oxigraph import OxigraphStore
from kg.ids import Minter
from kg.model import BibRecord, Finding
from kg.quality import quality_report, to_csv
from kg.store import Param, Row, Store
from kg.terms import Lit
from kg.vocab import KG, RDF
from kg_cli import cli
from loaders.marc.checks import CheckContext, run_checks
from loaders.marc.errors import MappingError
from loaders.marc.holdings import mapper_for
from loaders.marc.loader import MarcLoader
from loaders.marc.reader import MarcFile, RawRecord
from loaders.sample import load_sample
from loaders.vocab.clc import read_clc
from schema import schema
from schema.context import Context
from tests.conftest import shared

BASE = "http://localhost:8000/"
M4J = "marc/marc4j/test/resources/"


def raw(path: str, number: int) -> tuple[RawRecord, BibRecord]:
    """Record ``number`` of a shared file, read and mapped (a stub if it cannot be mapped)."""
    marc = MarcFile(shared(path))
    item = next(i for i in marc if i.number == number)
    assert isinstance(item, RawRecord)
    try:
        rec = mapper_for(marc.flavour, None)(item.record)
    except MappingError:
        rec = BibRecord("-", marc.flavour)
    return item, rec


def findings(path: str, number: int, ctx: CheckContext | None = None) -> list[Finding]:
    item, rec = raw(path, number)
    return run_checks(item.record, rec, ctx or CheckContext("X"), item.warnings, item.number)


def only(found: list[Finding], check: str) -> list[Finding]:
    return [f for f in found if f.check == check]


# --- one check, one real record ---------------------------------------------------------


def test_isbn_with_a_wrong_check_digit() -> None:
    """NLM record 106025 (nlm.xml no. 99) catalogues ISBN 0805360122; its check digit is 3."""
    (f,) = only(findings("marc/marc2bibframe2/dataset/nlm.xml", 99), "isbn-check-digit")
    assert (f.severity, f.field) == ("error", "020")
    assert f.message.startswith("ISBN '0805360122' in 020 $a: wrong check digit 2, it should be 3")


def test_isbn_with_eleven_digits() -> None:
    """pride-and-prejudice-fixed.mrc no. 94 (168900): 020 $a '0-397-47189-17 (v. 1) :'."""
    (f,) = only(findings(M4J + "pride-and-prejudice-fixed.mrc", 94), "isbn-malformed")
    assert f.message == (
        "ISBN '0-397-47189-17 (v. 1) :' in 020 $a is not an ISBN: it has 11 digits, "
        "an ISBN has 10 or 13."
    )


def test_issn_with_a_qualifier_is_read_and_valid() -> None:
    """rero-ils documents_small.xml no. 369: 022 $a '1158-6621 (Explora)' is a valid ISSN."""
    found = findings("marc/rero-ils/data/documents_small.xml", 369)
    assert not [f for f in found if f.check.startswith("issn")]


def test_issn_check_digit() -> None:
    record = pymarc.Record()
    record.add_field(pymarc.Field("022", [" ", " "], [pymarc.Subfield("a", "0028-0837")]))
    (f,) = only(run_checks(record, BibRecord("1", "marc21"), CheckContext("X")), "issn-check-digit")
    assert (f.check, f.message) == (
        "issn-check-digit",
        "ISSN '0028-0837' in 022 $a: wrong check digit 7, it should be 6.",
    )


def test_missing_title() -> None:
    """marc2bibframe2's ConvSpec-880/marc.xml has no 245 at all."""
    (f,) = only(findings("marc/marc2bibframe2/test/data/ConvSpec-880/marc.xml", 1), "missing-title")
    assert (f.severity, f.message) == ("error", "No title: field 245 is missing.")


def test_880_without_subfield_6_and_its_orphaned_partner() -> None:
    """traject 880_with_no_6.utf8.marc: the 880 lost its $6, so 110's $6 880-01 points nowhere."""
    found = only(
        findings("marc/traject/test/test_support/880_with_no_6.utf8.marc", 1), "880-unpaired"
    )
    assert [(f.severity, f.field) for f in found] == [("warning", "880"), ("warning", "110")]
    assert "has no $6 linkage" in found[0].message
    assert found[1].message == "Field 110 has $6 880-01 but there is no 880 with $6 110-01."


def test_880_linked_to_a_tag_that_does_not_point_back() -> None:
    """Princeton scsb_cul_alt_title.mrx: the Arabic 880 says 245-03, but 246 carries 880-03."""
    path = "marc/pulibrary_bibdata/spec/fixtures/marc_to_solr/scsb_cul_alt_title.mrx"
    messages = [f.message for f in only(findings(path, 1), "880-unpaired")]
    assert messages[0].endswith("($6 245-03): no field 245 has $6 880-03.")
    assert messages[1] == "Field 246 has $6 880-03 but there is no 880 with $6 246-03."


def test_880_with_occurrence_00_is_information_only() -> None:
    """traject test_data.utf8.mrc no. 15 (92828023): a Hebrew 630 880 with $6 630-00."""
    found = only(findings("marc/traject/test/test_support/test_data.utf8.mrc", 15), "880-unpaired")
    assert [(f.severity, "630-00" in f.message) for f in found] == [("info", True)]


def test_double_encoded_utf8_repaired_by_the_reader_is_a_warning() -> None:
    """qa-catalogue short.bnr.1993.mrc (UNIMARC): "mÃ¼himme" is double-encoded "mühimme"."""
    path = "marc/qa-catalogue/src/test/resources/unimarc/short.bnr.1993.mrc"
    (f,) = only(findings(path, 1), "double-encoded-utf8")
    assert f.severity == "warning"
    assert "'mÃ¼himme' read as 'mühimme'" in f.message


def test_double_encoded_utf8_left_in_the_text_is_an_error() -> None:
    record = pymarc.Record()
    title = [pymarc.Subfield("a", "Les misÃ©rables")]
    record.add_field(pymarc.Field("245", ["0", "0"], title))
    (f,) = run_checks(record, BibRecord("1", "marc21"), CheckContext("X"))
    assert (f.check, f.severity) == ("double-encoded-utf8", "error")
    assert "reads 'Les misérables'" in f.message


def test_marc8_cjk_bytes_left_in_utf8() -> None:
    """pride-and-prejudice-fixed.mrc no. 304: 245 $c 'オ!$+i%9i%Fi%#i%s' (EACC katakana);
    its 440 $v 'オ(3)(3)' is flagged too."""
    found = only(findings(M4J + "pride-and-prejudice-fixed.mrc", 304), "marc8-in-utf8")
    f = found[0]
    assert (f.severity, f.field) == ("error", "245")
    assert "'!$+i%9i%Fi%#i%s' looks like MARC-8 CJK (EACC) bytes" in f.message
    assert [g.field for g in found] == ["245", "440"]


def test_marc8_escapes_removed_are_reported_from_the_reader() -> None:
    """pride-and-prejudice-with-many-errors.mrc no. 285 (377949): 020 '$1!|E(B' lost its ESCs."""
    (f,) = only(findings(M4J + "pride-and-prejudice-with-many-errors.mrc", 285), "marc8-in-utf8")
    assert f.severity == "warning" and "field 020" in f.message


def test_no_false_encoding_alarm_on_a_date_after_han_text() -> None:
    """Princeton 9918309193506421: '條目--2022年' is a dash and a year, not EACC bytes."""
    path = "marc/pulibrary_bibdata/spec/fixtures/marc_to_solr/9918309193506421.mrx"
    assert not only(findings(path, 1), "marc8-in-utf8")


def test_date_in_008_disagrees_with_260() -> None:
    """pymarc marc.dat no. 16 (205256): 008 says 2000 (type s), 260 $c says c1999."""
    (f,) = only(findings("marc/pymarc/test/marc.dat", 16), "date-mismatch")
    assert f.message == (
        "Date of publication 2000 in 008/06-14 (type 's') disagrees with 260 'c1999.' (1999)."
    )


def test_unimarc_date_in_100_disagrees_with_210() -> None:
    """A BnF UNIMARC record (bnf_anywhere_all_peter.xml no. 15): 100 says 1990, 210 1989."""
    path = "marc/rero-ils/tests/data/xml/bnf/bnf_anywhere_all_peter.xml"
    (f,) = only(findings(path, 15), "date-mismatch")
    assert (f.field, "1990 in 100 $a/08-16" in f.message) == ("100", True)


def test_dates_that_agree_are_not_reported() -> None:
    assert not only(findings("marc/pymarc/test/marc.dat", 1), "date-mismatch")


def test_unknown_language_code() -> None:
    """pride-and-prejudice-with-many-errors.mrc no. 292: 041 $a '(eng)'."""
    path = M4J + "pride-and-prejudice-with-many-errors.mrc"
    (f,) = only(findings(path, 292), "language-code")
    assert f.message == ("Unknown language code '(eng)' in 041: not in the MARC list of languages.")


def test_duplicate_control_numbers_within_a_file() -> None:
    """pride-and-prejudice-with-many-errors.mrc: records 42, 43 and 45 are all 000194998."""
    path = M4J + "pride-and-prejudice-with-many-errors.mrc"
    ctx = CheckContext("X", "many-errors.mrc")
    for number in (42, 43, 44, 45):
        found = only(findings(path, number, ctx), "duplicate-control-number")
        if number in (43, 45):
            assert [f.message for f in found] == [
                "Control number '000194998' (001) is also record 42 of this file; "
                "this record replaced it."
            ]
        else:
            assert not found


@cache
def clc_table() -> frozenset[str]:
    return frozenset(c.notation for c in read_clc(shared("vocab/clc/clc5.md")))


def test_clc_notations_against_the_full_table() -> None:
    """dp2's ten CNMARC records class under F124, F12 and D668: all in the CLC 5th edition;
    then the first one with its 690 $a changed (F124 has F124.1, .3-.9; F12 has no F122)."""
    path = "marc/dp2/dp2Catalog/SRU/sample_cnmarcxml.xml"
    ctx = CheckContext("X", clc=clc_table())
    for n in range(1, 11):
        assert not only(findings(path, n, ctx), "clc-unknown-class")
    item, _ = raw(path, 1)
    mapper = mapper_for("unimarc", None)
    cases = {
        "F124.9": [],  # 外国经济史 of F124 (中国经济): in the table
        "F124.96": [],  # deeper than F124.9, which has no narrower classes: digits may extend
        "F124.2": [("warning", "the table has no class 'F124.2' under F124")],
        "F122": [("warning", "the table has no class 'F122' under F12")],
        "Y12": [("error", "CLC notation 'Y12' in 690 is not well-formed")],
    }
    for notation, expected in cases.items():
        item.record["690"]["a"] = notation
        found = only(run_checks(item.record, mapper(item.record), ctx), "clc-unknown-class")
        assert [f.severity for f in found] == [s for s, _ in expected], notation
        assert all(e in f.message for f, (_, e) in zip(found, expected, strict=True))


# --- in the graph and the load report ---------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> OxigraphStore:
    store = OxigraphStore(None)
    load_sample(store, Minter(BASE))
    return store


def test_sample_findings_are_in_the_record_graphs(sample: OxigraphStore) -> None:
    ids = Minter(BASE)
    graph = ids.record_graph("JXUFE", "7704279")
    quads = list(sample.quads(graph))
    nodes = [s for s, p, o, _ in quads if p == RDF.type and o == KG.QualityFinding]
    assert nodes == [ids.record("JXUFE", "7704279") + "#finding0"]
    facts = {p: o for s, p, o, _ in quads if s == nodes[0]}
    assert facts[KG.check] == Lit("language-code")
    assert facts[KG.severity] == Lit("warning")
    assert facts[KG.field] == Lit("008")
    assert facts[KG.record] == ids.record("JXUFE", "7704279")


def test_load_report_counts_findings_and_a_reload_is_unchanged(
    mem_store: Store, ids: Minter
) -> None:
    reports = load_sample(mem_store, ids)
    assert [r.findings for r in reports] == [
        {"language-code/warning": 2},
        {"880-unpaired/info": 2},
        {},
        {},
        {},
    ]
    assert "quality     2 findings, 0 records with errors" in reports[0].render()
    again = MarcLoader(mem_store, ids, "JXUFE").load(
        Path(__file__).parents[1] / "sample" / "jxufe-gwu.xml"
    )
    assert (again.unchanged, again.findings) == (50, {"language-code/warning": 2})


def test_duplicate_control_number_across_files(
    mem_store: Store, ids: Minter, tmp_path: Path
) -> None:
    """A second file of the same member reuses a control number for another book."""
    load_sample(mem_store, ids)
    record = next(iter(pymarc.parse_xml_to_array(str(shared("marc/pymarc/test/batch.xml")))))
    record.remove_fields("001")
    record.add_ordered_field(pymarc.Field("001", data="7704279"))
    path = tmp_path / "jxufe-more.xml"
    path.write_bytes(pymarc.record_to_xml(record, namespace=True))
    report = MarcLoader(mem_store, ids, "JXUFE").load(path)
    assert report.findings["duplicate-control-number/warning"] == 1
    (row,) = [
        r
        for r in mem_store.select(
            "quality_record_findings", records=[ids.record("JXUFE", "7704279")]
        )
        if str(r["check"].value if isinstance(r["check"], Lit) else r["check"])
        == "duplicate-control-number"
    ]
    assert "was already loaded from jxufe-gwu.xml for a record with another title" in str(
        row["message"]
    )


def _with_control(record: pymarc.Record, control: str) -> pymarc.Record:
    record.remove_fields("001")
    record.add_ordered_field(pymarc.Field("001", data=control))
    return record


def test_earlier_loads_are_asked_per_batch_and_answer_as_before_the_run(
    mem_store: Store, ids: Minter, tmp_path: Path
) -> None:
    """One ``quality_loaded_records`` query per batch, for that batch's new control numbers
    only (a load no longer reads every record the member has); a number repeated in a later
    batch is judged against the store as it was before the run, not against this run's own
    earlier write: 7704279 (from jxufe-gwu.xml) comes twice, in batches 1 and 3."""
    load_sample(mem_store, ids)
    batch = pymarc.parse_xml_to_array(str(shared("marc/pymarc/test/batch.xml")))
    records = [
        _with_control(batch[0], "7704279"),
        _with_control(batch[1], "new-1"),
        _with_control(batch[0], "7704279"),
    ]
    path = tmp_path / "jxufe-more.xml"
    path.write_bytes(
        b'<collection xmlns="http://www.loc.gov/MARC21/slim">'
        + b"".join(pymarc.record_to_xml(r) for r in records)
        + b"</collection>"
    )
    asked: list[list[str]] = []
    select = mem_store.select

    def counting(name: str, **params: Param) -> list[Row]:
        if name == "quality_loaded_records":
            graphs = params["graphs"]
            assert isinstance(graphs, list)
            asked.append([str(g) for g in graphs])
        return select(name, **params)

    mem_store.select = counting  # type: ignore[method-assign]
    report = MarcLoader(mem_store, ids, "JXUFE", batch_size=1).load(path)
    assert asked == [
        [ids.record_graph("JXUFE", "7704279")],
        [ids.record_graph("JXUFE", "new-1")],
    ]
    assert report.findings["duplicate-control-number/warning"] == 2
    assert report.findings["duplicate-control-number/error"] == 1
    rows = mem_store.select("quality_record_findings", records=[ids.record("JXUFE", "7704279")])
    messages = sorted(
        str(r["message"].value if isinstance(r["message"], Lit) else r["message"])
        for r in rows
        if "duplicate" in str(r["check"])
    )
    assert messages == [
        "Control number '7704279' (001) is also record 1 of this file; this record replaced it.",
        "Control number '7704279' (001) was already loaded from jxufe-gwu.xml for a record "
        "with another title; this record from jxufe-more.xml replaced it.",
    ]


# --- kg quality and the GraphQL field ---------------------------------------------------


def test_quality_report_on_the_sample(sample: OxigraphStore) -> None:
    report = {m.code: m for m in quality_report(sample)}
    assert sorted(report) == ["ECJTU", "JXAU", "JXUFE", "NCU"]
    jxufe = report["JXUFE"]
    assert (jxufe.records, jxufe.records_with_errors, jxufe.records_with_findings) == (50, 0, 2)
    assert [(c.check, c.severity, c.findings) for c in jxufe.checks] == [
        ("language-code", "warning", 2)
    ]
    assert [q.control_number for q in jxufe.worst] == ["7704279", "7704450"]
    assert report["ECJTU"].worst == []  # information only
    assert to_csv([jxufe]).splitlines()[1] == "JXUFE,member,,,2,50,0.0000,,,0,,"


def test_kg_quality_command(tmp_path: Path) -> None:
    runner = CliRunner(env={"KG_STORE": str(tmp_path / "store"), "KG_BASE": BASE})
    assert runner.invoke(cli, ["demo"]).exit_code == 0
    result = runner.invoke(cli, ["quality", "--institution", "JXUFE"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:3] == [
        "JXUFE: 50 records, 0 with errors (error rate 0.0%), 2 with findings",
        "  language-code             warning        2 findings in 2 records",
        "  worst records:",
    ]
    out = tmp_path / "q.json"
    result = runner.invoke(cli, ["quality", "--format", "json", "--output", str(out)])
    assert result.exit_code == 0
    data = json.loads(out.read_text())
    assert [(m["code"], m["records"], m["error_rate"]) for m in data] == [
        ("ECJTU", 40, 0.0),
        ("JXAU", 10, 0.0),
        ("JXUFE", 50, 0.0),
        ("NCU", 15, 0.0),
    ]
    result = runner.invoke(cli, ["quality", "-i", "NOPE"])
    assert result.exit_code == 1 and "Unknown institution code 'NOPE'" in result.output


QUERY = """{ qualityReport(institution: "JXUFE", worst: 1) { code records recordsWithErrors
  errorRate checks { check severity findings records }
  worstRecords { controlNumber errors warnings findings { check severity field message } } } }"""


def test_graphql_quality_report(sample: OxigraphStore) -> None:
    ctx = Context(sample, Minter(BASE))
    result = asyncio.run(schema.execute(QUERY, context_value=ctx))
    assert result.errors is None, result.errors
    assert result.data == {
        "qualityReport": [
            {
                "code": "JXUFE",
                "records": 50,
                "recordsWithErrors": 0,
                "errorRate": 0.0,
                "checks": [
                    {"check": "language-code", "severity": "warning", "findings": 2, "records": 2}
                ],
                "worstRecords": [
                    {
                        "controlNumber": "7704279",
                        "errors": 0,
                        "warnings": 1,
                        "findings": [
                            {
                                "check": "language-code",
                                "severity": "warning",
                                "field": "008",
                                "message": "Unknown language code 'N/A' in 008/35-37: not in "
                                "the MARC list of languages.",
                            }
                        ],
                    }
                ],
            }
        ]
    }
    bad = asyncio.run(
        schema.execute('{ qualityReport(institution: "NOPE") { code } }', context_value=ctx)
    )
    assert bad.errors and "No member 'NOPE'" in bad.errors[0].message

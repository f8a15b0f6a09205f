"""MarcFile over real records: formats, flavours, encodings, positions.

Expectations are read from the files themselves (counts, offsets, line numbers) or from
a twin of the same records in another format or encoding.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pymarc
import pytest

from loaders.marc.reader import MarcFile, RawRecord, Rejection, detect_format

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
MARC = SHARED / "marc"
M4J = MARC / "marc4j" / "test" / "resources"
PYMARC = MARC / "pymarc" / "test"
TRAJECT = MARC / "traject" / "test" / "test_support"
DP2 = MARC / "dp2" / "dp2Catalog" / "SRU"
QA = MARC / "qa-catalogue" / "src" / "test" / "resources"
BNF = MARC / "rero-ils" / "tests" / "data" / "xml" / "bnf"
GWU = MARC / "marc2bibframe2" / "dataset" / "gwu.xml"


def records(path: Path, **kwargs: str) -> list[RawRecord]:
    """All records of a file, failing on any rejection."""
    items = list(MarcFile(path, **kwargs))
    rejected = [str(i) for i in items if isinstance(i, Rejection)]
    assert not rejected, rejected
    return [i for i in items if isinstance(i, RawRecord)]


def fields(item: RawRecord) -> list[str]:
    return [str(f) for f in item.record.fields]


# --- format ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (M4J / "summerland.mrc", "iso2709"),
        (PYMARC / "bad_records.mrc", "iso2709"),
        (GWU, "marcxml"),
        (PYMARC / "bad_tag.xml", "marcxml"),  # root element is the record itself
        (BNF / "bnf_anywhere_all_peter.xml", "marcxml"),  # SRU response
        (TRAJECT / "test_data.utf8.json", "json"),  # JSON Lines
        (M4J / "summerland-marc-in-json-indented.json", "json"),
        (PYMARC / "batch.json", "json"),  # a JSON array
    ],
)
def test_format_is_detected_from_content(path: Path, expected: str) -> None:
    assert detect_format(path) == expected
    assert MarcFile(path).format == expected


def test_format_can_be_forced_and_is_checked() -> None:
    # Read as ISO 2709, an XML file is one unterminated "record": a rejection, no crash.
    items = list(MarcFile(M4J / "summerland.xml", format="iso2709"))
    assert [(type(i).__name__, getattr(i, "reason", None)) for i in items] == [
        ("Rejection", "truncated")
    ]
    with pytest.raises(ValueError, match="unknown MARC format"):
        MarcFile(M4J / "summerland.mrc", format="mrc")
    with pytest.raises(ValueError, match="unknown MARC flavour"):
        MarcFile(M4J / "summerland.mrc", flavour="cnmarc")


# --- flavour --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        # ICCU SBN export in MARC21 (245, 008, 040) although it sits in qa-catalogue's unimarc/
        (QA / "unimarc" / "short.firenze.1977.mrc", "marc21"),
        (M4J / "not_unimarc_errors_3.mrc", "marc21"),
        (GWU, "marc21"),
        (DP2 / "sample_marcxml.xml", "marc21"),  # dp2's ten records converted to MARC21
        (TRAJECT / "test_data.utf8.json", "marc21"),
        (BNF / "bnf_anywhere_all_peter.xml", "unimarc"),  # BnF via SRU, MARCXchange v2
        (BNF / "bnf_ean_any_123.xml", "unimarc"),
        (DP2 / "sample_cnmarcxml.xml", "unimarc"),  # namespace http://www.nlc.cn/
        (DP2 / "sample_unimarcxml.xml", "unimarc"),
        (DP2 / "sample_kormarcxml.xml", "unimarc"),  # CNMARC content under a KORMARC name
        (PYMARC / "testunimarc.dat", "unimarc"),
        (QA / "unimarc" / "short.bnr.1993.mrc", "unimarc"),
        (QA / "unimarc" / "serial.bnr.1993.mrc", "unimarc"),
    ],
)
def test_flavour_is_detected_from_content(path: Path, expected: str) -> None:
    assert MarcFile(path).flavour == expected


def test_flavour_can_be_forced() -> None:
    marc = MarcFile(QA / "unimarc" / "short.firenze.1977.mrc", flavour="unimarc")
    assert marc.flavour == "unimarc"
    assert len(records(QA / "unimarc" / "short.firenze.1977.mrc", flavour="unimarc")) == 10


def test_bnf_unimarc_records_inside_sru() -> None:
    """49 MARCXchange records; SRU position 46 is a server diagnostic, not a record."""
    items = list(MarcFile(BNF / "bnf_anywhere_all_peter.xml"))
    assert len(items) == 50
    bad = [i for i in items if isinstance(i, Rejection)]
    assert [(r.number, r.reason) for r in bad] == [(46, "sru-diagnostic")]
    assert "problème de connexion" in bad[0].detail
    first = items[0]
    assert isinstance(first, RawRecord)
    assert first.record["001"].data == "FRBNF43288550000000X"
    assert str(first.record.leader) == "     ccm  22     3n 450 "
    assert first.record["100"]["a"].startswith("20110330d1973")


def test_cnmarc_records_keep_pinyin_subfields_and_blank_leaders() -> None:
    """dp2's first CNMARC leader is '01576nam0-2200409---4500': '-' are blanks."""
    cn = records(DP2 / "sample_cnmarcxml.xml")
    assert len(cn) == 10
    assert str(cn[0].record.leader) == "01576nam0 2200409   4500"
    assert all("-" not in str(r.record.leader) for r in cn)
    codes = {sf.code for r in cn for f in r.record.get_fields("200") for sf in f.subfields}
    assert "A" in codes  # pinyin of the title proper sits in $A
    # the same ten records under the UNIMARC and KORMARC names decode identically
    for twin in ("sample_unimarcxml.xml", "sample_kormarcxml.xml"):
        assert [fields(r) for r in records(DP2 / twin)] == [fields(r) for r in cn]


# --- MARCXML --------------------------------------------------------------------------


def test_gwu_marc21_slim() -> None:
    """99 records; 17 carry CJK text in 131 880 fields; lines are where <record> opens."""
    gwu = records(GWU)
    assert len(gwu) == 99
    assert [r.number for r in gwu] == list(range(1, 100))
    lines = [
        n for n, text in enumerate(GWU.read_text("utf-8").splitlines(), 1) if "<record" in text
    ]
    assert [r.line for r in gwu] == lines
    assert all(r.offset is None and r.encoding == "utf-8" for r in gwu)
    cjk = re.compile("[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")
    assert sum(1 for r in gwu if cjk.search(str(r.record))) == 17
    assert sum(len(r.record.get_fields("880")) for r in gwu) == 131


def test_marcxml_agrees_with_pymarc_apart_from_nfc() -> None:
    """Same fields as pymarc's own XML reader, but NFC: gwu.xml has decomposed accents."""
    ours = records(GWU)
    theirs = pymarc.parse_xml_to_array(str(GWU))  # type: ignore[no-untyped-call]
    changed = 0
    for mine, ref in zip(ours, theirs, strict=True):
        assert str(mine.record.leader) == str(ref.leader)
        expected = [unicodedata.normalize("NFC", str(f)) for f in ref.fields]
        changed += expected != [str(f) for f in ref.fields]
        assert fields(mine) == expected
    assert changed > 0  # the comparison above did exercise normalisation


# --- twins ----------------------------------------------------------------------------


def test_traject_iso_xml_and_json_twins_are_the_same_records() -> None:
    """traject's 30 LC/Stanford records (6 CJK, 81 880s) as ISO 2709, MARCXML, JSON."""
    iso = records(TRAJECT / "test_data.utf8.mrc")
    xml = records(TRAJECT / "test_data.utf8.marc.xml")
    jsn = records(TRAJECT / "test_data.utf8.json")
    assert len(iso) == len(xml) == len(jsn) == 30
    for a, b, c in zip(iso, xml, jsn, strict=True):
        assert fields(a) == fields(b) == fields(c)
        assert str(a.record.leader) == str(b.record.leader) == str(c.record.leader)
    assert sum(len(r.record.get_fields("880")) for r in iso) == 81


@pytest.mark.parametrize(
    ("iso", "other"),
    [
        (M4J / "chabon.mrc", M4J / "chabon.xml"),
        (M4J / "summerland.mrc", M4J / "summerland.xml"),
        (M4J / "summerland.mrc", M4J / "summerland-marc-in-json.json"),
        (PYMARC / "one.dat", PYMARC / "one.json"),
    ],
)
def test_marc4j_and_pymarc_twins(iso: Path, other: Path) -> None:
    assert [fields(r) for r in records(iso)] == [fields(r) for r in records(other)]


# --- encodings ------------------------------------------------------------------------


def _iso_record(values: list[bytes], coding: bytes) -> bytes:
    """A well-formed ISO 2709 record holding each value as a 500 $a (for MARC-8 lines)."""
    data = [b"  \x1fa" + v + b"\x1e" for v in values]
    directory = b"".join(
        b"500%04d%05d" % (len(d), sum(len(x) for x in data[:i])) for i, d in enumerate(data)
    )
    base = 24 + len(directory) + 1
    length = base + sum(len(d) for d in data) + 1
    leader = b"%05dnam%s 22%05d   4500" % (length, coding[:1], base)
    return leader + directory + b"\x1e" + b"".join(data) + b"\x1d"


def test_marc8_line_pairs_decode_to_their_utf8_twins(tmp_path: Path) -> None:
    """pymarc's 1,515 MARC-8 ⇄ UTF-8 line pairs (Arabic, CJK EACC, ...) through the reader."""
    marc8 = (PYMARC / "test_marc8.txt").read_bytes().split(b"\n")
    utf8 = (PYMARC / "test_utf8.txt").read_text("utf-8").split("\n")
    pairs = [(m, u) for m, u in zip(marc8, utf8, strict=True) if m]
    assert len(pairs) == 1515
    path = tmp_path / "marc8.mrc"
    path.write_bytes(
        b"".join(_iso_record([m for m, _ in pairs[i : i + 200]], b" ") for i in range(0, 1515, 200))
    )
    got = records(path, flavour="marc21")
    assert {r.encoding for r in got} == {"marc-8"}
    values = [f["a"] for r in got for f in r.record.get_fields("500")]
    assert values == [unicodedata.normalize("NFC", u) for _, u in pairs]
    assert sum(len(re.findall("[\u4e00-\u9fff\u3040-\u30ff]", v)) for v in values) > 5000


def test_marc8_chinese_from_marc4j_equals_its_utf8_twin() -> None:
    """chinese_mangled_multibyte.mrc: records 2 and 3 are MARC-8 (EACC, then NCRs), 4 UTF-8."""
    recs = records(M4J / "chinese_mangled_multibyte.mrc")
    assert [r.encoding for r in recs] == ["marc-8", "marc-8", "marc-8", "utf-8"]
    assert str(recs[1].record.leader)[9] == " "
    assert fields(recs[1]) == fields(recs[3]) == fields(recs[2])
    title = recs[3].record.get_fields("880")[0]
    assert title["a"] == "車輪滾滾"


def test_marc8_greek_with_character_references_equals_utf8_twin() -> None:
    """greekmissingcharsetchange.mrc record 2 writes accented Greek as mark + &#x03B1;."""
    recs = records(M4J / "greekmissingcharsetchange.mrc")
    assert [r.encoding for r in recs] == ["marc-8", "marc-8", "utf-8"]
    assert fields(recs[1]) == fields(recs[2])
    assert recs[1].record.get_fields("880")[0]["a"] == "Η αγορά στη Μεσόγειο :"


def test_utf8_with_and_without_leader_flag_decode_the_same() -> None:
    """Same record, leader/09 'a' vs blank: the blank one is UTF-8 anyway and says so."""
    flagged = records(PYMARC / "utf8_with_leader_flag.dat")[0]
    unflagged = records(PYMARC / "utf8_without_leader_flag.dat")[0]
    assert str(flagged.record.leader)[9] == "a"
    assert str(unflagged.record.leader)[9] == " "
    assert fields(flagged) == fields(unflagged)
    assert flagged.encoding == unflagged.encoding == "utf-8"
    assert flagged.warnings == []
    assert unflagged.warnings == ["leader/09 says MARC-8 but the text is UTF-8; read as UTF-8"]
    # pymarc alone, trusting leader/09, turns the UTF-8 bytes into MARC-8 garbage
    with (PYMARC / "utf8_without_leader_flag.dat").open("rb") as fh:
        plain = next(iter(pymarc.MARCReader(fh, hide_utf8_warnings=True)))
    assert plain is not None
    assert [str(f) for f in plain.fields] != fields(unflagged)


def test_utf8_text_is_nfc_normalised() -> None:
    """brkrtest_UTF8.mrc stores accents decomposed; every value comes out composed."""
    raw = (M4J / "brkrtest_UTF8.mrc").read_bytes().decode("utf-8")
    assert not unicodedata.is_normalized("NFC", raw)
    for item in records(M4J / "brkrtest_UTF8.mrc"):
        for fld in item.record.fields:
            values = [fld.data or ""] if fld.control_field else [s.value for s in fld.subfields]
            assert all(unicodedata.is_normalized("NFC", v) for v in values)
    with (M4J / "brkrtest_UTF8.mrc").open("rb") as fh:
        plain = [r for r in pymarc.MARCReader(fh) if r is not None]
    ours = records(M4J / "brkrtest_UTF8.mrc")
    assert [fields(r) for r in ours] == [
        [unicodedata.normalize("NFC", str(f)) for f in r.fields] for r in plain
    ]


def test_unimarc_double_encoded_utf8_is_repaired() -> None:
    """qa-catalogue's Romanian UNIMARC: UTF-8 read as Latin-1 and encoded again."""
    recs = records(QA / "unimarc" / "short.bnr.1993.mrc")
    assert len(recs) == 10
    title = recs[0].record["200"]["a"]
    assert title == "3 numarali mühimme defteri (966-968) - (1558-1560)"
    assert "text was UTF-8 encoded twice; repaired ('mÃ¼himme' read as 'mühimme')" in (
        recs[0].warnings
    )
    assert all("encoded twice" in " ".join(r.warnings) for r in recs)


def test_unimarc_utf8_record_from_pymarc() -> None:
    rec = records(PYMARC / "testunimarc.dat")[0]
    assert rec.encoding == "utf-8"
    assert rec.record["200"]["a"] == "\x88L'\x89altra faccia della spirale"  # NSB/NSE kept
    assert rec.record["100"]["a"][26:28] == "50"  # declared Unicode, so no warning
    assert rec.warnings == []


# --- positions ------------------------------------------------------------------------


def test_record_numbers_and_byte_offsets() -> None:
    """Offsets are where each leader starts; 008008027.mrc's records are back to back."""
    data = (M4J / "008008027.mrc").read_bytes()
    starts = [0] + [m.end() for m in re.finditer(b"\x1d", data)]
    items = list(MarcFile(M4J / "008008027.mrc"))
    assert [i.number for i in items] == list(range(1, 20))
    assert [i.offset for i in items] == starts[:19]
    assert all(i.line is None for i in items)


def test_offsets_skip_line_breaks_between_records() -> None:
    """qa-catalogue's 000-line-seperated.mrc puts a newline after every record."""
    path = QA / "general" / "000-line-seperated.mrc"
    data = path.read_bytes()
    recs = records(path)
    assert len(recs) == 20
    assert [r.offset for r in recs] == [0, *[m.end() + 1 for m in re.finditer(b"\x1d", data)][:19]]
    starts = [r.offset or 0 for r in recs]
    assert [data[s : s + 5] for s in starts] == [str(r.record.leader)[:5].encode() for r in recs]


def test_json_lines_have_line_numbers() -> None:
    recs = records(MARC / "searchworks_traject_indexer" / "authorTests.jsonl")
    assert len(recs) == 66
    assert [r.line for r in recs] == list(range(1, 67))
    assert recs[0].record["240"]["0"] == "(DE-101c)310008891"


def test_rejection_reads_like_a_sentence() -> None:
    rejection = list(MarcFile(M4J / "008008027.mrc"))[-1]
    assert isinstance(rejection, Rejection)
    assert str(rejection).startswith(
        f"{M4J / '008008027.mrc'}: record 19 at byte 62502: truncated record (the file ends "
        "3034 bytes into the record"
    )
    xml = list(MarcFile(MARC / "pulibrary_bibdata/spec/fixtures/marc_to_solr/SCSB-9879349.mrx"))
    assert str(xml[-1]).endswith(
        "SCSB-9879349.mrx: record 2 at line 70: broken XML (XML is not well-formed: Premature "
        "end of data in tag collection line 1, line 70, column 20)"
    )


def test_iterating_twice_reads_the_file_again() -> None:
    marc = MarcFile(M4J / "chabon.mrc")
    assert [fields(r) for r in marc if isinstance(r, RawRecord)] == [
        fields(r) for r in marc if isinstance(r, RawRecord)
    ]


# --- speed ----------------------------------------------------------------------------


def test_iso2709_reading_finds_what_bare_pymarc_finds(tmp_path: Path) -> None:
    """Same records as pymarc on a mix of real files (speed: benchmarks/reader_speed.py)."""
    sources = [
        M4J / "pride-and-prejudice-fixed.mrc",
        QA / "general" / "BooksAll.2014.part01-0001.mrc",
        TRAJECT / "test_data.utf8.mrc",
        PYMARC / "marc.dat",
        M4J / "065001035.mrc",
    ]
    path = tmp_path / "mixed.mrc"
    path.write_bytes(b"".join(p.read_bytes() for p in sources) * 2)
    with pytest.MonkeyPatch.context() as mp, path.open("rb") as fh:
        mp.setattr("sys.stderr", io.StringIO())  # pymarc prints MARC-8 complaints
        reader = pymarc.MARCReader(fh, permissive=True, hide_utf8_warnings=True)
        bare = sum(1 for r in reader if r is not None)
    ours = sum(1 for r in MarcFile(path) if isinstance(r, RawRecord))
    assert bare == ours == 2 * (383 + 100 + 30 + 20 + 40)

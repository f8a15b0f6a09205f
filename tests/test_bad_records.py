"""The "Bad and edge inputs" of ../shared/data/README.md, one by one.

For each file: how many records load, which record numbers are rejected and why. The
expected outcomes were established by reading the bytes of each file; where the bytes
allow a record to be read that pymarc alone rejects (or silently garbles), the test says
so and checks what was read.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pymarc
import pytest

from loaders.marc.reader import MarcFile, RawRecord, Rejection

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
MARC = SHARED / "marc"
M4J = MARC / "marc4j" / "test" / "resources"
PYMARC = MARC / "pymarc" / "test"
TRAJECT = MARC / "traject" / "test" / "test_support"
QA = MARC / "qa-catalogue" / "src" / "test" / "resources"
PUL = MARC / "pulibrary_bibdata" / "spec" / "fixtures"
DP2 = MARC / "dp2" / "dp2Catalog" / "SRU"

PRIDE_BAD_DIRECTORY = [93, 184, 203, 248, 265, 266, 267, 268, 275, 280, 287, 311, 336, 338, 356]
PRIDE_BAD_DIRECTORY += [377]
PRIDE_ISO_6937 = [238, 291, 293, 296, 297, 298, 337]

# (file, records in the file, {record number: reason} of the rejected ones)
OUTCOMES: list[tuple[Path, int, dict[int, str]]] = [
    # -- leader oddities
    (M4J / "bad-characters-in-various-fields.mrc", 1, {}),
    (M4J / "bad_leaders_10_11.mrc", 1, {}),
    (M4J / "datos-20161010-slice.mrc", 1, {}),
    (DP2 / "sample_cnmarcxml.xml", 10, {}),
    (PUL / "files" / "alma" / "incremental_11_records.xml", 11, {}),
    # -- truncated / broken structure
    (M4J / "008008027.mrc", 19, {19: "truncated"}),
    (M4J / "bad_hathi_records.mrc", 5, {}),
    (M4J / "bad_oversize_field_bad_directory.mrc", 5, {2: "bad-directory"}),
    (
        M4J / "pride-and-prejudice-with-many-errors.mrc",
        383,
        dict.fromkeys(PRIDE_BAD_DIRECTORY, "bad-directory")
        | dict.fromkeys([*PRIDE_ISO_6937, 374], "bad-encoding"),
    ),
    (M4J / "185258.mrc", 1, {}),
    (M4J / "unordered-directory-entries.mrc", 1, {}),
    (M4J / "bad_too_long_plus_2.mrc", 3, {}),
    (PYMARC / "bad_records.mrc", 8, {4: "bad-directory", 5: "bad-directory", 7: "missing-fields"}),
    # -- encoding
    (M4J / "incomplete_esc_seq.mrc", 1, {1: "bad-encoding"}),
    (M4J / "chinese_mangled_multibyte.mrc", 4, {}),
    (M4J / "greekmissingcharsetchange.mrc", 3, {}),
    (M4J / "cyrillic_capital_e.mrc", 2, {}),
    (PYMARC / "bad_eacc_encoding.dat", 1, {}),
    (PYMARC / "bad_marc8_escape.dat", 1, {}),
    (PYMARC / "utf8_invalid.mrc", 1, {}),
    (PYMARC / "utf8_errors.dat", 1, {}),
    (PYMARC / "utf8_with_leader_flag.dat", 1, {}),
    (PYMARC / "utf8_without_leader_flag.dat", 1, {}),
    (TRAJECT / "bad_utf_byte.utf8.marc", 1, {1: "bad-encoding"}),
    (TRAJECT / "escaped_character_reference.marc8.marc", 1, {}),
    (QA / "unimarc" / "short.bnr.1993.mrc", 10, {}),
    (M4J / "pride-and-prejudice-fixed.mrc", 383, {}),
    # -- 880 linkage (a mapping matter: the reader loads them all)
    (TRAJECT / "880_with_no_6.utf8.marc", 1, {}),
    (MARC / "searchworks_traject_indexer" / "unmatched880sTests.jsonl", 7, {}),
    (MARC / "marc2bibframe2/test/data/ConvSpec-880/marc-subfield6-processing.xml", 1, {}),
    # -- XML
    (M4J / "chabon-missing-controlfield-tag.xml", 1, {1: "missing-tag"}),
    (M4J / "chabon-missing-datafield-tag.xml", 1, {1: "missing-tag"}),
    (M4J / "chabon-missing-subfield-code.xml", 1, {1: "missing-code"}),
    (M4J / "chabon-bad-subfields-element.xml", 1, {}),
    (M4J / "cruel-cruel-indicatorless-summerland.xml", 1, {}),
    (PYMARC / "bad_tag.xml", 1, {}),
    (QA / "marcxml" / "wrong-marcxml.xml", 3, {}),
    (
        PUL / "files" / "alma" / "comparison" / "voyager_scsb_32101089814220.xml",
        1,
        {1: "xml-error"},
    ),
    (PUL / "marc_to_solr" / "SCSB-9879349.mrx", 2, {2: "xml-error"}),
    (PUL / "marc_to_solr" / "99118383073506421.mrx", 1, {}),
    (PUL / "marc_to_solr" / "99125398364906421.mrx", 1, {}),
    (PUL / "marc_to_solr" / "9914591663506421.mrx", 1, {}),
    (PUL / "marc_to_solr" / "9919643053506421.mrx", 1, {}),
    (PUL / "marc_to_solr" / "9990889283506421.mrx", 1, {}),
    (M4J / "illegal-marc-in-json.json", 1, {1: "json-error"}),
    # -- format mislabels
    (QA / "unimarc" / "short.firenze.1977.mrc", 10, {}),
    (M4J / "not_unimarc_errors_3.mrc", 3, {}),
]


@pytest.mark.parametrize(
    ("path", "total", "rejected"), OUTCOMES, ids=[p.name for p, _, _ in OUTCOMES]
)
def test_outcome(path: Path, total: int, rejected: dict[int, str]) -> None:
    items = list(MarcFile(path))
    assert [i.number for i in items] == list(range(1, total + 1))
    assert {i.number: i.reason for i in items if isinstance(i, Rejection)} == rejected
    for item in items:
        if isinstance(item, Rejection):
            assert item.detail
            assert str(item).startswith(f"{path}: record {item.number} at ")


def read(path: Path) -> list[RawRecord | Rejection]:
    return list(MarcFile(path))


def loaded(path: Path) -> list[RawRecord]:
    return [i for i in read(path) if isinstance(i, RawRecord)]


def fields(item: RawRecord) -> list[str]:
    return [str(f) for f in item.record.fields]


def pymarc_permissive(path: Path) -> list[type[Exception] | None]:
    """What pymarc's own permissive MARCReader makes of each record (None = read)."""
    with path.open("rb") as fh:
        reader = pymarc.MARCReader(fh, permissive=True, hide_utf8_warnings=True)
        out: list[type[Exception] | None] = []
        for record in reader:
            exc = reader.current_exception
            out.append(None if record is not None else type(exc) if exc else Exception)
        return out


# --- ISO 2709 structure ---------------------------------------------------------------


def test_bad_records_mrc() -> None:
    """pymarc's bad_records.mrc, in the given order.

    * 1 working record
    * 2 base address 99937 (pymarc: BaseAddressInvalid) -- the directory ends at byte 36,
      so the data starts at 37: read, identical to record 1
    * 3 base address 00000 (pymarc: BaseAddressNotFound) -- read the same way
    * 4 13-byte directory ``2450089000001`` (RecordDirectoryInvalid) -- rejected
    * 5 non-ASCII byte in the directory ``245ù0890000`` (UnicodeDecodeError) -- rejected
    * 6 base address ``f0037`` (ValueError) -- read like record 2
    * 7 a leader and nothing else (NoFieldsFound) -- rejected
    * 8 working record
    and a line break after the last terminator, which pymarc takes for a ninth, truncated
    record and this reader skips.
    """
    assert pymarc_permissive(PYMARC / "bad_records.mrc") == [
        None,
        pymarc.BaseAddressInvalid,
        pymarc.BaseAddressNotFound,
        pymarc.RecordDirectoryInvalid,
        UnicodeDecodeError,
        ValueError,
        pymarc.NoFieldsFound,
        None,
        pymarc.TruncatedRecord,
    ]
    items = read(PYMARC / "bad_records.mrc")
    good = [i for i in items if isinstance(i, RawRecord)]
    assert [i.number for i in good] == [1, 2, 3, 6, 8]
    assert all(fields(i) == fields(good[0]) for i in good)
    assert good[0].record["245"]["a"] == "The pragmatic programmer : "
    assert good[1].warnings == [
        "base address of data (leader/12-16) is '99937' but the directory ends at byte 36; "
        "data read from byte 37"
    ]
    assert [i.offset for i in items] == [0, 127, 254, 381, 509, 637, 764, 790]
    rejected = {i.number: i.detail for i in items if isinstance(i, Rejection)}
    assert "not a whole number of 12-byte entries" in rejected[4]
    assert "non-ASCII byte" in rejected[5]
    assert rejected[7] == "the directory is empty: the record has no fields"


def test_last_record_of_008008027_is_truncated() -> None:
    """18 of 19 load; the 19th stops 3034 bytes into a record whose leader says 3475."""
    items = read(M4J / "008008027.mrc")
    last = items[-1]
    assert isinstance(last, Rejection)
    assert (last.number, last.offset, last.reason) == (19, 62502, "truncated")
    assert "3034 bytes into the record" in last.detail
    assert "'03475'" in last.detail


def test_records_longer_than_99999_bytes_are_read() -> None:
    """Three records too long for ISO 2709; each writer broke the directory differently.

    * datos-20161010-slice.mrc: leader length 99999 for 214,804 bytes; offsets past 99999
      are written with six digits (pymarc: UnicodeDecodeError on misaligned fields)
    * bad_hathi_records.mrc record 4: length and base address saturated at 99999, a
      151,848-byte directory (pymarc: EndOfRecordNotFound, and it never reaches record 5)
    * bad_too_long_plus_2.mrc record 1: length 123375 written as '23375', offsets wrap at
      100000 (pymarc reads it without error but cuts fields in the wrong places)
    All fields are located by their lengths and end on a field terminator.
    """
    datos = loaded(M4J / "datos-20161010-slice.mrc")[0]
    assert len(datos.record.fields) == 989
    assert datos.record["245"]["a"] == "Calculadora graficadora TI-nspirecx CAS"
    assert datos.record.fields[-1]["x"].endswith("(18.018.611-5)")
    assert datos.warnings[0] == (
        "record length (leader/00-04) is '99999' but the record is 214804 bytes, "
        "more than ISO 2709 allows (99999)"
    )

    hathi = read(M4J / "bad_hathi_records.mrc")
    assert pymarc_permissive(M4J / "bad_hathi_records.mrc") == [
        None,
        None,
        None,
        pymarc.EndOfRecordNotFound,
    ]
    assert [i.number for i in hathi if isinstance(i, RawRecord)] == [1, 2, 3, 4, 5]
    big = hathi[3]
    assert isinstance(big, RawRecord)
    assert (big.offset, len(big.record.fields)) == (6343, 12654)
    assert big.record["245"]["a"] == "United States congressional serial set."
    data = (M4J / "bad_hathi_records.mrc").read_bytes()[6343:]
    directory = data[24 : data.index(b"\x1e")]
    tags = [directory[i : i + 3].decode() for i in range(0, len(directory), 12)]
    assert [f.tag for f in big.record.fields] == tags  # 12,582 of them are 974 (items)

    plus2 = read(M4J / "bad_too_long_plus_2.mrc")
    first = plus2[0]
    assert isinstance(first, RawRecord)
    assert len(first.record.fields) == 1517
    assert [f.tag for f in first.record.fields[:3]] == ["001", "035", "005"]
    assert first.record["245"]["a"] == "Reports and memoranda."
    assert not any(w.startswith("pymarc:") for w in first.warnings)  # no misaligned field
    assert [i.offset for i in plus2] == [0, 123375, 124682]


def test_bad_oversize_field_bad_directory() -> None:
    """Record 2 has a 520 of 11,242 bytes: its 13-byte directory entry breaks the layout."""
    items = read(M4J / "bad_oversize_field_bad_directory.mrc")
    bad = items[1]
    assert isinstance(bad, Rejection)
    assert (bad.offset, bad.reason) == (1571, "bad-directory")
    assert "217 bytes, not a whole number of 12-byte entries" in bad.detail
    assert next(i.record["245"]["a"] for i in items if isinstance(i, RawRecord)) == (
        "Beim Haus der inklusiven Schule"
    )


def test_185258_non_ascii_indicator() -> None:
    """pymarc returns None: 082's first indicator is the byte 0xB2. Read, indicator blank."""
    assert pymarc_permissive(M4J / "185258.mrc") == [UnicodeDecodeError]
    rec = loaded(M4J / "185258.mrc")[0]
    assert rec.record["082"].indicators == pymarc.Indicators(" ", " ")
    assert rec.record["082"]["a"] == "155.4/23"
    assert rec.record["245"]["a"] == "Social class, language and communication"
    assert rec.warnings == ["field 082: indicator byte(s) 0xB2 are not valid; read as blank"]


def test_unordered_directory_keeps_directory_order() -> None:
    """The second 020, 336 and 650 come before the first in the data; fields stay in
    directory order and nothing needs repairing."""
    data = (M4J / "unordered-directory-entries.mrc").read_bytes()
    directory = data[24 : data.index(b"\x1e")]
    offsets = [int(directory[i + 7 : i + 12]) for i in range(0, len(directory), 12)]
    assert offsets != sorted(offsets)
    rec = loaded(M4J / "unordered-directory-entries.mrc")[0]
    assert rec.warnings == []
    assert rec.record["245"]["a"] == "About parrots :"
    assert [f.tag for f in rec.record.fields] == [
        directory[i : i + 3].decode() for i in range(0, len(directory), 12)
    ]


def test_pride_and_prejudice_with_many_errors_against_its_fixed_twin() -> None:
    """383 records, 24 rejected, the rest read as their twin in the fixed file says.

    * 16 directories miss their first byte (pymarc: RecordDirectoryInvalid)
    * 7 say UTF-8 (leader/09 'a') but hold ISO 5426/6937 accents (0xC2 'e' for é)
    * record 374 says UTF-8 but has a Latin-1 Ø in 852 $b
    * 61 others say UTF-8 but are MARC-8: read as MARC-8, with a warning
    The fixed twin was made by marc4j, which also unescaped XML entities, dropped empty
    subfields, lower-cased subfield codes and sorted fields; compared after the same.
    It also "repaired" MARC-8 whose escape bytes were lost ($1...(B), not always rightly
    (NT$160 became NT60); those 29 records are flagged here instead.
    """
    errors = read(M4J / "pride-and-prejudice-with-many-errors.mrc")
    fixed = loaded(M4J / "pride-and-prejudice-fixed.mrc")

    def norm(item: RawRecord) -> list[tuple[object, ...]]:
        out: list[tuple[object, ...]] = []
        for f in item.record.fields:
            if f.control_field:
                out.append((f.tag, f.data))
            else:
                subs = tuple((s.code.lower(), html.unescape(s.value)) for s in f.subfields)
                out.append((f.tag, tuple(f.indicators or ()), tuple(s for s in subs if s[1])))
        return sorted(out)

    good = [i for i in errors if isinstance(i, RawRecord)]
    assert len(good) == 359
    assert sum(1 for i in good if i.encoding == "marc-8") == 61
    differ = [i for i in good if norm(i) != norm(fixed[i.number - 1])]
    assert len(differ) == 29
    assert all(any("escape bytes (0x1B) were removed" in w for w in i.warnings) for i in differ)
    rejected = {i.number: i.detail for i in errors if isinstance(i, Rejection)}
    assert "looks like ISO 5426/6937" in rejected[238]
    assert "field 852" in rejected[374]
    assert "[0xD8]" in rejected[374]


def test_marc8_residue_in_the_fixed_twin_is_kept_as_written() -> None:
    """pride-and-prejudice-fixed.mrc record 304 still has MARC-8 bytes inside UTF-8."""
    rec = loaded(M4J / "pride-and-prejudice-fixed.mrc")[303]
    assert rec.record.get_fields("245")[0]["c"] == "オ!$+i%9i%Fi%#i%s [著] ; 中野好夫 訳."


# --- encodings ------------------------------------------------------------------------


def test_leader_09_is_a_control_character() -> None:
    """bad-characters-in-various-fields.mrc: leader/09 is 0x14; so are 010's indicators."""
    rec = loaded(M4J / "bad-characters-in-various-fields.mrc")[0]
    assert str(rec.record.leader)[9] == "\x14"
    assert rec.encoding == "utf-8"  # plain ASCII: every reading gives the same text
    assert rec.warnings[0] == (
        "character coding scheme (leader/09) is '\\x14', neither 'a' nor blank; "
        "the text is plain ASCII"
    )
    assert rec.warnings[1].startswith("field 010 contains the control character 0x14")
    assert rec.record["245"]["a"] == "The scroll"


def test_incomplete_marc8_escape_names_the_field() -> None:
    bad = read(M4J / "incomplete_esc_seq.mrc")[0]
    assert isinstance(bad, Rejection)
    assert bad.detail.startswith("field 880 is not valid MARC-8")


def test_bad_utf8_byte_that_is_no_clean_marc8_either() -> None:
    """traject's bad_utf_byte: 0xC0 and 0x80 in a UTF-8 record; 0x80 has no MARC-8 mapping."""
    bad = read(TRAJECT / "bad_utf_byte.utf8.marc")[0]
    assert isinstance(bad, Rejection)
    assert bad.detail.startswith("leader/09 says UTF-8 but field 300:")
    assert "0x80" in bad.detail


def test_mangled_eacc_loads_with_warnings() -> None:
    """chinese_mangled_multibyte.mrc record 1: '[', ']' and '|' were deleted from EACC."""
    first = loaded(M4J / "chinese_mangled_multibyte.mrc")[0]
    assert first.encoding == "marc-8"
    assert first.warnings[0].startswith("MARC-8: 35 character(s) have no Unicode mapping")
    assert first.warnings[1] == (
        "MARC-8: 19 incomplete multibyte (EACC) character(s); replaced by spaces"
    )


def test_greek_without_charset_change_loses_punctuation() -> None:
    """Record 1 never escapes back from Greek: its ASCII punctuation has no mapping there."""
    first, _, utf8 = loaded(M4J / "greekmissingcharsetchange.mrc")
    assert first.warnings == [
        "MARC-8: 21 character(s) have no Unicode mapping (0x3a, 0x2c, 0x2d, 0x37, 0x3d); "
        "replaced by spaces"
    ]
    assert first.record["245"]["a"] == utf8.record["245"]["a"] == "Hē agora stē Mesogeio :"


def test_bad_eacc_encoding() -> None:
    rec = loaded(PYMARC / "bad_eacc_encoding.dat")[0]
    assert rec.encoding == "marc-8"
    assert rec.record["245"]["a"] == "Beikoku no tōchi no shikumi"
    assert rec.warnings == [
        "MARC-8: 3 character(s) have no Unicode mapping (0x7b3639, 0x323466, 0x367d1b); "
        "replaced by spaces",
        "MARC-8: 1 incomplete multibyte (EACC) character(s); replaced by spaces",
    ]


def test_marc8_escape_and_utf8_errors_files_read_cleanly() -> None:
    marc8 = loaded(PYMARC / "bad_marc8_escape.dat")[0]
    assert marc8.encoding == "marc-8"
    assert marc8.record["245"]["a"] == "Bulletin de la Société linnenne de Bordeaux."
    utf8 = loaded(PYMARC / "utf8_errors.dat")[0]
    assert utf8.encoding == "utf-8"
    assert utf8.record["245"]["a"] == "[Imperial military middle school, Ṣanʻāʾ]"


def test_utf8_invalid_is_a_damaged_subfield_code() -> None:
    """The only bad bytes are U+FFFD where 260's second subfield code should be."""
    rec = loaded(PYMARC / "utf8_invalid.mrc")[0]
    assert rec.encoding == "utf-8"
    assert rec.warnings == [
        "field 260: subfield code byte 0xEF is not ASCII; pymarc read it as 'b' in "
        "'\ufffdbAssociation of Teach'"
    ]


def test_not_unimarc_errors_3() -> None:
    """MARC21 with one damaged subfield code per record (0xB9, 0xA7, 0xA4): UTF-8 text."""
    recs = loaded(M4J / "not_unimarc_errors_3.mrc")
    assert [r.encoding for r in recs] == ["utf-8"] * 3
    assert [w[0].split(":")[0] for w in (r.warnings for r in recs)] == [
        "field 776",
        "field 880",
        "field 880",
    ]
    title = recs[1].record.get_fields("880")[1]
    assert title.subfields[1] == pymarc.Subfield("[", "[?]代语文视野下的鲁迅研究 /")


def test_marc8_numeric_character_reference() -> None:
    rec = loaded(TRAJECT / "escaped_character_reference.marc8.marc")[0]
    assert rec.record["260"]["a"] == "Rio de Janeiro escaped replacement char: \ufffd ."


def test_cyrillic_capital_e_turned_delimiter_is_not_repaired() -> None:
    """MARC-8 Cyrillic Э is 0x7C '|', which some system made a subfield delimiter."""
    recs = loaded(M4J / "cyrillic_capital_e.mrc")
    publisher = next(f for f in recs[0].record.get_fields("880") if f["6"].startswith("260"))
    assert [(s.code, s.value) for s in publisher.subfields][2:4] == [("b", ""), ("K", "SMO,")]


# --- XML ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "detail"),
    [
        (
            "chabon-missing-controlfield-tag.xml",
            "controlfield at line 5 has no tag attribute (value '20041229190604.0')",
        ),
        (
            "chabon-missing-datafield-tag.xml",
            "datafield at line 61 has no tag attribute (value 'Bildungsromane. gsafd')",
        ),
        (
            "chabon-missing-subfield-code.xml",
            "subfield of field 020 at line 8 has no code attribute "
            "(value '0679450041 (acid-free paper)')",
        ),
    ],
)
def test_missing_attributes_reject_the_record(name: str, detail: str) -> None:
    """pymarc raises KeyError for the whole file; here the record is rejected at line 2."""
    with pytest.raises(KeyError):
        pymarc.parse_xml_to_array(str(M4J / name))  # type: ignore[no-untyped-call]
    (bad,) = read(M4J / name)
    assert isinstance(bad, Rejection)
    assert (bad.line, bad.detail) == (2, detail)


def test_unexpected_subfields_element_is_reported() -> None:
    rec = loaded(M4J / "chabon-bad-subfields-element.xml")[0]
    assert rec.warnings == ["unexpected element <subfields> at line 8 ignored"]
    assert rec.record["020"].subfields == []


def test_indicatorless_field() -> None:
    rec = loaded(M4J / "cruel-cruel-indicatorless-summerland.xml")[0]
    assert rec.record["911"].indicators == pymarc.Indicators(" ", " ")
    assert rec.warnings == [
        "1 datafield(s) with missing, empty or long indicators (first: 911 at line 51); "
        "read as blank or first character"
    ]


def test_bad_tag_xml() -> None:
    """pymarc: RecordLeaderInvalid for the 17-character leader '      Z   22 4500'."""
    rec = loaded(PYMARC / "bad_tag.xml")[0]
    assert str(rec.record.leader) == "      Z   22        4500"
    assert rec.record["042"]["a"] == "dc"
    assert rec.record["245"]["a"] == "The Untamed"
    assert rec.warnings[1] == "datafield tag '42' at line 12 is not three characters"


def test_wrong_marcxml() -> None:
    """qa-catalogue: a 23-character third leader and a non-numeric SID field."""
    recs = loaded(QA / "marcxml" / "wrong-marcxml.xml")
    assert [r.line for r in recs] == [3, 58, 109]
    assert recs[0].record["SID"]["b"] == "LOC"
    assert str(recs[2].record.leader) == "00000nam  22       a4500"
    assert recs[2].warnings[0].startswith("leader '00000nam  22      a4500' has 23 characters")


@pytest.mark.parametrize(
    ("name", "leader"),
    [
        ("99118383073506421.mrx", "01244ccm a2200337z  4500"),
        ("99125398364906421.mrx", "04198cam a22004692  4500"),
        ("9914591663506421.mrx", "01093cam a2200277   4500"),
        ("9919643053506421.mrx", "00907cam a22002655  4500"),
        ("9990889283506421.mrx", "04966cmm a2200733   4500"),
    ],
)
def test_pulibrary_collapsed_leaders_are_realigned(name: str, leader: str) -> None:
    """The README's "leaderless" .mrx files have leaders, with runs of blanks collapsed."""
    rec = loaded(PUL / "marc_to_solr" / name)[0]
    assert str(rec.record.leader) == leader
    assert "blanks collapsed?" in rec.warnings[0]


def test_not_well_formed_xml() -> None:
    """An unescaped '&' at line 44 is inside the only record: nothing loads."""
    (bad,) = read(PUL / "files" / "alma" / "comparison" / "voyager_scsb_32101089814220.xml")
    assert isinstance(bad, Rejection)
    assert (bad.line, bad.reason) == (44, "xml-error")
    assert "xmlParseEntityRef" in bad.detail


def test_truncated_xml_keeps_the_record_before_the_break() -> None:
    good, bad = read(PUL / "marc_to_solr" / "SCSB-9879349.mrx")
    assert isinstance(good, RawRecord)
    assert (good.line, good.record["001"].data) == (2, "SCSB-9879349")
    assert isinstance(bad, Rejection)
    assert (bad.number, bad.line, bad.reason) == (2, 70, "xml-error")


def test_hash_and_hyphen_leader_blanks() -> None:
    """pulibrary writes '#' for blanks in 4 of 11 leaders (at 09 among others)."""
    path = PUL / "files" / "alma" / "incremental_11_records.xml"
    raw = re.findall(r"<(?:\w+:)?leader>([^<]*)</", path.read_text("utf-8"))
    assert sum(1 for leader in raw if leader[9] == "#") == 4
    alma = loaded(path)
    assert [str(r.record.leader) for r in alma] == [leader.replace("#", " ") for leader in raw]
    assert all(r.warnings == [] for r in alma)


def test_illegal_marc_in_json() -> None:
    """Raw line breaks inside JSON strings (pymarc accepts them with strict=False)."""
    (bad,) = read(M4J / "illegal-marc-in-json.json")
    assert isinstance(bad, Rejection)
    assert bad.detail == "line 170 column 36: Invalid control character at"


def test_880_without_subfield_6_is_kept() -> None:
    rec = loaded(TRAJECT / "880_with_no_6.utf8.marc")[0]
    no_six = [f for f in rec.record.get_fields("880") if f.get("6") is None]
    assert no_six

"""MARC21 → model, with expectations read from the real records."""

from __future__ import annotations

import pymarc
import pytest

from kg.model import BibRecord, Text
from loaders.marc.errors import MappingError
from loaders.marc.marc21 import map_marc21
from loaders.marc.reader import MarcFile, RawRecord
from tests.conftest import shared


def records(relative: str) -> list[pymarc.Record]:
    return pymarc.parse_xml_to_array(str(shared(relative)))


def by_control(relative: str, control: str) -> BibRecord:
    for r in records(relative):
        if r["001"] and r["001"].data == control:
            return map_marc21(r)
    raise AssertionError(f"{control} not in {relative}")


@pytest.fixture(scope="module")
def gwu_cjk() -> BibRecord:
    # gwu.xml record 11865869: 245 10 $6880-02 "Xin Zhongguo dui wai guan xi 60 nian"
    return by_control("marc/marc2bibframe2/dataset/gwu.xml", "11865869")


def test_880_title_becomes_tagged_literals_on_one_title(gwu_cjk: BibRecord) -> None:
    title = gwu_cjk.main_title()
    assert title is not None
    assert title.main == [
        Text("Xin Zhongguo dui wai guan xi 60 nian", "zh-Latn-pinyin"),
        Text("新中国对外关系 60 年", "zh-Hans"),
    ]
    assert title.subtitle == [
        Text("li lun yu shi jian", "zh-Latn-pinyin"),
        Text("理论与实践", "zh-Hans"),
    ]


def test_880_publication_edition_series_and_agents(gwu_cjk: BibRecord) -> None:
    pub = gwu_cjk.provision[0]
    assert pub.kind == "Publication"
    assert pub.places == [Text("Shanghai", "zh-Latn-pinyin"), Text("上海", "zh-Hani")]
    assert pub.agents == [
        Text("Shanghai ren min chu ban she", "zh-Latn-pinyin"),
        Text("上海人民出版社", "zh-Hani"),
    ]
    assert pub.dates == [Text("2009"), Text("2009")]
    assert gwu_cjk.edition == [Text("Di 1 ban", "zh-Latn-pinyin"), Text("第1版", "zh-Hani")]
    assert gwu_cjk.series[0].title[1] == Text("东方学术文库", "zh-Hans")
    assert gwu_cjk.series[0].volume == "di 27 juan"
    first = gwu_cjk.contributions[0]
    assert first.primary and first.agent.kind == "Organization"
    assert first.agent.names[1].lang == "zh-Hans"
    assert first.agent.names[1].value.startswith("上海市社会科学界联合会")


def test_identifiers_isbn13_with_original_oclc_lccn(gwu_cjk: BibRecord) -> None:
    got = [(i.kind, i.value, i.original) for i in gwu_cjk.identifiers]
    assert ("Isbn", "9787208089587", "9787208089587") in got
    assert ("Isbn", "9787208089587", "7208089582") in got  # ISBN-10 normalised, original kept
    assert ("OclcNumber", "505750172", "(OCoLC)ocn505750172") in got
    assert ("Lccn", "2011386904", "  2011386904") in got
    assert gwu_cjk.isbns() == ["9787208089587", "9787208089587"]


def test_language_date_subject_and_class(gwu_cjk: BibRecord) -> None:
    assert gwu_cjk.languages == ["chi", "eng"]  # 008/35-37, then 041 $a chi $f eng
    assert gwu_cjk.date == "2009"
    subject = gwu_cjk.subjects[0]
    assert subject.scheme == "lcsh"  # 651 _0
    assert subject.label == [Text("China--Foreign relations--1949---Congresses")]
    assert [(p.kind, p.label) for p in subject.parts] == [
        ("Place", "China"),
        ("Topic", "Foreign relations"),
        ("Temporal", "1949-"),
        ("GenreForm", "Congresses"),
    ]
    c = gwu_cjk.classifications[0]
    assert (c.scheme, c.notation, c.item) == ("lcc", "DS777.8", ".S424 2009")


def test_unmatched_880_is_kept_and_scripts_tagged() -> None:
    # marc2bibframe2 ConvSpec-880 marc-subfield6-processing.xml: 880 $6 700-00 has no partner
    rec = map_marc21(
        records("marc/marc2bibframe2/test/data/ConvSpec-880/marc-subfield6-processing.xml")[0]
    )
    added = [c for c in rec.contributions if not c.primary]
    assert [n for c in added for n in c.agent.names] == [Text("许思豪", "zh-Hans")]
    assert added[0].roles == ["editor"]
    # 490 with a Cyrillic 880 ((N): romanised partner is ru-Latn only if the language says so
    series = rec.series[0].title
    assert series[1] == Text("Серия политик / CES", "zh-Cyrl")
    # 260 $6880-05 partner in Japanese kanji within a chi record stays Han
    assert Text("東京都新宿区", "zh-Hant") in rec.provision[0].places
    subject = rec.subjects[0]
    assert subject.label[1] == Text("曹素功 1615-1689--Criticism and interpretation", "zh-Hani")


def test_relators_and_authority_uris() -> None:
    # ConvSpec names marc_uris.xml record 20858356 (it has no 245: one is added for the test)
    r = records("marc/marc2bibframe2/test/data/ConvSpec-1XX,6XX,7XX,8XX-names/marc_uris.xml")[0]
    r.add_field(pymarc.Field("245", pymarc.Indicators("0", "0"), [pymarc.Subfield("a", "T")]))
    rec = map_marc21(r)
    first = rec.contributions[0]
    assert first.primary and first.agent.kind == "Person"
    assert first.agent.names == [Text("Amīn, Ḥusayn Aḥmad")]
    assert first.roles == ["author"]
    assert first.agent.uris == [
        "http://example.org/names/n83170323",
        "http://viaf.org/viaf/27297150/",
    ]
    translator = next(c for c in rec.contributions if c.roles == ["translator"])
    assert translator.agent.names == [Text("Amin, Yasmin")] and not translator.primary
    besterman = next(c for c in rec.contributions if c.agent.dates == "1904-1976")
    assert besterman.roles == ["editor"]
    roosevelt = rec.subjects[0]
    assert (roosevelt.kind, roosevelt.scheme) == ("Person", "lcsh")
    assert roosevelt.uris == ["http://id.loc.gov/authorities/names/n79027239"]


def test_record_without_title_is_rejected_with_reason() -> None:
    r = records("marc/marc2bibframe2/dataset/gwu.xml")[0]
    r.remove_fields("245")
    with pytest.raises(MappingError) as err:
        map_marc21(r)
    assert err.value.reason == "missing-title"
    assert r["001"].data in err.value.detail


def test_searchworks_unmatched_880s_are_not_dropped() -> None:
    """Every 880 of the searchworks unmatched-880 cases keeps its text in the record."""
    path = shared("marc/searchworks_traject_indexer/unmatched880sTests.jsonl")
    checked = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        record = next(iter(pymarc.JSONReader(line)))
        rec = map_marc21(record)
        texts = " ".join(t.value for t in _all_text(rec))
        for f880 in record.get_fields("880"):
            for sub in f880.subfields:
                if sub.code != "6" and sub.value.startswith("vern"):
                    assert sub.value in texts, (rec.control_number, sub)
                    checked += 1
    assert checked >= 10


def _all_text(rec: BibRecord) -> list[Text]:
    out: list[Text] = list(rec.unlinked) + rec.edition + rec.summaries
    for p in rec.provision:
        out += p.places + p.agents + p.dates
    for sub in rec.subjects:
        out += sub.label
    for t in rec.titles:
        out += t.main + t.subtitle
    for c in rec.contributions:
        out += c.agent.names
    for n in rec.notes:
        out += n.text
    for s in rec.series:
        out += s.title
    return out


def test_traject_880_with_no_6_is_kept_unlinked() -> None:
    # traject 880_with_no_6.utf8.marc 3468569: one 880 has $7 instead of $6
    [raw] = list(MarcFile(shared("marc/traject/test/test_support/880_with_no_6.utf8.marc")))
    assert isinstance(raw, RawRecord)
    rec = map_marc21(raw.record)
    title = rec.main_title()
    assert title is not None
    assert [t.lang for t in title.main] == ["ru-Latn", "ru-Cyrl"]
    assert title.main[1].value == "Личные архивные фонды в государственных хранилищах СССР"
    assert any("Главное архивное управление" in t.value for t in rec.unlinked)


def test_pulibrary_880_without_script_code() -> None:
    # pulibrary ark_99226236706421: 880 $6 245-01 (no script code), Chinese
    path = shared("marc/pulibrary_bibdata/spec/fixtures/files/alma/ark_99226236706421.xml")
    [raw] = [r for r in MarcFile(path) if isinstance(r, RawRecord)]
    rec = map_marc21(raw.record)
    title = rec.main_title()
    assert title is not None
    assert title.main[1] == Text("小凉山彝族毕摩经典影印集成", "zh-Hans")
    assert title.main[0].lang == "zh-Latn-pinyin"
    assert Text("昆明", "zh-Hani") in rec.provision[0].places
    # three_records_one_bad_utf8.xml 99125394249206421: Russian, 100 with an 880
    path = shared(
        "marc/pulibrary_bibdata/spec/fixtures/files/alma/full_dump/three_records_one_bad_utf8.xml"
    )
    raws = {r.record["001"].data: r for r in MarcFile(path) if isinstance(r, RawRecord)}
    author = map_marc21(raws["99125394249206421"].record).contributions[0].agent
    assert [n.lang for n in author.names] == ["ru-Latn", "ru-Cyrl"]
    assert author.names[1].value.startswith("Черёмушкин, Пётр")

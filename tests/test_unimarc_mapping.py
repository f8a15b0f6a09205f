"""CNMARC/UNIMARC → model, with expectations read from the real records.

Records: dp2's SRU samples (CNMARC from Beijing Normal University, in the
cnmarcxml and unimarcxml namespaces), BnF UNIMARC (marcxchange, from rero-ils),
pymarc's UNIMARC test record (ICCU), qa-catalogue's Romanian (BNR) and Sudoc
records. A few fields that none of them carries are tested on a real record
with one field added or removed ("derived" below).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pymarc
import pytest
from lxml import etree
from pymarc import Field, Indicators, Subfield

from kg.model import (
    Agent,
    BibRecord,
    Classification,
    Contribution,
    Holding,
    Identifier,
    Note,
    Provision,
    Series,
    Subject,
    SubjectPart,
    Text,
    Title,
)
from loaders.marc.errors import MappingError
from loaders.marc.unimarc import DEFAULT_HOLDING_TAGS, map_unimarc
from tests.conftest import shared

DP2 = "marc/dp2/dp2Catalog/SRU/sample_cnmarcxml.xml"
DP2_UNIMARC = "marc/dp2/dp2Catalog/SRU/sample_unimarcxml.xml"
BNF = "marc/rero-ils/tests/data/xml/bnf"
QA = "marc/qa-catalogue/src/test/resources/unimarc"
HANS, HANI, PINYIN = "zh-Hans", "zh-Hani", "zh-Latn-pinyin"


# --- reading the files ----------------------------------------------------------------


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def xml_records(path: Path) -> Iterator[pymarc.Record]:
    """MARCXML-like records in any namespace (SRU-wrapped CNMARC, marcxchange)."""
    for element in etree.parse(str(path)).iter("{*}record"):
        children = [c for c in element if isinstance(c.tag, str)]
        if not any(_local(c) == "leader" for c in children):
            continue  # the SRU <record> wrapper
        record = pymarc.Record()
        for child in children:
            name = _local(child)
            if name == "leader":
                record.leader = pymarc.Leader(child.text or "")
            elif name == "controlfield":
                record.fields.append(Field(tag=child.get("tag") or "", data=child.text or ""))
            elif name == "datafield":
                indicators = Indicators(child.get("ind1") or " ", child.get("ind2") or " ")
                subfields = [
                    Subfield(s.get("code") or "", s.text or "")
                    for s in child
                    if isinstance(s.tag, str)
                ]
                record.fields.append(
                    Field(tag=child.get("tag") or "", indicators=indicators, subfields=subfields)
                )
        yield record


def iso_records(path: Path) -> list[pymarc.Record]:
    with path.open("rb") as fh:
        return [r for r in pymarc.MARCReader(fh, to_unicode=True, force_utf8=True) if r]


def mrctxt_record(path: Path) -> pymarc.Record:
    """qa-catalogue's line format: ``TAG I1I2 $aValue$bValue`` (one record)."""
    record = pymarc.Record()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("LEADER "):
            record.leader = pymarc.Leader(line[7:])
        elif line[:3] < "010":
            record.fields.append(Field(tag=line[:3], data=line[4:]))
        else:
            parts = line[6:].lstrip().split("$")[1:]
            record.fields.append(
                Field(
                    tag=line[:3],
                    indicators=Indicators(line[4], line[5]),
                    subfields=[Subfield(p[0], p[1:]) for p in parts],
                )
            )
    return record


def by_control(records: Iterator[pymarc.Record] | list[pymarc.Record]) -> dict[str, pymarc.Record]:
    return {str(r["001"].data): r for r in records}


@pytest.fixture(scope="module")
def dp2() -> dict[str, pymarc.Record]:
    return by_control(xml_records(shared(DP2)))


@pytest.fixture(scope="module")
def bnf() -> dict[str, pymarc.Record]:
    out: dict[str, pymarc.Record] = {}
    for path in sorted(shared(BNF).glob("*.xml")):
        out.update(by_control(xml_records(path)))
    return out


@pytest.fixture(scope="module")
def bnr() -> dict[str, pymarc.Record]:
    out: dict[str, pymarc.Record] = {}
    for name in ("short.bnr.1993.mrc", "serial.bnr.1993.mrc"):
        out.update(by_control(iso_records(shared(f"{QA}/{name}"))))
    return out


@pytest.fixture(scope="module")
def first_dp2(dp2: dict[str, pymarc.Record]) -> BibRecord:
    # 200 1# $a'94中国发展报告 $A'94Zhong Guo Fa Zhan Bao Gao $f国家统计局编 $F...
    return map_unimarc(dp2["990002180740203961"])


# --- dp2 CNMARC: the first record, field by field --------------------------------------


def test_record_level_data_from_leader_100_101_102(first_dp2: BibRecord) -> None:
    # leader 01576nam0-2200409---4500 ('-' for blanks); 100 $a20020204d1994...
    assert first_dp2.control_number == "990002180740203961"
    assert first_dp2.flavour == "unimarc"
    assert (first_dp2.status, first_dp2.content_type, first_dp2.issuance) == (
        "new",
        "Text",
        "monograph",
    )
    assert (first_dp2.languages, first_dp2.country, first_dp2.date) == (["chi"], "CN", "1994")


def test_isbn_and_system_number(first_dp2: BibRecord) -> None:
    # 010 $a7-5037-1744-0 $dCNY68.00 ; 035 $a(aleph)000218074BNU03
    assert first_dp2.identifiers == [
        Identifier("Isbn", "9787503717444", "7-5037-1744-0"),
        Identifier("Local", "000218074BNU03", "(aleph)000218074BNU03", source="aleph"),
    ]
    assert first_dp2.isbns() == ["9787503717444"]


def test_title_with_pinyin_partner_and_uniform_title(first_dp2: BibRecord) -> None:
    assert first_dp2.titles == [
        Title(
            "main", [Text("'94中国发展报告", HANS), Text("'94Zhong Guo Fa Zhan Bao Gao", PINYIN)]
        ),
        Title("uniform", [Text("中国发展报告", HANS)]),  # 500 10 $a中国发展报告
    ]
    assert first_dp2.unlinked == []


def test_responsibility_notes_and_cataloguing_source(first_dp2: BibRecord) -> None:
    assert first_dp2.notes == [
        Note(
            "responsibility", [Text("国家统计局编", HANS), Text("Guo Jia Tong Ji Ju Bian", PINYIN)]
        ),
        Note("general", [Text("本书由叶震与李强等主编。", HANS)]),  # 300
        Note("bibliography", [Text("有书目。", HANS)]),  # 320
        Note("cataloguing-source", [Text("CN BNU 19950626")]),  # 801 #0
        Note("cataloguing-source", [Text("CN BSD 19951009")]),  # 801 #2
    ]


def test_publication_and_physical_description(first_dp2: BibRecord) -> None:
    # 210 $a北京 $c中国统计出版社 $d1994 ; 215 $a320页 $c图 $d27cm
    assert first_dp2.provision == [
        Provision(
            "Publication", [Text("北京", HANI)], [Text("中国统计出版社", HANS)], [Text("1994")]
        ),
    ]
    assert first_dp2.extent == [Text("320页", HANS)]
    assert first_dp2.dimensions == [Text("27cm")]


def test_topical_subject_with_subdivisions(first_dp2: BibRecord) -> None:
    # 606 $a经济发展 $x概况 $y中国 $z1994 (no $2: scheme "local")
    assert first_dp2.subjects == [
        Subject(
            "Topic",
            [Text("经济发展--概况--中国--1994", HANS)],
            "local",
            [
                SubjectPart("Topic", "经济发展"),
                SubjectPart("Topic", "概况"),
                SubjectPart("Place", "中国"),
                SubjectPart("Temporal", "1994"),
            ],
        ),
    ]


def test_clc_classification(first_dp2: BibRecord) -> None:
    assert first_dp2.classifications == [Classification("clc", "F124", edition="3")]  # 690


def test_contributors_with_pinyin_and_chinese_relator_terms(first_dp2: BibRecord) -> None:
    # 701 #0 $a叶震 $AXie Zhen $4主编 ; 701 #0 $a李强 ... ; 711 02 $a国家统计局 ... $4编
    assert first_dp2.contributions == [
        Contribution(Agent("Person", [Text("叶震", HANS), Text("Xie Zhen", PINYIN)]), ["主编"]),
        Contribution(Agent("Person", [Text("李强", HANS), Text("Li Qiang", PINYIN)]), ["主编"]),
        Contribution(
            Agent("Organization", [Text("国家统计局", HANS), Text("Guo Jia Tong Ji Ju", PINYIN)]),
            ["编"],
        ),
    ]


def test_905_holding_collects_the_barcodes_of_its_906_copies(first_dp2: BibRecord) -> None:
    # 905 $aBNU $dF124 $e26 $sF124/26 ; 906 $a211260 $b1683011 $dF124 $e26 (x3) ; 995 $aF124/26
    assert first_dp2.holdings == [
        Holding("F124/26", "BNU", barcodes=["1683011", "1683012", "1683013"]),
    ]


def test_holding_tags_are_configurable(dp2: dict[str, pymarc.Record]) -> None:
    record = dp2["990002180740203961"]
    assert DEFAULT_HOLDING_TAGS == ("905", "906", "995")
    assert map_unimarc(record, holding_tags=("905",)).holdings == [Holding("F124/26", "BNU")]
    # 906 alone: shelf mark from $d/$e, CALIS library code, one holding for three copies
    assert map_unimarc(record, holding_tags=("906",)).holdings == [
        Holding("F124/26", "211260", barcodes=["1683011", "1683012", "1683013"]),
    ]
    # BNU's 995 has only $a (a copy of the call number); the Koha layout reads $b $e $f $k
    assert map_unimarc(record, holding_tags=("995",)).holdings == []
    assert map_unimarc(record, holding_tags=()).holdings == []


def test_same_mapping_in_both_dp2_namespaces(dp2: dict[str, pymarc.Record]) -> None:
    other = by_control(xml_records(shared(DP2_UNIMARC)))  # info:srw/schema/8/unimarcxml-v0.1
    assert sorted(other) == sorted(dp2)
    for control, record in dp2.items():
        assert map_unimarc(other[control]) == map_unimarc(record)


# --- dp2 CNMARC: the other records ----------------------------------------------------


def test_pinyin_is_paired_by_position_not_adjacency(dp2: dict[str, pymarc.Record]) -> None:
    # 200 1# $a’92中国发展报告 $f国家统计局编 $A92 zhongguo fazhan baogao $Fguojia tongjiju bian
    rec = map_unimarc(dp2["990002264090203961"])
    assert rec.main_title() == Title(
        "main", [Text("’92中国发展报告", HANS), Text("92 zhongguo fazhan baogao", PINYIN)]
    )
    assert rec.notes[0] == Note(
        "responsibility", [Text("国家统计局编", HANS), Text("guojia tongjiju bian", PINYIN)]
    )
    # 711 02 $a国家统计局 $4编 $Aguojia tongjiju
    assert rec.contributions[0].agent.names == [
        Text("国家统计局", HANS),
        Text("guojia tongjiju", PINYIN),
    ]
    assert rec.titles[1] == Title(
        "variant",
        [
            Text("中国发展报告", HANS),  # 517 1#
            Text("zhongguo fazhan baogao", PINYIN),
        ],
    )


def test_subject_pinyin_of_a_alone_is_kept_unlinked(dp2: dict[str, pymarc.Record]) -> None:
    # 606 0# $a社会分析 $y中国 $Ashehui fenxi: the pinyin covers the head, not 中国
    rec = map_unimarc(dp2["990002264090203961"])
    parts = [SubjectPart("Topic", "社会分析"), SubjectPart("Place", "中国")]
    assert rec.subjects == [Subject("Topic", [Text("社会分析--中国", HANS)], "local", parts)]
    assert rec.unlinked == [Text("shehui fenxi", PINYIN)]


def test_subtitle_pinyin_and_other_notes(dp2: dict[str, pymarc.Record]) -> None:
    # 200 $e中国的“八五” $EZhong Guo De “ Ba Wu ” ; 314 $a本书由张塞等主编。
    rec = map_unimarc(dp2["990002181050203961"])
    title = rec.main_title()
    assert title is not None
    assert title.subtitle == [Text("中国的“八五”", HANS), Text("Zhong Guo De “ Ba Wu ”", PINYIN)]
    assert Note("note-314", [Text("本书由张塞等主编。", HANS)]) in rec.notes
    assert rec.contributions[0].agent.names == [Text("张塞", HANS), Text("Zhang Sai", PINYIN)]


def test_parallel_title_in_the_language_of_its_z(dp2: dict[str, pymarc.Record]) -> None:
    # 510 1# $aChina Development Report $zeng ; 692 $a28.2 $v3 ; 690 $aF124 $v3
    rec = map_unimarc(dp2["990001379280203961"])
    assert Title("parallel", [Text("China Development Report", "en")]) in rec.titles
    assert rec.classifications == [
        Classification("sclc", "28.2", edition="3"),
        Classification("clc", "F124", edition="3"),
    ]
    assert [s.label[0].value for s in rec.subjects] == [
        "经济发展--中国--1997",
        "社会发展--中国--1997",
    ]
    assert Note("note-312", [Text("封面英文题名:China Development Report。", HANS)]) in rec.notes


def test_series_statement_and_series_link_make_one_series(dp2: dict[str, pymarc.Record]) -> None:
    # 225 2# $a中国发展报告书 $Azhong guo fa zhan bao gao shu ; 410 #0 $12001 $a中国发展报告书
    rec = map_unimarc(dp2["990004545720203961"])
    assert rec.series == [
        Series([Text("中国发展报告书", HANS), Text("zhong guo fa zhan bao gao shu", PINYIN)])
    ]
    assert [c.agent.names[0].value for c in rec.contributions] == ["季野", "张西明", "曲克敏"]
    assert rec.holdings == [Holding("D668/bnu4", "BNU", "bk")]


def test_905_sublocation_and_906_copy(dp2: dict[str, pymarc.Record]) -> None:
    # 905 $aBNU $cbk $dF124 $e26 $sF124/26 ; 906 $a211260 $b1708903 $cB1321311 $dF124 $e26
    rec = map_unimarc(dp2["990002181190203961"])
    assert rec.holdings == [Holding("F124/26", "BNU", "bk", ["1708903"])]
    assert rec.titles[1] == Title(
        "uniform", [Text("中国发展报告", HANS), Text("zhong guo fa zhan bao gao", PINYIN)]
    )
    assert rec.unlinked == [Text("jing ji fa zhan", PINYIN)]


def test_electronic_reproduction_record(dp2: dict[str, pymarc.Record]) -> None:
    # 035 $aCXEBK10344696 (no source) ; 100 $a20190611d########u... ; 306/325/337 notes
    rec = map_unimarc(dp2["9910637057203961"])
    assert rec.identifiers[1] == Identifier("Local", "CXEBK10344696", "CXEBK10344696")
    assert rec.date is None
    assert [n.kind for n in rec.notes] == [
        "responsibility",
        "note-306",
        "reproduction",
        "system",
        "cataloguing-source",
    ]
    assert rec.extent == [Text("在线资源(393页)", HANS)]
    assert rec.provision == [
        Provision("Publication", [], [Text("中国统计出版社", HANS)], [Text("1997")])
    ]
    assert rec.subjects[0].label == [Text("经济发展 概况 中国 1997", HANS)]
    assert rec.holdings == []


def test_every_dp2_record_maps(dp2: dict[str, pymarc.Record]) -> None:
    assert len(dp2) == 10
    for record in dp2.values():
        rec = map_unimarc(record)
        assert rec.main_title() is not None and rec.languages == ["chi"]


# --- errors ---------------------------------------------------------------------------


def test_record_without_title_is_rejected(dp2: dict[str, pymarc.Record]) -> None:
    record = copy.deepcopy(dp2["990002180740203961"])
    record.remove_fields("200")
    with pytest.raises(MappingError) as err:
        map_unimarc(record)
    assert err.value.reason == "missing-title"
    assert "990002180740203961" in err.value.detail


def test_record_with_empty_title_is_rejected(bnf: dict[str, pymarc.Record]) -> None:
    record = copy.deepcopy(bnf["FRBNF390229000000005"])
    record["200"].subfields = [Subfield("a", " "), Subfield("b", "Texte imprimé")]
    with pytest.raises(MappingError, match="missing-title"):
        map_unimarc(record)


def test_record_without_control_number_is_rejected(dp2: dict[str, pymarc.Record]) -> None:
    record = copy.deepcopy(dp2["990002180740203961"])
    record.remove_fields("001")
    with pytest.raises(MappingError) as err:
        map_unimarc(record)
    assert err.value.reason == "missing-control-number"
    assert "'94中国发展报告" in err.value.detail


# --- BnF UNIMARC ----------------------------------------------------------------------


def test_french_music_record_latin_text_untagged(bnf: dict[str, pymarc.Record]) -> None:
    # leader "     ncm  22     3n 450 ", 101 0# $afre, 102 $aFR
    rec = map_unimarc(bnf["FRBNF432632710000003"])
    assert (rec.status, rec.content_type, rec.issuance) == ("new", "NotatedMusic", "monograph")
    assert (rec.languages, rec.country, rec.date) == (["fre"], "FR", "1874")
    assert rec.titles == [Title("main", [Text("Mélodies, transcrites pour piano par F. Thomé")])]
    assert rec.contributions == [
        Contribution(
            Agent(
                "Person",
                [Text("Schubert, Franz")],
                "1797-1828",
                ["13899553", "https://isni.org/isni/0000000120958492"],
            ),
            ["composer"],
            ["230"],
            primary=True,
        ),
        Contribution(
            Agent(
                "Person",
                [Text("Thomé, Francis")],
                "1850-1909",
                ["14813547", "https://isni.org/isni/0000000083575950"],
            ),
            ["other"],
            ["570"],
        ),
    ]
    assert rec.provision == [
        Provision("Publication", [Text("Paris")], [Text("Henry Lemoine")], [Text("1874")])
    ]
    # 610 0# $aPiano, Musique de (19e siècle)
    assert rec.subjects == [
        Subject(
            "Topic",
            [Text("Piano, Musique de (19e siècle)")],
            "uncontrolled",
            [SubjectPart("Topic", "Piano, Musique de (19e siècle)")],
        )
    ]
    assert rec.notes == [Note("cataloguing-source", [Text("FR FR-751131015 20120319")])]
    assert rec.holdings == []  # BnF items are in 930, not a default holdings tag


def test_german_book_edition_series_and_geographic_subject(bnf: dict[str, pymarc.Record]) -> None:
    rec = map_unimarc(bnf["FRBNF399707320000001"])
    assert rec.status == "corrected"  # leader/05 c
    # 010 $a3-8094-1764-5 $béd. complète $brel.
    assert rec.identifiers == [
        Identifier("Isbn", "9783809417644", "3-8094-1764-5", "éd. complète; rel")
    ]
    # 200 1# $aDas geteilte Land $bTexte imprimé $eDeutschland 1945-1990 $fPeter Graf Kielmansegg
    assert rec.titles == [
        Title("main", [Text("Das geteilte Land")], [Text("Deutschland 1945-1990")])
    ]
    assert rec.edition == [Text("Genehmigte, vierbändige Sonderausgabe")]  # 205
    assert rec.series == [Series([Text("Siedler deutsche Geschichte")], "4")]  # 225 19
    assert rec.extent == [Text("764 p.")] and rec.dimensions == [Text("24 cm")]
    # 607 $312330751 $aAllemagne $z1945-1990 $2rameau
    assert rec.subjects == [
        Subject(
            "Place",
            [Text("Allemagne--1945-1990")],
            "rameau",
            [SubjectPart("Place", "Allemagne"), SubjectPart("Temporal", "1945-1990")],
            ["12330751"],
        )
    ]
    assert rec.provision[0].dates == [Text("cop. 2004")]


def test_moving_image_parts_repeated_publishers_and_corporate_subject(
    bnf: dict[str, pymarc.Record],
) -> None:
    rec = map_unimarc(bnf["FRBNF38168114000000X"])
    assert rec.content_type == "MovingImage"
    # 200 1# $aBNP $bImages animées $ePEP $iLe PEP BNP $f... $g... $g...
    assert rec.titles == [Title("main", [Text("BNP")], [Text("PEP")], [Text("Le PEP BNP")])]
    assert [n.text[0].value for n in rec.notes if n.kind == "responsibility"] == [
        "Peter Suschitzky, réal., photo",
        "Gérard Tuloux, concept",
        "Michel Girard, dir. art",
    ]
    # 210 $a[Paris] $c[Banque nationale de Paris [prod.]] $a[[S.l.]] $c[[s.n.] [distrib.]] $d...
    assert rec.provision == [
        Provision(
            "Publication",
            [Text("Paris"), Text("S.l.")],
            [Text("Banque nationale de Paris [prod.]"), Text("[s.n.] [distrib.]")],
            [Text("1989 (1re diffusion)")],
        )
    ]
    assert rec.subjects[0] == Subject(
        "Organization",
        [Text("Banque nationale de Paris")],
        "rameau",
        [SubjectPart("Organization", "Banque nationale de Paris")],
        ["11862356"],
    )
    assert [(s.kind, s.scheme) for s in rec.subjects[1:]] == [("GenreForm", "frtav")] * 2
    girard = rec.contributions[2]  # 702 $aGirard $bMichel $4632: a code outside the list
    assert (girard.roles, girard.role_codes) == ([], ["632"])
    assert [c.agent.kind for c in rec.contributions[-2:]] == ["Organization"] * 2


def test_two_relator_codes_and_two_publishers(bnf: dict[str, pymarc.Record]) -> None:
    rec = map_unimarc(bnf["FRBNF436768520000009"])
    assert rec.content_type == "Audio"
    lingens = rec.contributions[3]  # 702 $aLingens $bPeter Michael $f1939-.... $4550 $4vre
    assert lingens.agent.names == [Text("Lingens, Peter Michael")]
    assert (lingens.roles, lingens.role_codes) == (["narrator"], ["550", "vre"])
    assert rec.provision[0].places == [Text("Autriche"), Text("France")]
    assert rec.provision[0].agents == [Text("Gramola"), Text("distrib. Abeille musique")]
    assert len([s for s in rec.subjects if s.kind == "GenreForm"]) == 7  # 608 ... $2frTAV


def test_214_repeating_210_is_one_provision(bnf: dict[str, pymarc.Record]) -> None:
    # 210 $aChristiania $cC. Warmuth $d[s.d.] and 214 #0 with the same statement
    rec = map_unimarc(bnf["FRBNF448879380000000"])
    assert rec.provision == [
        Provision("Publication", [Text("Christiania")], [Text("C. Warmuth")], [Text("s.d.")])
    ]
    assert rec.languages == ["und"] and rec.date is None  # 100 $a20140101u        u ...


def test_meeting_qualifiers_and_subject_authority_numbers(bnf: dict[str, pymarc.Record]) -> None:
    rec = map_unimarc(bnf["FRBNF451295190000003"])
    # 712 || $312519338 $aSAGA $cSalon $f1996 $eParis $4340
    saga = rec.contributions[0]
    assert saga.agent == Agent(
        "Organization", [Text("SAGA (Salon ; 1996 ; Paris)")], "1996", ["12519338"]
    )
    assert saga.role_codes == ["340"] and saga.roles == ["editor"] and not saga.primary
    # 606 $311938913 $aEstampe $311970971 $xPrix et récompenses $2rameau
    assert rec.subjects == [
        Subject(
            "Topic",
            [Text("Estampe--Prix et récompenses")],
            "rameau",
            [SubjectPart("Topic", "Estampe"), SubjectPart("Topic", "Prix et récompenses")],
            ["11938913", "11970971"],
        )
    ]
    assert rec.titles[0].subtitle == [
        Text(
            "exposition, Paris, Espace Eiffel-Branly, stand de la Fondation Peter Stuyvesant,"
            "11-15 avril 1996"
        )
    ]


def test_personal_subject_variant_title_and_686(bnf: dict[str, pymarc.Record]) -> None:
    rec = map_unimarc(bnf["FRBNF371195260000007"])
    assert rec.date is None and rec.country == "NG"  # 100 $a19908s 1u9   . ..
    # 600 | $312139492 $aBeard $bPeter H. $f1938-2020 $2rameau
    assert rec.subjects == [
        Subject(
            "Person",
            [Text("Beard, Peter H., 1938-2020")],
            "rameau",
            [SubjectPart("Person", "Beard, Peter H., 1938-2020")],
            ["12139492"],
        )
    ]
    assert rec.titles[1] == Title("variant", [Text("Peter Beard, fifty years of portraits")])
    assert rec.classifications == [
        Classification("cadre de classement de la bibliographie nationale française", "77")
    ]
    assert rec.contributions[0].roles == ["illustrator"]  # $4440


def test_collection_level_and_uncleaned_dates(bnf: dict[str, pymarc.Record]) -> None:
    # leader "     nkc  22     3n 450 "; 700 | $314966390 $aOverraat $bPeter $f16..-16.. $cgraveur
    rec = map_unimarc(bnf["FRBNF403921090000005"])
    assert (rec.content_type, rec.issuance) == ("StillImage", "collection")
    assert rec.contributions[0].agent == Agent(
        "Person", [Text("Overraat, Peter, graveur")], "16..-16..", ["14966390"]
    )
    assert [n.text[0].value for n in rec.notes if n.kind == "general"] == [
        "Graveur & éditeur allemand",
        "17e s.",
    ]


def test_ddc_and_two_isbns(bnf: dict[str, pymarc.Record]) -> None:
    rec = map_unimarc(bnf["FRBNF375181300000004"])
    assert rec.classifications == [Classification("ddc", "616.89", edition="23")]  # 676
    assert rec.edition == [Text("3rd ed.")]  # the period of an abbreviation stays
    assert rec.notes[-1] == Note("cataloguing-source", [Text("OCLC 19980717")])  # 801 3 $c $b
    rec = map_unimarc(bnf["FRBNF42454731000000X"])
    # 010 $a9781847770912 $bpbk. ; 010 $a1847770916 $bpbk. $bbr.
    assert [(i.value, i.original, i.qualifier) for i in rec.identifiers[:2]] == [
        ("9781847770912", "9781847770912", "pbk"),
        ("9781847770912", "1847770916", "pbk; br"),
    ]


def test_every_bnf_record_maps(bnf: dict[str, pymarc.Record]) -> None:
    assert len(bnf) == 52  # 53 records, FRBNF370903960000006 in two files
    for record in bnf.values():
        rec = map_unimarc(record)
        assert all(t.lang is None for title in rec.titles for t in title.main)


# --- ICCU (pymarc), BNR and Sudoc (qa-catalogue) ---------------------------------------


def test_iccu_embedded_series_and_comma_in_rest_of_name() -> None:
    (record,) = iso_records(shared("marc/pymarc/test/testunimarc.dat"))
    rec = map_unimarc(record)
    # 410 #0 $1001IT\ICCU\CFI\0012751 $12001  $aBestsellers $v641
    assert rec.series == [
        Series([Text("Bestsellers")], "641"),
        Series([Text("Il ciclo delle fondazioni")], "4"),
    ]
    # 700 #1 $aAsimov $b, Isaac $3IT\ICCU\CFIV\007327 $4070
    assert rec.contributions[0] == Contribution(
        Agent("Person", [Text("Asimov, Isaac")], None, ["IT\\ICCU\\CFIV\\007327"]),
        ["author"],
        ["070"],
        primary=True,
    )
    assert [c.roles for c in rec.contributions[1:]] == [[], [], []]  # 702 without $4
    assert rec.notes[-1] == Note("cataloguing-source", [Text("IT ICCU 20140902")])
    assert (rec.languages, rec.country, rec.date) == (["ita"], "IT", "1996")


def test_bnr_non_sorting_markers_relator_terms_and_686_c(bnr: dict[str, pymarc.Record]) -> None:
    # 200 1# $a<<The >>sweetest fig ; 700 #1 $aVan Allsburg, $bChris ; 686 $c087.5
    rec = map_unimarc(bnr["000000232"])
    assert rec.titles[0].main == [Text("The sweetest fig")]
    assert rec.contributions[0].agent.names == [Text("Van Allsburg, Chris")]
    assert rec.classifications == [Classification("local", "087.5")]
    rec = map_unimarc(bnr["000000425"])  # 702 #1 $aRonai, $bAlexandru $4ed.
    assert (rec.contributions[1].roles, rec.contributions[1].role_codes) == (["ed."], [])
    assert rec.provision[1] == Provision("Manufacture", agents=[Text("I.P. Filaret")])  # 210 $g


def test_bnr_serial_issn_and_key_title(bnr: dict[str, pymarc.Record]) -> None:
    rec = map_unimarc(bnr["000700058"])  # leader "01063nas  2200325   450 "
    assert rec.issuance == "serial"
    assert rec.identifiers == [Identifier("Issn", "1247-3316", "1247-3316")]  # 011 $a
    assert rec.titles[1] == Title("key", [Text("ABC de l'informatique")])  # 530 1#
    assert rec.classifications == [Classification("udc", "004")]  # 675
    assert Note("note-326", [Text("Lunar")]) in rec.notes


def test_sudoc_record_lcc_udc_edition_and_214() -> None:
    rec = map_unimarc(mrctxt_record(shared(f"{QA}/unimarc.mrctxt")))
    assert rec.status == "corrected" and rec.content_type == "Text"
    # 200 1# $aZoologie $hIV $iTétrapodes, domaines faunistiques, zoogéographie $f...
    assert rec.titles == [
        Title(
            "main",
            [Text("Zoologie")],
            [],
            [Text("IV"), Text("Tétrapodes, domaines faunistiques, zoogéographie")],
        )
    ]
    assert rec.provision == [
        Provision("Publication", [Text("Paris")], [Text("Gallimard")], [Text("DL 1974")])
    ]  # 214 #0
    # 225 2# $aEncyclopédie de la Pléiade $v37 ; 410 | $0001033107 $t... $x0768-3138 $v37
    assert rec.series == [Series([Text("Encyclopédie de la Pléiade")], "37", "0768-3138")]
    assert rec.classifications == [
        Classification("udc", "57", edition="Ã\x89d. 1967"),
        Classification("ddc", "590.3"),
        Classification("lcc", "QL45.2"),
    ]
    assert Identifier("OclcNumber", "489103868", "(OCoLC)489103868", source="OCoLC") in (
        rec.identifiers
    )
    assert [s.scheme for s in rec.subjects] == ["rameau"] * 5 + ["lc"]
    assert rec.subjects[0].label == [Text("Mammifères--Dictionnaires")]
    assert rec.contributions == [
        Contribution(
            Agent("Person", [Text("Tétry, Andrée")], "1907-1992", ["027158241"]),
            ["editor"],
            ["340"],
        )
    ]
    assert Note("bibliography", [Text("Notes bibliogr. Index")]) in rec.notes


# --- derived: real records with one field added -----------------------------------------


def _with(record: pymarc.Record, tag: str, ind: str, *subfields: tuple[str, str]) -> BibRecord:
    record = copy.deepcopy(record)
    record.add_ordered_field(
        Field(
            tag=tag,
            indicators=Indicators(ind[0], ind[1]),
            subfields=[Subfield(c, v) for c, v in subfields],
        )
    )
    return map_unimarc(record)


def test_summary_and_contents_notes(dp2: dict[str, pymarc.Record]) -> None:
    record = dp2["990002180740203961"]
    rec = _with(record, "330", "  ", ("a", "本书由叶震与李强等主编。"))
    assert rec.summaries == [Text("本书由叶震与李强等主编。", HANS)]
    rec = _with(record, "327", "1 ", ("a", "经济发展"), ("a", "社会发展"))
    assert Note("contents", [Text("经济发展 -- 社会发展", HANS)]) in rec.notes


def test_meeting_family_and_name_title_headings(bnf: dict[str, pymarc.Record]) -> None:
    record = bnf["FRBNF451295190000003"]
    rec = _with(record, "711", "12", ("a", "SAGA"), ("f", "1996"), ("e", "Paris"), ("4", "340"))
    assert rec.contributions[0].agent == Agent("Meeting", [Text("SAGA (1996 ; Paris)")], "1996")
    rec = _with(record, "720", "  ", ("a", "Bond"), ("f", "1952-...."), ("4", "650"))
    assert rec.contributions[-1] == Contribution(
        Agent("Family", [Text("Bond")], "1952-...."), ["publisher"], ["650"], primary=True
    )
    rec = _with(
        record,
        "604",
        "  ",
        ("1", "7001 "),
        ("a", "Schubert"),
        ("b", "Franz"),
        ("1", "50010"),
        ("a", "Mélodies"),
        ("2", "rameau"),
    )
    assert rec.subjects[0] == Subject(
        "Work",
        [Text("Schubert, Franz. Mélodies")],
        "rameau",
        [SubjectPart("Work", "Schubert, Franz. Mélodies")],
    )
    rec = _with(record, "605", "  ", ("a", "Mélodies"), ("x", "Histoire"))
    assert rec.subjects[0].label == [Text("Mélodies--Histoire")]
    assert rec.subjects[0].kind == "Work" and rec.subjects[0].scheme == "local"
    rec = _with(record, "602", "  ", ("a", "Bond"), ("j", "Catalogues d'exposition"))
    assert rec.subjects[0].parts == [
        SubjectPart("Family", "Bond"),
        SubjectPart("GenreForm", "Catalogues d'exposition"),
    ]


def test_cancelled_numbers_and_cover_title(bnr: dict[str, pymarc.Record]) -> None:
    record = bnr["000700058"]
    rec = _with(record, "011", "  ", ("a", "1247-3316"), ("y", "1221-8472"), ("z", "1247-331X"))
    assert [(i.value, i.invalid) for i in rec.identifiers] == [
        ("1247-3316", False),
        ("1247-3316", False),
        ("12218472", True),
        ("1247331X", True),
    ]
    assert rec.issns() == ["1247-3316", "1247-3316"]
    rec = _with(record, "512", "1 ", ("a", "ABC informatique"))
    assert Title("variant", [Text("ABC informatique")]) in rec.titles


def test_chinese_pinyin_in_9_and_koha_995(dp2: dict[str, pymarc.Record]) -> None:
    # the CNMARC standard's $9 (pinyin of $a) instead of dp2's $A
    record = dp2["9910637057203961"]
    rec = _with(record, "701", " 0", ("a", "张塞"), ("9", "Zhang Sai"), ("4", "730"))
    assert rec.contributions[0] == Contribution(
        Agent("Person", [Text("张塞", HANS), Text("Zhang Sai", PINYIN)]), ["translator"], ["730"]
    )
    rec = _with(record, "995", "  ", ("b", "BNU"), ("e", "bk"), ("f", "1708903"), ("k", "F124/26"))
    assert rec.holdings == [Holding("F124/26", "BNU", "bk", ["1708903"])]


@pytest.mark.parametrize(
    ("leader", "status", "content_type", "issuance"),
    [
        ("01576dam0 2200409   4500", "deleted", "Text", "monograph"),
        ("01576plm0 2200409   4500", "corrected", "Multimedia", "monograph"),  # l electronic
        ("01576nmi0 2200409   4500", "new", "MixedMaterial", "integrating"),  # m multimedia (kit)
        ("01576ora0 2200409   4500", "new", "Object", "component"),  # r three-dimensional
        ("01576nus0 2200409   4500", "new", "StillImage", "serial"),  # u CNMARC rubbings 拓片
        ("01576nvb0 2200409   4500", "new", "Text", "component"),  # v CNMARC rare book 善本
    ],
)
def test_leader_codes(
    dp2: dict[str, pymarc.Record], leader: str, status: str, content_type: str, issuance: str
) -> None:
    record = copy.deepcopy(dp2["990002180740203961"])
    record.leader = pymarc.Leader(leader)
    rec = map_unimarc(record)
    assert (rec.status, rec.content_type, rec.issuance) == (status, content_type, issuance)


def test_complete_pinyin_makes_a_second_subject_label(dp2: dict[str, pymarc.Record]) -> None:
    record = dp2["990002181050203961"]  # 606 0# $a经济发展 $x概况 $y中国 $z1996 $Ajing ji fa zhan
    rec = _with(
        record,
        "606",
        "0 ",
        ("a", "经济发展"),
        ("A", "jing ji fa zhan"),
        ("y", "中国"),
        ("Y", "zhong guo"),
        ("z", "1996"),
        ("2", "CCT"),
    )
    labels = [Text("经济发展--中国--1996", HANS), Text("jing ji fa zhan--zhong guo--1996", PINYIN)]
    parts = [
        SubjectPart("Topic", "经济发展"),
        SubjectPart("Place", "中国"),
        SubjectPart("Temporal", "1996"),
    ]
    assert rec.subjects[-1] == Subject("Topic", labels, "cct", parts)
    assert rec.unlinked == [Text("jing ji fa zhan", PINYIN)]  # from the record's own 606


def test_pinyin_without_partner_is_unlinked(dp2: dict[str, pymarc.Record]) -> None:
    record = copy.deepcopy(dp2["990002180740203961"])
    record["200"].add_subfield("E", "Zhong Guo Fa Zhan Bao Gao")  # no $e to pair with
    rec = map_unimarc(record)
    assert rec.unlinked == [Text("Zhong Guo Fa Zhan Bao Gao", PINYIN)]
    assert rec.main_title() == map_unimarc(dp2["990002180740203961"]).main_title()


def test_meeting_subject(bnf: dict[str, pymarc.Record]) -> None:
    rec = _with(
        bnf["FRBNF451295190000003"],
        "601",
        "12",
        ("a", "SAGA"),
        ("f", "1996"),
        ("e", "Paris"),
        ("2", "rameau"),
    )
    assert rec.subjects[0] == Subject(
        "Meeting",
        [Text("SAGA (1996 ; Paris)")],
        "rameau",
        [SubjectPart("Meeting", "SAGA (1996 ; Paris)")],
    )

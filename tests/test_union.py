"""The union catalogue: stable identifiers, merging across members, reloads, provenance."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pymarc
import pytest

from kg.backends.oxigraph import OxigraphStore
from kg.ids import Minter
from kg.store import DataRejected, Store
from kg.terms import Lit, Quad
from kg.vocab import BF, KG, PROV, RDF, SKOS
from loaders.marc.loader import MarcLoader
from loaders.report import LoadReport
from tests.conftest import SAMPLE, shared

GWU = "marc/marc2bibframe2/dataset/gwu.xml"


def load(store: Store, ids: Minter, path: Path, code: str, **kw: object) -> LoadReport:
    kw.setdefault("batch_size", 7)
    return MarcLoader(store, ids, code, **kw).load(path)  # type: ignore[arg-type]


def gwu_records() -> list[pymarc.Record]:
    return pymarc.parse_xml_to_array(str(shared(GWU)))


def write_xml(path: Path, records: list[pymarc.Record]) -> Path:
    writer = pymarc.XMLWriter(path.open("wb"))
    for r in records:
        writer.write(r)
    writer.close()
    return path


def triples_of(store: Store, prefix: str = "") -> set[tuple[object, ...]]:
    """Triples of the record graphs (run graphs hold each run's own description)."""
    return {q[:3] for q in store.quads() if "/graph/record/" + prefix in q[3]}


def test_same_file_twice_yields_the_same_graph(store: Store, ids: Minter) -> None:
    first = load(store, ids, SAMPLE / "jxufe-gwu.xml", "JXUFE")
    before = triples_of(store)
    second = load(store, ids, SAMPLE / "jxufe-gwu.xml", "JXUFE")
    assert (first.read, first.new, first.rejected) == (50, 50, [])
    assert (second.new, second.replaced, second.unchanged) == (0, 0, 50)
    assert triples_of(store) == before
    # a fresh store given the same file mints exactly the same URIs and triples
    other = OxigraphStore(None)
    load(other, ids, SAMPLE / "jxufe-gwu.xml", "JXUFE")

    def bibliographic(triples: set[tuple[object, ...]]) -> set[tuple[object, ...]]:
        return {t for t in triples if t[1] != PROV.wasGeneratedBy}  # names the run

    assert bibliographic(triples_of(other)) == bibliographic(before)


def test_overlapping_members_merge_into_one_instance_with_two_items(
    store: Store, ids: Minter
) -> None:
    load(store, ids, SAMPLE / "jxufe-gwu.xml", "JXUFE")  # gwu records 1-50
    report = load(store, ids, SAMPLE / "ecjtu-gwu.mrc", "ECJTU")  # gwu records 36-75
    assert report.format == "iso2709"
    assert report.new == 40
    assert len(report.merged) == 15
    assert report.reuse_ratio == pytest.approx(15 / 40)
    merged = {m.control_number: m for m in report.merged}
    # gwu 11865869 has ISBN 7208089582 (020 twice, as ISBN-13 and ISBN-10)
    m = merged["11865869"] if "11865869" in merged else next(iter(merged.values()))
    assert m.matched_on in ("isbn", "issn", "t")
    assert m.merged_with == [ids.record("JXUFE", m.control_number)]
    rows = store.select("institution_stats")
    stats = {r["code"].value: r for r in rows if isinstance(r["code"], Lit)}
    assert stats["JXUFE"]["shared"] == Lit("15", None, "http://www.w3.org/2001/XMLSchema#integer")
    items = [q for q in store.quads() if q[1] == BF.itemOf and q[2] == m.instance]
    assert len({q[0] for q in items}) == 2


def test_merge_decision_says_which_key_matched(store: Store, ids: Minter) -> None:
    load(store, ids, SAMPLE / "jxufe-gwu.xml", "JXUFE")
    report = load(store, ids, SAMPLE / "ecjtu-gwu.mrc", "ECJTU")
    m = report.merged[0]
    record = ids.record("ECJTU", m.control_number)
    decision = {(q[1], q[2]) for q in store.quads() if q[0] == record + "#merge"}
    assert (RDF.type, KG.MergeDecision) in decision
    assert (KG.matchedOn, Lit(m.matched_on)) in decision
    assert (KG.matchedKey, Lit(m.match_key)) in decision
    assert (KG.instance, m.instance) in decision


def test_corrected_record_replaces_its_old_description(
    store: Store, ids: Minter, tmp_path: Path
) -> None:
    records = gwu_records()[:5]
    load(store, ids, write_xml(tmp_path / "a.xml", records), "JXUFE")
    target = records[2]
    control = target["001"].data
    old_title = target["245"]["a"]
    target["245"]["a"] = "A corrected title :"
    report = load(store, ids, write_xml(tmp_path / "b.xml", records), "JXUFE")
    assert (report.replaced, report.unchanged, report.new) == (1, 4, 0)
    graph = ids.record_graph("JXUFE", control)
    titles = {q[2] for q in store.quads(graph) if q[1] == BF.mainTitle}
    assert Lit("A corrected title") in titles
    assert all(old_title.rstrip(" :/") not in str(t) for t in titles)


def test_deleted_record_removes_what_it_contributed(
    store: Store, ids: Minter, tmp_path: Path
) -> None:
    records = gwu_records()[:5]
    load(store, ids, write_xml(tmp_path / "a.xml", records), "JXUFE")
    control = records[0]["001"].data
    records[0].leader = records[0].leader[:5] + "d" + records[0].leader[6:]
    report = load(store, ids, write_xml(tmp_path / "b.xml", records), "JXUFE")
    assert report.deleted == 1
    assert list(store.quads(ids.record_graph("JXUFE", control))) == []
    assert not any(q[0] == ids.record("JXUFE", control) for q in store.quads())


def test_reloading_one_member_touches_only_its_records(
    store: Store, ids: Minter, tmp_path: Path
) -> None:
    load(store, ids, SAMPLE / "jxufe-gwu.xml", "JXUFE")
    load(store, ids, SAMPLE / "ecjtu-gwu.mrc", "ECJTU")
    ecjtu_before = triples_of(store, "ECJTU/")
    records = gwu_records()[:50]
    for r in records:
        r["245"]["a"] = "Changed " + r["245"]["a"]
    report = load(store, ids, write_xml(tmp_path / "jxufe.xml", records), "JXUFE")
    assert report.replaced == 50
    assert triples_of(store, "ECJTU/") == ecjtu_before


def test_each_run_is_described_with_prov(store: Store, ids: Minter) -> None:
    report = load(store, ids, SAMPLE / "jxau-dp2-cnmarc.xml", "JXAU")
    run = {(q[1], q[2]) for q in store.quads(report.run)}
    assert (RDF.type, PROV.Activity) in run
    assert (PROV.wasAssociatedWith, ids.institution("JXAU")) in run
    assert any(p == PROV.startedAtTime for p, _ in run)
    assert any(p == PROV.endedAtTime for p, _ in run)
    source = ids.source(report.sha256)
    assert (PROV.used, source) in run
    assert (KG.sha256, Lit(report.sha256)) in {
        (q[1], q[2]) for q in store.quads(report.run) if q[0] == source
    }
    graph = ids.record_graph("JXAU", "990002180740203961")
    assert (graph, PROV.wasGeneratedBy, report.run) in {q[:3] for q in store.quads(graph)}


def test_cnmarc_duplicate_within_a_file_merges(store: Store, ids: Minter) -> None:
    # records 4 and 5 of the dp2 CNMARC sample are both '97中国发展报告, ISBN 7-5037-2623-7
    report = load(store, ids, SAMPLE / "jxau-dp2-cnmarc.xml", "JXAU")
    assert report.flavour == "unimarc"
    assert [m.match_key for m in report.merged] == ["isbn:9787503726231"]


def test_cnmarc_and_marc21_records_of_one_book_merge(
    store: Store, ids: Minter, tmp_path: Path
) -> None:
    load(store, ids, SAMPLE / "jxau-dp2-cnmarc.xml", "JXAU")
    # A MARC21 record for the book of dp2 CNMARC record 990002180740203961, built from its
    # values: ISBN 7-5037-1744-0, '94中国发展报告, 北京 : 中国统计出版社, 1994.
    rec = pymarc.Record(leader="00000nam a2200000 a 4500")
    rec.add_field(
        pymarc.Field("001", data="ncu-0001"),
        pymarc.Field("008", data="950626s1994    cc a          000 0 chi d"),
        pymarc.Field("020", pymarc.Indicators(" ", " "), [pymarc.Subfield("a", "7503717440")]),
        pymarc.Field(
            "245",
            pymarc.Indicators("1", "0"),
            [pymarc.Subfield("a", "'94中国发展报告 /"), pymarc.Subfield("c", "国家统计局编.")],
        ),
        pymarc.Field(
            "260",
            pymarc.Indicators(" ", " "),
            [
                pymarc.Subfield("a", "北京 :"),
                pymarc.Subfield("b", "中国统计出版社,"),
                pymarc.Subfield("c", "1994."),
            ],
        ),
    )
    report = load(store, ids, write_xml(tmp_path / "ncu.xml", [rec]), "NCU")
    assert report.flavour == "marc21"
    assert len(report.merged) == 1
    merge = report.merged[0]
    assert merge.match_key == "isbn:9787503717444"
    assert merge.merged_with == [ids.record("JXAU", "990002180740203961")]
    assert merge.conflicts == []


def test_doubtful_merges_are_listed_for_review(store: Store, ids: Minter, tmp_path: Path) -> None:
    records = [r for r in gwu_records() if r["001"].data == "11865869"]  # ISBN 9787208089587
    load(store, ids, write_xml(tmp_path / "a.xml", records), "JXUFE")
    # another member catalogued the book with its ISBN but another title and year
    other = records[0]
    other.remove_fields("880")
    other["245"]["a"] = "An entirely different book :"
    other["008"].data = other["008"].data[:7] + "1999" + other["008"].data[11:]
    report = load(store, ids, write_xml(tmp_path / "b.xml", [other]), "ECJTU")
    assert report.merged[0].matched_on == "isbn"
    assert any("no title in common" in c for c in report.merged[0].conflicts)
    rows = store.select("doubtful_merges", limit=10)
    assert [(r["record1"], r["record2"]) for r in rows] == [
        (ids.record("ECJTU", other["001"].data), ids.record("JXUFE", other["001"].data))
    ]


def test_editions_are_instances_of_one_work(store: Store, ids: Minter, tmp_path: Path) -> None:
    first = next(r for r in gwu_records() if r["001"].data == "11865869")
    second = next(r for r in gwu_records() if r["001"].data == "11865869")
    second["001"].data = "11865869-2ed"
    second.remove_fields("020", "880", "250")
    second.add_field(
        pymarc.Field("020", pymarc.Indicators(" ", " "), [pymarc.Subfield("a", "9787208089594")]),
        pymarc.Field("250", pymarc.Indicators(" ", " "), [pymarc.Subfield("a", "Di 2 ban.")]),
    )
    second["008"].data = second["008"].data[:7] + "2012" + second["008"].data[11:]
    load(store, ids, write_xml(tmp_path / "a.xml", [first]), "JXUFE")
    report = load(store, ids, write_xml(tmp_path / "b.xml", [second]), "ECJTU")
    assert report.merged == []  # another ISBN and year: a new instance ...
    works = {q[2] for q in store.quads() if q[1] == BF.instanceOf}
    instances = {q[0] for q in store.quads() if q[1] == BF.instanceOf}
    assert len(instances) == 2
    assert len(works) == 1  # ... of the same work (same title and first contributor)


def test_holdings_from_852_and_from_a_member_profile(
    store: Store, ids: Minter, tmp_path: Path
) -> None:
    # Princeton full_dump/2.xml 222222222: 852 0_ $b MUS $c music $h MT182 $i .R6 1992
    report = load(
        store,
        ids,
        shared("marc/pulibrary_bibdata/spec/fixtures/files/alma/full_dump/2.xml"),
        "JXUFE",
    )
    assert report.holdings == 1
    item = ids.item("JXUFE", "222222222", 0)
    labels = {q[2] for q in store.quads() if q[0].startswith(item)}
    assert {Lit("MT182 .R6 1992"), Lit("MUS"), Lit("music")} <= labels
    # gwu.xml puts barcodes in a local 949 $b; a profile tells the loader so
    profile = {"949": {"barcode": "b"}}
    report = load(store, ids, shared(GWU), "ECJTU", holdings=profile)
    barcodes = {q[2] for q in store.quads() if q[1] == RDF.value and "#barcode" in q[0]}
    assert {Lit("32882020430164"), Lit("32882020546860")} <= barcodes
    assert report.holdings == 99


def test_class_numbers_link_to_the_deepest_class_of_a_loaded_table(
    store: Store, ids: Minter, tmp_path: Path
) -> None:
    from loaders.vocab.clc import load_clc  # noqa: PLC0415

    load_clc(store, ids, SAMPLE / "clc-main.tsv")  # the bundled outline: classes to depth 2
    report = load(store, ids, SAMPLE / "jxau-dp2-cnmarc.xml", "JXAU")
    assert report.unknown_notations() == 0
    node = ids.record("JXAU", "990002180740203961") + "#class0"
    links = {(q[1], q[2]) for q in store.quads() if q[0] == node}
    # 690 $a F124: the outline has F1 (depth 2), the rest is kept
    assert (KG.classConcept, ids.klass("clc", "F1")) in links
    assert (KG.notationRemainder, Lit("24")) in links
    assert (BF.classificationPortion, Lit("F124")) in links
    # a notation no class of the table covers is reported, and its portion kept
    rec = next(r for r in gwu_records() if r["001"].data == "11865869")
    rec.add_field(pymarc.Field("093", pymarc.Indicators(" ", " "), [pymarc.Subfield("a", "Y12")]))
    report = load(store, ids, write_xml(tmp_path / "y.xml", [rec]), "JXUFE")
    assert report.unknown_notations() == 1
    assert "11865869: unknown class notation clc Y12" in report.warnings


def test_subjects_link_to_the_thesaurus_and_places_to_the_gazetteer(
    store: Store, ids: Minter, tmp_path: Path
) -> None:
    from loaders.vocab.gazetteer import load_gazetteer, place_uri  # noqa: PLC0415
    from loaders.vocab.thesaurus import concept_uri, load_thesaurus  # noqa: PLC0415

    load_thesaurus(store, ids, shared("vocab/chinese-thesaurus/abc202306_obsidian-vault"))
    load_gazetteer(store, ids, SAMPLE / "gazetteer.csv")
    # Princeton ark_99226236706421: 650 _0 $a Religion; its English label in the thesaurus
    # is that of 宗教. A geographic heading for Jingdezhen is added to it for the test.
    path = shared("marc/pulibrary_bibdata/spec/fixtures/files/alma/ark_99226236706421.xml")
    rec = pymarc.parse_xml_to_array(str(path))[0]
    rec.add_field(
        pymarc.Field(
            "651",
            pymarc.Indicators(" ", "0"),
            [pymarc.Subfield("a", "Jingdezhen Shi (China)"), pymarc.Subfield("x", "History.")],
        ),
    )
    load(store, ids, write_xml(tmp_path / "r.xml", [rec]), "JXUFE")
    quads = {q[:3] for q in store.quads(ids.record_graph("JXUFE", "99226236706421"))}
    close = {(s, o) for s, p, o in quads if p == SKOS.closeMatch}
    assert any(o == concept_uri(ids, "宗教") for _, o in close)
    jingdezhen = place_uri(ids, "jingdezhen")
    assert any(o == jingdezhen for _, o in close)
    works = {s for s, p, o in quads if p == BF.subject and o == jingdezhen}
    assert len(works) == 1  # the work is about the place itself


def test_batches_prepared_while_the_previous_write_is_in_flight(
    store: Store, ids: Minter, tmp_path: Path
) -> None:
    """One record per batch, so batch N+1 is prepared before N's write lands.

    gwu 11865869 is loaded, deleted (leader/05 d) and loaded again unchanged: it must be
    there at the end. A second member's record with the same ISBN must merge with the
    record's *current* version only.
    """
    [book] = [r for r in gwu_records() if r["001"].data == "11865869"]
    gone = pymarc.Record(leader=book.leader[:5] + "d" + book.leader[6:], fields=book.fields)
    pads = [r for r in gwu_records()[:3] if r["001"].data != "11865869"]
    path = write_xml(tmp_path / "a.xml", [book, *pads, gone, book])
    report = load(store, ids, path, "JXUFE", batch_size=1)
    assert (report.deleted, report.new) == (1, 2 + len(pads))
    graph = ids.record_graph("JXUFE", "11865869")
    assert len(list(store.quads(graph))) > 50
    report = load(store, ids, write_xml(tmp_path / "b.xml", [book]), "ECJTU")
    assert report.merged[0].merged_with == [ids.record("JXUFE", "11865869")]


def test_a_vocabulary_loaded_later_relinks_records_on_reload(store: Store, ids: Minter) -> None:
    from loaders.vocab.clc import load_clc  # noqa: PLC0415

    load(store, ids, SAMPLE / "jxau-dp2-cnmarc.xml", "JXAU")
    assert load(store, ids, SAMPLE / "jxau-dp2-cnmarc.xml", "JXAU").unchanged == 10
    load_clc(store, ids, SAMPLE / "clc-main.tsv")
    report = load(store, ids, SAMPLE / "jxau-dp2-cnmarc.xml", "JXAU")
    assert report.replaced == 10  # the class links changed, so every record is rewritten
    node = ids.record("JXAU", "990002180740203961") + "#class0"
    assert (node, KG.classConcept, ids.klass("clc", "F1")) in {q[:3] for q in store.quads()}


class _RefusesOneRecord(OxigraphStore):
    """A real Oxigraph store that refuses any write touching one record's graph, as it
    would refuse a term it cannot parse (fault injection over the real component)."""

    refused = "/nothing-refused"

    def write(
        self, drop_graphs: Sequence[str], quads: Sequence[Quad], remove: Sequence[Quad] = ()
    ) -> None:
        if any(q[3].endswith(self.refused) for q in quads):
            raise DataRejected(f"refused a term in {self.refused}")
        super().write(drop_graphs, quads, remove)


def test_a_record_the_store_refuses_is_rejected_and_the_rest_loads(
    ids: Minter, tmp_path: Path
) -> None:
    from loaders.roster import load_roster  # noqa: PLC0415

    store = _RefusesOneRecord(None)
    load_roster(store, ids, SAMPLE / "roster.csv")
    records = gwu_records()[:6]
    store.refused = "/JXUFE/" + records[2]["001"].data
    # the refused book again, by another member, in the next batch: nothing to merge with
    report = load(store, ids, write_xml(tmp_path / "a.xml", records), "JXUFE", batch_size=3)
    assert report.new == 5
    assert [(r.number, r.reason) for r in report.rejected] == [(3, "store-rejected")]
    assert "refused a term" in report.rejected[0].detail
    assert not list(store.quads(ids.record_graph("JXUFE", records[2]["001"].data)))
    store.refused = "/nothing"
    again = load(store, ids, write_xml(tmp_path / "b.xml", [records[2]]), "ECJTU")
    assert again.merged == []


def test_duplicate_control_numbers_in_a_file_are_reported(store: Store, ids: Minter) -> None:
    # princeton.xml: 001 4609321 and 4609990 each appear twice (99 records, 97 numbers)
    report = load(store, ids, shared("marc/marc2bibframe2/dataset/princeton.xml"), "JXUFE")
    assert (report.read, report.new) == (99, 97)
    duplicates = [w for w in report.warnings if "duplicate control number" in w]
    assert len(duplicates) == 2
    assert any("(4609321): duplicate control number" in w for w in duplicates)

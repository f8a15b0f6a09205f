"""The Chinese Thesaurus (汉语主题词表) as SKOS, with expectations read from the vault's files.

The vault (abc202306/obsidian-example-vault-chinese-thesaurus, no licence stated) is test
data only: it is read from ../shared/data, never bundled.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pymarc
import pytest
from pymarc import Field, Indicators, Subfield

from kg.backends.oxigraph import OxigraphStore
from kg.ids import Minter
from kg.mapping import RecordContext, RecordMapper
from kg.terms import Lit, Triple, text_of
from kg.vocab import BF, KG, PROV, RDF, SKOS
from loaders.marc.loader import MarcLoader
from loaders.marc.unimarc import map_unimarc
from loaders.sample import load_vocabularies
from loaders.vocab.thesaurus import (
    SubjectIndex,
    Term,
    ThesaurusError,
    ThesaurusReport,
    clc_notation,
    concept_uri,
    load_thesaurus,
    read_term,
    read_thesaurus,
    subject_matcher,
    thesaurus_graph,
)
from tests.conftest import SAMPLE, shared

VAULT = "vocab/chinese-thesaurus/abc202306_obsidian-vault"
# 三维技术.md: its narrower terms (20 links) name no file of the vault
NARROWER_3D = [
    *("三维可视化", "三维交互技术", "三维建模", "三维仿真", "三维动画", "三维导航", "三维打印"),
    *("三维处理", "三维场景", "三维布线", "三维布局", "三维标定", "三维变形", "WEB3D技术"),
    *("java3D", "三维重建", "三维游戏", "三维数字化", "三维扫描", "三维全景技术"),
]
# 医学.md lists 24 narrower terms; these 9 have files, and none of them names 医学 as broader
MEDICINE_NARROWER = {
    "基础医学",
    "临床医学",
    "军事医学",
    "诊断学",
    "预防医学",
    "营养学",
    "神经病学",
    "生物医学",
    "眼科学",
}

Triples = set[Triple]


@pytest.fixture(scope="module")
def vault() -> Path:
    return shared(VAULT)


@pytest.fixture(scope="module")
def terms(vault: Path) -> dict[str, Term]:
    return {t.label: t for t in read_thesaurus(vault)}


@pytest.fixture(scope="module")
def loaded(vault: Path) -> Iterator[tuple[ThesaurusReport, Triples, Minter]]:
    ids = Minter("http://kg.test/")
    store = OxigraphStore(None)
    report = load_thesaurus(store, ids, vault)
    triples = {q[:3] for q in store.quads(thesaurus_graph(ids))}
    yield report, triples, ids
    store.close()


def marcxml(path: Path) -> list[pymarc.Record]:
    return pymarc.parse_xml_to_array(str(path))  # type: ignore[no-untyped-call,no-any-return]


def objects(triples: Triples, subject: str, predicate: str) -> set[object]:
    return {o for s, p, o in triples if s == subject and p == predicate}


# --- reading the vault ----------------------------------------------------------------


def test_every_term_file_is_a_term(vault: Path, terms: dict[str, Term]) -> None:
    files = list((vault / "chinesethesaurus").glob("*.md"))
    assert len(terms) == len(files) == 791
    # the vault root and its terms folder are both accepted
    assert [t.label for t in read_thesaurus(vault / "chinesethesaurus")] == sorted(terms)


def test_a_term_as_its_file_states_it(terms: dict[str, Term]) -> None:
    term = terms["三维技术"]
    assert term.english == "3D technology"
    assert term.synonyms == ("三维立体声技术", "三维立体技术", "3D技术", "3D")
    assert term.broader == ()
    assert term.narrower == tuple(NARROWER_3D)
    assert term.related == ("四维技术", "三维设计", "三维模型", "三维立体显示", "三维存储")
    assert term.categories == ("TN27", "TP391.79")
    assert term.sources == ("工程技术卷",)


def test_english_labels_separated_by_commas_are_variants(terms: dict[str, Term]) -> None:
    term = terms["审计记录"]  # english: audit record,audit records
    assert (term.english, term.english_variants) == ("audit record", ("audit records",))
    assert terms["医学"].english == "Medicine"


def test_bracketed_category_notations_lose_their_brackets(terms: dict[str, Term]) -> None:
    assert "G203" in terms["科研信息管理"].categories  # "[[[G203] 信息管理 主题词分类|...]]"
    assert terms["医学"].categories == ("R",)
    assert clc_notation("主题词分类") is None


def test_a_file_without_front_matter_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "坏词.md"
    bad.write_text("# 坏词\n", encoding="utf-8")
    with pytest.raises(ThesaurusError, match=r"坏词\.md: no YAML front matter"):
        read_term(bad)
    with pytest.raises(ThesaurusError, match="no term files"):
        list(read_thesaurus(tmp_path / "empty"))


# --- the graph ------------------------------------------------------------------------


def test_load_report(loaded: tuple[ThesaurusReport, Triples, Minter], vault: Path) -> None:
    report, triples, ids = loaded
    assert report.graph == ids.base + "graph/vocab/cct"
    assert report.terms == 791
    concepts = {s for s, p, o in triples if p == SKOS.inScheme and o == ids.scheme("cct")}
    assert len(concepts) == 791
    assert report.quads == len(triples)
    assert objects(triples, ids.scheme("cct"), SKOS.prefLabel) == {
        Lit("汉语主题词表", "zh-Hans"),
        Lit("Chinese Thesaurus", "en"),
    }
    # the narrower links of 三维技术 name terms the vault does not have: reported, not invented
    missing = {u.target for u in report.unresolved if u.term == "三维技术"}
    assert set(NARROWER_3D) <= missing
    assert concept_uri(ids, "三维建模") not in {s for s, _, _ in triples}


def test_a_concept_and_its_labels(loaded: tuple[ThesaurusReport, Triples, Minter]) -> None:
    _, triples, ids = loaded
    uri = concept_uri(ids, "三维技术")
    assert uri == ids.concept("cct", "三维技术|Topic")
    assert {SKOS.Concept, BF.Topic} == objects(triples, uri, RDF.type)
    assert objects(triples, uri, SKOS.prefLabel) == {
        Lit("三维技术", "zh-Hans"),
        Lit("3D technology", "en"),
    }
    assert objects(triples, uri, SKOS.altLabel) == {
        Lit(s, "zh-Hans") for s in ("三维立体声技术", "三维立体技术", "3D技术", "3D")
    }
    assert objects(triples, uri, KG.clcClass) == {
        ids.klass("clc", "TN27"),
        ids.klass("clc", "TP391.79"),
    }
    assert objects(triples, uri, SKOS.narrower) == set()  # none of its 20 has a file
    related = {concept_uri(ids, t) for t in ("四维技术", "三维设计", "三维模型")}
    assert not related & objects(triples, uri, SKOS.related)


def test_narrower_and_broader_are_symmetric(
    loaded: tuple[ThesaurusReport, Triples, Minter],
) -> None:
    report, triples, ids = loaded
    broader = {(s, o) for s, p, o in triples if p == SKOS.broader}
    narrower = {(o, s) for s, p, o in triples if p == SKOS.narrower}
    assert broader == narrower
    assert len(broader) == report.broader > 400
    related = {(s, o) for s, p, o in triples if p == SKOS.related}
    assert related == {(o, s) for s, o in related}
    assert len(related) == 2 * report.related
    # 医学 states 9 narrower terms that have files; none states 医学 as its broader
    medicine = concept_uri(ids, "医学")
    assert objects(triples, medicine, SKOS.narrower) == {
        concept_uri(ids, t) for t in MEDICINE_NARROWER
    }
    for term in MEDICINE_NARROWER:
        assert medicine in objects(triples, concept_uri(ids, term), SKOS.broader)


def test_graph_relations_match_the_files(
    loaded: tuple[ThesaurusReport, Triples, Minter], terms: dict[str, Term]
) -> None:
    """Every stated link between two files is in the graph, and nothing else is."""
    _, triples, ids = loaded
    expected: dict[str, set[str]] = defaultdict(set)
    for term in terms.values():
        for other in term.broader:
            if other in terms:
                expected[term.label].add(other)
        for other in term.narrower:
            if other in terms:
                expected[other].add(term.label)
    uri = {concept_uri(ids, label): label for label in terms}
    found: dict[str, set[str]] = defaultdict(set)
    for s, p, o in triples:
        if p == SKOS.broader:
            found[uri[str(s)]].add(uri[str(o)])
    assert found == expected


def test_reload_replaces_the_graph(vault: Path, tmp_path: Path) -> None:
    ids = Minter("http://kg.test/")
    store = OxigraphStore(None)
    folder = tmp_path / "vault"
    folder.mkdir()
    for name in ("医学.md", "临床医学.md", "三维技术.md"):
        (folder / name).write_bytes((vault / "chinesethesaurus" / name).read_bytes())
    first = load_thesaurus(store, ids, folder)
    assert first.terms == 3
    assert first.broader == 1  # 医学 > 临床医学
    (folder / "三维技术.md").unlink()
    again = load_thesaurus(store, ids, folder)
    graph = thesaurus_graph(ids)
    subjects = {q[0] for q in store.quads(graph)}
    assert concept_uri(ids, "三维技术") not in subjects
    assert again.quads == len(list(store.quads(graph)))
    store.close()


# --- matching subject headings --------------------------------------------------------


@pytest.fixture(scope="module")
def index(terms: dict[str, Term]) -> SubjectIndex:
    return SubjectIndex(terms.values(), Minter("http://kg.test/"))


def test_match_by_label_synonym_english_and_script(index: SubjectIndex) -> None:
    ids = Minter("http://kg.test/")
    uri = concept_uri(ids, "三维技术")
    for label in ("三维技术", "3D技术", "3D", "3D technology", "三維技術", "三维 技术", "3d技術"):
        assert index.match_subject(label) == uri, label
    assert index.match_subject("Linux 加载程序") == concept_uri(ids, "Linux加载程序")
    assert index.match_subject("三维建模") is None  # linked to, but no term of the vault
    assert index.match_subject("") is None


def test_a_label_wins_over_another_terms_synonym(index: SubjectIndex) -> None:
    ids = Minter("http://kg.test/")
    # 特性 is a term, and a synonym of 性能; 特点 is a synonym of both
    assert index.match_subject("特性") == concept_uri(ids, "特性")
    assert index.match_subject("性能") == concept_uri(ids, "性能")
    assert index.match_subject("特点") is None
    assert "特点" in index.ambiguous


def test_subject_headings_of_real_records(vault: Path) -> None:
    """The sample CNMARC records' 606 headings (no $2, economics) are none of the 791
    terms (mostly computing and medicine): neither whole nor by their parts."""
    match = subject_matcher(vault, Minter("http://kg.test/"))
    records = marcxml(SAMPLE / "jxau-dp2-cnmarc.xml")
    subjects = [s for r in records for s in map_unimarc(r).subjects]
    assert {s.scheme for s in subjects} == {"local"}
    labels = {s.label[0].value for s in subjects} | {p.label for s in subjects for p in s.parts}
    assert {"经济发展--概况--中国--1994", "经济发展", "社会发展", "中国"} <= labels
    assert {label: match(label) for label in labels} == dict.fromkeys(labels)


def test_a_cct_heading_gets_the_thesaurus_uri() -> None:
    """A CNMARC 606 with $2 cct maps to the very URI the thesaurus loader mints."""
    ids = Minter("http://kg.test/")
    record = copy.deepcopy(pymarc.parse_xml_to_array(str(SAMPLE / "jxau-dp2-cnmarc.xml"))[0])  # type: ignore[no-untyped-call]
    for field in record.get_fields("606"):
        record.remove_field(field)
    subfields = [Subfield("a", "三维技术"), Subfield("2", "cct")]
    record.add_field(Field("606", Indicators("0", " "), subfields))
    rec = map_unimarc(record)
    ctx = RecordContext("http://r", "http://i", "http://w", "http://o", [], True)
    subjects = {o for s, p, o in RecordMapper(ids).triples(rec, ctx) if p == BF.subject}
    assert subjects == {concept_uri(ids, "三维技术")}


# --- headings of records loaded before the thesaurus ----------------------------------


def test_a_thesaurus_load_links_the_headings_of_records_loaded_before_it(
    vault: Path, tmp_path: Path
) -> None:
    """A CNMARC record with the 606s 医学$x临床医学 and 临床医学 (the second part's very
    concept) is loaded before the thesaurus: loading the thesaurus links the headings
    and parts in the record's graph exactly as a reload of the record after it does (the
    whole first heading is no term), and the term counts the work; a thesaurus without
    临床医学 removes that link again, as a reload would, and the count with it."""
    ids = Minter("http://kg.test/")
    store = OxigraphStore(None)
    load_vocabularies(store, ids, echo=lambda _: None)
    record = copy.deepcopy(marcxml(SAMPLE / "jxau-dp2-cnmarc.xml")[0])
    for old in record.get_fields("606"):
        record.remove_field(old)
    subfields = [Subfield("a", "医学"), Subfield("x", "临床医学")]
    record.add_field(Field("606", Indicators("0", " "), subfields))
    record.add_field(Field("606", Indicators("0", " "), [Subfield("a", "临床医学")]))
    export = tmp_path / "export.mrc"
    export.write_bytes(record.as_marc())
    folder = tmp_path / "vault"
    folder.mkdir()
    for name in ("医学.md", "临床医学.md"):
        (folder / name).write_bytes((vault / "chinesethesaurus" / name).read_bytes())

    def graph() -> set[tuple[object, ...]]:
        """The record's description: not which run wrote it, nor its fingerprint (a
        reload rewrites a record loaded against other vocabularies)."""
        run = (PROV.wasGeneratedBy, KG.contentHash)
        return {q[:3] for q in store.quads() if "/graph/record/JXAU/" in q[3] and q[1] not in run}

    def reloaded() -> set[tuple[object, ...]]:
        MarcLoader(store, ids, "JXAU").load(export)
        return graph()

    def links() -> set[object]:
        return {o for _, p, o in graph() if p == SKOS.closeMatch}

    MarcLoader(store, ids, "JXAU").load(export)
    assert links() == set()
    report = load_thesaurus(store, ids, folder)
    assert links() == {concept_uri(ids, "医学"), concept_uri(ids, "临床医学")}
    assert (report.headings_linked, report.links_removed) == (2, 0)
    assert "2 links added, 0 removed" in str(report)
    linked = graph()
    assert reloaded() == linked
    direct = [ids.count(concept_uri(ids, "临床医学"), "direct")]
    assert [text_of(r["works"]) for r in store.select("count_values", keys=direct)] == ["1"]
    (folder / "临床医学.md").unlink()
    report = load_thesaurus(store, ids, folder)
    assert links() == {concept_uri(ids, "医学")}
    assert (report.headings_linked, report.links_removed) == (0, 1)
    unlinked = graph()
    assert reloaded() == unlinked
    assert [text_of(r["works"]) for r in store.select("count_values", keys=direct)] in ([], ["0"])
    store.close()

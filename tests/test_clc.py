"""The Chinese Library Classification (CLC, 5th edition) as SKOS, and notation resolution.

Expectations are read from the shared table ``vocab/clc/clc5.md`` (45,785 classes) and the
bundled ``sample/clc-main.tsv``; notations as catalogued from the dp2 CNMARC sample (690 $a).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from kg.backends.oxigraph import OxigraphStore
from kg.classes import class_notations, cut_points, deepest_class
from kg.ids import Minter
from kg.store import Store
from kg.terms import Lit
from kg.vocab import KG, OWL, RDF, SKOS
from loaders.marc.loader import MarcLoader
from loaders.vocab.clc import (
    ClcClass,
    ClcReader,
    VocabError,
    clc_graph,
    load_clc,
    read_clc,
    write_main_table,
)
from tests.conftest import BASE, SAMPLE, shared

CLC5 = "vocab/clc/clc5.md"
MAIN = SAMPLE / "clc-main.tsv"
MAIN_CLASSES = "ABCDEFGHIJKNOPQRSTUVXZ"
SCHEME = f"{BASE}scheme/clc"
GRAPH = f"{BASE}graph/vocab/clc"


def klass(notation: str) -> str:
    return Minter(BASE).klass("clc", notation)


@pytest.fixture(scope="module")
def table() -> dict[str, ClcClass]:
    """The full table, parsed once, by notation."""
    return {c.notation: c for c in read_clc(shared(CLC5))}


@pytest.fixture(scope="module")
def full_store() -> Iterator[OxigraphStore]:
    """An in-memory store with the full table loaded (about 1.5 s)."""
    store = OxigraphStore(None)
    load_clc(store, Minter(BASE), shared(CLC5))
    yield store
    store.close()


def count(store: OxigraphStore, where: str) -> int:
    rows = store.sparql(f"PREFIX skos: <{SKOS.iri}>\nSELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    n = rows[0]["n"]
    assert isinstance(n, Lit)
    return int(n.value)


# --- reading the table --------------------------------------------------------------------


def test_full_table_counts() -> None:
    reader = ClcReader(shared(CLC5))
    classes = list(reader)
    assert len(classes) == 45785
    assert reader.skipped == []
    assert dict(reader.irregular) == {
        "alternate": 1110,  # [B028]
        "discontinued": 260,  # {B916}
        "range": 151,  # B31/39, C829.3/.7
        "special table": 13780,  # TQ174.1+2
        "common subdivision": 634,  # B81-093.51
        "outside parent notation": 2019,  # D023 under D022
    }
    depths = Counter(c.depth for c in classes)
    assert depths == {
        1: 22,
        2: 248,
        3: 1761,
        4: 6795,
        5: 15637,
        6: 14807,
        7: 4417,
        8: 1576,
        9: 484,
        10: 38,
    }


def test_main_classes(table: dict[str, ClcClass]) -> None:
    top = [c for c in table.values() if c.parent_notation is None]
    assert "".join(c.notation for c in top) == MAIN_CLASSES
    assert all(c.depth == 1 for c in top)
    assert table["A"].label == "马克思主义、列宁主义、毛泽东思想、邓小平理论"
    assert table["T"].label == "工业技术"
    assert table["Z"] == ClcClass("Z", "综合性图书", None, 1, 45684)


@pytest.mark.parametrize(
    ("notation", "parent", "depth", "label", "line"),
    [
        ("A221.1", "A221", 5, "1899年以前", 21),
        ("TQ", "T", 2, "化学工业", 33538),
        ("TQ174.1+2", "TQ174.1", 6, "性能及测试", 34187),
        ("S435.111.3+11", "S435.111.3+1", 10, "苗期生理病", 22164),
        ("S851.34+5.1-27", "S851.34+5.1-2", 10, "国际检疫会议", 24311),
        ("D023", "D022", 5, "奴隶革命", 1120),  # nested under a sibling notation
        ("B31/39", "B3", 3, "亚洲各国哲学", 358),  # a range
        ("B333", "B31/39", 4, "越南哲学", 366),
        ("B81-093.51", "B81-09", 5, "印度因明学史", 606),
    ],
)
def test_parents_and_labels(
    table: dict[str, ClcClass], notation: str, parent: str, depth: int, label: str, line: int
) -> None:
    assert table[notation] == ClcClass(notation, label, parent, depth, line)


def test_alternate_and_discontinued(table: dict[str, ClcClass]) -> None:
    assert table["B028"] == ClcClass("B028", "自然哲学", "B02", 4, 190, "alternate")
    assert table["C7"].status == "alternate"  # [C7], already at the first level
    assert table["B916"] == ClcClass("B916", "对宗教的分析和研究", "B91", 4, 785, "discontinued")
    assert table["B019.13"].parent_notation == "B019.1"


def test_max_depth_streams_a_prefix_of_the_tree() -> None:
    classes = list(read_clc(shared(CLC5), max_depth=2))
    assert len(classes) == 270
    assert {c.depth for c in classes} == {1, 2}


def test_irregular_markdown_is_reported_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "odd.md"
    path.write_text(
        "# 中图法\n"  # 1 heading
        "* A 马克思主义\n"  # 2
        "  * A1 马克思、恩格斯著作\n"  # 3
        "\n"  # 4 blank: ignored
        "    * 总论\n"  # 5 no notation: children go to A1
        "      * A11 选集、文集\n"  # 6
        "  * A1 重复\n"  # 7 duplicate
        "   * [A19 未闭合\n"  # 8 bad bracket, odd indentation
        "  * A2\n"  # 9 no label
        "* B\t哲学、宗教\n",  # 10 tab after the notation
        encoding="utf-8",
    )
    reader = ClcReader(path)
    got = list(reader)
    assert [(c.notation, c.label, c.parent_notation, c.depth) for c in got] == [
        ("A", "马克思主义", None, 1),
        ("A1", "马克思、恩格斯著作", "A", 2),
        ("A11", "选集、文集", "A1", 4),
        ("A2", "", "A", 2),
        ("B", "哲学、宗教", None, 1),
    ]
    assert reader.skipped == [
        "line 1: not a list item: '# 中图法'",
        "line 5: no notation: '总论'",
        "line 7: duplicate notation A1 (first on line 3)",
        "line 8: no notation: '[A19 未闭合'",
    ]
    assert reader.irregular["no label"] == 1
    assert reader.irregular["indentation"] == 1


def test_irregular_tsv(tmp_path: Path) -> None:
    path = tmp_path / "odd.txt"  # no telling suffix: sniffed from the tab
    path.write_text(
        "notation\tlabel\tparent\n"
        "# a comment\n"
        "A\t马克思主义\t\n"
        "A1\t马克思、恩格斯著作\tA\n"
        "Q1\t孤儿\tQ\n"
        "总论\t无号\tA\n"
        "[A9]\t交替\tA\n",
        encoding="utf-8",
    )
    reader = ClcReader(path)
    assert reader.format == "tsv"
    got = [(c.notation, c.parent_notation, c.depth, c.status) for c in reader]
    assert got == [("A", None, 1, ""), ("A1", "A", 2, ""), ("A9", "A", 2, "alternate")]
    assert reader.skipped == ["line 5: Q1: unknown parent 'Q'", "line 6: no notation: '总论'"]


def test_unknown_format(tmp_path: Path) -> None:
    path = tmp_path / "prose.txt"
    path.write_text("中国图书馆分类法\n", encoding="utf-8")
    with pytest.raises(VocabError, match="neither"):
        ClcReader(path)
    with pytest.raises(VocabError, match="cannot read"):
        ClcReader(tmp_path / "missing.txt")


# --- the bundled main table ---------------------------------------------------------------


def test_bundled_main_table_is_made_from_the_source(tmp_path: Path) -> None:
    made = tmp_path / "clc-main.tsv"
    assert write_main_table(shared(CLC5), made) == 270
    assert made.read_text(encoding="utf-8") == MAIN.read_text(encoding="utf-8")
    lines = MAIN.read_text(encoding="utf-8").splitlines()
    assert lines[:3] == [
        "notation\tlabel\tparent",
        "A\t马克思主义、列宁主义、毛泽东思想、邓小平理论\t",
        "A1\t马克思、恩格斯著作\tA",
    ]
    assert "[C7]\t社会科学文献检索工具书\tC" in lines


def test_load_main_table(mem_store: Store, ids: Minter) -> None:
    report = load_clc(mem_store, ids, MAIN)
    assert (report.classes, report.top, report.max_depth, report.skipped) == (270, 22, 2, [])
    quads = set(mem_store.quads(clc_graph(ids)))
    assert clc_graph(ids) == GRAPH
    assert len(quads) == report.quads == 1635
    expected = [
        (SCHEME, RDF.type, SKOS.ConceptScheme),
        (SCHEME, SKOS.prefLabel, Lit("中国图书馆分类法（第五版）", "zh-Hans")),
        (SCHEME, SKOS.prefLabel, Lit("Chinese Library Classification, 5th edition", "en")),
        (SCHEME, SKOS.hasTopConcept, klass("T")),
        (klass("T"), SKOS.topConceptOf, SCHEME),
        (klass("TQ"), RDF.type, SKOS.Concept),
        (klass("TQ"), SKOS.notation, Lit("TQ")),
        (klass("TQ"), SKOS.prefLabel, Lit("化学工业", "zh-Hans")),
        (klass("TQ"), SKOS.inScheme, SCHEME),
        (klass("TQ"), SKOS.broader, klass("T")),
        (klass("T"), SKOS.narrower, klass("TQ")),
        (klass("C7"), SKOS.editorialNote, Lit("交替类目", "zh-Hans")),
        (klass("D33/37"), SKOS.broader, klass("D")),  # a range, percent-encoded in its URI
    ]
    for s, p, o in expected:
        assert (s, p, o, GRAPH) in quads
    assert klass("D33/37") == f"{BASE}class/clc/D33%2F37"
    assert ids.klass("clc", "TQ") == klass("TQ")


def test_reload_replaces_the_graph(mem_store: Store, ids: Minter) -> None:
    load_clc(mem_store, ids, MAIN)
    roster = len(list(mem_store.quads())) - len(list(mem_store.quads(GRAPH)))
    report = load_clc(mem_store, ids, MAIN, max_depth=1)
    assert (report.classes, report.top, report.max_depth) == (22, 22, 1)
    assert len(list(mem_store.quads(GRAPH))) == report.quads
    assert len(list(mem_store.quads())) == roster + report.quads  # other graphs untouched


def test_record_classifications_link_to_the_classes(mem_store: Store, ids: Minter) -> None:
    """690 $a of the dp2 CNMARC sample: its kg:classConcept is a class of the table."""
    MarcLoader(mem_store, ids, "JXAU").load(SAMPLE / "jxau-dp2-cnmarc.xml")
    load_clc(mem_store, ids, MAIN)
    linked = {
        q[2]
        for q in mem_store.quads()
        if q[1] == KG.classConcept and str(q[2]).startswith(klass(""))
    }
    assert {klass("F12"), klass("F124"), klass("D668")} == linked
    assert (
        klass("F1"),
        SKOS.prefLabel,
        Lit("世界各国经济概况、经济史、经济地理", "zh-Hans"),
        GRAPH,
    ) in set(mem_store.quads())
    # F12, F124 and D668 are only stubs the records made (deeper than the main table)
    known = class_notations(mem_store, ids.scheme("clc"))
    assert len(known) == 270
    assert "F1" in known and not {"F12", "F124", "D668"} & known
    assert deepest_class("F124", known) == ("F1", "24")
    assert deepest_class("D668", known) == ("D6", "68")


# --- the full table in a store ------------------------------------------------------------


def test_load_full_table(full_store: OxigraphStore) -> None:
    report = load_clc(full_store, Minter(BASE), shared(CLC5))  # a reload: replaces
    assert (report.classes, report.top, report.max_depth, report.skipped) == (45785, 22, 10, [])
    assert report.quads == 276344
    assert report.irregular["special table"] == 13780
    assert report.seconds < 30


def test_full_hierarchy(full_store: OxigraphStore) -> None:
    concepts = f"?c a skos:Concept ; skos:inScheme <{SCHEME}> ."
    assert count(full_store, concepts) == 45785
    assert count(full_store, f"<{SCHEME}> skos:hasTopConcept ?c") == 22
    # every class but the 22 main classes has exactly one broader, itself a class
    assert count(full_store, f"{concepts} FILTER NOT EXISTS {{ ?c skos:broader ?b }}") == 22
    assert count(full_store, "?c skos:broader ?b1, ?b2 FILTER (?b1 != ?b2)") == 0
    assert (
        count(
            full_store, f"?c skos:broader ?b FILTER NOT EXISTS {{ {concepts.replace('?c', '?b')} }}"
        )
        == 0
    )
    assert count(full_store, "?c skos:broader ?b") == 45785 - 22
    assert count(full_store, "?b skos:narrower ?c") == 45785 - 22
    # a depth-10 class: nine ancestors up to its main class
    deep = klass("S435.111.3+11")
    assert count(full_store, f"<{deep}> skos:broader+ ?a") == 9
    assert count(full_store, f"<{deep}> skos:broader+ <{klass('S')}>") == 1
    assert count(full_store, f"?c <{OWL.deprecated}> true") == 260
    assert count(full_store, '?c skos:editorialNote "交替类目"@zh-Hans') == 1110


def test_class_notations_of_the_full_table(
    full_store: OxigraphStore, table: dict[str, ClcClass]
) -> None:
    known = class_notations(full_store, SCHEME)
    assert known == set(table)


# --- notations as catalogued --------------------------------------------------------------


def cnmarc_690() -> list[str]:
    tree = etree.parse(str(shared("marc/dp2/dp2Catalog/SRU/sample_cnmarcxml.xml")))
    return [
        str(sub.text)
        for field in tree.iter("{*}datafield")
        if field.get("tag") == "690"
        for sub in field.iter("{*}subfield")
        if sub.get("code") == "a"
    ]


def test_cnmarc_notations_are_classes(table: dict[str, ClcClass]) -> None:
    notations = cnmarc_690()
    assert Counter(notations) == {"F124": 9, "D668": 2, "F12": 1}
    for notation in notations:
        assert deepest_class(notation, set(table)) == (notation, "")


@pytest.mark.parametrize(
    ("catalogued", "expected"),
    [
        ("F124", ("F124", "")),
        ("TQ174.1/23", ("TQ174.1", "/23")),  # book number
        ("TQ174.1+2/5", ("TQ174.1+2", "/5")),
        ("TQ174.1+23", ("TQ174.1+2", "3")),
        ("TP391.41", ("TP391.4", "1")),  # deeper than the table
        ("I247.57", ("I247.5", "7")),
        ("F127.56", ("F127", ".56")),  # a province of the China table
        ("F124-62", ("F124", "-62")),  # common subdivision not enumerated
        ("G259.1-62", ("G259.1-6", "2")),  # ... partly enumerated
        ("K825.6=76", ("K825.6", "=76")),  # time
        ("D668(256)", ("D668", "(256)")),  # region
        ("F124:D668", ("F124", ":D668")),  # combination
        ("TP312C", ("TP312", "C")),  # letter subdivision (programming language)
        ("B81-093.51", ("B81-093.51", "")),
        ("B31/39", ("B31/39", "")),  # a range of the table
        ("S435.111.3+11", ("S435.111.3+11", "")),
        ("tp391．4 ", ("TP391.4", "")),  # lower case, full-width dot, space
        ("Y12", (None, "Y12")),  # no class Y: reported, never dropped
        ("", (None, "")),
    ],
)
def test_deepest_class(
    table: dict[str, ClcClass], catalogued: str, expected: tuple[str | None, str]
) -> None:
    assert deepest_class(catalogued, set(table)) == expected
    assert deepest_class(catalogued, set(table).__contains__) == expected


def test_cut_points_keep_units_whole() -> None:
    text = 'K28"214"/5'
    assert [text[:n] for n in cut_points(text)] == ['K28"214"/5', 'K28"214"', "K28", "K2", "K"]

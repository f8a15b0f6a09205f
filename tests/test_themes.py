"""Topic knowledge bases: rules on real records, YAML checks, memberships in the graph."""

from __future__ import annotations

from pathlib import Path

import pymarc
import pytest

from kg.ids import Minter
from kg.model import BibRecord
from kg.store import Store
from kg.terms import Lit
from kg.themes import Rule, Theme, WorkFacts, evaluate, facts_from_record
from kg.vocab import KG
from loaders.marc.holdings import mapper_for
from loaders.marc.reader import MarcFile, Rejection
from loaders.themes import ThemeError, load_themes, read_themes, themes_from_store
from loaders.vocab.gazetteer import load_gazetteer
from tests.conftest import SAMPLE
from tests.test_union import gwu_records, load, write_xml

DP2 = "990002180740203961"  # 690 F124, 606 经济发展--概况--中国--1994


def sample_records(name: str) -> dict[str, BibRecord]:
    marc = MarcFile(SAMPLE / name)
    mapper = mapper_for(marc.flavour, None)
    return {
        rec.control_number: rec
        for rec in (mapper(i.record) for i in marc if not isinstance(i, Rejection))
    }


def gwu(control: str) -> BibRecord:
    mapper = mapper_for("marc21", None)
    return next(r for r in map(mapper, gwu_records()) if r.control_number == control)


def theme(*rules: str, **kw: list[str]) -> Theme:
    return Theme("t", {"en": "T"}, rules=[Rule.parse(r) for r in rules], **kw)  # type: ignore[arg-type]


def test_every_rule_kind_on_real_records() -> None:
    dp2 = facts_from_record(sample_records("jxau-dp2-cnmarc.xml")[DP2], f"JXAU/{DP2}", "JXAU")
    assert evaluate(theme("clc:F124"), dp2) == ["clc:F124"]
    assert evaluate(theme("clc:F12", "clc:F1"), dp2) == ["clc:F12", "clc:F1"]
    assert evaluate(theme("clc:F11/F13"), dp2) == ["clc:F11/F13"]
    assert evaluate(theme("clc:F125/F129", "clc:TQ174", "clc:F1241"), dp2) == []
    # the heading and each of its parts, folded (traditional script matches)
    assert evaluate(theme("subject:經濟發展", "subject:概况"), dp2) == [
        "subject:經濟發展",
        "subject:概况",
    ]
    assert evaluate(theme("subject:经济"), dp2) == []  # a label, not a substring
    assert evaluate(theme("subject_pattern:^经济发展--"), dp2) == ["subject_pattern:^经济发展--"]
    assert evaluate(theme("institution:JXAU", "institution:NCU"), dp2) == ["institution:JXAU"]
    title = next(t.main[0].value for t in sample_records("jxau-dp2-cnmarc.xml")[DP2].titles)
    assert evaluate(theme(f"keyword:{title[:4]}"), dp2) == [f"keyword:{title[:4]}"]

    # gwu 11537121: LC subjects China--Economic policy--1976-2000 ..., Urban economics
    lc = facts_from_record(gwu("11537121"), "ECJTU/11537121", "ECJTU")
    assert evaluate(theme("subject:urban economics", "subject:China"), lc) == [
        "subject:urban economics",
        "subject:China",
    ]
    assert evaluate(theme("subject_pattern:^China--Economic (policy|conditions)"), lc)
    assert evaluate(theme("keyword:cheng shi jing ji"), lc) == ["keyword:cheng shi jing ji"]
    assert evaluate(theme("clc:F12"), lc) == []  # LCC HC427.92 is no CLC notation
    places = WorkFacts("X/1", places=["poyang-lake"])
    assert evaluate(theme("place:poyang-lake", "place:nanchang"), places) == ["place:poyang-lake"]


def test_clc_notations_with_subdivisions_and_combinations() -> None:
    facts = WorkFacts("X/1", notations=["TQ174.72/23", "F124:X37"])
    assert evaluate(theme("clc:TQ174", "clc:TQ174.7", "clc:X3", "clc:X36/X38"), facts) == [
        "clc:TQ174",
        "clc:TQ174.7",
        "clc:X3",
        "clc:X36/X38",
    ]
    assert evaluate(theme("clc:TQ174.72/2", "clc:TQ175/TQ179", "clc:X1/X2"), facts) == []


def test_include_and_exclude() -> None:
    rec = gwu("11865869")  # ISBN 9787208089587
    facts = facts_from_record(rec, "JXUFE/11865869", "JXUFE")
    assert evaluate(theme(include=["JXUFE/11865869"]), facts) == ["include"]
    assert evaluate(theme(include=["isbn:9787208089587"]), facts) == ["include"]
    assert evaluate(theme("institution:JXUFE", include=["isbn:9787208089587"]), facts) == [
        "include",
        "institution:JXUFE",
    ]
    excluded = theme("institution:JXUFE", include=["JXUFE/11865869"], exclude=["JXUFE/11865869"])
    assert evaluate(excluded, facts) == []
    assert evaluate(theme("institution:JXUFE", exclude=["isbn:9787208089587"]), facts) == []
    assert evaluate(theme(include=["ECJTU/11865869"]), facts) == []


def test_sample_themes_read_with_parents() -> None:
    themes = {t.id: t for t in read_themes(SAMPLE / "themes.yaml")}
    assert set(themes) == {
        "jiangxi-collections",
        "poyang-lake-ecology",
        "jingdezhen-ceramics",
        "nonferrous-metallurgy",
        "chinese-medicine",
        "china-economic-development",
    }
    assert themes["jingdezhen-ceramics"].parent == "jiangxi-collections"
    assert themes["jingdezhen-ceramics"].labels == {
        "zh-Hans": "景德镇陶瓷",
        "en": "Ceramics (Jingdezhen)",
    }
    assert Rule("clc", "TQ174") in themes["jingdezhen-ceramics"].rules
    assert Rule("subject", "Medicine, Chinese") in themes["chinese-medicine"].rules


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("themes: {}", "expected a list under 'themes:'"),
        (
            "themes: [{id: a, labels: {en: A}, rules: {colour: [red]}}]",
            "theme 1 (a): unknown rule kind 'colour'",
        ),
        (
            "themes: [{id: a, labels: {en: A}}, {id: a, labels: {en: B}}]",
            "theme 2 (a): duplicate id 'a'",
        ),
        ("themes: [{id: a, labels: {en: A}, parent: b}]", "theme a: unknown parent 'b'"),
        (
            "themes: [{id: a, labels: {en: A}, rules: {subject_pattern: '(['}}]",
            "theme 1 (a): bad regular expression '(['",
        ),
        ("themes: [{id: a}]", "theme 1 (a): missing labels"),
        (
            "themes: [{id: A B, labels: {en: A}}]",
            "theme 1: id 'A B' is not a lower-case ASCII slug",
        ),
        (
            "themes: [{id: a, labels: {en: A}, rules: {clc: X5/X1}}]",
            "range 'X5/X1' ends before it starts",
        ),
        ("themes: [{id: a, labels: {en: A}, include: [12345]}]", "include entry '12345'"),
        (
            "themes: [{id: a, labels: {en: A}, parent: b}, {id: b, labels: {en: B}, parent: a}]",
            "parent cycle",
        ),
    ],
)
def test_theme_file_errors_name_file_and_theme(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "themes.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ThemeError) as err:
        read_themes(path)
    assert str(path) in str(err.value)
    assert message in str(err.value)


THEMES = """
themes:
  - id: region
    labels: {zh-Hans: 地方, en: Region}
  - id: economy
    parent: region
    labels: {zh-Hans: 中国经济发展, en: Chinese economic development}
    description: CLC F12
    rules:
      clc: [F12]
      subject: [经济发展, Economic development]
  - id: beijing
    labels: {en: Published in Beijing}
    rules: {place: [beijing]}
    exclude: [ECJTU/11863566]
"""


def write_themes(tmp_path: Path, text: str = THEMES) -> Path:
    path = tmp_path / "themes.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def members(store: Store, theme_id: str) -> dict[str, set[str]]:
    """record id → matched rules, as the graph explains them (SPARQL)."""
    out: dict[str, set[str]] = {}
    for row in store.select("theme_members"):
        if row["id"] == Lit(theme_id):
            record = str(row["record"]).split("/record/")[1]
            out.setdefault(record, set()).add(str(getattr(row["rule"], "value", "")))
    return out


def in_theme(store: Store, ids: Minter, theme_id: str) -> set[str]:
    theme_uri = f"{ids.base}theme/{theme_id}"
    return {q[0] for q in store.quads() if q[1] == KG.inTheme and q[2] == theme_uri}


def test_themes_then_marc(store: Store, ids: Minter, tmp_path: Path) -> None:
    report = load_themes(store, ids, write_themes(tmp_path))
    assert (report.themes, report.records, report.memberships) == (3, 0, 0)
    assert [t.id for t in themes_from_store(store, ids)] == ["beijing", "economy", "region"]
    economy = next(t for t in themes_from_store(store, ids) if t.id == "economy")
    defined = read_themes(write_themes(tmp_path))[1]
    assert set(economy.rules) == set(defined.rules)  # the store keeps no rule order
    assert (economy.labels, economy.parent, economy.description) == (
        defined.labels,
        defined.parent,
        defined.description,
    )
    load(store, ids, SAMPLE / "jxau-dp2-cnmarc.xml", "JXAU")
    found = members(store, "economy")
    assert found[f"JXAU/{DP2}"] == {"clc:F12", "subject:经济发展"}
    assert len(found) == 9  # of 10: one record is classed D668 only (社会发展)
    assert members(store, "region") == {}  # a parent is not filled by its children
    # the explanation node is in the record's own graph and names work and theme
    graph = ids.record_graph("JXAU", DP2)
    node = ids.record("JXAU", DP2) + "#theme-economy"
    mine = {(p, o) for s, p, o, _ in store.quads(graph) if s == node}
    assert (KG.theme, f"{ids.base}theme/economy") in mine
    assert (KG.matchedRule, Lit("clc:F12")) in mine
    (work,) = {o for p, o in mine if p == KG.work}
    assert (work, KG.inTheme, f"{ids.base}theme/economy") in {q[:3] for q in store.quads(graph)}


def test_marc_then_themes_gives_the_same_memberships(
    store: Store, ids: Minter, tmp_path: Path
) -> None:
    gazetteer = tmp_path / "places.csv"
    gazetteer.write_text(
        (SAMPLE / "gazetteer.csv").read_text(encoding="utf-8")
        + "beijing,北京市,北京市,Beijing Shi,Beijing,city,,\n",
        encoding="utf-8",
    )
    load_gazetteer(store, ids, gazetteer)
    load(store, ids, SAMPLE / "jxau-dp2-cnmarc.xml", "JXAU")
    load(store, ids, SAMPLE / "ecjtu-gwu.mrc", "ECJTU")
    load(store, ids, SAMPLE / "jxufe-gwu.xml", "JXUFE")
    assert not in_theme(store, ids, "economy")
    report = load_themes(store, ids, write_themes(tmp_path))
    assert report.records == 100
    assert report.works["economy"] == len(in_theme(store, ids, "economy")) > 0
    beijing = members(store, "beijing")
    assert beijing["ECJTU/11865876"] == {"place:beijing"}  # 260 $a Beijing
    assert "ECJTU/11863566" not in beijing  # excluded
    assert beijing["JXAU/990002180740203961"] == {"place:beijing"}  # 210 $a 北京
    after_themes = {q for q in store.quads() if "#theme-" in q[0] or q[1] == KG.inTheme}
    # the same memberships as when the themes are loaded first
    other_store = type(store)(None)  # type: ignore[call-arg]
    load_gazetteer(other_store, ids, gazetteer)
    load_themes(other_store, ids, write_themes(tmp_path))
    load(other_store, ids, SAMPLE / "jxau-dp2-cnmarc.xml", "JXAU")
    load(other_store, ids, SAMPLE / "ecjtu-gwu.mrc", "ECJTU")
    load(other_store, ids, SAMPLE / "jxufe-gwu.xml", "JXUFE")
    first = {q for q in other_store.quads() if "#theme-" in q[0] or q[1] == KG.inTheme}
    assert first == after_themes
    # new definitions replace the old memberships everywhere
    load_themes(store, ids, write_themes(tmp_path, THEMES.replace("[F12]", "[F124]")))
    assert members(store, "economy")[f"JXAU/{DP2}"] == {"clc:F124", "subject:经济发展"}
    load_themes(store, ids, write_themes(tmp_path, "themes: []"))
    assert not any("#theme-" in q[0] or q[1] == KG.inTheme for q in store.quads())


def test_changed_and_deleted_records_recompute_memberships(
    store: Store, ids: Minter, tmp_path: Path
) -> None:
    text = (
        THEMES
        + """
  - id: foreign-relations
    labels: {en: Foreign relations}
    rules: {subject_pattern: ['--Foreign relations']}
"""
    )
    load_themes(store, ids, write_themes(tmp_path, text))
    records = gwu_records()[50:55]
    load(store, ids, write_xml(tmp_path / "a.xml", records), "ECJTU")
    before = members(store, "foreign-relations")
    assert before
    control = sorted(before)[0].split("/")[1]
    # the record no longer has a foreign-relations heading: its membership goes
    changed = next(r for r in records if r["001"].data == control)
    for field in changed.get_fields("651"):
        changed.remove_field(field)
    changed.add_ordered_field(
        pymarc.Field(
            tag="650",
            indicators=pymarc.Indicators(" ", "0"),
            subfields=[pymarc.Subfield("a", "Economic development")],
        )
    )
    load(store, ids, write_xml(tmp_path / "b.xml", records), "ECJTU")
    assert f"ECJTU/{control}" not in members(store, "foreign-relations")
    assert members(store, "economy")[f"ECJTU/{control}"] == {"subject:Economic development"}
    # a deleted record (leader/05 d) takes its memberships with it
    changed.leader = pymarc.Leader(str(changed.leader)[:5] + "d" + str(changed.leader)[6:])
    load(store, ids, write_xml(tmp_path / "c.xml", [changed]), "ECJTU")
    assert f"ECJTU/{control}" not in members(store, "economy")
    assert not [q for q in store.quads() if q[0].startswith(ids.record("ECJTU", control) + "#")]

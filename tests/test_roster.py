"""The alliance roster: W3C ORG institutions, alliances and tiered memberships."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.backends.oxigraph import OxigraphStore
from kg.ids import Minter
from kg.terms import Lit
from kg.vocab import ORG, RDF, SCHEMA, SKOS
from loaders.roster import RosterError, load_roster, read_roster
from tests.conftest import SAMPLE

XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"


def test_bundled_roster_has_the_members_of_the_three_alliances(ids: Minter) -> None:
    store = OxigraphStore(None)
    report = load_roster(store, ids, SAMPLE / "roster.csv")
    # members.csv: 15 JALA members, 3 named PYLEEZ core members, 5 HNMLA libraries;
    # Nanchang University is in JALA and PYLEEZ
    assert (report.institutions, report.alliances, report.memberships) == (22, 3, 23)
    ncu = ids.institution("NCU")
    triples = {q[:3] for q in store.quads()}
    assert (ncu, ORG.memberOf, ids.institution("JALA")) in triples
    assert (ncu, ORG.memberOf, ids.institution("PYLEEZ")) in triples
    assert (f"{ncu}/membership/PYLEEZ", ORG.role, Lit("core")) in triples
    assert (f"{ncu}/membership/JALA", ORG.role, Lit("member")) in triples
    jcu = f"{ids.institution('JCU')}/membership/JALA"
    assert (jcu, ORG.memberDuring, Lit("2020-06-02", None, XSD_DATE)) in triples
    assert (
        ids.institution("JXUFE"),
        SKOS.prefLabel,
        Lit("江西财经大学图书馆", "zh-Hans"),
    ) in triples
    assert (ids.institution("HNGH"), ORG.classification, Lit("hospital")) in triples
    assert (ids.institution("JALA"), RDF.type, ORG.FormalOrganization) in triples


def test_yaml_roster_with_coordinates(tmp_path: Path, ids: Minter) -> None:
    path = tmp_path / "roster.yaml"
    path.write_text(
        """institutions:
  - code: JXPL
    name_zh: 江西省图书馆
    name_en: Jiangxi Provincial Library
    kind: public
    city: 南昌
    lat: 28.68
    lon: 115.89
    memberships:
      - {alliance: PYLEEZ, tier: core}
      - {alliance: JALA, tier: member, joined: 2021-01-01}
""",
        encoding="utf-8",
    )
    rows = read_roster(path)
    assert [(r["alliance"], r["tier"]) for r in rows] == [("PYLEEZ", "core"), ("JALA", "member")]
    store = OxigraphStore(None)
    load_roster(store, ids, path)
    triples = {q[:3] for q in store.quads()}
    decimal = "http://www.w3.org/2001/XMLSchema#decimal"
    assert (ids.institution("JXPL"), SCHEMA.latitude, Lit("28.68", None, decimal)) in triples


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("code,alliance,name_zh,kind\nA,JALA,甲,museum\n", "line 2: kind 'museum' is not one of"),
        ("code,alliance,name_zh,tier\nA,JALA,甲,gold\n", "line 2: tier 'gold' is not one of"),
        ("code,alliance,name_zh,lat,lon\nA,JALA,甲,north,1\n", "line 2: lat 'north' is not a"),
        ("code,name_zh\nA,甲\n", "missing column(s) alliance"),
        ("code,alliance,name_zh\nA,,甲\n", "line 2: empty alliance"),
    ],
)
def test_bad_roster_rows_name_file_line_and_reason(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RosterError) as err:
        read_roster(path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_cities_link_to_the_gazetteer_when_it_is_loaded(ids: Minter) -> None:
    from loaders.vocab.gazetteer import load_gazetteer, place_uri  # noqa: PLC0415

    store = OxigraphStore(None)
    load_gazetteer(store, ids, SAMPLE / "gazetteer.csv")
    load_roster(store, ids, SAMPLE / "roster.csv")
    triples = {q[:3] for q in store.quads()}
    assert (ids.institution("JJU"), SCHEMA.location, place_uri(ids, "jiujiang")) in triples
    assert (ids.institution("JCU"), SCHEMA.location, place_uri(ids, "jingdezhen")) in triples
    # Haikou is not in the Jiangxi gazetteer: no link, no guess
    assert not any(s == ids.institution("HNMU") and p == SCHEMA.location for s, p, _ in triples)

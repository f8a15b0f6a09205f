"""The bundled regional gazetteer: loading it, and finding the places records name."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pymarc
import pytest

from kg.ids import Minter
from kg.keys import fold
from kg.store import Store
from kg.terms import Lit, Triple
from kg.vocab import KG, RDF, SCHEMA, SKOS
from loaders.vocab.gazetteer import (
    GazetteerError,
    PlaceMatcher,
    load_gazetteer,
    place_matcher,
    place_uri,
    places_graph,
    read_gazetteer,
)
from tests.conftest import SAMPLE, shared

GAZETTEER = SAMPLE / "gazetteer.csv"
GWU = "marc/marc2bibframe2/dataset/gwu.xml"
BASE = "http://kg.test/"
# Poyang Lake Eco-Economic Zone, 2009 plan: all of Nanchang, Jingdezhen and Yingtan
WHOLE_CITIES = {"nanchang": 9, "jingdezhen": 4, "yingtan": 3}
CITIES = ["南昌", "九江", "景德镇", "萍乡", "新余", "鹰潭", "赣州", "宜春", "上饶", "吉安", "抚州"]

Triples = set[Triple]


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return read_gazetteer(GAZETTEER)


@pytest.fixture(scope="module")
def match() -> Callable[[str], str | None]:
    return place_matcher(GAZETTEER, Minter(BASE))


def uri(place: str) -> str:
    return f"{BASE}place/{place}"


def marcxml(path: Path) -> list[pymarc.Record]:
    return pymarc.parse_xml_to_array(str(path))  # type: ignore[no-untyped-call,no-any-return]


def objects(triples: Triples, subject: str, predicate: str) -> set[object]:
    return {o for s, p, o in triples if s == subject and p == predicate}


# --- the file -------------------------------------------------------------------------


def test_the_file_lists_the_province_its_cities_and_the_zone(rows: list[dict[str, str]]) -> None:
    kinds = Counter(r["kind"] for r in rows)
    assert kinds == {
        "province": 1,
        "city": 11,
        "district": 12,
        "county": 19,
        "county-city": 6,
        "zone": 1,
        "lake": 1,
    }
    by_id = {r["id"]: r for r in rows}
    assert [r["name_zh"] for r in rows if r["kind"] == "city"] == [c + "市" for c in CITIES]
    assert all(r["parent"] == "jiangxi" for r in rows if r["kind"] == "city")
    counties = [r for r in rows if r["kind"] in ("county", "district", "county-city")]
    assert len(counties) == 37  # of the plan's 38: see the zone's note
    under = Counter(r["parent"] for r in counties)
    assert {city: under[city] for city in WHOLE_CITIES} == WHOLE_CITIES
    assert set(under) == {
        "nanchang",
        "jingdezhen",
        "yingtan",
        "jiujiang",
        "xinyu",
        "fuzhou",
        "yichun",
        "shangrao",
        "ji-an",
    }  # the plan's nine cities
    assert by_id["nanchang-xian"]["name_zh_hant"] == "南昌縣"
    assert by_id["poyang-lake"]["name_zh"] == "鄱阳湖"
    assert by_id["poyang-lake-zone"]["name_zh"] == "鄱阳湖生态经济区"


def test_names_agree_across_scripts(rows: list[dict[str, str]]) -> None:
    """The traditional name folds to the simplified one; pinyin and English are set."""
    for row in rows:
        assert fold(row["name_zh_hant"]) == fold(row["name_zh"]), row["id"]
        assert row["pinyin"].isascii() and row["name_en"].isascii(), row["id"]
        # pinyin without tone marks, one capital per word: "Nanchang Xian"
        assert all(w[:1].isupper() for w in row["pinyin"].split()), row["id"]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("id,name_zh,kind\nNanchang,南昌市,city\n", "line 2: id 'Nanchang' is not"),
        ("id,name_zh,kind\na,甲,city\na,乙,city\n", "line 3: id 'a' already on line 2"),
        ("id,name_zh,kind\na,甲,town\n", "line 2: kind 'town' is not one of"),
        ("id,name_zh,kind,parent\na,甲,city,b\n", "line 2: unknown parent 'b'"),
        ("id,name_zh,kind,parent\na,甲,city,b\nb,乙,city,a\n", "parent cycle"),
        ("id,kind\na,city\n", "missing column"),
    ],
)
def test_a_bad_file_names_its_line(tmp_path: Path, text: str, error: str) -> None:
    path = tmp_path / "places.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GazetteerError, match=error):
        read_gazetteer(path)


# --- the graph ------------------------------------------------------------------------


@pytest.fixture
def loaded(store: Store, ids: Minter) -> Triples:
    report = load_gazetteer(store, ids, GAZETTEER)
    assert report.places == 51
    assert report.graph == places_graph(ids) == ids.base + "graph/vocab/places"
    triples = {q[:3] for q in store.quads(report.graph)}
    assert report.quads == len(triples)
    return triples


def test_places_are_concepts_with_four_labels(loaded: Triples, ids: Minter) -> None:
    places = {s for s, p, o in loaded if p == RDF.type and o == SCHEMA.Place}
    concepts = {s for s, p, o in loaded if p == SKOS.inScheme and o == ids.scheme("places")}
    assert len(places) == 51
    assert places == concepts
    nanchang = place_uri(ids, "nanchang-xian")
    assert nanchang == ids.base + "place/nanchang-xian"
    assert objects(loaded, nanchang, SKOS.prefLabel) == {
        Lit("南昌县", "zh-Hans"),
        Lit("南昌縣", "zh-Hant"),
        Lit("Nanchang Xian", "zh-Latn-pinyin"),
        Lit("Nanchang County", "en"),
    }
    assert objects(loaded, nanchang, KG.placeKind) == {Lit("county")}
    assert objects(loaded, nanchang, SKOS.broader) == {place_uri(ids, "nanchang")}
    assert objects(loaded, nanchang, SCHEMA.containedInPlace) == {place_uri(ids, "nanchang")}
    jiangxi = place_uri(ids, "jiangxi")
    assert objects(loaded, jiangxi, SKOS.topConceptOf) == {ids.scheme("places")}
    assert objects(loaded, ids.scheme("places"), SKOS.hasTopConcept) == {jiangxi}


def test_every_place_leads_up_to_jiangxi(loaded: Triples, ids: Minter) -> None:
    broader = {s: o for s, p, o in loaded if p == SKOS.broader}
    assert {s: o for s, p, o in loaded if p == SCHEMA.containedInPlace} == broader
    jiangxi = place_uri(ids, "jiangxi")
    places = {s for s, p, o in loaded if p == RDF.type and o == SCHEMA.Place}
    for place in places - {jiangxi}:
        chain = [place]
        while chain[-1] in broader:
            chain.append(str(broader[chain[-1]]))
            assert len(chain) <= 3
        assert chain[-1] == jiangxi, chain
    assert broader[place_uri(ids, "hukou-xian")] == place_uri(ids, "jiujiang")


def test_reload_replaces_the_graph(store: Store, ids: Minter, tmp_path: Path) -> None:
    load_gazetteer(store, ids, GAZETTEER)
    with GAZETTEER.open(encoding="utf-8") as handle:
        first = [row for row in csv.DictReader(handle) if row["kind"] in ("province", "city")]
    smaller = tmp_path / "places.csv"
    with smaller.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(first[0]))
        writer.writeheader()
        writer.writerows(first)
    report = load_gazetteer(store, ids, smaller)
    assert report.places == 12
    subjects = {q[0] for q in store.quads(places_graph(ids))}
    assert place_uri(ids, "nanchang-xian") not in subjects
    assert place_uri(ids, "nanchang") in subjects
    assert ids.roster_graph() in store.graphs()  # other graphs untouched


# --- matching place names -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "place"),
    [
        ("南昌", "nanchang"),
        ("南昌市", "nanchang"),
        ("南昌县", "nanchang-xian"),
        ("九江縣", "jiujiang-xian"),
        ("九江", "jiujiang"),  # a bare name shared by a city and a county: the city
        ("Nanchang", "nanchang"),
        ("nanchang city", "nanchang"),
        ("Nanchang County", "nanchang-xian"),
        ("Jiujiang Shi", "jiujiang"),
        ("JIUJIANG XIAN", "jiujiang-xian"),
        ("Ji'an", "ji-an"),
        ("江西省南昌市", "nanchang"),
        ("江西南昌", "nanchang"),
        ("江西省九江市湖口县", "hukou-xian"),
        ("中国江西省景德镇市", "jingdezhen"),
        ("Nanchang, Jiangxi", "nanchang"),
        ("景德鎮", "jingdezhen"),
        ("景德鎮市", "jingdezhen"),
        ("樂平", "leping-shi"),
        ("新建区", "xinjian-xian"),  # 新建县 became 新建区 in 2015
        ("鄱阳", "poyang-xian"),
        ("鄱陽湖", "poyang-lake"),
        ("鄱阳湖生态经济区", "poyang-lake-zone"),
        ("江西", "jiangxi"),
        ("[南昌] :", "nanchang"),
    ],
)
def test_place_names_as_catalogued(
    match: Callable[[str], str | None], name: str, place: str
) -> None:
    assert match(name) == uri(place)


@pytest.mark.parametrize(
    "name",
    [
        *("北京", "上海", "贵阳", "Beijing", "[S.l.]", "London", "", "东城区", "市"),
        "南昌市九江县",  # two places, not one inside the other
        "南昌九江" * 8,  # more parts than a compound name has
    ],
)
def test_places_outside_the_gazetteer(match: Callable[[str], str | None], name: str) -> None:
    assert match(name) is None


def test_publication_places_of_the_sample_records(match: Callable[[str], str | None]) -> None:
    """CNMARC 210 $a and MARC21 260/264 $a of the bundled records and GWU's CJK set:
    Beijing, Shanghai, Guiyang, London ... none of them in Jiangxi."""
    places: Counter[str] = Counter()
    for name in ("jxau-dp2-cnmarc.xml", "ncu-dp2-unimarc.xml"):
        for record in marcxml(SAMPLE / name):
            places.update(a for f in record.get_fields("210") for a in f.get_subfields("a"))
    assert places["北京"] == 13
    marc21 = (SAMPLE / "jxufe-gwu.xml", SAMPLE / "ncu-dp2-marc21.xml", shared(GWU))
    for path in marc21:
        for record in marcxml(path):
            for field in record.get_fields("260", "264"):
                places.update(field.get_subfields("a"))
    assert {"北京", "上海", "贵阳", "London :", "[S.l.] :"} <= set(places)
    assert {p: match(p) for p in places} == dict.fromkeys(places)


def test_cities_of_the_roster_and_the_alliance_papers(match: Callable[[str], str | None]) -> None:
    """Every member's city in Jiangxi is found; Haikou (Hainan) is not."""
    cities: Counter[str] = Counter()
    for path in (SAMPLE / "roster.csv", shared("alliances/members.csv")):
        with path.open(encoding="utf-8") as handle:
            cities.update(row["city"] for row in csv.DictReader(handle) if row["city"])
    found = {city: match(city) for city in cities}
    assert found.pop("海口") is None
    assert found == {
        "南昌": uri("nanchang"),
        "九江": uri("jiujiang"),
        "上饶": uri("shangrao"),
        "景德镇": uri("jingdezhen"),
        "宜春": uri("yichun"),
    }


def test_matcher_from_rows(rows: list[dict[str, str]]) -> None:
    matcher = PlaceMatcher(rows, Minter("https://kg.example.org/"))
    assert matcher("南昌") == "https://kg.example.org/place/nanchang"
    assert matcher.match_id("九江县") == "jiujiang-xian"
    only = place_matcher([{"id": "x", "name_zh": "某县", "kind": "county"}], Minter(BASE))
    assert only("某") == uri("x")

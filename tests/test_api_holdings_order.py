"""Who holds a work, in the order the alliance lends (issue 4, item 7): core members before
close ones before service points, then, within a tier, those in the city of the asking
member (``near``), each with its kind and city.

The bundled roster has no close or service members, so this test adds an alliance of four
(its own CSV, in the roster's columns) whose members all catalogued the same book (one
ISBN: one instance, four items).
"""

from __future__ import annotations

from typing import Any, cast

import pymarc
import pytest

from kg.backends.oxigraph import OxigraphStore
from kg.ids import Minter
from kg.store import Store
from loaders.marc.loader import MarcLoader
from loaders.roster import load_roster
from loaders.sample import SAMPLE, load_vocabularies
from tests.conftest import BASE, answer

MEMBERS = """\
TSVJ,TLA,测试服务点九江,Test service point Jiujiang,public,九江,service,2021-01-01
TCLS,TLA,测试紧密成员,Test close member,research-institute,上饶,close,2021-01-01
TSVN,TLA,测试服务点南昌,Test service point Nanchang,hospital,南昌,service,2021-01-01
TCOR,TLA,测试核心成员,Test core member,university,景德镇,core,2021-01-01
"""
ISBN = "9787040247657"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = OxigraphStore(None)
    ids = Minter(BASE)
    load_vocabularies(store, ids, echo=lambda _: None)
    tmp = tmp_path_factory.mktemp("holdings")
    roster = tmp / "roster.csv"
    roster.write_text((SAMPLE / "roster.csv").read_text(encoding="utf-8") + MEMBERS, "utf-8")
    load_roster(store, ids, roster)
    for n, code in enumerate(line.split(",")[0] for line in MEMBERS.splitlines()):
        rec = pymarc.Record(force_utf8=True)
        rec.leader = pymarc.Leader("00000nam a22000003i 4500")
        rec.add_field(pymarc.Field(tag="001", data=f"{code}-{n}"))
        rec.add_field(pymarc.Field("020", [" ", " "], [pymarc.Subfield("a", ISBN)]))
        rec.add_field(pymarc.Field("245", ["0", "0"], [pymarc.Subfield("a", "景德镇陶瓷史")]))
        path = tmp / f"{code}.mrc"
        path.write_bytes(rec.as_marc())
        assert MarcLoader(store, ids, code).load(path).read == 1
    return store


def holdings(store: Store, near: str | None = None) -> list[dict[str, Any]]:
    """The holdings of the book's work, as a portal asks for them."""
    work = str(store.select("search_all_works")[0]["work"])
    query = """query($id: ID!, $near: String) { work(id: $id) {
      holdings(near: $near) { nodes { tier items institution { code kind city } } } } }"""
    found = answer(store, query, id=work, near=near)["work"]["holdings"]["nodes"]
    return cast(list[dict[str, Any]], found)


def test_core_members_lend_first_then_close_then_service_points(store: Store) -> None:
    rows = holdings(store)
    assert [(r["institution"]["code"], r["tier"]) for r in rows] == [
        ("TCOR", "core"),
        ("TCLS", "close"),
        ("TSVJ", "service"),  # the two service points by code, with no asking member
        ("TSVN", "service"),
    ]
    assert [(r["institution"]["kind"], r["institution"]["city"]) for r in rows] == [
        ("university", "景德镇"),
        ("research-institute", "上饶"),
        ("public", "九江"),
        ("hospital", "南昌"),
    ]
    assert all(r["items"] == 1 for r in rows)


def test_within_a_tier_the_asking_members_city_comes_first(store: Store) -> None:
    # a Nanchang member asks: of the service points, Nanchang's comes before Jiujiang's;
    # the tiers still come first (the core member in Jingdezhen stays at the top)
    rows = holdings(store, near="NCU")
    assert [r["institution"]["code"] for r in rows] == ["TCOR", "TCLS", "TSVN", "TSVJ"]


def test_holdings_are_paged_in_loan_order_with_cursors(store: Store) -> None:
    work = str(store.select("search_all_works")[0]["work"])
    query = """query($id: ID!, $after: String) { work(id: $id) {
      holdings(near: "NCU", first: 2, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { institution { code } } } } }"""
    first = answer(store, query, id=work)["work"]["holdings"]
    assert first["totalCount"] == 4 and first["pageInfo"]["hasNextPage"]
    assert [h["institution"]["code"] for h in first["nodes"]] == ["TCOR", "TCLS"]
    after = first["pageInfo"]["endCursor"]
    second = answer(store, query, id=work, after=after)["work"]["holdings"]
    assert [h["institution"]["code"] for h in second["nodes"]] == ["TSVN", "TSVJ"]
    assert second["totalCount"] == 4 and not second["pageInfo"]["hasNextPage"]

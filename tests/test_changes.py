"""The change feed (issue 7, item 4): after a load, a reload with a changed record, and a
deletion (leader/05 ``d``), ``/changes`` lists what was created, changed and deleted, paged
by opaque tokens; a deleted record shows as a tombstone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pymarc
from starlette.testclient import TestClient

from kg.app import create_app
from kg.ids import Minter
from kg.store import Store
from kg.vocab import KG, PROV
from loaders.marc.loader import MarcLoader
from tests.conftest import SAMPLE
from tests.test_union import write_xml


def feed(client: TestClient, since: str | None = None, limit: int = 1000) -> dict[str, Any]:
    params: dict[str, str | int] = {"limit": limit}
    if since is not None:
        params["since"] = since
    response = client.get("/changes", params=params)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def by_id(body: dict[str, Any]) -> dict[str, str]:
    return {c["id"]: c["change"] for c in body["changes"]}


def test_load_change_and_delete_show_in_the_feed(
    mem_store: Store, ids: Minter, tmp_path: Path
) -> None:
    records = pymarc.parse_xml_to_array(str(SAMPLE / "jxufe-gwu.xml"))[:6]
    client = TestClient(create_app(mem_store, ids))
    MarcLoader(mem_store, ids, "JXUFE", batch_size=4).load(write_xml(tmp_path / "a.xml", records))
    first = feed(client)
    created = by_id(first)
    changed_record = ids.record("JXUFE", records[1]["001"].data)
    deleted_record = ids.record("JXUFE", records[2]["001"].data)
    assert created[changed_record] == created[deleted_record] == "created"
    assert {k for k, v in created.items() if "/record/" in k} == {
        ids.record("JXUFE", r["001"].data) for r in records
    }
    assert set(created.values()) == {"created"} and any("/work/" in k for k in created)
    assert first["more"] is False

    # nothing new: the token is the place to poll from
    assert feed(client, first["next"])["changes"] == []

    records[1]["245"]["a"] = "A corrected title :"
    gone = records[2]
    gone.leader = gone.leader[:5] + "d" + gone.leader[6:]
    report = MarcLoader(mem_store, ids, "JXUFE", batch_size=4).load(
        write_xml(tmp_path / "b.xml", records)
    )
    assert (report.deleted, report.replaced >= 1) == (1, True)
    second = by_id(feed(client, first["next"]))
    assert second[changed_record] == "changed"
    assert second[deleted_record] == "deleted"

    # the deletion left a tombstone: record, former instance and work, run, time
    tomb = f"{ids.base}graph/tombstone/JXUFE/{records[2]['001'].data}"
    facts = {(p, o) for _, p, o, _ in mem_store.quads(tomb)}
    assert (KG.formerRecord, deleted_record) in facts
    assert (PROV.wasInvalidatedBy, report.run) in facts
    assert any(p == KG.formerInstance for p, _ in facts)
    entry = next(c for c in feed(client, first["next"])["changes"] if c["id"] == deleted_record)
    assert entry["graph"] == tomb and entry["run"] == report.run


def test_pages_follow_tokens_and_times(mem_store: Store, ids: Minter, tmp_path: Path) -> None:
    records = pymarc.parse_xml_to_array(str(SAMPLE / "jxufe-gwu.xml"))[:5]
    client = TestClient(create_app(mem_store, ids))
    MarcLoader(mem_store, ids, "JXUFE").load(write_xml(tmp_path / "a.xml", records))
    everything = feed(client)["changes"]
    seen: list[dict[str, str]] = []
    token = None
    while True:
        page = feed(client, token, limit=7)
        seen += page["changes"]
        token = page["next"]
        if not page["more"]:
            break
    assert seen == everything and len(seen) > 7
    later = feed(client, "2999-01-01T00:00:00Z")
    assert later["changes"] == [] and later["since"] == "2999-01-01T00:00:00+00:00"
    assert feed(client, "2000-01-01")["changes"] == everything  # a naive time is UTC


def test_bad_since_and_limit_are_400(mem_store: Store, ids: Minter) -> None:
    client = TestClient(create_app(mem_store, ids))
    response = client.get("/changes", params={"since": "yesterday"})
    assert response.status_code == 400
    assert "neither an ISO 8601 time" in response.json()["error"]
    assert client.get("/changes", params={"limit": 0}).status_code == 400
    assert client.get("/changes", params={"limit": "x"}).status_code == 400

"""Dumps (issue 7, item 3): ``kg export`` round-trips (the gzipped N-Quads parsed back with
pyoxigraph equal ``store.quads()``), Turtle, one graph, one member; the service's /dumps/
listing (size, SHA-256) and download; VoID at /.well-known/void.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from kg.app import create_app
from kg.backends.oxigraph import OxigraphStore
from kg.export import ExportError, export, institution_graphs, select_graphs
from kg.ids import Minter
from kg.terms import Lit, Quad
from kg_cli import cli
from loaders.sample import load_sample
from tests.conftest import BASE


def as_kg(quad: ox.Quad) -> Quad:
    """A parsed quad in the store contract's terms."""

    def term(t: object) -> str | Lit:
        if isinstance(t, ox.Literal):
            plain = t.datatype.value.endswith(("#string", "#langString"))
            return Lit(t.value, t.language, None if plain else t.datatype.value)
        return t.value  # type: ignore[attr-defined, no-any-return]

    return (str(term(quad.subject)), quad.predicate.value, term(quad.object), quad.graph_name.value)  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "store"
    store = OxigraphStore(path)
    load_sample(store, Minter(BASE))
    store.close()
    return path


@pytest.fixture
def store(store_dir: Path) -> Iterator[OxigraphStore]:
    s = OxigraphStore(store_dir)
    yield s
    s.close()


def parse_nquads(path: Path) -> list[Quad]:
    with gzip.open(path, "rb") as handle:
        return [as_kg(q) for q in ox.parse(handle, ox.RdfFormat.N_QUADS)]


def normalised(quads: Iterator[Quad] | list[Quad]) -> set[Quad]:
    """Language tags compared case-insensitively (Oxigraph lower-cases them, BCP 47)."""
    out = set()
    for s, p, o, g in quads:
        tagged = isinstance(o, Lit) and o.lang
        out.add((s, p, Lit(o.value, o.lang.lower(), o.datatype) if tagged else o, g))  # type: ignore[union-attr]
    return out


def test_whole_graph_round_trips_as_nquads(store: OxigraphStore, tmp_path: Path) -> None:
    out = tmp_path / "all.nq.gz"
    manifest = export(store, out)
    parsed = parse_nquads(out)
    assert normalised(parsed) == normalised(store.quads())
    assert manifest.statements == len(parsed)
    assert manifest.graphs == len(store.graphs())
    assert manifest.size == out.stat().st_size
    assert manifest.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    assert json.loads(out.with_name("all.nq.gz.json").read_text())["sha256"] == manifest.sha256


def test_turtle_holds_the_union_of_the_graphs(store: OxigraphStore, tmp_path: Path) -> None:
    out = tmp_path / "all.ttl.gz"
    export(store, out, "turtle")
    with gzip.open(out, "rb") as handle:
        triples = {as_kg(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode("x:g")))[:3]
                   for t in ox.parse(handle, ox.RdfFormat.TURTLE)}  # fmt: skip
    assert {q[:3] for q in normalised(store.quads())} == {
        (s, p, Lit(o.value, o.lang.lower(), o.datatype) if isinstance(o, Lit) and o.lang else o)
        for s, p, o in triples
    }


def test_one_graph_and_one_member(store: OxigraphStore, tmp_path: Path) -> None:
    ids = Minter(BASE)
    graph = ids.record_graph("NCU", "990002072570203961")
    out = tmp_path / "one.nq.gz"
    export(store, out, graphs=select_graphs(store, ids, graph=graph))
    assert normalised(parse_nquads(out)) == normalised(store.quads(graph))
    member = institution_graphs(store, ids, "NCU")
    assert all("/graph/record/NCU/" in g or "/run/" in g for g in member)
    assert any("/run/" in g for g in member) and graph in member
    out = tmp_path / "ncu.nq.gz"
    export(store, out, graphs=member)
    assert {q[3] for q in parse_nquads(out)} == set(member)
    with pytest.raises(ExportError, match="no named graph"):
        select_graphs(store, ids, graph=f"{BASE}graph/nothing")
    with pytest.raises(ExportError, match="no graphs contributed by 'NOPE'"):
        select_graphs(store, ids, institution="NOPE")


def test_kg_export_feeds_the_dumps_listing_and_void(store_dir: Path) -> None:
    runner = CliRunner()
    args = ["--store", str(store_dir), "--base", BASE, "export"]
    result = runner.invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "statements in" in result.output and "SHA-256" in result.output
    result = runner.invoke(cli, [*args, "--institution", "JXUFE", "--format", "turtle"])
    assert result.exit_code == 0, result.output
    bad = runner.invoke(cli, [*args, "--graph", "x", "--institution", "NCU"])
    assert bad.exit_code == 2
    store = OxigraphStore(store_dir)
    try:
        client = TestClient(create_app(store, Minter(BASE)))
        listing = client.get("/dumps/").json()
        assert [d["scope"] for d in listing["dumps"]][:2] in (
            ["institution:JXUFE", "all"],
            ["all", "institution:JXUFE"],
        )
        whole = next(d for d in listing["dumps"] if d["scope"] == "all")
        download = client.get(whole["url"])
        assert download.status_code == 200
        assert download.headers["content-type"] == "application/n-quads"
        assert len(download.content) == whole["size"]
        assert hashlib.sha256(download.content).hexdigest() == whole["sha256"]
        assert client.get("/dumps/nothing.nq.gz").status_code == 404
        void = client.get("/.well-known/void", headers={"Accept": "application/n-triples"})
        assert void.status_code == 200
        graph = set(ox.parse(void.content, ox.RdfFormat.N_TRIPLES))
        by_p = {t.predicate.value.rsplit("#", 1)[-1]: t.object for t in graph
                if t.subject.value == f"{BASE}catalogue"}  # fmt: skip
        assert by_p["dataDump"].value == f"{BASE}dumps/{whole['file']}"
        assert by_p["sparqlEndpoint"].value == f"{BASE}sparql"
        assert int(by_p["triples"].value) > 1000 and int(by_p["entities"].value) > 100
        vocabularies = {t.object.value for t in graph if t.predicate.value.endswith("vocabulary")}
        assert "http://id.loc.gov/ontologies/bibframe/" in vocabularies
        assert "http://purl.org/dc/terms/license" in {t.predicate.value for t in graph}
    finally:
        store.close()

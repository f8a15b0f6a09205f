"""Every named query exists in both dialects (DESIGN.md, ``queries/``): the same name, the same
parameters, and, on the bundled sample copied into Neo4j, the same rows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pymarc
import pytest

from kg.backends.neo4j import Neo4jStore
from kg.backends.oxigraph import OxigraphStore
from kg.copy import copy_store
from kg.ids import Minter
from kg.store import QUERIES, Param, Row
from kg.terms import Lit, text_of
from loaders.docs.loader import DocumentLoader
from loaders.marc.loader import MarcLoader
from loaders.sample import load_sample
from loaders.vocab.thesaurus import load_thesaurus
from tests.backends.conftest import needs_neo4j, open_neo4j
from tests.conftest import SHARED

SPARQL = sorted((QUERIES / "sparql").glob("*.r[qu]"))
SELECTS = [p.stem for p in SPARQL if p.suffix == ".rq"]
CYPHER = sorted((QUERIES / "cypher").glob("*.cypher"))
_COMMENT = re.compile(r"//[^\n]*")


def sparql_parameters(path: Path) -> set[str]:
    return set(re.findall(r"\{\{(\w+)\}\}", path.read_text(encoding="utf-8")))


def cypher_parameters(path: Path) -> set[str]:
    text = _COMMENT.sub("", path.read_text(encoding="utf-8"))
    return set(re.findall(r"\$([A-Za-z_]\w*)", text))


@pytest.mark.parametrize("path", SPARQL, ids=lambda p: p.name)
def test_every_sparql_query_has_a_cypher_twin_with_the_same_parameters(path: Path) -> None:
    twin = QUERIES / "cypher" / f"{path.stem}.cypher"
    assert twin.exists(), f"{path.name} has no Cypher twin: write {twin.relative_to(QUERIES)}"
    assert cypher_parameters(twin) == sparql_parameters(path)


@pytest.mark.parametrize("path", CYPHER, ids=lambda p: p.name)
def test_every_cypher_query_has_a_sparql_twin(path: Path) -> None:
    assert any(p.stem == path.stem for p in SPARQL), f"{path.name} has no SPARQL twin"


# -- the same rows on both backends ---------------------------------------------------------

BASE = "http://localhost:8000/"
PAPER = SHARED / "documents" / "poyang-lake-alliance-paper.txt"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[OxigraphStore, Neo4jStore]]:
    """The bundled sample, one paper (a document's graph: loaders.docs), the thesaurus and
    one record whose heading it knows (links to terms: no sample heading is one) loaded
    into memory, and copied into the Neo4j test server."""
    embedded = OxigraphStore(None)
    load_sample(embedded, Minter(BASE))
    DocumentLoader(embedded, Minter(BASE), "JXPL").load([PAPER])
    record = pymarc.Record(force_utf8=True)
    record.add_field(pymarc.Field(tag="001", data="heading-of-a-term"))
    record.add_field(pymarc.Field("245", ["0", "0"], [pymarc.Subfield("a", "临床医学导论")]))
    subjects = [pymarc.Subfield("a", "医学"), pymarc.Subfield("x", "临床医学")]
    record.add_field(pymarc.Field("650", [" ", "0"], subjects))
    export = tmp_path_factory.mktemp("dialects") / "heading.mrc"
    export.write_bytes(record.as_marc())
    MarcLoader(embedded, Minter(BASE), "JXUFE").load(export)
    load_thesaurus(
        embedded, Minter(BASE), SHARED / "vocab/chinese-thesaurus/abc202306_obsidian-vault"
    )
    server = open_neo4j()
    copy_store(embedded, server)
    yield embedded, server
    server.close()
    embedded.close()


def _iris(store: OxigraphStore, query: str, limit: int = 40) -> list[str]:
    rows = store.sparql(f"SELECT DISTINCT ?x WHERE {{ {query} }} ORDER BY ?x")
    return [text_of(r["x"]) for r in rows][:limit]


def parameters(name: str, store: OxigraphStore) -> dict[str, Param]:
    """Parameters for the named query that find something in the sample."""
    ids = Minter(BASE)
    work = _iris(store, "?x a <http://id.loc.gov/ontologies/bibframe/Work>")
    with_lits = "?m <https://w3id.org/regional-kg/vocab#{}> ?x"
    values: dict[str, Param] = {
        "scheme": ids.scheme("places") if name == "places" else ids.scheme("themes"),
        "limit": 50,
        "records": _iris(store, "?x <https://w3id.org/regional-kg/vocab#contentHash> ?h"),
        "keys": [Lit(str(v)) for v in _iris(store, with_lits.format("matchKey"))],
        "clcClasses": Lit(ids.klass("clc", "")),
        "classes": Lit(f"{ids.base}class/"),
        "places": Lit(f"{ids.base}place/"),
        "graphPrefixes": [Lit(f"{ids.base}graph/record/"), Lit(f"{ids.base}graph/doc/")],
        "works": work,
        "work": work[0],
        "entities": _iris(store, "?w <http://id.loc.gov/ontologies/bibframe/subject> ?x"),
        "uris": work[:10]
        + _iris(store, "?x <http://id.loc.gov/ontologies/bibframe/instanceOf> ?w"),
        "graphs": store.graphs()[:40],
        "schemes": [ids.scheme(s) for s in ("places", "themes", "clc")],
        "catalogue": ids.catalogue(),
        "graph": ids.count_graph(ids.catalogue()),
        "parent": ids.klass("clc", "F"),
        "scope": ids.catalogue(),
        "theme": _iris(store, "?w <https://w3id.org/regional-kg/vocab#inTheme> ?x")[0],
        "agent": _iris(store, "?c <http://id.loc.gov/ontologies/bibframe/agent> ?x")[0],
        "id": work[0],
        "ids": work,
        "predicate": "http://id.loc.gov/ontologies/bibframe/instanceOf",
        "predicates": [],
        "scopes": _iris(store, "?x <http://www.w3.org/2004/02/skos/core#topConceptOf> ?s"),
        "dimension": Lit("rollup"),
        "institution": ids.institution("JXUFE"),
        "members": _iris(store, "?m <http://www.w3.org/ns/org#member> ?x"),
        "alliances": [],
        "tiers": [Lit("founder")],
        "kinds": [],
        "cities": [],
        "institutions": [],
        "languages": [],
        "decades": [Lit("2010")],
        "sort": Lit("title"),
        "afterSort": Lit(""),
        "afterWork": Lit(""),
        "after": Lit(""),
        "classPrefix": Lit(f"{ids.base}class/"),
        "recordGraphs": Lit(ids.record_graphs()),
        "concepts": Lit(ids.concepts()),
        "terms": Lit(ids.concepts("cct")),
    }
    runs = store.sparql(
        "SELECT ?run ?ended WHERE { ?run <http://www.w3.org/ns/prov#endedAtTime> ?ended }"
        " ORDER BY ?ended"
    )
    values["run"], values["ended"] = runs[-1]["run"], runs[-1]["ended"]
    values["since"] = runs[1]["ended"]
    values["base"] = Lit(BASE)
    if name in ("describe_entity", "describe_entity_incoming"):
        values["id"] = _iris(store, "?x <http://id.loc.gov/ontologies/bibframe/instanceOf> ?w")[0]
    if name in ("scope_works", "scope_places", "scope_facets_filtered"):
        values["scope"] = ids.klass("clc", "F")
        values["decades"] = []
        values["classes"] = []
    if name == "class_path":
        values["id"] = _iris(store, "?x <http://www.w3.org/2004/02/skos/core#broader> ?b")[0]
    if name == "theme_rules":
        values["works"] = _iris(store, "?x <https://w3id.org/regional-kg/vocab#inTheme> ?t")
    if name == "work_themes":
        values["work"] = _iris(store, "?x <https://w3id.org/regional-kg/vocab#inTheme> ?t")[0]
    if name == "institution_class_shares":
        values["institution"] = ids.institution("JXAU")
    if name == "scheme_top_classes":
        values["scheme"] = ids.scheme("clc")
    if name in ("scheme_labels", "class_notations"):
        values["scheme"] = ids.scheme("clc")
    if name == "count_values":
        values["keys"] = _iris(store, "?x <https://w3id.org/regional-kg/vocab#works> ?n")
    if name in ("order_values", "order_heads"):
        values["orders"] = _iris(store, "?x <https://w3id.org/regional-kg/vocab#firstWork> ?w")
    if name in ("holdings", "instance_works"):  # instances (items, merge decisions)
        values["ids"] = _iris(store, "?x <http://id.loc.gov/ontologies/bibframe/instanceOf> ?w")
    if name in ("work_holdings", "work_titles"):  # works, through their instances
        values["ids"] = _iris(store, "?i <http://id.loc.gov/ontologies/bibframe/instanceOf> ?x")
    if name == "labels":  # instances (titles), classes (notations), institutions (names)
        values["ids"] = (
            _iris(store, "?x <http://id.loc.gov/ontologies/bibframe/instanceOf> ?w", 10)
            + _iris(store, "?x <http://www.w3.org/2004/02/skos/core#topConceptOf> ?s", 10)
            + _iris(store, "?m <http://www.w3.org/ns/org#member> ?x", 10)
        )
    if name == "quality_loaded_records":  # record graphs (a member's records)
        values["graphs"] = [g for g in store.graphs() if "/graph/record/" in g][:40]
    if name == "works_by_key":
        values["keys"] = [Lit(str(v)) for v in _iris(store, with_lits.format("workKey"))]
    text = (QUERIES / "sparql" / f"{name}.rq").read_text(encoding="utf-8")
    return {k: v for k, v in values.items() if "{{" + k + "}}" in text}


def canonical(rows: list[Row]) -> list[tuple[tuple[str, Any], ...]]:
    return [tuple(sorted(row.items())) for row in rows]


def comparable(name: str, rows: list[Row]) -> list[tuple[tuple[str, Any], ...]]:
    """The rows, in a form both dialects can be compared in."""
    return canonical(rows)


FINDS_ROWS = (
    "describe",
    "heading_labels",
    "holdings",
    "instance_works",
    "labels",
    "incoming",
    "order_heads",
    "order_values",
    "quality_loaded_records",
    "term_links",
    "theme_rules",
    "work_holdings",
    "work_titles",
)
"""Queries whose parameters above must find rows in the sample (an empty answer on both
backends would compare equal and prove nothing)."""


@needs_neo4j
@pytest.mark.parametrize("name", SELECTS)
def test_both_dialects_give_the_same_rows(
    name: str, sample: tuple[OxigraphStore, Neo4jStore]
) -> None:
    embedded, server = sample
    params = parameters(name, embedded)
    expected = comparable(name, embedded.select(name, **params))
    got = comparable(name, server.select(name, **params))
    if name in FINDS_ROWS:
        assert expected, f"{name} finds nothing in the sample: the comparison would be empty"
    assert sorted(got, key=repr) == sorted(expected, key=repr)
    text = (QUERIES / "sparql" / f"{name}.rq").read_text(encoding="utf-8")
    if "ORDER BY" in text and "LIMIT" not in text:
        assert got == expected, "same rows, another order"

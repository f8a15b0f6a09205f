"""SHACL validation (schema/shapes.ttl, kg/validate.py): the shapes compiled to SPARQL find
exactly what pySHACL (the reference) finds, on the bundled sample and on the sample with
broken statements added; ``kg validate`` reports by shape and by institution."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from kg.backends.oxigraph import OxigraphStore
from kg.ids import Minter
from kg.terms import Lit, Triple
from kg.validate import (
    ShapeError,
    compile_shapes,
    load_shapes,
    pyshacl_keys,
    rdflib_graph,
    result_keys,
    validate,
)
from kg.vocab import BF, KG, RDF
from kg_cli import cli
from loaders.sample import load_sample

BASE = "http://localhost:8000/"
SCHEME_WARNINGS = 26  # class links of the sample into LCC, DDC, NLM... schemes not described


def broken() -> list[Triple]:
    """Statements that break one shape each, as if one record of JXUFE had said them."""
    r = f"{BASE}record/JXUFE/broken"
    inst, item = f"{BASE}instance/t-broken", f"{BASE}item/JXUFE/broken/0"
    return [
        (r, RDF.type, BF.AdminMetadata),
        (r, KG.controlNumber, Lit("broken")),
        (r, BF.assigner, f"{BASE}org/JXUFE"),
        (inst, RDF.type, BF.Instance),  # no title
        (inst, BF.adminMetadata, r),
        (inst, BF.instanceOf, f"{BASE}work/a"),
        (inst, BF.instanceOf, f"{BASE}work/untyped"),  # two works, one not a bf:Work
        (f"{BASE}work/a", RDF.type, BF.Work),
        (f"{BASE}work/lonely", RDF.type, BF.Work),  # no instance
        (item, RDF.type, BF.Item),  # not an item of any instance
        (item, BF.heldBy, f"{BASE}org/NOBODY"),  # not on the roster, in no alliance
        (f"{r}#title9", RDF.type, BF.Title),
        (f"{r}#title9", BF.mainTitle, Lit("")),  # empty
        (f"{r}#finding9", RDF.type, KG.QualityFinding),
        (f"{r}#finding9", KG.record, r),
        (f"{r}#finding9", KG.severity, Lit("fatal")),  # no check; a severity not allowed
        (f"{BASE}graph/record/JXUFE/broken", KG.institution, f"{BASE}org/JXUFE"),  # no run
    ]


@pytest.fixture(scope="module")
def sample() -> OxigraphStore:
    store = OxigraphStore(None)
    load_sample(store, Minter(BASE))
    return store


@pytest.fixture(scope="module")
def damaged() -> OxigraphStore:
    store = OxigraphStore(None)
    load_sample(store, Minter(BASE))
    graph = f"{BASE}graph/record/JXUFE/broken"
    store.write([], [(s, p, o, graph) for s, p, o in broken()])
    return store


def test_sparql_agrees_with_pyshacl_on_the_sample(sample: OxigraphStore) -> None:
    shapes = load_shapes()
    report = validate(sample, compile_shapes(shapes))
    assert result_keys(report) == pyshacl_keys(rdflib_graph(sample.quads()), shapes)
    assert report.by_shape()["ClassLink-schemeKnown/class"] == SCHEME_WARNINGS
    assert sum(report.by_shape().values()) == SCHEME_WARNINGS


def test_sparql_agrees_with_pyshacl_on_broken_statements(damaged: OxigraphStore) -> None:
    shapes = load_shapes()
    report = validate(damaged, compile_shapes(shapes))
    reference = pyshacl_keys(rdflib_graph(damaged.quads()), shapes)
    assert result_keys(report) == reference
    found = {k: n for k, n in report.by_shape().items() if n and "schemeKnown" not in k}
    assert found == {
        "Finding-check/minCount": 1,
        "Finding-severity/in": 1,
        "Instance-oneWork/maxCount": 1,
        "Instance-title/minCount": 1,
        "Instance-work/class": 1,
        "Item-heldBy/class": 1,
        "Item-instance/minCount": 1,
        "Item-member/node": 1,
        "RecordGraph-run/minCount": 1,
        "Title-notEmpty/minLength": 1,
        "Work-instance/minCount": 1,
    }
    jxufe = report.by_institution()["JXUFE"]
    assert jxufe["Instance-title/minCount"] == 1
    (title,) = [v for v in report.violations if v.constraint.name == "Instance-title/minCount"]
    assert [(r.institution, r.control_number) for r in title.records] == [("JXUFE", "broken")]


def test_one_institution(damaged: OxigraphStore) -> None:
    report = validate(damaged, institution="JXAU")
    assert {v.constraint.name for v in report.violations} == {"ClassLink-schemeKnown/class"}
    assert all(r.institution == "JXAU" for v in report.violations for r in v.records)


def test_unsupported_shacl_is_refused() -> None:
    shapes = load_shapes()
    shapes.add(
        (
            rdflib.URIRef("https://w3id.org/regional-kg/shapes#Instance-title"),
            rdflib.URIRef("http://www.w3.org/ns/shacl#pattern"),
            rdflib.Literal("^A"),
        )
    )
    with pytest.raises(ShapeError, match=r"cannot compile .*shacl#pattern"):
        compile_shapes(shapes)


def test_kg_validate_command(tmp_path: Path) -> None:
    runner = CliRunner(env={"KG_STORE": str(tmp_path / "store"), "KG_BASE": BASE})
    assert runner.invoke(cli, ["demo"]).exit_code == 0
    result = runner.invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{SCHEME_WARNINGS} violations of 28 constraints")
    assert "  ECJTU             20  ClassLink-schemeKnown/class 20" in lines
    result = runner.invoke(cli, ["validate", "--format", "json", "-i", "NCU"])
    data = json.loads(result.output)
    assert data["by_institution"] == {"NCU": {"ClassLink-schemeKnown/class": 2}}
    out = tmp_path / "v.csv"
    result = runner.invoke(cli, ["validate", "--format", "csv", "--output", str(out)])
    rows = out.read_text().splitlines()
    assert rows[0] == "shape,severity,focus,value,institution,control_number,record,message"
    assert len(rows) > SCHEME_WARNINGS


def test_benchmark_smoke_run_agrees_with_pyshacl() -> None:
    """benchmarks/validate_speed.py on the sample and 300 generated records."""
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, str(root / "benchmarks" / "validate_speed.py"), "--smoke", "--json"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=root,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    rows = json.loads(result.stdout[result.stdout.index("[") :])
    assert [(r["records"], r["agree"]) for r in rows] == [("sample", True), (300, True)]

"""SHACL validation of the graph, with the shapes compiled to SPARQL the store runs.

``schema/shapes.ttl`` holds the shapes (W3C SHACL). pySHACL over an rdflib copy of the
graph is the reference but slow at scale (docs/quality.md), so :func:`compile_shapes`
turns each constraint of each property shape into one SPARQL SELECT of the focus nodes
(and values) that violate it, and :func:`validate` runs them on the store, then finds the
records (institution and control number) whose graphs state each offending node.
``tests/test_validate.py`` checks on small data that both find exactly the same results.

The compiler knows the SHACL Core subset the shapes use (the header of shapes.ttl lists
it) and raises :class:`ShapeError` on anything else, rather than skip a constraint.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import rdflib
from rdflib.collection import Collection
from rdflib.term import Node

from kg.store import Row
from kg.terms import Lit, Term, nt_term, text_of
from kg.vocab import BF, KG, RDF, RDFS, SKOS

SHAPES = Path(__file__).resolve().parent.parent / "schema" / "shapes.ttl"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
_TYPE = f"<{RDF.type}>/<{RDFS.subClassOf}>*"
# Predicates of a shape that say nothing the validator must check.
_DESCRIPTIVE = {RDF.type, RDFS.label, str(SH.message), str(SH.name), str(SH.description)}
_DESCRIPTIVE |= {str(SH.severity), str(SH.property), str(SH.order)}
_TARGETS = {SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode}


class ShapeError(ValueError):
    """A shape uses SHACL the compiler does not support (or is malformed)."""


class SparqlStore(Protocol):
    """A store that answers SPARQL text (:class:`kg.backends.oxigraph.OxigraphStore`)."""

    def sparql(self, text: str) -> list[Row]: ...


@dataclass(frozen=True, slots=True)
class Constraint:
    """One constraint component of one property shape, as a SPARQL query.

    ``shape`` is the property shape's IRI, ``node_shape`` the node shape it belongs to,
    ``component`` the SHACL constraint component (``sh:MinCountConstraintComponent``).
    The query's rows bind ``?focus`` (and ``?value`` where SHACL reports a value).
    """

    shape: str
    node_shape: str
    component: str
    severity: str
    message: str
    query: str

    @property
    def name(self) -> str:
        """A short name for reports: ``Instance-title/minCount``."""
        local = self.component.rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
        return f"{_local(self.shape)}/{local[0].lower()}{local[1:]}"


# --- compiling -----------------------------------------------------------------------


def load_shapes(path: Path = SHAPES) -> rdflib.Graph:
    """The shapes graph (Turtle)."""
    return rdflib.Graph().parse(path, format="turtle")


def compile_shapes(shapes: rdflib.Graph) -> list[Constraint]:
    """Every constraint of every property shape of a targeted node shape, as SPARQL.

    :raises ShapeError: on SHACL features outside the supported subset.
    """
    out: list[Constraint] = []
    for node_shape in sorted(set(shapes.subjects(RDF_TYPE, SH.NodeShape)), key=str):
        targets = _targets(shapes, node_shape)
        _only(shapes, node_shape, _DESCRIPTIVE | {str(t) for t in _TARGETS})
        if not targets:
            continue  # used through sh:node only
        for prop in sorted(shapes.objects(node_shape, SH.property), key=str):
            out.extend(_property(shapes, node_shape, prop, targets))
    return out


RDF_TYPE = rdflib.URIRef(RDF.type)


def _targets(shapes: rdflib.Graph, shape: Node) -> str:
    """A graph pattern binding ?focus to the shape's focus nodes (SHACL 2.1.3)."""
    parts = [f"{{ ?focus {_TYPE} {_n3(c)} }}" for c in shapes.objects(shape, SH.targetClass)]
    parts += [f"{{ ?focus {_n3(p)} [] }}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    parts += [f"{{ [] {_n3(p)} ?focus }}" for p in shapes.objects(shape, SH.targetObjectsOf)]
    nodes = [_n3(n) for n in shapes.objects(shape, SH.targetNode)]
    if nodes:
        parts.append(f"{{ VALUES ?focus {{ {' '.join(nodes)} }} }}")
    if not parts:
        return ""
    # DISTINCT: a node that is the object of many links is checked once
    return f"{{ SELECT DISTINCT ?focus WHERE {{ {' UNION '.join(sorted(parts))} }} }}"


def _path(shapes: rdflib.Graph, prop: Node, subject: str, value: str) -> str:
    path = shapes.value(prop, SH.path)
    if isinstance(path, rdflib.URIRef):
        return f"{subject} {_n3(path)} {value} ."
    inverse = shapes.value(path, SH.inversePath) if path is not None else None
    if isinstance(inverse, rdflib.URIRef):
        return f"{value} {_n3(inverse)} {subject} ."
    raise ShapeError(f"{prop}: sh:path must be an IRI or [sh:inversePath IRI], not {path!r}")


def _property(shapes: rdflib.Graph, node_shape: Node, prop: Node, targets: str) -> list[Constraint]:
    if not isinstance(prop, rdflib.URIRef):
        raise ShapeError(f"{node_shape}: give each property shape an IRI (reports name it)")
    supported = {SH.path, SH.minCount, SH.maxCount, SH["class"], SH.minLength, SH["in"], SH.node}
    _only(shapes, prop, _DESCRIPTIVE | {str(s) for s in supported})
    severity = shapes.value(prop, SH.severity) or shapes.value(node_shape, SH.severity)
    message = str(shapes.value(prop, SH.message) or "")
    path = _path(shapes, prop, "?focus", "?value")
    select = "SELECT DISTINCT ?focus ?value WHERE"
    queries: list[tuple[str, str]] = []
    if (n := shapes.value(prop, SH.minCount)) is not None:
        count = _int(n)
        if count == 1:
            query = f"SELECT DISTINCT ?focus WHERE {{ {targets} FILTER NOT EXISTS {{ {path} }} }}"
        else:
            query = (
                f"SELECT ?focus WHERE {{ {{ SELECT ?focus (COUNT(DISTINCT ?value) AS ?n) "
                f"WHERE {{ {targets} OPTIONAL {{ {path} }} }} GROUP BY ?focus }} "
                f"FILTER (?n < {count}) }}"
            )
        queries.append(("MinCount", query))
    if (n := shapes.value(prop, SH.maxCount)) is not None:
        query = (
            f"SELECT ?focus WHERE {{ {{ SELECT ?focus (COUNT(DISTINCT ?value) AS ?n) "
            f"WHERE {{ {{ SELECT DISTINCT ?focus WHERE {{ {targets} }} }} {path} }} "
            f"GROUP BY ?focus }} FILTER (?n > {_int(n)}) }}"
        )
        queries.append(("MaxCount", query))
    if (klass := shapes.value(prop, SH["class"])) is not None:
        check = f"FILTER NOT EXISTS {{ ?value {_TYPE} {_n3(klass)} }}"
        queries.append(("Class", f"{select} {{ {targets} {path} {check} }}"))
    if (n := shapes.value(prop, SH.minLength)) is not None:
        check = f"FILTER (isBlank(?value) || STRLEN(STR(?value)) < {_int(n)})"
        queries.append(("MinLength", f"{select} {{ {targets} {path} {check} }}"))
    if (members := shapes.value(prop, SH["in"])) is not None:
        allowed = " || ".join(f"sameTerm(?value, {_n3(m)})" for m in Collection(shapes, members))
        check = f"FILTER (!({allowed or 'false'}))"
        queries.append(("In", f"{select} {{ {targets} {path} {check} }}"))
    if (nested := shapes.value(prop, SH.node)) is not None:
        check = f"FILTER ({_violates(shapes, nested, '?value')})"
        queries.append(("Node", f"{select} {{ {targets} {path} {check} }}"))
    return [
        Constraint(
            str(prop),
            str(node_shape),
            f"{SH}{kind}ConstraintComponent",
            _local(str(severity or SH.Violation)),
            message,
            query,
        )
        for kind, query in queries
    ]


def _violates(shapes: rdflib.Graph, shape: Node, node: str) -> str:
    """A SPARQL expression true when ``node`` does not conform to the node shape ``shape``
    (sh:node); its property shapes may use sh:minCount 1 and sh:class only."""
    _only(shapes, shape, _DESCRIPTIVE)
    tests: list[str] = []
    for n, prop in enumerate(sorted(shapes.objects(shape, SH.property), key=str)):
        _only(shapes, prop, _DESCRIPTIVE | {str(SH.path), str(SH.minCount), str(SH["class"])})
        var = f"?nested{n}"
        path = _path(shapes, prop, node, var)
        min_count = shapes.value(prop, SH.minCount)
        if min_count is not None:
            if _int(min_count) != 1:
                raise ShapeError(f"{prop}: inside sh:node, sh:minCount must be 1")
            tests.append(f"NOT EXISTS {{ {path} }}")
        if (klass := shapes.value(prop, SH["class"])) is not None:
            tests.append(f"EXISTS {{ {path} FILTER NOT EXISTS {{ {var} {_TYPE} {_n3(klass)} }} }}")
    return " || ".join(tests) or "false"


def _int(term: Node) -> int:
    if not isinstance(term, rdflib.Literal):
        raise ShapeError(f"{term!r} is not a number")
    return int(str(term))


def _only(shapes: rdflib.Graph, node: Node, allowed: set[str]) -> None:
    unknown = sorted({str(p) for p in shapes.predicates(node)} - allowed)
    if unknown:
        raise ShapeError(f"{node}: kg validate cannot compile {', '.join(unknown)}")


def _n3(term: Node) -> str:
    if isinstance(term, rdflib.URIRef):
        return f"<{term}>"
    if isinstance(term, rdflib.Literal):
        dt = str(term.datatype) if term.datatype else None
        return nt_term(Lit(str(term), term.language, dt))
    raise ShapeError(f"blank node {term!r} where an IRI or literal was expected")


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


# --- running ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Record:
    """A record whose graph states an offending node."""

    institution: str
    control_number: str
    uri: str


@dataclass(slots=True)
class Violation:
    """One validation result: a focus node (and value) that breaks a constraint."""

    constraint: Constraint
    focus: str
    value: Term | None
    records: list[Record] = field(default_factory=list)


@dataclass(slots=True)
class ValidationReport:
    """Violations of every constraint, attributed to institutions and records."""

    constraints: list[Constraint]
    violations: list[Violation]
    seconds: dict[str, float] = field(default_factory=dict)
    """Seconds per constraint (by :attr:`Constraint.name`), and ``records`` for attribution."""

    @property
    def conforms(self) -> bool:
        """True when nothing violates a shape (SHACL's sh:conforms)."""
        return not self.violations

    def by_shape(self) -> dict[str, int]:
        """Violations per constraint (every constraint listed, in shape order)."""
        counts = Counter(v.constraint.name for v in self.violations)
        return {c.name: counts.get(c.name, 0) for c in self.constraints}

    def by_institution(self) -> dict[str, dict[str, int]]:
        """Institution code → constraint → violations whose node its records state
        (``-`` for nodes no record states, such as vocabulary or roster nodes)."""
        out: dict[str, Counter[str]] = defaultdict(Counter)
        for v in self.violations:
            for code in sorted({r.institution for r in v.records}) or ["-"]:
                out[code][v.constraint.name] += 1
        return {code: dict(sorted(c.items())) for code, c in sorted(out.items())}

    def worst(self, limit: int = 10) -> list[Violation]:
        """The first ``limit`` violations of each constraint, errors before warnings."""
        out: list[Violation] = []
        per: Counter[str] = Counter()
        for v in sorted(self.violations, key=_order):
            if per[v.constraint.name] < limit:
                per[v.constraint.name] += 1
                out.append(v)
        return out

    def only(self, institution: str) -> ValidationReport:
        """The report restricted to violations stated by one institution's records."""
        kept = [v for v in self.violations if any(r.institution == institution for r in v.records)]
        for v in kept:
            v.records = [r for r in v.records if r.institution == institution]
        return ValidationReport(self.constraints, kept, self.seconds)

    def rows(self) -> list[dict[str, str]]:
        """One row per violation and record (CSV, JSON)."""
        out = []
        for v in sorted(self.violations, key=_order):
            for r in v.records or [Record("", "", "")]:
                out.append(
                    {
                        "shape": v.constraint.name,
                        "severity": v.constraint.severity,
                        "focus": v.focus,
                        "value": text_of(v.value) if v.value is not None else "",
                        "institution": r.institution,
                        "control_number": r.control_number,
                        "record": r.uri,
                        "message": v.constraint.message,
                    }
                )
        return out

    def to_json(self, limit: int = 10) -> str:
        """Counts by shape and by institution, and the worst offenders, as JSON."""
        return json.dumps(
            {
                "conforms": self.conforms,
                "violations": len(self.violations),
                "by_shape": self.by_shape(),
                "by_institution": self.by_institution(),
                "worst": [_violation_json(v) for v in self.worst(limit)],
                "seconds": {k: round(s, 4) for k, s in self.seconds.items()},
            },
            ensure_ascii=False,
            indent=2,
        )

    def to_csv(self) -> str:
        """Every violation, one row per record that states it."""
        buffer = io.StringIO()
        columns = ["shape", "severity", "focus", "value", "institution", "control_number"]
        writer = csv.DictWriter(buffer, [*columns, "record", "message"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows())
        return buffer.getvalue()

    def render(self, limit: int = 5) -> str:
        """The report as text for the terminal."""
        total = sum(self.seconds.values())
        lines = [
            f"{len(self.violations):,} violations of {len(self.constraints)} constraints "
            f"({total:.2f} s)",
            "by shape:",
        ]
        counts = self.by_shape()
        for c in self.constraints:
            n = counts[c.name]
            lines.append(f"  {c.name:<32}{c.severity:<9}{n:>8,}  {c.message}")
        lines.append("by institution:")
        for code, counts in self.by_institution().items():
            detail = ", ".join(f"{k} {n:,}" for k, n in counts.items())
            lines.append(f"  {code:<12}{sum(counts.values()):>8,}  {detail}")
        worst = self.worst(limit)
        if worst:
            lines.append(f"worst offenders (first {limit} per shape):")
        for v in worst:
            value = f" → {text_of(v.value)}" if v.value is not None else ""
            records = ", ".join(f"{r.institution}/{r.control_number}" for r in v.records[:3])
            more = f" (+{len(v.records) - 3})" if len(v.records) > 3 else ""
            lines.append(f"  {v.constraint.name}: {v.focus}{value}  [{records or '-'}{more}]")
        return "\n".join(lines)


def _order(v: Violation) -> tuple[int, str, int, str]:
    return (v.constraint.severity != "Violation", v.constraint.name, -len(v.records), v.focus)


def _violation_json(v: Violation) -> dict[str, object]:
    return {
        "shape": v.constraint.name,
        "severity": v.constraint.severity,
        "focus": v.focus,
        "value": text_of(v.value) if v.value is not None else None,
        "records": [
            {"institution": r.institution, "control_number": r.control_number, "uri": r.uri}
            for r in v.records
        ],
        "message": v.constraint.message,
    }


def validate(
    store: SparqlStore,
    constraints: Sequence[Constraint] | None = None,
    *,
    institution: str | None = None,
    chunk: int = 2000,
) -> ValidationReport:
    """Run every compiled constraint on the store; attribute the offending nodes to the
    records whose graphs state them (one query per ``chunk`` nodes)."""
    if constraints is None:
        constraints = compile_shapes(load_shapes())
    violations: list[Violation] = []
    seconds: dict[str, float] = {}
    # Without rdfs:subClassOf triples in the graph (kg/mapping.py gives each node its most
    # specific class), rdf:type/rdfs:subClassOf* is rdf:type: the same answers, and the
    # property path costs most of the time at 10k records (docs/quality.md).
    flat = not store.sparql(f"SELECT ?c WHERE {{ ?c <{RDFS.subClassOf}> ?d }} LIMIT 1")
    for c in constraints:
        started = time.perf_counter()
        rows = store.sparql(c.query.replace(_TYPE, f"<{RDF.type}>") if flat else c.query)
        seconds[c.name] = time.perf_counter() - started
        violations += [Violation(c, str(r["focus"]), r.get("value")) for r in rows]
    started = time.perf_counter()
    records = _records(store, sorted({v.focus for v in violations}), chunk)
    for v in violations:
        v.records = records.get(v.focus, [])
    seconds["records"] = time.perf_counter() - started
    report = ValidationReport(list(constraints), violations, seconds)
    return report.only(institution) if institution else report


def _records(store: SparqlStore, nodes: Iterable[str], chunk: int) -> dict[str, list[Record]]:
    """Records whose graph states each node (as subject, or as the graph itself)."""
    out: dict[str, set[Record]] = defaultdict(set)
    todo = [n for n in nodes if not n.startswith("_:")]
    record = (
        f"?record a <{BF.AdminMetadata}> ; <{KG.controlNumber}> ?control ; "
        f"<{BF.assigner}> ?institution ."
    )
    code = f"OPTIONAL {{ ?institution <{SKOS.notation}> ?code }}"
    for start in range(0, len(todo), chunk):
        values = " ".join(f"<{n}>" for n in todo[start : start + chunk])
        query = (
            f"SELECT DISTINCT ?focus ?record ?control ?institution ?code WHERE {{ "
            f"{{ VALUES ?focus {{ {values} }} GRAPH ?g {{ ?focus ?p ?o }} "
            f"GRAPH ?g {{ {record} }} }} UNION "
            f"{{ VALUES ?focus {{ {values} }} GRAPH ?focus {{ {record} }} }} {code} }}"
        )
        for row in store.sparql(query):
            notation = row.get("code")
            out[str(row["focus"])].add(
                Record(
                    text_of(notation) if notation is not None else str(row["institution"]),
                    text_of(row["control"]),
                    str(row["record"]),
                )
            )
    return {k: sorted(v, key=lambda r: (r.institution, r.control_number)) for k, v in out.items()}


# --- the reference: pySHACL ----------------------------------------------------------

Key = tuple[str, str, str, str | None]
"""A validation result as (property shape, constraint component, focus node, value)."""
_VALUED = {f"{SH}{k}ConstraintComponent" for k in ("Class", "Node", "In", "MinLength")}


def result_keys(report: ValidationReport) -> set[Key]:
    """The report's results, comparable with :func:`pyshacl_keys`."""
    return {
        (
            v.constraint.shape,
            v.constraint.component,
            v.focus,
            nt_term(v.value) if v.value is not None and v.constraint.component in _VALUED else None,
        )
        for v in report.violations
    }


def rdflib_graph(quads: Iterable[tuple[str, str, Term, str]]) -> rdflib.Graph:
    """The union of the quads' graphs as one rdflib graph (what the store's default graph is)."""
    graph = rdflib.Graph()
    for s, p, o, _ in quads:
        obj: Node
        if isinstance(o, Lit):
            datatype = rdflib.URIRef(o.datatype) if o.datatype else None
            obj = rdflib.Literal(o.value, lang=o.lang, datatype=datatype)
        else:
            obj = rdflib.URIRef(o)
        graph.add((rdflib.URIRef(s), rdflib.URIRef(p), obj))
    return graph


def pyshacl_keys(data: rdflib.Graph, shapes: rdflib.Graph) -> set[Key]:
    """Validate with pySHACL (the reference implementation; a dev dependency)."""
    from pyshacl import validate as shacl  # noqa: PLC0415 - only tests and benchmarks need it

    _, results, _ = shacl(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    out: set[Key] = set()
    details = set(results.objects(None, SH.detail))  # sh:node's nested results
    for result in set(results.subjects(RDF_TYPE, SH.ValidationResult)) - details:
        component = str(results.value(result, SH.sourceConstraintComponent))
        value = results.value(result, SH.value)
        out.add(
            (
                str(results.value(result, SH.sourceShape)),
                component,
                str(results.value(result, SH.focusNode)),
                _nt(value) if value is not None and component in _VALUED else None,
            )
        )
    return out


def _nt(term: Node) -> str:
    if isinstance(term, rdflib.Literal):
        dt = str(term.datatype) if term.datatype else None
        return nt_term(Lit(str(term), term.language, dt))
    return nt_term(str(term))

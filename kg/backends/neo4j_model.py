"""How RDF quads map to Neo4j's property graph (docs/neo4j.md), as plain Python.

* An IRI is a ``:Resource`` node with a unique ``uri``.
* A statement is a relationship from its subject, typed by the predicate's short name
  (:func:`short_name`), with the statement's graph in ``g``; the same triple in two graphs
  is two relationships.
* A literal object is a ``:Literal`` node of its own statement (``value``, ``lang``,
  ``datatype``, and an indexed ``key``: :func:`literal_key`), deleted with it.
* ``rdf:type`` is a ``rdf_type`` relationship to the class node like any other statement;
  the subject also carries the class's short name as a label while any graph types it so.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from kg.store import DataRejected, Param
from kg.terms import Lit, Term, canonical_tag, nt_term
from kg.vocab import PREFIXES, RDF, XSD

_LOCAL = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_NOT_WORD = re.compile(r"[^A-Za-z0-9]+")
# RFC 3987 forbids these in an IRI; Oxigraph rejects them too (the contract tests say so).
_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]*')
_LANG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
_PLAIN = (XSD.string, RDF.langString)
_TYPE = "rdf_type"
# Range indexes refuse values over about 8 kB; a longer literal is indexed by its hash.
_MAX_KEY_BYTES = 4000


def short_name(iri: str) -> str:
    """A stable label / relationship-type name for a class or property IRI.

    ``prefix_local`` for the project's namespaces (prefixes have no underscore, so the
    name is unambiguous); any other IRI gets a hash of itself and a readable tail.

    >>> short_name("http://id.loc.gov/ontologies/bibframe/instanceOf")
    'bf_instanceOf'
    >>> short_name("http://example.org/ns/has-part")
    'xb3c8441cf4_haspart'
    """
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns.iri) and _LOCAL.fullmatch(iri[len(ns.iri) :]):
            return f"{prefix}_{iri[len(ns.iri) :]}"
    tail = _NOT_WORD.sub("", re.split(r"[/#:]", iri.rstrip("/#"))[-1])[:24]
    return f"x{hashlib.sha1(iri.encode()).hexdigest()[:10]}_{tail}"


def normal_literal(lit: Lit) -> Lit:
    """The literal as every store returns it: BCP 47 tag case, no ``xsd:string``.

    >>> normal_literal(Lit("a", None, "http://www.w3.org/2001/XMLSchema#string"))
    Lit(value='a', lang=None, datatype=None)
    """
    if lit.lang:
        return Lit(lit.value, canonical_tag(lit.lang))
    if lit.datatype in _PLAIN:
        return Lit(lit.value)
    return lit


def literal_key(lit: Lit) -> str:
    """The indexed identity of a literal: its N-Triples form, or a hash of a long one.

    >>> literal_key(Lit("isbn:9787", None)), literal_key(Lit("x", "en"))
    ('"isbn:9787"', '"x"@en')
    """
    text = nt_term(lit)
    if len(text.encode()) <= _MAX_KEY_BYTES:
        return text
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def check_iri(iri: str) -> None:
    """:raises DataRejected: for a string that is not an absolute IRI or a blank node."""
    if not (_IRI.fullmatch(iri) or iri.startswith("_:")):
        raise DataRejected(f"Neo4j store rejected a batch write: {iri!r} is not a valid IRI")


def check_literal(lit: Lit) -> None:
    """:raises DataRejected: for a malformed language tag or datatype IRI."""
    if lit.lang and not _LANG.fullmatch(lit.lang):
        raise DataRejected(
            f"Neo4j store rejected a batch write: {lit.lang!r} is not a language tag"
        )
    if lit.datatype:
        check_iri(lit.datatype)


def literal_param(lit: Lit) -> dict[str, str | None]:
    """A literal as a Cypher parameter: ``{value, lang, datatype, key}``."""
    lit = normal_literal(lit)
    return {"value": lit.value, "lang": lit.lang, "datatype": lit.datatype, "key": literal_key(lit)}


def cypher_params(params: Mapping[str, Param]) -> dict[str, Any]:
    """Named-query parameters as Cypher values: an IRI stays a string, a literal becomes a
    map (:func:`literal_param`), a list a list.

    >>> cypher_params({"n": 3, "s": "http://e/x", "ks": [Lit("a")]})["ks"][0]["key"]
    '"a"'
    """

    def one(term: Term) -> Any:
        return literal_param(term) if isinstance(term, Lit) else term

    out: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, (int, str, Lit)):
            out[name] = one(value) if not isinstance(value, int) else value
        else:
            out[name] = [one(v) for v in value]
    return out


def literal_of(props: Mapping[str, Any]) -> Lit:
    """The :class:`Lit` a ``:Literal`` node stands for."""
    return Lit(props["value"], props.get("lang"), props.get("datatype"))


def value_term(value: Any) -> Term | None:
    """A Cypher result value as a term of a named query's row.

    Nodes are their IRI or literal; a map ``{iri: ...}`` is an IRI, a map ``{value, lang,
    datatype}`` a literal (``lit {.value, .lang, .datatype}`` in Cypher: maps group by
    value, where literal nodes, one per statement, would not); other values are
    literals typed as SPARQL would type them (a string is a plain literal, an integer
    ``xsd:integer``, a float ``xsd:double``, a boolean ``xsd:boolean``); null is unbound.

    >>> value_term(3).datatype, value_term({"iri": "http://e/g"}), value_term(True).value
    ('http://www.w3.org/2001/XMLSchema#integer', 'http://e/g', 'true')
    """
    if value is None:
        return None
    labels = getattr(value, "labels", None)
    if labels is not None:
        if "Literal" in labels:
            return literal_of(value)
        return str(value["uri"])
    if isinstance(value, Mapping) and "iri" in value:
        return None if value["iri"] is None else str(value["iri"])
    if isinstance(value, Mapping) and "value" in value:
        return None if value["value"] is None else literal_of(value)
    if isinstance(value, bool):
        return Lit("true" if value else "false", None, XSD.boolean)
    if isinstance(value, int):
        return Lit(str(value), None, XSD.integer)
    if isinstance(value, float):
        return Lit(repr(value), None, XSD.double)
    if isinstance(value, str):
        return Lit(value)
    raise TypeError(f"A named Cypher query returned {value!r}, which is no RDF term")


def statement_rows(
    quads: Sequence[tuple[str, str, Term, str]],
) -> tuple[list[str], dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
    """Checked, de-duplicated quads grouped for writing: the IRIs to merge as nodes, then
    resource and literal statements by relationship type.

    :raises DataRejected: for an invalid IRI or language tag.
    """
    uris: dict[str, None] = {}
    links: dict[str, list[dict[str, Any]]] = {}
    values: dict[str, list[dict[str, Any]]] = {}
    seen: set[tuple[str, str, Term, str]] = set()
    for s, p, obj, g in quads:
        if isinstance(obj, Lit):
            check_literal(obj)
            o: Term = normal_literal(obj)
        else:
            check_iri(obj)
            o = obj
        if (s, p, o, g) in seen:
            continue
        seen.add((s, p, o, g))
        for iri in (s, p, g):
            check_iri(iri)
        uris[s] = None
        name = short_name(p)
        if isinstance(o, Lit):
            row = {"s": s, "g": g, "k": literal_key(o), "v": o.value, "l": o.lang, "d": o.datatype}
            values.setdefault(name, []).append(row)
        else:
            uris[o] = None
            row = {"s": s, "o": o, "g": g}
            if name == _TYPE:  # the class's label (the only links that need one)
                row["label"] = short_name(o)
            links.setdefault(name, []).append(row)
    return list(uris), links, values

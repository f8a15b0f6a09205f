"""What a dereferenced URI answers: the entity's description, serialised with rdflib.

The description (in the spirit of a Concise Bounded Description, W3C member submission
"CBD"): the entity's statements in every named graph, the statements of the fragment
nodes it links to (``{base}record/…#title0``: parts of one record, with no page of their
own), and at most :data:`INCOMING` statements that point at it (a class or an institution
has thousands; the SPARQL endpoint answers the rest).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.store import Store
from kg.terms import Lit, Term, Triple
from kg.web.negotiation import JSON_LD, N_TRIPLES, RDF_XML, TURTLE

INCOMING = 200
"""At most this many incoming statements in a description."""

CONTEXT = Path(__file__).resolve().parent / "context.jsonld"
"""The published JSON-LD ``@context`` (served at ``{base}context.jsonld``)."""

RDFLIB_FORMATS = {TURTLE: "turtle", JSON_LD: "json-ld", N_TRIPLES: "nt", RDF_XML: "xml"}


@dataclass(slots=True)
class Description:
    """An entity's statements: outgoing (its own and its fragment nodes') and incoming."""

    uri: str
    outgoing: list[Triple] = field(default_factory=list)
    incoming: list[Triple] = field(default_factory=list)
    incoming_truncated: bool = False

    @property
    def found(self) -> bool:
        """Whether the graph says anything of the entity (else: 404)."""
        return bool(self.outgoing or self.incoming)

    def triples(self) -> list[Triple]:
        """Every statement of the description."""
        return self.outgoing + self.incoming


def describe(store: Store, uri: str, base: str, incoming: int = INCOMING) -> Description:
    """The description of ``uri`` in ``store`` (two named queries).

    :raises kg.store.StoreError: when the store cannot answer.
    """
    out = store.select("describe_entity", id=uri, base=Lit(base))
    desc = Description(uri, [(str(r["s"]), str(r["p"]), r["o"]) for r in out])
    rows = store.select("describe_entity_incoming", id=uri, limit=incoming + 1)
    desc.incoming = [(str(r["s"]), str(r["p"]), uri) for r in rows[:incoming]]
    desc.incoming_truncated = len(rows) > incoming
    return desc


@lru_cache(maxsize=1)
def context() -> dict[str, Any]:
    """The ``@context`` object of the published context document."""
    document: dict[str, Any] = json.loads(CONTEXT.read_text(encoding="utf-8"))
    return document["@context"]  # type: ignore[no-any-return]


def node(term: Term) -> Node:
    """An rdflib term for one of ours (``_:x`` is a blank node)."""
    if isinstance(term, Lit):
        datatype = URIRef(term.datatype) if term.datatype else None
        return Literal(term.value, lang=term.lang, datatype=datatype)
    return BNode(term[2:]) if term.startswith("_:") else URIRef(term)


def to_graph(triples: list[Triple]) -> Graph:
    """An rdflib graph of ``triples`` with the context's prefixes bound."""
    graph = Graph(bind_namespaces="core")
    for prefix, iri in context().items():
        if isinstance(iri, str):
            graph.bind(prefix, iri, override=True)
    for s, p, o in triples:
        graph.add((node(s), URIRef(p), node(o)))
    return graph


def serialize(triples: list[Triple], media_type: str, context_url: str) -> bytes:
    """``triples`` as ``media_type`` (one of :data:`RDFLIB_FORMATS`); JSON-LD is compacted
    with the published context and refers to it by URL (JSON-LD 1.1 section 3.1)."""
    graph = to_graph(triples)
    fmt = RDFLIB_FORMATS[media_type]
    if fmt != "json-ld":
        return graph.serialize(format=fmt, encoding="utf-8")
    text = graph.serialize(format="json-ld", context=context(), auto_compact=True)
    document = json.loads(text)
    if isinstance(document, dict):
        document["@context"] = context_url
    else:
        document = {"@context": context_url, "@graph": document}
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")

"""``/sparql``: a read-only SPARQL 1.1 Protocol endpoint (W3C SPARQL 1.1 Protocol, section
2.1 "query operation": GET, POST form-encoded, POST ``application/sparql-query``).

The default graph is the union of the named graphs, as for every named query, unless the
request names ``default-graph-uri``/``named-graph-uri``. Results: SELECT and ASK as SPARQL
JSON, XML, CSV and TSV (W3C SPARQL 1.1 Query Results formats); CONSTRUCT and DESCRIBE as
Turtle, N-Triples, JSON-LD or RDF/XML. Every query has a time limit (``KG_SPARQL_TIMEOUT``)
and a result cap (``KG_SPARQL_LIMIT``: rows or triples; a capped answer says so in the
``X-Result-Truncated`` header). SPARQL Update (section 2.2) is refused with a 400.

The endpoint needs the embedded Oxigraph store; on another backend it answers 501.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any
from urllib.parse import parse_qsl

import anyio
import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Identifier
from starlette.requests import Request
from starlette.responses import Response

from kg.backends.oxigraph import OxigraphStore
from kg.store import Store
from kg.vocab import PREFIXES
from kg.web.negotiation import (
    JSON_LD,
    N_TRIPLES,
    RDF_XML,
    TURTLE,
    choose,
    error,
    not_acceptable,
)

RESULTS_JSON = "application/sparql-results+json"
RESULTS_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
SOLUTION_TYPES = (RESULTS_JSON, RESULTS_XML, CSV, TSV)
BOOLEAN_TYPES = (RESULTS_JSON, RESULTS_XML)
GRAPH_TYPES = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML)
RESULT_ALIASES = {"application/json": RESULTS_JSON, "application/xml": RESULTS_XML}
OX_FORMATS = {
    TURTLE: ox.RdfFormat.TURTLE,
    N_TRIPLES: ox.RdfFormat.N_TRIPLES,
    JSON_LD: ox.RdfFormat.JSON_LD,
    RDF_XML: ox.RdfFormat.RDF_XML,
}
RDFLIB_RESULTS = {RESULTS_JSON: "json", RESULTS_XML: "xml", CSV: "csv"}

_PROLOGUE = re.compile(r"\A(?:\s+|#[^\n]*\n?|(?:PREFIX\s+\S*:\s*|BASE\s+)<[^>]*>)*", re.I)
_UPDATE = re.compile(r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.I)


class QueryTimeout(Exception):
    """The query ran past the endpoint's time limit."""


class RequestError(Exception):
    """A request the protocol does not allow (400)."""


@dataclass(frozen=True, slots=True)
class Answer:
    """A serialised query result."""

    body: bytes
    media_type: str
    truncated: bool


def is_update(text: str) -> bool:
    """Whether ``text`` is a SPARQL Update request rather than a query.

    >>> is_update("PREFIX ex: <http://e/>\\nINSERT DATA { ex:a ex:b ex:c }")
    True
    >>> is_update("# a comment\\nSELECT * WHERE { ?s ?p ?o }")
    False
    """
    rest = text[_PROLOGUE.match(text).end() :]  # type: ignore[union-attr]
    return bool(_UPDATE.match(rest))


def _rdflib(term: Any) -> Identifier:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        dt = None if term.language else URIRef(term.datatype.value)
        return Literal(term.value, lang=term.language, datatype=dt)
    return Literal(str(term))  # an RDF-star quoted triple, as text


class SparqlEndpoint:
    """The ASGI endpoint over one store; ``timeout`` in seconds, ``limit`` rows/triples."""

    def __init__(self, store: Store, timeout: float, limit: int) -> None:
        self.store, self.timeout, self.limit = store, timeout, limit

    async def respond(self, request: Request) -> Response:
        """Answer one protocol request."""
        if not isinstance(self.store, OxigraphStore):
            return error(
                501,
                f"SPARQL needs the embedded Oxigraph store; this service runs on "
                f"{type(self.store).__name__}. Use the GraphQL API at /graphql, or serve a "
                "copy made with `kg copy` into an Oxigraph directory.",
            )
        try:
            query, params = await self._read(request)
        except RequestError as exc:
            return error(400, str(exc))
        accept = request.headers.get("accept")
        deadline = time.monotonic() + self.timeout
        try:
            with anyio.fail_after(self.timeout):
                answer = await anyio.to_thread.run_sync(
                    self._answer, query, params, accept, deadline, abandon_on_cancel=True
                )
        except (TimeoutError, QueryTimeout):
            return error(
                503,
                f"The query ran longer than {self.timeout:g} s (KG_SPARQL_TIMEOUT); "
                "narrow it or add a LIMIT.",
            )
        except SyntaxError as exc:
            return error(400, f"The query is not valid SPARQL 1.1: {exc}")
        except (OSError, ValueError) as exc:
            return error(500, f"The store could not answer the query: {exc}")
        if isinstance(answer, Response):
            return answer
        headers = {"Vary": "Accept", "X-Result-Limit": str(self.limit)}
        if answer.truncated:
            headers["X-Result-Truncated"] = "true"
        return Response(answer.body, media_type=answer.media_type, headers=headers)

    async def _read(self, request: Request) -> tuple[str, list[tuple[str, str]]]:
        """The query text and the protocol parameters of a GET or POST."""
        params = list(request.query_params.multi_items())
        if request.method == "POST":
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = (await request.body()).decode("utf-8")
            if kind == "application/sparql-update":
                raise RequestError(_REFUSED)
            if kind == "application/sparql-query":
                params.append(("query", body))
            elif kind == "application/x-www-form-urlencoded":
                params += parse_qsl(body, keep_blank_values=True)
            else:
                raise RequestError(
                    f"POST a query as application/sparql-query or as a form "
                    f"(application/x-www-form-urlencoded), not {kind or 'no content type'!r}"
                )
        names = {k for k, _ in params}
        if "update" in names:
            raise RequestError(_REFUSED)
        queries = [v for k, v in params if k == "query"]
        if len(queries) != 1 or not queries[0].strip():
            raise RequestError(
                "Give exactly one SPARQL query: /sparql?query=SELECT… (SPARQL 1.1 Protocol)"
            )
        if is_update(queries[0]):
            raise RequestError(_REFUSED)
        return queries[0], params

    def _answer(
        self, text: str, params: list[tuple[str, str]], accept: str | None, deadline: float
    ) -> Answer | Response:
        """Run the query and serialise at most ``limit`` results (in a worker thread)."""
        assert isinstance(self.store, OxigraphStore)
        defaults: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [
            ox.NamedNode(v) for k, v in params if k == "default-graph-uri"
        ]
        named: list[ox.NamedNode | ox.BlankNode] = [
            ox.NamedNode(v) for k, v in params if k == "named-graph-uri"
        ]
        result = self.store._store.query(
            text,
            use_default_graph_as_union=not defaults,
            default_graph=defaults or None,
            named_graphs=named or None,
            prefixes={p: ns.iri for p, ns in PREFIXES.items()},
        )
        if isinstance(result, ox.QueryBoolean):
            media_type = choose(accept, BOOLEAN_TYPES, RESULT_ALIASES)
            if media_type is None:
                return not_acceptable(accept, BOOLEAN_TYPES)
            ask = Result("ASK")
            ask.askAnswer = bool(result)
            body = ask.serialize(format=RDFLIB_RESULTS[media_type], encoding="utf-8")
            return Answer(body or b"", media_type, False)
        if isinstance(result, ox.QuerySolutions):
            return self._solutions(result, accept, deadline)
        return self._triples(result, accept, deadline)

    def _capped(self, results: Iterator[Any], deadline: float) -> tuple[list[Any], bool]:
        rows = []
        for row in islice(results, self.limit + 1):
            if time.monotonic() > deadline:
                raise QueryTimeout
            rows.append(row)
        return rows[: self.limit], len(rows) > self.limit

    def _solutions(
        self, result: ox.QuerySolutions, accept: str | None, deadline: float
    ) -> Answer | Response:
        media_type = choose(accept, SOLUTION_TYPES, RESULT_ALIASES)
        if media_type is None:
            return not_acceptable(accept, SOLUTION_TYPES)
        names = [v.value for v in result.variables]
        rows, truncated = self._capped(iter(result), deadline)
        if media_type == TSV:  # rdflib has no TSV writer; TSV cells are N-Triples terms
            lines = ["\t".join(f"?{n}" for n in names)]
            lines += ["\t".join(str(r[n]) if r[n] is not None else "" for n in names) for r in rows]
            return Answer(("\n".join(lines) + "\n").encode("utf-8"), media_type, truncated)
        select = Result("SELECT")
        select.vars = [Variable(n) for n in names]
        select.bindings = [
            {Variable(n): _rdflib(r[n]) for n in names if r[n] is not None} for r in rows
        ]
        body = select.serialize(format=RDFLIB_RESULTS[media_type], encoding="utf-8")
        return Answer(body or b"", media_type, truncated)

    def _triples(
        self, result: ox.QueryTriples, accept: str | None, deadline: float
    ) -> Answer | Response:
        media_type = choose(accept, GRAPH_TYPES)
        if media_type is None:
            return not_acceptable(accept, GRAPH_TYPES)
        triples, truncated = self._capped(iter(result), deadline)
        prefixes = {p: ns.iri for p, ns in PREFIXES.items()}
        body = ox.serialize(triples, format=OX_FORMATS[media_type], prefixes=prefixes)
        return Answer(body or b"", media_type, truncated)


_REFUSED = (
    "SPARQL Update is not accepted: this endpoint is read-only (SPARQL 1.1 Protocol query "
    "operation only). The graph changes through `kg load`."
)

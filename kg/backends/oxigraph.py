"""The embedded default store: Oxigraph (pyoxigraph) on disk, or in memory.

Writes go through one SPARQL Update per batch (``DROP GRAPH`` + ``INSERT
DATA``), which Oxigraph applies as a single transaction; building the update
as text is several times faster than building pyoxigraph terms in Python.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from kg.store import (
    DataRejected,
    Param,
    Row,
    Store,
    StoreError,
    StoreUnavailable,
    query_text,
    render_sparql,
)
from kg.terms import Lit, Quad, Term, canonical_tag, nquads, nt_term
from kg.vocab import sparql_prefixes

_PREFIXES = sparql_prefixes()


def _term(term: ox.NamedNode | ox.Literal | ox.BlankNode | ox.Triple | None) -> Term:
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        plain = dt in (
            "http://www.w3.org/2001/XMLSchema#string",
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
        )
        lang = canonical_tag(term.language) if term.language else None
        return Lit(term.value, lang, None if plain else dt)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    raise StoreError(f"Unsupported term {term!r}")


# Oxigraph keeps written data in RocksDB memtables until a flush: about 900 bytes per quad,
# growing without bound during a long load (measured: +45 MB per 50k-quad batch). Flushing
# after this many quads keeps a load's memory flat at a small cost in speed.
FLUSH_EVERY_QUADS = 150_000


def _data(parts: list[str], quads: Sequence[Quad]) -> None:
    """The body of ``INSERT DATA {`` / ``DELETE DATA {``: quads grouped by graph, closed."""
    graph = None
    for s, p, o, g in quads:
        if g != graph:
            parts.append(("}\n" if graph else "") + f"GRAPH <{g}> {{\n")
            graph = g
        parts.append(f"<{s}> <{p}> {nt_term(o)} .\n")
    parts.append("}\n}")


class OxigraphStore(Store):
    """Oxigraph on disk at ``path`` (created if missing), or in memory when ``path`` is None."""

    dialect = "sparql"

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._unflushed = 0
        try:
            if path is None:
                self._store = ox.Store()
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as exc:
            raise StoreError(f"Cannot open the Oxigraph store at {path}: {exc}") from exc

    def write(
        self, drop_graphs: Sequence[str], quads: Sequence[Quad], remove: Sequence[Quad] = ()
    ) -> None:
        """One transaction: ``DROP SILENT GRAPH`` each of ``drop_graphs``, ``DELETE DATA``
        ``remove``, ``INSERT DATA`` quads."""
        if not drop_graphs and not quads and not remove:
            return
        parts = [f"DROP SILENT GRAPH <{g}> ;\n" for g in dict.fromkeys(drop_graphs)]
        if remove:
            parts.append("DELETE DATA {\n")
            _data(parts, remove)
            parts.append(" ;\n")
        if quads:
            parts.append("INSERT DATA {\n")
            _data(parts, quads)
        try:
            self._store.update("".join(parts))
        except OSError as exc:
            raise StoreUnavailable(f"Oxigraph could not write a batch: {exc}") from exc
        except (SyntaxError, ValueError) as exc:
            raise DataRejected(f"Oxigraph rejected a batch write: {exc}") from exc
        self._unflushed += len(quads)
        if self.path is not None and self._unflushed >= FLUSH_EVERY_QUADS:
            self._unflushed = 0
            try:
                self._store.flush()
            except OSError as exc:
                raise StoreUnavailable(f"Oxigraph could not flush to disk: {exc}") from exc

    def write_bulk(self, quads: Sequence[Quad]) -> None:
        """Oxigraph's bulk loader (``Store.bulk_load`` of N-Quads): it writes sorted files
        straight into RocksDB instead of a transaction, measured about 4× faster per quad
        on disk. Not atomic: a failure may leave part of ``quads`` stored."""
        if not quads:
            return
        try:
            self._store.bulk_load(nquads(quads).encode(), format=ox.RdfFormat.N_QUADS)
        except OSError as exc:
            raise StoreUnavailable(f"Oxigraph could not bulk-load a batch: {exc}") from exc
        except (SyntaxError, ValueError) as exc:
            raise DataRejected(f"Oxigraph rejected a batch write: {exc}") from exc

    def update(self, name: str, quads: Sequence[Quad] = (), **params: Param) -> None:
        """One SPARQL Update request (one transaction): ``queries/sparql/<name>.ru``, then
        ``INSERT DATA`` of ``quads``."""
        parts = [_PREFIXES, render_sparql(query_text("sparql-update", name), params)]
        if quads:
            parts.append(" ;\nINSERT DATA {\n")
            parts.extend(f"GRAPH <{g}> {{ <{s}> <{p}> {nt_term(o)} }}\n" for s, p, o, g in quads)
            parts.append("}")
        try:
            self._store.update("".join(parts))
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"Oxigraph rejected the update {name!r}: {exc}") from exc

    def select(self, name: str, **params: Param) -> list[Row]:
        """Run ``queries/sparql/<name>.rq`` over the union of all graphs."""
        text = _PREFIXES + render_sparql(query_text("sparql", name), params)
        return self.sparql(text)

    def sparql(self, text: str) -> list[Row]:
        """Run a SELECT query text (default graph = union of named graphs)."""
        try:
            result = self._store.query(text, use_default_graph_as_union=True)
        except (SyntaxError, OSError, ValueError) as exc:
            raise StoreError(f"SPARQL query failed: {exc}") from exc
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError("Named queries must be SELECT queries")
        names = [v.value for v in result.variables]
        rows: list[Row] = []
        for solution in result:
            row: Row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = _term(value)
            rows.append(row)
        return rows

    def quads(self, graph: str | None = None) -> Iterator[Quad]:
        """Every quad in named graphs (or in ``graph``)."""
        g = ox.NamedNode(graph) if graph else None
        for q in self._store.quads_for_pattern(None, None, None, g):
            if isinstance(q.graph_name, ox.DefaultGraph):
                continue
            s, p, o = _term(q.subject), _term(q.predicate), _term(q.object)
            yield (str(s), str(p), o, str(_term(q.graph_name)))

    def graphs(self) -> list[str]:
        """Names of all named graphs."""
        return [str(_term(g)) for g in self._store.named_graphs()]

    def optimize(self) -> None:
        """Compact RocksDB after a load: measured to halve the on-disk size of a fresh load."""
        if self.path is not None:
            self._store.optimize()

    def close(self) -> None:
        """Flush to disk and release the store's lock (pyoxigraph frees it with the object)."""
        store = self.__dict__.pop("_store", None)
        if store is not None and self.path is not None:
            store.flush()
        del store

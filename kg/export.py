"""Dumps: the graph, one named graph or one member's contribution, gzipped, streamed.

N-Quads (W3C RDF 1.1 N-Quads) keep every named graph: one per contributed record, one per
load run (its PROV-O description), one per vocabulary. Turtle (W3C RDF 1.1 Turtle) has no
graphs: the statements of every selected graph, in graph order. Quads are read from
:meth:`Store.quads` graph by graph and written through pyoxigraph's serialiser into a gzip
stream, so memory stays flat whatever the size of the graph. The file is written beside
its final name and renamed when complete; a manifest (``FILE.json``: size, SHA-256 of the
gzipped bytes, statements, scope) lets the service list dumps without re-reading them.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kg.ids import Minter, segment
from kg.store import Store, StoreError
from kg.terms import Lit, Term
from kg.vocab import PREFIXES, PROV

FORMATS = {"nquads": (ox.RdfFormat.N_QUADS, ".nq.gz"), "turtle": (ox.RdfFormat.TURTLE, ".ttl.gz")}


class ExportError(StoreError):
    """An export that cannot be written (unknown graph or institution, unwritable file)."""


@dataclass(slots=True)
class Manifest:
    """What a dump holds, kept beside it as ``FILE.json``."""

    file: str
    format: str
    scope: str  # "all", a graph IRI, or "institution:CODE"
    graphs: int
    statements: int
    size: int
    sha256: str
    created: str


class _Hashing:
    """A binary file wrapper that hashes and counts what is written through it."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw, self.sha256, self.size = raw, hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        self.size += len(data)
        return self.raw.write(data)

    def flush(self) -> None:
        self.raw.flush()


def _node(term: str) -> ox.NamedNode | ox.BlankNode:
    return ox.BlankNode(term[2:]) if term.startswith("_:") else ox.NamedNode(term)


def _ox(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, Lit):
        if term.lang:
            return ox.Literal(term.value, language=term.lang)
        dt = ox.NamedNode(term.datatype) if term.datatype else None
        return ox.Literal(term.value, datatype=dt)
    return _node(term)


def institution_graphs(store: Store, ids: Minter, code: str) -> list[str]:
    """One member's contribution: its record, document and tombstone graphs, and the graphs
    of the load runs associated with it (prov:wasAssociatedWith its org URI)."""
    code = segment(code)
    prefixes = tuple(f"{ids.base}graph/{kind}/{code}/" for kind in ("record", "doc", "tombstone"))
    org = ids.institution(code)
    names = store.graphs()
    chosen = [g for g in names if g.startswith(prefixes)]
    for g in names:
        if g.startswith(f"{ids.base}run/") and any(
            p == PROV.wasAssociatedWith and o == org for _, p, o, _ in store.quads(g)
        ):
            chosen.append(g)
    return sorted(chosen)


def select_graphs(
    store: Store, ids: Minter, graph: str | None = None, institution: str | None = None
) -> list[str] | None:
    """The graphs an export covers: ``None`` for the whole store.

    :raises ExportError: for a graph or institution the store has nothing of.
    """
    if graph is not None:
        if graph not in set(store.graphs()):
            raise ExportError(f"The store has no named graph {graph!r}; see `kg query` graphs")
        return [graph]
    if institution is not None:
        chosen = institution_graphs(store, ids, institution)
        if not chosen:
            raise ExportError(f"The store has no graphs contributed by {institution!r}")
        return chosen
    return None


def _quads(store: Store, graphs: list[str] | None, counter: list[int]) -> Iterator[Any]:
    """Quads (or, for Turtle, triples) as pyoxigraph terms, graph by graph."""
    for name in graphs if graphs is not None else sorted(store.graphs()):
        g = ox.NamedNode(name)
        for s, p, o, _ in store.quads(name):
            counter[0] += 1
            yield ox.Quad(_node(s), ox.NamedNode(p), _ox(o), g)


def _triples(quads: Iterable[Any]) -> Iterator[ox.Triple]:
    for q in quads:
        yield q.triple


def export(
    store: Store,
    output: Path,
    fmt: str = "nquads",
    graphs: list[str] | None = None,
    scope: str = "all",
) -> Manifest:
    """Write the ``graphs`` of ``store`` (all when None) to ``output`` as gzipped ``fmt``.

    :raises ExportError: when the file cannot be written.
    :raises StoreError: when the store cannot be read.
    """
    rdf_format, _ = FORMATS[fmt]
    partial = output.with_name(output.name + ".partial")
    counter = [0]
    names = graphs if graphs is not None else sorted(store.graphs())
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("wb") as raw:
            hashing = _Hashing(raw)
            with gzip.GzipFile(filename="", mode="wb", fileobj=hashing, mtime=0) as gz:
                quads = _quads(store, names, counter)
                stream = quads if fmt == "nquads" else _triples(quads)
                prefixes = {p: ns.iri for p, ns in PREFIXES.items()}
                ox.serialize(stream, gz, rdf_format, prefixes=prefixes)  # type: ignore[arg-type]
        os.replace(partial, output)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ExportError(f"Cannot write the export to {output}: {exc}") from exc
    manifest = Manifest(
        output.name,
        fmt,
        scope,
        len(names),
        counter[0],
        hashing.size,
        hashing.sha256.hexdigest(),
        datetime.now(UTC).isoformat(timespec="seconds"),
    )
    manifest_path(output).write_text(json.dumps(asdict(manifest), indent=2) + "\n")
    return manifest


def manifest_path(dump: Path) -> Path:
    """Where the manifest of ``dump`` is kept."""
    return dump.with_name(dump.name + ".json")


def default_name(fmt: str, institution: str | None = None, graph: str | None = None) -> str:
    """A dump's file name: scope and UTC time, e.g. ``kg-JXUFE-20250101T120000Z.nq.gz``."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    scope = segment(institution) if institution else ("graph" if graph else "all")
    return f"kg-{scope}-{stamp}{FORMATS[fmt][1]}"


def dump_dir(store: Store, env: dict[str, str] | None = None) -> Path | None:
    """The dumps directory the service offers: ``KG_DUMP_DIR``, or ``dumps/`` beside an
    on-disk store (None for a store in memory or on a server)."""
    env = dict(os.environ) if env is None else env
    if env.get("KG_DUMP_DIR"):
        return Path(env["KG_DUMP_DIR"])
    return store.path.parent / "dumps" if store.path is not None else None

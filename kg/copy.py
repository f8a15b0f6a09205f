"""Copy a whole graph store into another, e.g. the embedded store into Neo4j (issue 5).

Named graph by named graph, in batches of whole graphs: each batch is one
:meth:`Store.write` that drops its graphs in the target and writes them anew, so an
interrupted copy is simply run again (what was committed is replaced, not doubled).

>>> from kg.backends import open_store
>>> from kg.terms import Lit
>>> source, target = open_store("memory:"), open_store("memory:")
>>> source.write([], [("http://e/s", "http://e/p", Lit("o"), "http://e/g")])
>>> copy_store(source, target)
CopyReport(graphs=1, quads=1, batches=1)
>>> list(target.quads())
[('http://e/s', 'http://e/p', Lit(value='o', lang=None, datatype=None), 'http://e/g')]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kg.store import Store
from kg.terms import Quad

Progress = Callable[["CopyReport", int], None]
"""Called after each batch with the report so far and the number of graphs to copy."""


@dataclass(slots=True)
class CopyReport:
    """What a copy wrote."""

    graphs: int = 0
    quads: int = 0
    batches: int = 0


def copy_store(
    source: Store,
    target: Store,
    batch_quads: int = 20_000,
    progress: Progress | None = None,
) -> CopyReport:
    """Copy every named graph of ``source`` into ``target``, about ``batch_quads`` quads per
    write transaction (a graph is never split: a larger one is a batch of its own).

    :raises StoreError: from either store; batches written before it stay written.
    """
    report = CopyReport()
    names = source.graphs()
    graphs: list[str] = []
    quads: list[Quad] = []

    def flush() -> None:
        target.write(graphs, quads)
        report.graphs += len(graphs)
        report.quads += len(quads)
        report.batches += 1
        graphs.clear()
        quads.clear()
        if progress is not None:
            progress(report, len(names))

    for name in names:
        graph = list(source.quads(name))
        if quads and len(quads) + len(graph) > batch_quads:
            flush()
        graphs.append(name)
        quads.extend(graph)
    if graphs:
        flush()
    return report

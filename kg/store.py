"""The store contract: what the loaders and the API may ask of a graph store.

Every backend (``kg/backends/``) implements :class:`Store`; the same contract
tests run against each (DESIGN.md decision 2). Queries are named: the text of
each lives in ``queries/<dialect>/<name>``, so a reader of that folder sees
everything the service ever asks of a store.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path

from kg.terms import Lit, Quad, Term, nt_term

QUERIES = Path(__file__).resolve().parent.parent / "queries"
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")

Row = dict[str, Term]
Param = Term | Sequence[Term] | int


class StoreError(Exception):
    """The store could not do what was asked (unavailable, query failed, write failed)."""


class StoreUnavailable(StoreError):
    """The store cannot be reached or written at all (I/O error, server down): retrying
    record by record would fail the same way."""


class DataRejected(StoreError):
    """The store refused the data of a write (a term it cannot parse): the batch's other
    records may still be written."""


class UnknownQuery(StoreError):
    """A named query that has no file under ``queries/``."""


@lru_cache(maxsize=128)
def query_text(dialect: str, name: str) -> str:
    """The text of the named query ``name`` in ``dialect`` (``sparql`` or ``cypher``;
    ``sparql-update`` for a SPARQL Update, ``queries/sparql/<name>.ru``).

    :raises UnknownQuery: when ``queries/<dialect>/<name>.*`` does not exist.
    """
    suffix = {"sparql": ".rq", "cypher": ".cypher", "sparql-update": ".ru"}[dialect]
    dialect = dialect.removesuffix("-update")
    path = QUERIES / dialect / f"{name}{suffix}"
    if not path.exists():
        raise UnknownQuery(f"No named query {name!r}: expected {path}")
    return path.read_text(encoding="utf-8")


def render_sparql(text: str, params: dict[str, Param]) -> str:
    """Fill ``{{name}}`` placeholders with SPARQL terms (a list becomes a VALUES body).

    >>> render_sparql("VALUES ?k { {{keys}} }", {"keys": [Lit("a"), "http://e/b"]})
    'VALUES ?k { "a" <http://e/b> }'
    """

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in params:
            raise StoreError(f"Named query parameter {name!r} is missing")
        value = params[name]
        if isinstance(value, int):
            return str(value)
        if isinstance(value, (str, Lit)):
            return nt_term(value)
        return " ".join(nt_term(v) for v in value) or "UNDEF"

    return _PLACEHOLDER.sub(fill, text)


def write_new_graphs(store: Store, drop_graphs: Sequence[str], quads: Sequence[Quad]) -> None:
    """A first load's write (``kg load marc --bulk``): a batch that only adds new graphs
    goes through :meth:`Store.write_bulk`, and on failure its graphs are dropped again
    (they were new, so nothing loaded before is lost); any other batch through
    :meth:`Store.write`, in one transaction."""
    if drop_graphs:
        store.write(drop_graphs, quads)
        return
    try:
        store.write_bulk(quads)
    except StoreError:
        store.write(list(dict.fromkeys(q[3] for q in quads)), [])
        raise


class Store(ABC):
    """A graph store: batched writes in one transaction each, named queries, export."""

    path: Path | None = None
    """The store's directory when it is embedded on disk (None for a server or memory)."""

    @abstractmethod
    def write(
        self, drop_graphs: Sequence[str], quads: Sequence[Quad], remove: Sequence[Quad] = ()
    ) -> None:
        """In one transaction: remove the named graphs ``drop_graphs`` and the statements
        ``remove`` (one absent is no error), then add ``quads``.

        ``remove`` is for changing one value inside a graph that stays (a stored count,
        :mod:`kg.counting`): measured on Oxigraph, removing and adding one quad costs a
        sixth of dropping a five-quad graph and writing it again.
        """

    def write_bulk(self, quads: Sequence[Quad]) -> None:
        """Add ``quads`` as fast as the backend can, **without** a transaction: after a
        failure part of them may be stored. For new graphs only, in a first load
        (``kg load marc --bulk``), where the caller can drop them again. A backend without
        a faster path writes them in one transaction (:meth:`write`)."""
        self.write([], quads)

    @abstractmethod
    def select(self, name: str, **params: Param) -> list[Row]:
        """Run the named SELECT query with parameters; rows map variable names to terms."""

    @abstractmethod
    def update(self, name: str, quads: Sequence[Quad] = (), **params: Param) -> None:
        """In one transaction: run the named update (``queries/sparql/<name>.ru``, with
        parameters), then add ``quads``.

        For the rare change that is not "replace whole graphs" (:meth:`write`): e.g.
        :func:`loaders.themes.load_themes` replaces the theme memberships inside every
        record graph.
        """

    @abstractmethod
    def quads(self, graph: str | None = None) -> Iterator[Quad]:
        """Every quad, or those of one named graph."""

    @abstractmethod
    def graphs(self) -> list[str]:
        """The names of every named graph."""

    def optimize(self) -> None:  # noqa: B027 - optional: backends without compaction skip it
        """Compact storage after a large load (optional for a backend)."""

    @abstractmethod
    def close(self) -> None:
        """Flush and release the store."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

"""The server backend: Neo4j 5 through the official ``neo4j`` driver (DESIGN.md decision 1).

Quads become a property graph that keeps every RDF distinction (model in
:mod:`kg.backends.neo4j_model`, documented in docs/neo4j.md): statements are
relationships carrying their named graph in ``g``, so :meth:`Neo4jStore.write` can drop
exactly one graph's statements and :meth:`Neo4jStore.quads` gives back exactly what was
written. Each write is one transaction of a few ``UNWIND`` statements per relationship
type (``CREATE`` into a graph that holds nothing yet, ``MERGE`` into one that does);
constraints and indexes are created on first use. Credentials come
from ``KG_NEO4J_USER`` / ``KG_NEO4J_PASSWORD`` or the file named by ``KG_NEO4J_CONFIG``,
never from the store URL.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

import neo4j
from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from kg.store import (
    DataRejected,
    Param,
    Row,
    Store,
    StoreError,
    StoreUnavailable,
    query_text,
)
from kg.terms import Quad, Term
from kg.vocab import RDF

from .neo4j_model import cypher_params, literal_of, short_name, statement_rows, value_term

T = TypeVar("T")

TYPE = short_name(RDF.type)
_PARAM = re.compile(r"\$([A-Za-z_]\w*)")
_COMMENT = re.compile(r"//[^\n]*")
_STATEMENT_END = re.compile(r";[ \t]*$", re.MULTILINE)

_SCHEMA = (
    "CREATE CONSTRAINT kg_resource_uri IF NOT EXISTS FOR (n:Resource) REQUIRE n.uri IS UNIQUE",
    "CREATE CONSTRAINT kg_graph_uri IF NOT EXISTS FOR (n:NamedGraph) REQUIRE n.uri IS UNIQUE",
    "CREATE CONSTRAINT kg_name IF NOT EXISTS FOR (n:KgName) REQUIRE n.name IS UNIQUE",
    "CREATE INDEX kg_literal_key IF NOT EXISTS FOR (n:Literal) ON (n.key)",
    # Named queries find a predicate's relationship type by its IRI (incoming.cypher).
    "CREATE INDEX kg_name_iri IF NOT EXISTS FOR (n:KgName) ON (n.iri)",
)
# Every subject once: merge its node, set its labels (a class's short name for each
# ``rdf:type``), then CREATE the statements it has in graphs that hold nothing yet (never
# written, or dropped earlier in the same transaction): they cannot exist, and the quads
# are de-duplicated before. One statement for every relationship type (types and labels
# are dynamic: ``$(…)``), one index seek per subject and one per resource object.
_CREATE_STATEMENTS = """UNWIND $subjects AS sub
MERGE (s:Resource {uri: sub.s})
SET s:$(sub.labels)
WITH s, sub
CALL (s, sub) {
  UNWIND sub.links AS row
  MERGE (o:Resource {uri: row.o})
  CREATE (s)-[:$(row.t) {g: row.g}]->(o)
}
CALL (s, sub) {
  UNWIND sub.values AS row
  CREATE (s)-[:$(row.t) {g: row.g}]->(:Literal {key: row.k, value: row.v, lang: row.l,
    datatype: row.d})
}"""
# Statements of a graph that stays are added only when absent, so writing a quad twice
# keeps one: MERGE between two bound nodes; for a literal, the keys of the subject's
# statements of that type and graph (a pattern comprehension from the bound subject, not
# MERGE, which may start from the literal-key index: a key like "3"^^xsd:integer is
# shared by thousands of literal nodes; 12 s instead of 0.1 s for 9,392 counts).
_MERGE_LINKS = """UNWIND $rows AS row
MATCH (s:Resource {uri: row.s}) MERGE (o:Resource {uri: row.o})
MERGE (s)-[:`%s` {g: row.g}]->(o)"""
_MERGE_VALUES = """UNWIND $rows AS row
MATCH (s:Resource {uri: row.s})
WITH s, row WHERE NOT row.k IN [(s)-[r:`%s` {g: row.g}]->(l) | l.key]
CREATE (s)-[:`%s` {g: row.g}]->(:Literal {key: row.k, value: row.v, lang: row.l,
  datatype: row.d})"""
# A class's short name is kept on its node, so Cypher can remove the label again.
_SET_CLASS_NAMES = """UNWIND $rows AS row
MATCH (c:Resource {uri: row.o}) WHERE c.label IS NULL
SET c.label = row.label"""
_CREATE_GRAPHS = "UNWIND $rows AS row CREATE (:NamedGraph {uri: row.g, types: row.types})"
_MERGE_GRAPHS = """UNWIND $rows AS row
MERGE (ng:NamedGraph {uri: row.g})
WITH ng, row, coalesce(ng.types, []) AS had
SET ng.types = had + [t IN row.types WHERE NOT t IN had]"""
_MERGE_NAMES = "UNWIND $rows AS row MERGE (k:KgName {name: row.name}) SET k.iri = row.iri"
_GRAPH_TYPES = """UNWIND $graphs AS g MATCH (ng:NamedGraph {uri: g})
RETURN ng.uri AS g, ng.types AS types"""
# Deleting a graph's statements of one type; nodes left without any relationship go too
# (a literal node always does: it belongs to one statement).
_DROP = """UNWIND $graphs AS g
MATCH (s)-[r:`%s` {g: g}]->(o)
DELETE r
WITH collect(DISTINCT s) + collect(DISTINCT o) AS nodes
UNWIND nodes AS n
WITH DISTINCT n WHERE NOT EXISTS { (n)--() }
DELETE n"""
_DROP_TYPES = """UNWIND $graphs AS g
MATCH (s)-[r:rdf_type {g: g}]->(c)
DELETE r
WITH DISTINCT s, c
CALL (s, c) {
  WITH s, c WHERE c.label IS NOT NULL AND NOT EXISTS { (s)-[:rdf_type]->(c) }
  REMOVE s:$(c.label)
}
WITH collect(DISTINCT s) + collect(DISTINCT c) AS nodes
UNWIND nodes AS n
WITH DISTINCT n WHERE NOT EXISTS { (n)--() }
DELETE n"""
_DROP_GRAPHS = "UNWIND $graphs AS g MATCH (ng:NamedGraph {uri: g}) DELETE ng"
# Removing single statements (``write(remove=…)``), one statement per relationship type:
# the same clean-up as dropping a graph, matched by subject, graph and object. The hint
# keeps the plan starting from the subject whatever the statistics say (a plan made
# while the database was nearly empty took seconds per batch until Neo4j replanned).
_REMOVE_VALUES = """UNWIND $rows AS row
MATCH (s:Resource {uri: row.s})-[r:`%s` {g: row.g}]->(l) USING INDEX s:Resource(uri)
WHERE l.key = row.k
DELETE r, l
WITH collect(DISTINCT s) AS nodes
UNWIND nodes AS n
WITH n WHERE NOT EXISTS { (n)--() }
DELETE n"""
_REMOVE_LINKS = """UNWIND $rows AS row
MATCH (s:Resource {uri: row.s})-[r:`%s` {g: row.g}]->(o:Resource {uri: row.o})
USING INDEX s:Resource(uri)
DELETE r
WITH collect(DISTINCT s) + collect(DISTINCT o) AS nodes
UNWIND nodes AS n
WITH DISTINCT n WHERE NOT EXISTS { (n)--() }
DELETE n"""
_REMOVE_TYPES = """UNWIND $rows AS row
MATCH (s:Resource {uri: row.s})-[r:rdf_type {g: row.g}]->(c:Resource {uri: row.o})
USING INDEX s:Resource(uri)
DELETE r
WITH DISTINCT s, c
CALL (s, c) {
  WITH s, c WHERE c.label IS NOT NULL AND NOT EXISTS { (s)-[:rdf_type]->(c) }
  REMOVE s:$(c.label)
}
WITH collect(DISTINCT s) + collect(DISTINCT c) AS nodes
UNWIND nodes AS n
WITH DISTINCT n WHERE NOT EXISTS { (n)--() }
DELETE n"""


def credentials(env: dict[str, str] | None = None) -> tuple[str, str] | None:
    """User and password from ``KG_NEO4J_USER`` / ``KG_NEO4J_PASSWORD``, else from the TOML
    file ``KG_NEO4J_CONFIG`` (``[neo4j]`` with ``user`` and ``password``); None: no auth.

    >>> credentials({"KG_NEO4J_USER": "kg", "KG_NEO4J_PASSWORD": "s3cret"})
    ('kg', 's3cret')
    """
    env = dict(os.environ) if env is None else env
    user, password = env.get("KG_NEO4J_USER"), env.get("KG_NEO4J_PASSWORD")
    if not user and env.get("KG_NEO4J_CONFIG"):
        path = Path(env["KG_NEO4J_CONFIG"])
        try:
            section = tomllib.loads(path.read_text(encoding="utf-8")).get("neo4j", {})
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise StoreError(f"Cannot read the Neo4j config file {path}: {exc}") from exc
        user, password = section.get("user"), section.get("password")
    if not user:
        return None
    if password is None:
        raise StoreError("KG_NEO4J_USER is set but no password: set KG_NEO4J_PASSWORD too")
    return str(user), str(password)


class Neo4jStore(Store):
    """A Neo4j 5 server at ``url`` (``bolt://HOST:PORT[/DATABASE]`` or ``neo4j://…``).

    :raises StoreError: for credentials in the URL.
    :raises StoreUnavailable: when the server cannot be reached.
    """

    dialect = "cypher"

    def __init__(self, url: str, *, retry_seconds: float = 10.0) -> None:
        parsed = urlparse(url)
        if parsed.username or parsed.password:
            raise StoreError(
                "Put Neo4j credentials in KG_NEO4J_USER / KG_NEO4J_PASSWORD or the file "
                "named by KG_NEO4J_CONFIG, not in the store URL"
            )
        self.url = url
        self._database = parsed.path.strip("/") or None
        self._driver = neo4j.GraphDatabase.driver(
            f"{parsed.scheme}://{parsed.netloc}",
            auth=credentials(),
            connection_timeout=5.0,
            max_transaction_retry_time=retry_seconds,
            notifications_min_severity="OFF",
        )
        self._indexed: set[str] = set()
        self._names: dict[str, str] = {}
        self._call(self._ensure_schema)

    # -- the contract ---------------------------------------------------------------

    def write(
        self, drop_graphs: Sequence[str], quads: Sequence[Quad], remove: Sequence[Quad] = ()
    ) -> None:
        """One transaction: delete the statements of ``drop_graphs``, then those in
        ``remove`` (from the graph each names; an absent one is no error), then merge
        ``quads``.

        :raises DataRejected: for an invalid IRI, language tag or a value Neo4j refuses.
        :raises StoreUnavailable: when the server cannot be reached.
        """
        drop = list(dict.fromkeys(drop_graphs))
        if not drop and not quads and not remove:
            return
        removing = _removal(remove)
        adding, names = self._prepare(quads)

        def work(tx: neo4j.ManagedTransaction) -> None:
            self._drop(tx, drop)
            removing(tx)
            adding(tx)

        self._write(work, names)

    def update(self, name: str, quads: Sequence[Quad] = (), **params: Param) -> None:
        """One transaction: the statements of ``queries/cypher/<name>.cypher`` in order
        (separated by a ``;`` at a line's end), then merge ``quads``."""
        text = query_text("cypher", name)
        values = self._params(text, params)
        statements = [s for s in _STATEMENT_END.split(text) if _COMMENT.sub("", s).strip()]
        adding, names = self._prepare(quads)

        def work(tx: neo4j.ManagedTransaction) -> None:
            for statement in statements:
                tx.run(statement, values).consume()
            adding(tx)

        self._write(work, names, what=f"the update {name!r}")

    def select(self, name: str, **params: Param) -> list[Row]:
        """Run ``queries/cypher/<name>.cypher``; each returned column is a row's variable."""
        text = query_text("cypher", name)
        values = self._params(text, params)

        def read(session: neo4j.Session) -> list[Row]:
            rows: list[Row] = []
            for record in session.run(text, values):
                row: Row = {}
                for key in record.keys():  # noqa: SIM118 - a Record is no dict
                    term = value_term(record[key])
                    if term is not None:
                        row[key] = term
                rows.append(row)
            return rows

        # An auto-commit read: one round trip (RUN and PULL), where a managed transaction
        # adds BEGIN and COMMIT (0.1 ms of a 0.5 ms call; a page makes 8-20 calls). A
        # named SELECT is one statement; what it gives up is the driver's retry, kept here
        # for the case that matters: a pooled connection that died with a server restart.
        what = f"the query {name!r}"
        try:
            return self._call(read, what=what, reading=True)
        except StoreUnavailable:
            return self._call(read, what=what, reading=True)

    def quads(self, graph: str | None = None) -> Iterator[Quad]:
        """Every quad, or those of ``graph``: one read per graph and relationship type."""
        for g in [graph] if graph else self.graphs():
            rows = self._call(partial(_read_graph, graph=g))
            for s, kind, o in rows:
                yield s, self._iri_of(kind), o, g

    def graphs(self) -> list[str]:
        """Names of all named graphs (the ``:NamedGraph`` nodes)."""
        query = "MATCH (ng:NamedGraph) RETURN ng.uri AS uri ORDER BY uri"
        rows = self._call(lambda s: s.execute_read(lambda tx: tx.run(query).value("uri")))
        return [str(u) for u in rows]

    def close(self) -> None:
        """Close the driver's connections."""
        self._driver.close()

    # -- beyond the contract ------------------------------------------------------

    def clear(self) -> None:
        """Delete every relationship, then every node, in transactions of 10,000; the
        schema stays. For tests and ``kg copy --replace``. (``DETACH DELETE`` of 10,000
        nodes at once took a class node's 100,000 ``rdf_type`` relationships into one
        transaction and exceeded Neo4j's transaction memory pool.)"""
        for query in (
            "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS",
            "MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS",
        ):
            self._call(partial(_run_all, query=query))
        self._names.clear()

    # -- helpers --------------------------------------------------------------------

    def _prepare(
        self, quads: Sequence[Quad]
    ) -> tuple[Callable[[neo4j.ManagedTransaction], None], dict[str, str]]:
        """Check and group ``quads`` (before any transaction) and create the indexes their
        relationship types need; returns the writing step and the short names it uses."""
        _, links, values = statement_rows(quads)
        names = {short_name(p): p for p in {q[1] for q in quads}}
        typing = links.get(TYPE, ())
        names.update((r["label"], r["o"]) for r in typing)
        new_names = [{"name": n, "iri": i} for n, i in names.items() if n not in self._names]
        self._ensure_indexes([*links, *values])
        graph_types: dict[str, set[str]] = {}
        for kind, rows in (*links.items(), *values.items()):
            for row in rows:
                graph_types.setdefault(row["g"], set()).add(kind)
        classes = list({r["o"]: {"o": r["o"], "label": r["label"]} for r in typing}.values())

        def add(tx: neo4j.ManagedTransaction) -> None:
            if not graph_types:
                return
            stored = set(tx.run(_GRAPH_TYPES, graphs=list(graph_types)).value("g"))
            if new_names:
                tx.run(_MERGE_NAMES, rows=new_names).consume()
            subjects, old_links, old_values = _by_subject(links, values, stored)
            tx.run(_CREATE_STATEMENTS, subjects=subjects).consume()
            for kind, rows in old_links.items():
                tx.run(_MERGE_LINKS % kind, rows=rows).consume()
            for kind, rows in old_values.items():
                tx.run(_MERGE_VALUES % (kind, kind), rows=rows).consume()
            if classes:
                tx.run(_SET_CLASS_NAMES, rows=classes).consume()
            graph_rows = [{"g": g, "types": sorted(t)} for g, t in graph_types.items()]
            new = [r for r in graph_rows if r["g"] not in stored]
            if new:
                tx.run(_CREATE_GRAPHS, rows=new).consume()
            if len(new) < len(graph_rows):
                old = [r for r in graph_rows if r["g"] in stored]
                tx.run(_MERGE_GRAPHS, rows=old).consume()

        return add, names

    def _drop(self, tx: neo4j.ManagedTransaction, graphs: list[str]) -> None:
        """Delete the statements of ``graphs``: per relationship type, only the graphs
        whose ``types`` name it (an index seek each)."""
        if not graphs:
            return
        by_kind: dict[str, list[str]] = {}
        for g, types in tx.run(_GRAPH_TYPES, graphs=graphs).values("g", "types"):
            for kind in types or ():
                by_kind.setdefault(kind, []).append(g)
        for kind in sorted(by_kind):
            query = _DROP_TYPES if kind == TYPE else _DROP % kind
            tx.run(query, graphs=by_kind[kind]).consume()
        tx.run(_DROP_GRAPHS, graphs=graphs).consume()

    def _write(
        self,
        work: Callable[[neo4j.ManagedTransaction], object],
        names: dict[str, str],
        what: str = "",
    ) -> None:
        """Run ``work`` in one write transaction; remember the short names it registered."""
        self._call(lambda s: s.execute_write(work), what=what or "a batch write", writing=True)
        self._names.update(names)

    def _ensure_schema(self, session: neo4j.Session) -> None:
        for statement in _SCHEMA:
            session.run(statement).consume()
        self._indexed = set(session.run("SHOW INDEXES YIELD name").value("name"))
        self._names = dict(
            session.run("MATCH (k:KgName) RETURN k.name AS name, k.iri AS iri").values()
        )

    def _ensure_indexes(self, kinds: Sequence[str]) -> None:
        """A range index on ``g`` for each relationship type: dropping a graph seeks it."""
        missing = [k for k in dict.fromkeys(kinds) if f"kg_g_{k}" not in self._indexed]
        if not missing:
            return

        def create(session: neo4j.Session) -> None:
            for kind in missing:
                session.run(
                    f"CREATE INDEX `kg_g_{kind}` IF NOT EXISTS FOR ()-[r:`{kind}`]-() ON (r.g)"
                ).consume()

        self._call(create, what="creating indexes")
        self._indexed.update(f"kg_g_{k}" for k in missing)

    def _iri_of(self, kind: str) -> str:
        if kind not in self._names:
            self._call(self._ensure_schema)
        return self._names[kind]

    @staticmethod
    def _params(text: str, params: dict[str, Param]) -> dict[str, Any]:
        for name in _PARAM.findall(_COMMENT.sub("", text)):
            if name not in params:
                raise StoreError(f"Named query parameter {name!r} is missing")
        return cypher_params(params)

    def _call(
        self,
        work: Callable[[neo4j.Session], T],
        what: str = "",
        writing: bool = False,
        reading: bool = False,
    ) -> T:
        """Run ``work`` in a session (``reading``: a read-only one, which a cluster routes
        to a reader); the driver's errors become the store's."""
        where = f"Neo4j at {self.url}"
        mode = neo4j.READ_ACCESS if reading else neo4j.WRITE_ACCESS
        try:
            with self._driver.session(database=self._database, default_access_mode=mode) as session:
                return work(session)
        except (ServiceUnavailable, SessionExpired) as exc:
            reason = " ".join(str(exc).split())
            lost = f"nothing of {what} was committed; " if writing else ""
            raise StoreUnavailable(
                f"{where} is unavailable ({reason}): {lost}start the server "
                "(scripts/neo4j start) or check the store URL."
            ) from exc
        except Neo4jError as exc:
            if (
                writing
                and exc.code
                and exc.code.startswith(
                    ("Neo.ClientError.Statement", "Neo.ClientError.Schema", "Neo.DatabaseError")
                )
            ):
                raise DataRejected(f"{where} rejected {what}: {exc.message}") from exc
            raise StoreError(f"{where} failed {what or 'a call'}: {exc.message}") from exc
        except DriverError as exc:
            raise StoreUnavailable(f"{where} could not be used: {exc}") from exc


def _by_subject(
    links: dict[str, list[dict[str, Any]]],
    values: dict[str, list[dict[str, Any]]],
    stored: set[str],
) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
    """The rows of :data:`_CREATE_STATEMENTS`: each subject with its labels and its
    statements in graphs not ``stored``; and, by relationship type, the rows of statements
    in ``stored`` graphs (to MERGE)."""
    subjects: dict[str, dict[str, Any]] = {}

    def subject(s: str) -> dict[str, Any]:
        row = subjects.get(s)
        if row is None:
            row = subjects[s] = {"s": s, "labels": [], "links": [], "values": []}
        return row

    old_links: dict[str, list[dict[str, Any]]] = {}
    old_values: dict[str, list[dict[str, Any]]] = {}
    for kind, rows in links.items():
        for r in rows:
            sub = subject(r["s"])
            if kind == TYPE and r["label"] not in sub["labels"]:
                sub["labels"].append(r["label"])
            if r["g"] in stored:
                old_links.setdefault(kind, []).append(r)
            else:
                sub["links"].append({"o": r["o"], "t": kind, "g": r["g"]})
    for kind, rows in values.items():
        for r in rows:
            sub = subject(r["s"])
            if r["g"] in stored:
                old_values.setdefault(kind, []).append(r)
            else:
                sub["values"].append({k: v for k, v in r.items() if k != "s"} | {"t": kind})
    return list(subjects.values()), old_links, old_values


def _removal(quads: Sequence[Quad]) -> Callable[[neo4j.ManagedTransaction], None]:
    """The step that removes ``quads`` (checked and grouped before any transaction): one
    ``UNWIND`` per relationship type, however many statements."""
    _, links, values = statement_rows(quads)

    def remove(tx: neo4j.ManagedTransaction) -> None:
        for kind, rows in links.items():
            template = _REMOVE_TYPES if kind == TYPE else _REMOVE_LINKS % kind
            tx.run(template, rows=rows).consume()
        for kind, rows in values.items():
            tx.run(_REMOVE_VALUES % kind, rows=rows).consume()

    return remove


def _run_all(session: neo4j.Session, query: str) -> None:
    session.run(query).consume()


def _read_graph(session: neo4j.Session, graph: str) -> list[tuple[str, str, Term]]:
    """Every statement of ``graph`` as (subject, relationship type, object)."""
    return session.execute_read(_graph_statements, graph)


def _graph_statements(tx: neo4j.ManagedTransaction, graph: str) -> list[tuple[str, str, Term]]:
    types = tx.run("MATCH (ng:NamedGraph {uri: $g}) RETURN ng.types AS t", g=graph).single()
    out: list[tuple[str, str, Term]] = []
    for kind in (types["t"] if types else None) or ():
        query = f"MATCH (s)-[r:`{kind}` {{g: $g}}]->(o) RETURN s.uri AS s, o"
        for record in tx.run(query, g=graph):
            o = record["o"]
            term: Term = literal_of(o) if "Literal" in o.labels else str(o["uri"])
            out.append((str(record["s"]), kind, term))
    return out

"""Types and helpers every domain shares: language-tagged text, the Node interface
(neighbours and provenance of any entity), facets, and reading :data:`Props`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

import strawberry

from kg.terms import Lit, Term, text_of
from kg.vocab import RDF, RDFS, SKOS
from schema.context import Info, Props
from schema.relay import Connection, as_is, paged

LANGUAGE_ORDER = ("zh-hans", "zh", "zh-hani", "zh-hant", "en", None)
"""Which label a portal shows first: simplified Chinese, then other Chinese, English."""


@strawberry.type
class LangString:
    """A text with its BCP 47 language tag (``zh-Hans``, ``zh-Hant``, ``en``), if any."""

    value: str
    language: str | None


def iris(props: Props, predicate: str) -> list[str]:
    """The IRI values of a property, in a stable order."""
    return sorted({o for o in props.get(predicate, []) if isinstance(o, str)})


def texts(props: Props, *predicates: str) -> list[LangString]:
    """The literal values of the properties, Chinese first, without duplicates."""
    seen: dict[tuple[str, str | None], None] = {}
    for p in predicates:
        for o in props.get(p, []):
            if isinstance(o, Lit):
                seen[(o.value, o.lang)] = None
    ranked = sorted(seen, key=lambda v: (_rank(v[1]), v[0]))
    return [LangString(value=v, language=lang) for v, lang in ranked]


def label(props: Props, *predicates: str) -> str | None:
    """The label a portal shows: the first of :func:`texts` (skos:prefLabel, rdfs:label)."""
    found = texts(props, *(predicates or (SKOS.prefLabel, RDFS.label)))
    return found[0].value if found else None


def literal(props: Props, predicate: str) -> str | None:
    """One literal value of a property (the smallest, for a stable answer)."""
    values = sorted(text_of(o) for o in props.get(predicate, []) if isinstance(o, Lit))
    return values[0] if values else None


def types(props: Props) -> set[str]:
    """The rdf:type IRIs of an entity."""
    return set(iris(props, RDF.type))


def _rank(lang: str | None) -> int:
    key = lang.lower() if lang else None
    return LANGUAGE_ORDER.index(key) if key in LANGUAGE_ORDER else len(LANGUAGE_ORDER) - 1


@strawberry.type
class FacetValue:
    """One value of a facet with the number of works that have it."""

    value: str
    label: str | None
    count: int


@strawberry.type
class Facet:
    """Counts of works by one dimension: institution, tier, decade, language or class."""

    dimension: str
    values: list[FacetValue]


@strawberry.type
class Statement:
    """One statement about an entity: a property and a value (an IRI or a literal)."""

    predicate: str
    value: str
    language: str | None
    is_iri: bool
    inverse: bool


@strawberry.type
class Provenance:
    """Where what the graph says about an entity comes from: a load run and its file."""

    graph: str
    run: str | None
    source: str | None
    file: str | None
    institution: str | None
    ended: str | None


MAX_NEIGHBOURS = 500
"""How many statements ``neighbours`` lists (in order) for one entity and predicate: an
institution is the object of one bf:heldBy per item it holds."""

MAX_PROVENANCE = 100
"""How many named graphs ``provenance`` lists for one entity."""


@strawberry.interface
class Node:
    """Any entity of the graph, by its URI."""

    id: strawberry.ID

    @strawberry.field
    async def neighbours(
        self, info: Info, predicate: str | None = None, first: int = 50, after: str | None = None
    ) -> Connection[Statement]:
        """What the graph says about the entity and what points at it: outgoing, then
        incoming, by predicate and value; the first :data:`MAX_NEIGHBOURS` (bounded)."""
        rows = info.context.select(
            "neighbours",
            id=str(self.id),
            predicates=[predicate] if predicate else [],
            limit=MAX_NEIGHBOURS,
        )
        statements = [_statement(r["p"], r["o"], text_of(r["dir"]) == "in") for r in rows]
        return await paged(statements, first, after, _statement_key, as_is)

    @strawberry.field
    async def provenance(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[Provenance]:
        """The load runs (and their files) whose named graphs speak of the entity (PROV-O
        prov:wasGeneratedBy, prov:used), by graph; the first :data:`MAX_PROVENANCE`."""
        rows = info.context.select("provenance", id=str(self.id), limit=MAX_PROVENANCE)
        found = [
            Provenance(
                graph=str(r["g"]),
                run=_opt(r.get("run")),
                source=_opt(r.get("source")),
                file=_opt(r.get("file")),
                institution=_opt(r.get("institution")),
                ended=_opt(r.get("ended")),
            )
            for r in rows
        ]
        return await paged(found, first, after, lambda p: p.graph, as_is)


def _statement_key(s: Statement) -> str:
    return "\x1f".join((str(s.inverse), s.predicate, s.value, s.language or ""))


def _opt(term: Term | None) -> str | None:
    return None if term is None else text_of(term)


def _statement(p: Term, o: Term, inverse: bool) -> Statement:
    if isinstance(o, Lit):
        return Statement(
            predicate=str(p), value=o.value, language=o.lang, is_iri=False, inverse=inverse
        )
    return Statement(predicate=str(p), value=str(o), language=None, is_iri=True, inverse=inverse)


def first_of(values: Iterable[str]) -> str | None:
    """The first of some values, or None."""
    return next(iter(values), None)


N = TypeVar("N")


async def described(info: Info, make: Callable[..., N], ids: list[str]) -> list[N]:
    """Entities of one GraphQL type (``make(id=, props=)``), described in one batched
    round-trip (the ``describe`` DataLoader)."""
    props = await info.context.describe_many(ids)
    return [make(id=strawberry.ID(i), props=p) for i, p in zip(ids, props, strict=True)]


async def labelled(info: Info, make: Callable[..., N], ids: list[str]) -> list[N]:
    """Entities of a type that shows only labels, notations and scheme (classes and
    concepts in a list), from the ``labels`` DataLoader: one batched round-trip, with
    facet values' labels when they fall in the same tick."""
    props = await info.context.labels.load_many(ids)
    return [make(id=strawberry.ID(i), props=p) for i, p in zip(ids, props, strict=True)]

"""Subject concepts and classification classes (SKOS: skos:Concept, skos:ConceptScheme):
Chinese Library Classification, thesaurus terms, subject headings."""

from __future__ import annotations

import strawberry

from kg.store import Row
from kg.terms import text_of
from kg.vocab import SKOS
from schema.common import Facet, LangString, Node, iris, label, labelled, literal, texts
from schema.context import Info, Props
from schema.relay import Connection, paged
from schema.works.listing import WorkFilter, WorkSort, facets, works_page
from schema.works.types import Work


@strawberry.type
class Concept(Node):
    """A subject concept: a heading, a thesaurus term, a place (skos:Concept). Its fields
    read only labels, notation and scheme (``labels.rq``), so lists build it from those."""

    id: strawberry.ID
    props: strawberry.Private[Props]

    @strawberry.field
    def label(self) -> str | None:
        """Its preferred label, Chinese first."""
        return label(self.props)

    @strawberry.field
    def labels(self) -> list[LangString]:
        """Preferred and alternative labels (skos:prefLabel, skos:altLabel)."""
        return texts(self.props, SKOS.prefLabel, SKOS.altLabel)

    @strawberry.field
    def scheme(self) -> str | None:
        """The concept scheme (skos:inScheme)."""
        found = iris(self.props, SKOS.inScheme)
        return found[0] if found else None

    @strawberry.field
    async def work_count(self, info: Info) -> int:
        """Works under it or any narrower concept (precomputed roll-up)."""
        return int(await info.context.counts.load((str(self.id), "rollup")))

    @strawberry.field
    async def direct_work_count(self, info: Info) -> int:
        """Works linked to it directly (precomputed)."""
        return int(await info.context.counts.load((str(self.id), "direct")))

    @strawberry.field
    async def works(
        self,
        info: Info,
        filter: WorkFilter | None = None,
        sort: WorkSort = WorkSort.TITLE,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Work]:
        """Works under it or any narrower concept, paged."""
        total = int(await info.context.counts.load((str(self.id), "rollup")))
        return await works_page(info, str(self.id), total, filter, sort, first, after)


@strawberry.type
class Class(Concept):
    """A class of a classification scheme (CLC), with its place in the hierarchy."""

    @strawberry.field
    def notation(self) -> str | None:
        """Its notation (skos:notation), e.g. F127."""
        return literal(self.props, SKOS.notation)

    @strawberry.field
    async def broader(self, info: Info) -> list[Class]:
        """The path from the top-level class down to its parent."""
        rows = info.context.select("class_path", id=str(self.id))
        ids = [str(r["ancestor"]) for r in rows]
        return await labelled(info, Class, ids)

    @strawberry.field
    async def narrower(
        self, info: Info, first: int = 50, after: str | None = None
    ) -> Connection[Class]:
        """Its narrower classes (skos:narrower) by notation, each with its rolled-up
        workCount (one round-trip for the list and counts, one for the page's labels)."""
        rows = info.context.select("class_children", parent=str(self.id))
        return await paged(
            rows, first, after, _class_key, lambda page: classes_from_rows(info, page)
        )

    @strawberry.field
    async def facets(self, info: Info, filter: WorkFilter | None = None) -> list[Facet]:
        """Works under it by institution, tier, decade, language and top-level class."""
        return await facets(info, str(self.id), filter)


def _class_key(row: Row) -> str:
    return str(row["class"])


async def classes_from_rows(info: Info, rows: list[Row]) -> list[Class]:
    """Classes from rows of ?class ?works, priming the count loader with the counts."""
    ids = [str(r["class"]) for r in rows]
    for r in rows:
        info.context.counts.prime(
            (str(r["class"]), "rollup"), int(text_of(r.get("works", "0"))) if "works" in r else 0
        )
    return await labelled(info, Class, ids)


@strawberry.type
class ClassificationScheme(Node):
    """A classification scheme (skos:ConceptScheme), e.g. the CLC."""

    id: strawberry.ID
    props: strawberry.Private[Props]

    @strawberry.field
    def label(self) -> str | None:
        """Its name."""
        return label(self.props)

    @strawberry.field
    def labels(self) -> list[LangString]:
        """Its names in every language."""
        return texts(self.props, SKOS.prefLabel)

    @strawberry.field
    async def top_classes(
        self, info: Info, first: int = 50, after: str | None = None
    ) -> Connection[Class]:
        """Its top-level classes (skos:hasTopConcept) by notation, each with its
        rolled-up workCount."""
        rows = info.context.select("scheme_top_classes", scheme=str(self.id))
        return await paged(
            rows, first, after, _class_key, lambda page: classes_from_rows(info, page)
        )

    @strawberry.field
    async def facets(self, info: Info) -> list[Facet]:
        """The whole catalogue's works by institution, tier, decade, language and class."""
        return await facets(info, info.context.ids.catalogue(), None)

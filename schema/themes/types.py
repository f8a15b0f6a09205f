"""Topic knowledge bases (专题知识库): themes defined by curators' rules (kg.themes)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Annotated

import strawberry

from kg.store import Row
from kg.terms import Lit, text_of
from kg.vocab import SKOS
from schema.common import Facet, LangString, Node, described, iris, label, literal, texts
from schema.context import Info, Props
from schema.relay import Connection, Edge, paged
from schema.works.listing import WorkFilter, WorkSort, facets, works_page
from schema.works.types import Work

if TYPE_CHECKING:
    from schema.institutions.types import Institution
    from schema.places.types import Place

InstitutionT = Annotated["Institution", strawberry.lazy("schema.institutions.types")]
PlaceT = Annotated["Place", strawberry.lazy("schema.places.types")]


MAX_PLACES = 500
"""How many places ``Theme.places`` lists (the gazetteer has a few dozen)."""


@strawberry.type
class ThemeWork:
    """A work of a theme and why it is there: the rules that matched (and in which
    subtheme, when it is there through a subtheme)."""

    work: Work
    rules: list[str]
    themes: list[str]


@strawberry.type
class YearCount:
    """Works of a theme published in one year."""

    year: int
    works: int


@strawberry.type
class KeyInstitution:
    """A member and how many of a theme's works it holds."""

    institution: InstitutionT
    works: int
    share: float


@strawberry.type
class PlaceCount:
    """A place a theme's works are about or published in, with their number."""

    place: PlaceT
    works: int


@strawberry.type
class Theme(Node):
    """A theme: a curated topic knowledge base, with subthemes (skos:Concept)."""

    id: strawberry.ID
    props: strawberry.Private[Props]

    @strawberry.field
    def key(self) -> str | None:
        """Its id in the curator's file (skos:notation), e.g. poyang-lake-ecology."""
        return literal(self.props, SKOS.notation)

    @strawberry.field
    def label(self) -> str | None:
        """Its name, Chinese first."""
        return label(self.props)

    @strawberry.field
    def labels(self) -> list[LangString]:
        """Its names in every language."""
        return texts(self.props, SKOS.prefLabel, SKOS.altLabel)

    @strawberry.field
    def description(self) -> str | None:
        """What the theme gathers (skos:definition)."""
        return literal(self.props, SKOS.definition)

    @strawberry.field
    async def parent(self, info: Info) -> Theme | None:
        """Its broader theme."""
        found = iris(self.props, SKOS.broader)
        if not found:
            return None
        return Theme(id=strawberry.ID(found[0]), props=await info.context.describe.load(found[0]))

    @strawberry.field
    async def subthemes(
        self, info: Info, first: int = 50, after: str | None = None
    ) -> Connection[Theme]:
        """Its narrower themes (skos:broader pointing at it), by IRI."""
        ids = await info.context.incoming(SKOS.broader).load(str(self.id))
        return await paged(ids, first, after, str, lambda page: described(info, Theme, page))

    @strawberry.field
    async def total(self, info: Info) -> int:
        """Works in the theme or any subtheme (precomputed)."""
        return int(await info.context.counts.load((str(self.id), "rollup")))

    @strawberry.field
    async def works(
        self,
        info: Info,
        filter: WorkFilter | None = None,
        sort: WorkSort = WorkSort.TITLE,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[ThemeWork]:
        """Its works (and its subthemes'), paged, filtered and sorted, each with why."""
        total = int(await info.context.counts.load((str(self.id), "rollup")))
        page = await works_page(info, str(self.id), total, filter, sort, first, after)
        why: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        if page.edges:
            works = [str(e.node.id) for e in page.edges]
            for row in info.context.select("theme_rules", theme=str(self.id), works=works):
                why[str(row["work"])][text_of(row["key"])].add(text_of(row["rule"]))
        edges = [
            Edge(
                node=ThemeWork(
                    work=e.node,
                    rules=sorted({r for rules in why[str(e.node.id)].values() for r in rules}),
                    themes=sorted(why[str(e.node.id)]),
                ),
                cursor=e.cursor,
            )
            for e in page.edges
        ]
        return Connection(total_count=page.total_count, edges=edges, page_info=page.page_info)

    @strawberry.field
    async def facets(self, info: Info, filter: WorkFilter | None = None) -> list[Facet]:
        """Its works by institution, tier, decade, language and top-level class."""
        return await facets(info, str(self.id), filter)

    @strawberry.field
    def timeline(self, info: Info) -> list[YearCount]:
        """Works per year of publication (precomputed), oldest first."""
        rows = info.context.select("counts_of", scopes=[str(self.id)], dimension=Lit("year"))
        points = [
            YearCount(year=int(text_of(r["value"])), works=int(text_of(r["works"]))) for r in rows
        ]
        return sorted(points, key=lambda p: p.year)

    @strawberry.field
    async def key_institutions(
        self, info: Info, first: int = 5, after: str | None = None
    ) -> Connection[KeyInstitution]:
        """The members holding its works, most works first (precomputed counts)."""
        from schema.institutions.types import Institution  # noqa: PLC0415

        total = int(await info.context.counts.load((str(self.id), "rollup"))) or 1
        rows = info.context.select("counts_of", scopes=[str(self.id)], dimension=Lit("institution"))
        ranked = sorted(
            ((str(r["value"]), int(text_of(r["works"]))) for r in rows), key=lambda x: (-x[1], x[0])
        )

        async def build(page: list[tuple[str, int]]) -> list[KeyInstitution]:
            props = await info.context.describe_many([i for i, _ in page])
            return [
                KeyInstitution(
                    institution=Institution(id=strawberry.ID(i), props=p),
                    works=n,
                    share=round(n / total, 4),
                )
                for (i, n), p in zip(page, props, strict=True)
            ]

        return await paged(ranked, first, after, lambda x: x[0], build)

    @strawberry.field
    async def places(
        self, info: Info, first: int = 10, after: str | None = None
    ) -> Connection[PlaceCount]:
        """Gazetteer places its works are about or published in, most frequent first
        (the first :data:`MAX_PLACES`)."""
        from schema.places.types import Place  # noqa: PLC0415

        rows = info.context.select(
            "scope_places",
            scope=str(self.id),
            places=Lit(f"{info.context.ids.base}place/"),
            limit=MAX_PLACES,
        )

        async def build(page: list[Row]) -> list[PlaceCount]:
            ids = [str(r["place"]) for r in page]
            props = await info.context.describe_many(ids)
            return [
                PlaceCount(
                    place=Place(id=strawberry.ID(i), props=p), works=int(text_of(r["works"]))
                )
                for i, p, r in zip(ids, props, page, strict=True)
            ]

        return await paged(rows, first, after, lambda r: str(r["place"]), build)

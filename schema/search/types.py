"""Search across works, agents and concepts (kg.search: SQLite FTS5 side index)."""

from __future__ import annotations

import strawberry

from kg.search import SearchError
from schema.common import Facet, FacetValue, Node
from schema.context import Info
from schema.errors import BadArgument
from schema.relay import Edge, PageInfo, page_size


@strawberry.type
class SearchHit:
    """One ranked match: the entity, its kind, label, score and a highlighted snippet."""

    node: Node
    kind: str
    label: str | None
    score: float = strawberry.field(
        description="Higher ranks first (after exact title matches): BM25 when the query "
        "has at most 10,000 matches; for a more common word, minus the label's length."
    )
    snippet: str | None


@strawberry.type
class SearchResults:
    """A page of ranked matches, their total and facets (kind, institution, language,
    decade): a Relay connection (``edges`` with a cursor each, ``pageInfo``); ``hits``,
    ``endCursor`` and ``hasNextPage`` say the same without the edges' cursors."""

    total_count: int
    edges: list[Edge[SearchHit]]
    page_info: PageInfo
    facets: list[Facet]

    @strawberry.field
    def hits(self) -> list[SearchHit]:
        """The page's matches (the edges' nodes)."""
        return [edge.node for edge in self.edges]

    @strawberry.field
    def end_cursor(self) -> str | None:
        """The cursor of the next page (``pageInfo.endCursor``), None on the last."""
        return self.page_info.end_cursor

    @strawberry.field
    def has_next_page(self) -> bool:
        """Whether another page follows (``pageInfo.hasNextPage``)."""
        return self.page_info.has_next_page


@strawberry.input
class SearchFilter:
    """Restrict a search (values of one field: any of them)."""

    institutions: list[str] | None = None
    languages: list[str] | None = None
    decades: list[int] | None = None


@strawberry.type
class SearchQuery:
    @strawberry.field
    async def search(
        self,
        info: Info,
        query: str,
        kinds: list[str] | None = None,
        filter: SearchFilter | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> SearchResults:
        """Works, agents and concepts matching ``query``: simplified or traditional
        Chinese, pinyin (zhongguo, zhong guo, zg), or English; ranked."""
        from schema.works.queries import as_node  # noqa: PLC0415

        index = info.context.search
        if index is None:
            raise BadArgument("Search is not available: this service has no search index")
        filters: dict[str, list[str | int]] = {}
        if filter:
            for name in ("institutions", "languages", "decades"):
                values = getattr(filter, name)
                if values:
                    filters[name.removesuffix("s")] = list(values)
        try:
            page = index.search(
                query, kinds=kinds, filters=filters, first=page_size(first), after=after
            )
        except SearchError as exc:
            raise BadArgument(str(exc)) from None
        info.context.round_trips += 1
        props = await info.context.describe_many([h.uri for h in page.hits])
        base = info.context.ids.base
        return SearchResults(
            total_count=page.total,
            edges=[
                Edge(
                    node=SearchHit(
                        node=as_node(h.uri, p, base),
                        kind=h.kind,
                        label=h.label,
                        score=h.score,
                        snippet=h.snippet,
                    ),
                    cursor=h.cursor,
                )
                for h, p in zip(page.hits, props, strict=True)
            ],
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
            facets=[
                Facet(
                    dimension=name,
                    values=[
                        FacetValue(value=str(v.value), label=None, count=v.count) for v in values
                    ],
                )
                for name, values in page.facets.items()
            ],
        )

"""Search across works, agents and concepts (kg.search: SQLite FTS5 side index)."""

from __future__ import annotations

import strawberry

from kg.search import SearchError
from schema.common import Facet, FacetValue, Node
from schema.context import Info
from schema.errors import BadArgument
from schema.relay import page_size


@strawberry.type
class SearchHit:
    """One ranked match: the entity, its kind, label, score and a highlighted snippet."""

    node: Node
    kind: str
    label: str | None
    score: float
    snippet: str | None


@strawberry.type
class SearchResults:
    """A page of ranked matches, their total and facets (kind, institution, language,
    decade), and the cursor of the next page."""

    total_count: int
    hits: list[SearchHit]
    facets: list[Facet]
    end_cursor: str | None
    has_next_page: bool


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
            hits=[
                SearchHit(
                    node=as_node(h.uri, p, base),
                    kind=h.kind,
                    label=h.label,
                    score=h.score,
                    snippet=h.snippet,
                )
                for h, p in zip(page.hits, props, strict=True)
            ],
            facets=[
                Facet(
                    dimension=name,
                    values=[
                        FacetValue(value=str(v.value), label=None, count=v.count) for v in values
                    ],
                )
                for name, values in page.facets.items()
            ],
            end_cursor=page.end_cursor,
            has_next_page=page.has_next_page,
        )

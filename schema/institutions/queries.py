"""Root fields of the institutions domain."""

from __future__ import annotations

import strawberry

from kg.store import Param
from kg.terms import Lit, text_of
from schema.context import Info
from schema.errors import NotFound
from schema.institutions.types import Institution
from schema.relay import Connection, Edge, PageInfo, decode_cursor, encode_cursor, page_size


@strawberry.type
class InstitutionQuery:
    @strawberry.field
    async def institution(self, info: Info, id: str) -> Institution:
        """A member by its URI or roster code (JXUFE)."""
        uri = id if "/" in id else info.context.ids.institution(id)
        props = await info.context.describe.load(uri)
        if not props:
            raise NotFound(f"No institution {id!r}: pass a roster code or an org URI")
        return Institution(id=strawberry.ID(uri), props=props)

    @strawberry.field
    async def institutions(
        self,
        info: Info,
        alliance: str | None = None,
        tier: str | None = None,
        kind: str | None = None,
        city: str | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[Institution]:
        """Members, by alliance code, tier, kind and city (each optional), by code."""
        filters: dict[str, Param] = {
            "alliances": [Lit(alliance)] if alliance else [],
            "tiers": [Lit(tier)] if tier else [],
            "kinds": [Lit(kind)] if kind else [],
            "cities": [Lit(city, "zh-Hans")] if city else [],
        }
        limit = page_size(first)
        last = decode_cursor(after, 1)[0] if after else ""
        rows = info.context.select("institutions_list", **filters, after=Lit(last), limit=limit + 1)
        # the roster is small: its total is the unpaged list's length (one more round-trip)
        total = len(
            info.context.select("institutions_list", **filters, after=Lit(""), limit=10_000)
        )
        page = rows[:limit]
        ids = [str(r["institution"]) for r in page]
        props = await info.context.describe_many(ids)
        edges = [
            Edge(
                node=Institution(id=strawberry.ID(i), props=p),
                cursor=encode_cursor(text_of(r["code"])),
            )
            for i, p, r in zip(ids, props, page, strict=True)
        ]
        return Connection(
            total_count=total,
            edges=edges,
            page_info=PageInfo(
                has_next_page=len(rows) > limit, end_cursor=edges[-1].cursor if edges else None
            ),
        )

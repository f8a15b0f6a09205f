"""Root fields of the institutions domain."""

from __future__ import annotations

import strawberry

from kg.terms import Lit
from schema.context import Info
from schema.errors import NotFound
from schema.institutions.types import Institution


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
    ) -> list[Institution]:
        """Members, by alliance code, tier, kind and city (each optional), by code."""
        rows = info.context.select(
            "institutions_list",
            alliances=[Lit(alliance)] if alliance else [],
            tiers=[Lit(tier)] if tier else [],
            kinds=[Lit(kind)] if kind else [],
            cities=[Lit(city, "zh-Hans")] if city else [],
        )
        ids = [str(r["institution"]) for r in rows]
        props = await info.context.describe_many(ids)
        return [Institution(id=strawberry.ID(i), props=p) for i, p in zip(ids, props, strict=True)]

"""Root fields of the themes domain."""

from __future__ import annotations

import strawberry

from kg.themes import theme_uri
from schema.common import described
from schema.context import Info
from schema.errors import NotFound
from schema.relay import Connection, paged
from schema.themes.types import Theme


@strawberry.type
class ThemeQuery:
    @strawberry.field
    async def theme(self, info: Info, id: str) -> Theme:
        """A theme by its URI or its key (poyang-lake-ecology)."""
        uri = id if "/" in id else theme_uri(info.context.ids, id)
        props = await info.context.describe.load(uri)
        if not props:
            raise NotFound(f"No theme {id!r}: `kg load themes FILE` defines themes")
        return Theme(id=strawberry.ID(uri), props=props)

    @strawberry.field
    async def themes(
        self, info: Info, first: int = 50, after: str | None = None
    ) -> Connection[Theme]:
        """The top-level themes (each with its subthemes), by key."""
        rows = info.context.select("top_themes", scheme=info.context.ids.scheme("themes"))
        ids = [str(r["theme"]) for r in rows]
        return await paged(ids, first, after, str, lambda page: described(info, Theme, page))

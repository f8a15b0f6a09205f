"""Root fields of the places domain."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.errors import NotFound
from schema.places.types import Place


@strawberry.type
class PlaceQuery:
    @strawberry.field
    async def place(self, info: Info, id: str) -> Place:
        """A gazetteer place by its URI or gazetteer id (poyang-lake)."""
        uri = id if "/" in id else f"{info.context.ids.base}place/{id}"
        props = await info.context.describe.load(uri)
        if not props:
            raise NotFound(f"No place {id!r} in the gazetteer")
        return Place(id=strawberry.ID(uri), props=props)

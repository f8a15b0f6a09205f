"""Places of the regional gazetteer (schema:Place, skos:Concept in the places scheme)."""

from __future__ import annotations

import strawberry

from kg.vocab import SKOS
from schema.common import LangString, Node, described, iris, label, texts
from schema.context import Info, Props
from schema.relay import Connection, paged


@strawberry.type
class Place(Node):
    """A province, city, county, lake or zone of the gazetteer."""

    id: strawberry.ID
    props: strawberry.Private[Props]

    @strawberry.field
    def label(self) -> str | None:
        """Its name, Chinese first."""
        return label(self.props)

    @strawberry.field
    def labels(self) -> list[LangString]:
        """Its names: simplified, traditional, pinyin, English."""
        return texts(self.props, SKOS.prefLabel, SKOS.altLabel)

    @strawberry.field
    async def broader(self, info: Info) -> Place | None:
        """The place it lies in."""
        found = iris(self.props, SKOS.broader)
        if not found:
            return None
        return Place(id=strawberry.ID(found[0]), props=await info.context.describe.load(found[0]))

    @strawberry.field
    async def narrower(
        self, info: Info, first: int = 50, after: str | None = None
    ) -> Connection[Place]:
        """The places that lie in it (skos:broader pointing at it), by IRI."""
        ids = await info.context.incoming(SKOS.broader).load(str(self.id))
        return await paged(ids, first, after, str, lambda page: described(info, Place, page))

    @strawberry.field
    async def work_count(self, info: Info) -> int:
        """Works about it or a place within it (precomputed roll-up)."""
        return int(await info.context.counts.load((str(self.id), "rollup")))

"""Agents: persons, organisations, meetings and families (bf:Agent, MARC 1XX/7XX)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from kg.vocab import BF, RDFS
from schema.common import LangString, Node, label, texts, types
from schema.context import Info, Props

if TYPE_CHECKING:
    from schema.works.types import Work

WorkT = Annotated["Work", strawberry.lazy("schema.works.types")]


@strawberry.type
class Agent(Node):
    """A person or organisation that contributed to works."""

    id: strawberry.ID
    props: strawberry.Private[Props]

    @strawberry.field
    def label(self) -> str | None:
        """Its name as a portal shows it."""
        return label(self.props, RDFS.label)

    @strawberry.field
    def names(self) -> list[LangString]:
        """Every form of its name catalogued (and its vernacular form, 880)."""
        return texts(self.props, RDFS.label)

    @strawberry.field
    def kind(self) -> str | None:
        """Person | Organization | Meeting | Family (bf:Agent subclasses)."""
        kinds = sorted(
            t.rsplit("/", 1)[-1]
            for t in types(self.props)
            if t != BF.Agent and t.startswith(BF.term(""))
        )
        return kinds[0] if kinds else None

    @strawberry.field
    async def works(self, info: Info, first: int = 20) -> list[WorkT]:
        """Works it contributed to (bounded, by IRI)."""
        from schema.relay import page_size  # noqa: PLC0415
        from schema.works.types import Work  # noqa: PLC0415

        rows = info.context.select("agent_works", agent=str(self.id), limit=page_size(first))
        ids = [str(r["work"]) for r in rows]
        props = await info.context.describe_many(ids)
        return [Work(id=strawberry.ID(i), props=p) for i, p in zip(ids, props, strict=True)]

"""Agents: persons, organisations, meetings and families (bf:Agent, MARC 1XX/7XX)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from kg.terms import Lit
from kg.vocab import BF, RDFS
from schema.common import LangString, Node, label, texts, types
from schema.context import Info, Props
from schema.relay import Connection, Edge, PageInfo, decode_cursor, encode_cursor, page_size

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
    async def works(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[WorkT]:
        """Works it contributed to, by IRI, paged (``totalCount``: its direct count)."""
        from schema.works.types import Work  # noqa: PLC0415

        limit = page_size(first)
        last = decode_cursor(after, 1)[0] if after else ""
        rows = info.context.select(
            "agent_works", agent=str(self.id), after=Lit(last), limit=limit + 1
        )
        ids = [str(r["work"]) for r in rows[:limit]]
        edges = [Edge(node=Work(id=strawberry.ID(i)), cursor=encode_cursor(i)) for i in ids]
        total = len(ids) if not after and len(rows) <= limit else await self._count(info)
        return Connection(
            total_count=total,
            edges=edges,
            page_info=PageInfo(
                has_next_page=len(rows) > limit, end_cursor=edges[-1].cursor if edges else None
            ),
        )

    async def _count(self, info: Info) -> int:
        rows = info.context.select(
            "agent_works", agent=str(self.id), after=Lit(""), limit=1_000_000
        )
        return len(rows)

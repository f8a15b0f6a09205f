"""Member institutions and alliances (W3C ORG: org:Organization, org:Membership)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Annotated

import strawberry

from kg.store import Row
from kg.terms import Lit, text_of
from kg.vocab import ORG, SCHEMA, SKOS
from schema.common import LangString, Node, label, literal, texts
from schema.context import Info, Props
from schema.relay import Connection, paged

if TYPE_CHECKING:
    from schema.subjects.types import Class

ClassT = Annotated["Class", strawberry.lazy("schema.subjects.types")]


@strawberry.type
class Membership:
    """A member's place in an alliance: its tier (org:role) and when it joined."""

    alliance: str
    tier: str | None
    joined: str | None


@strawberry.type
class ClassShare:
    """How much of the union catalogue's works under a top-level class a member holds."""

    class_: ClassT = strawberry.field(name="class")
    works: int
    of: int
    share: float


@strawberry.type
class Institution(Node):
    """A member library (or an alliance) of the roster."""

    id: strawberry.ID
    props: strawberry.Private[Props]

    @strawberry.field
    def code(self) -> str | None:
        """Its roster code (skos:notation), e.g. JXUFE."""
        return literal(self.props, SKOS.notation)

    @strawberry.field
    def name(self) -> str | None:
        """Its name, Chinese first."""
        return label(self.props)

    @strawberry.field
    def names(self) -> list[LangString]:
        """Every name, with its language."""
        return texts(self.props, SKOS.prefLabel, SKOS.altLabel)

    @strawberry.field
    def kind(self) -> str | None:
        """university | public | research | hospital | … (org:classification)."""
        return literal(self.props, ORG.classification)

    @strawberry.field
    def city(self) -> str | None:
        """Its city (schema:addressLocality)."""
        return city_of(self.props)

    @strawberry.field
    async def memberships(self, info: Info) -> list[Membership]:
        """Its alliances, with tier and join date."""
        rows = await info.context.memberships.load(str(self.id))
        return [_membership(r) for r in rows]

    @strawberry.field
    async def holdings_count(self, info: Info) -> int:
        """Works of the union catalogue it holds an item of (precomputed)."""
        key = (info.context.ids.catalogue(), "institution", str(self.id))
        return int(await info.context.counts.load(key))

    @strawberry.field
    async def strongest_classes(
        self, info: Info, first: int = 5, after: str | None = None
    ) -> Connection[ClassShare]:
        """Top-level classes by the share of the union catalogue's works it holds."""
        from schema.subjects.types import Class  # noqa: PLC0415

        rows = info.context.select(
            "institution_class_shares",
            institution=str(self.id),
            classes=Lit(f"{info.context.ids.base}class/"),
        )
        shares = [
            (str(r["class"]), int(text_of(r["held"])), int(text_of(r["total"]))) for r in rows
        ]
        shares.sort(key=lambda s: (-s[1] / s[2], s[0]))

        async def build(page: list[tuple[str, int, int]]) -> list[ClassShare]:
            props = await info.context.labels.load_many([c for c, _, _ in page])
            return [
                ClassShare(
                    class_=Class(id=strawberry.ID(c), props=p), works=h, of=t, share=round(h / t, 4)
                )
                for (c, h, t), p in zip(page, props, strict=True)
            ]

        return await paged(shares, first, after, lambda s: s[0], build)


def city_of(props: Props) -> str | None:
    """The city an institution is in."""
    return literal(props, SCHEMA.addressLocality)


async def tiers_of(info: Info, members: list[str]) -> dict[str, list[str]]:
    """Each member's tiers (over its alliances), one round-trip."""
    out: dict[str, list[str]] = defaultdict(list)
    for member, rows in zip(
        members, await info.context.memberships.load_many(members), strict=True
    ):
        out[member] += [text_of(r["tier"]) for r in rows if "tier" in r]
    return out


def _membership(row: Row) -> Membership:
    tier, joined = row.get("tier"), row.get("joined")
    return Membership(
        alliance=text_of(row["code"]),
        tier=text_of(tier) if isinstance(tier, Lit) else None,
        joined=text_of(joined) if isinstance(joined, Lit) else None,
    )

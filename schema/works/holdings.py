"""Who holds a work: every member with an item, in the order the alliance lends."""

from __future__ import annotations

from collections import defaultdict

import strawberry

from schema.common import literal
from schema.context import Held, Info
from schema.works.types import Holding

TIER_ORDER = ("core", "founder", "central", "close", "member", "service", "branch")
"""Interlibrary loan asks core members first, then close ones, then service points."""


async def holdings_of(info: Info, items: list[Held], near: str | None) -> list[Holding]:
    """The holdings of (instance, item, member) rows, one per member, in loan order."""
    from schema.institutions.types import Institution, city_of, tiers_of  # noqa: PLC0415

    ctx = info.context
    by_member: dict[str, set[str]] = defaultdict(set)
    held: dict[str, set[str]] = defaultdict(set)
    for instance, item, member in items:
        by_member[member].add(item)
        held[member].add(instance)
    members = sorted(by_member)
    member_props = await ctx.describe_many(members)
    tiers = await tiers_of(info, members)
    here = None
    if near:
        near_id = ctx.ids.institution(near)
        here = city_of(await ctx.describe.load(near_id))
    rows = []
    for member, props in zip(members, member_props, strict=True):
        tier = _best(tiers.get(member, []))
        code = literal(props, "http://www.w3.org/2004/02/skos/core#notation") or member
        same_city = here is not None and city_of(props) == here
        rank = (
            TIER_ORDER.index(tier) if tier in TIER_ORDER else len(TIER_ORDER),
            not same_city,
            code,
        )
        holding = Holding(
            institution=Institution(id=strawberry.ID(member), props=props),
            tier=tier,
            items=len(by_member[member]),
            instances=sorted(held[member]),
        )
        rows.append((rank, holding))
    return [h for _, h in sorted(rows, key=lambda r: r[0])]


def _best(tiers: list[str]) -> str | None:
    ranked = sorted(tiers, key=lambda t: TIER_ORDER.index(t) if t in TIER_ORDER else 99)
    return ranked[0] if ranked else None

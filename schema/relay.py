"""Relay-style connections: cursors, page arguments and their limits.

A cursor is opaque to clients (URL-safe base64 of a JSON list) and stable: it names
the last row seen (its sort value and IRI), never an offset, so a page does not shift
when works are added before it.

>>> decode_cursor(encode_cursor("dong fang", "http://x/work/1"))
['dong fang', 'http://x/work/1']
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Generic, TypeVar

import strawberry

from schema.errors import BadArgument

MAX_PAGE = 100
"""The largest ``first`` a list accepts (a cap on the cost of one query)."""

T = TypeVar("T")


@strawberry.type
class PageInfo:
    """Where a page is in its list (Relay cursor connections specification)."""

    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    """One row of a connection with its cursor."""

    node: T
    cursor: str


@strawberry.type
class Connection(Generic[T]):
    """A page of a list; ``totalCount`` is the whole list's size (precomputed counts)."""

    total_count: int
    edges: list[Edge[T]]
    page_info: PageInfo

    @strawberry.field
    def nodes(self) -> list[T]:
        """The page's nodes without their cursors."""
        return [edge.node for edge in self.edges]


def encode_cursor(*parts: str) -> str:
    """An opaque cursor naming a row by its sort value(s) and IRI."""
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, size: int = 2) -> list[str]:
    """The parts of a cursor made by :func:`encode_cursor`.

    :raises BadArgument: for anything else.
    """
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        parts = json.loads(raw)
    except (binascii.Error, ValueError):
        parts = None
    if (
        not isinstance(parts, list)
        or len(parts) != size
        or not all(isinstance(p, str) for p in parts)
    ):
        raise BadArgument(f"Invalid cursor {cursor!r}: pass the endCursor of an earlier page")
    return parts


def page_size(first: int) -> int:
    """``first``, checked against :data:`MAX_PAGE`.

    :raises BadArgument: below 0 or above the cap.
    """
    if first < 0 or first > MAX_PAGE:
        raise BadArgument(f"first must be between 0 and {MAX_PAGE}, not {first}")
    return first

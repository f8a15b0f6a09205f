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
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

import strawberry

from schema.errors import BadArgument

MAX_PAGE = 100
"""The largest ``first`` a list accepts (a cap on the cost of one query)."""

T = TypeVar("T")
R = TypeVar("R")


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


async def paged(
    rows: Sequence[R],
    first: int,
    after: str | None,
    key: Callable[[R], str],
    build: Callable[[list[R]], Awaitable[list[T]]],
) -> Connection[T]:
    """A page of a list the store gave whole (a class's narrower classes, a work's
    holdings, at most a few hundred rows), as a connection.

    The cursor names a row by ``key`` (its IRI, unique in the list; a repeated key is
    numbered), so a page does not shift when rows are added before it; ``build`` makes
    the page's nodes only (its DataLoaders describe 20 rows, not the whole list), and
    ``totalCount`` is the list's length, which the one store call returned anyway.

    :raises BadArgument: for a bad ``first``, or a cursor naming no row of the list.

    >>> import asyncio
    >>> one = asyncio.run(paged(["a", "b", "a"], 2, None, str, as_is))
    >>> [e.node for e in one.edges], one.total_count, one.page_info.has_next_page
    (['a', 'b'], 3, True)
    >>> two = asyncio.run(paged(["a", "b", "a"], 2, one.page_info.end_cursor, str, as_is))
    >>> [e.node for e in two.edges], decode_cursor(two.edges[0].cursor, 1)
    (['a'], ['a#2'])
    >>> asyncio.run(paged(["c"], 2, one.page_info.end_cursor, str, as_is))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    schema.errors.BadArgument: Cursor 'WyJiIl0' names no row of this list ...: start again ...
    """
    size = page_size(first)
    keys = _unique([key(r) for r in rows])
    start = 0
    if after is not None:
        last = decode_cursor(after, 1)[0]
        try:
            start = keys.index(last) + 1
        except ValueError:
            raise BadArgument(
                f"Cursor {after!r} names no row of this list (it changed or the cursor is "
                "another list's): start again from the first page"
            ) from None
    page = list(rows[start : start + size])
    nodes = await build(page)
    edges = [
        Edge(node=n, cursor=encode_cursor(k))
        for n, k in zip(nodes, keys[start : start + size], strict=True)
    ]
    return Connection(
        total_count=len(rows),
        edges=edges,
        page_info=PageInfo(
            has_next_page=start + size < len(rows),
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )


async def as_is(rows: list[R]) -> list[R]:
    """For :func:`paged`: the page's rows are its nodes."""
    return rows


def _unique(keys: list[str]) -> list[str]:
    """The keys, a repeated one numbered (``k``, ``k#2``), so each names one row."""
    seen: dict[str, int] = {}
    out = []
    for k in keys:
        seen[k] = seen.get(k, 0) + 1
        out.append(k if seen[k] == 1 else f"{k}#{seen[k]}")
    return out

"""GraphQL errors a client can act on: what was wrong, the value, the fix."""

from __future__ import annotations

from graphql import GraphQLError


class BadArgument(GraphQLError):
    """An argument that cannot be used (a bad id, cursor, page size or filter value)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": "BAD_ARGUMENT"})


class NotFound(GraphQLError):
    """An id that names nothing in the graph."""

    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": "NOT_FOUND"})

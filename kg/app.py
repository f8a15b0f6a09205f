"""The web service: GraphQL (with GraphiQL) at ``/graphql`` and a health report at
``/health`` (the store's state and its works, from the stored counts), over one store
(Starlette, served by uvicorn: ``kg serve``).

Errors have one shape (:func:`error_body`): a store that is unavailable answers 503
with a message, never a trace.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from kg.ids import Minter
from kg.store import Store, StoreError, StoreUnavailable
from kg.terms import Lit, text_of
from kg.web import linked_data_routes
from schema import schema
from schema.context import Context

if False:  # pragma: no cover - typing only
    from kg.search import SearchIndex


def error_body(status: int, message: str) -> dict[str, Any]:
    """The JSON body of every error response."""
    return {"status": status, "error": message}


class _GraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI app with our request context and store errors as 503."""

    def __init__(self, store: Store, ids: Minter, search: SearchIndex | None) -> None:
        super().__init__(schema, graphql_ide="graphiql")
        self.store, self.ids, self.search = store, ids, search

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        return Context(self.store, self.ids, self.search, response=response)

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        data: GraphQLHTTPResponse = {"data": result.data}
        if result.errors:
            data["errors"] = [_error(e) for e in result.errors]
        return data


def _error(error: Any) -> dict[str, Any]:
    original = getattr(error, "original_error", None)
    if isinstance(original, StoreError):
        message = f"The store could not answer: {original}"
        code = "STORE_UNAVAILABLE" if isinstance(original, StoreUnavailable) else "STORE_ERROR"
        return {"message": message, "path": error.path, "extensions": {"code": code}}
    return error.formatted  # type: ignore[no-any-return]


def create_app(store: Store, ids: Minter, search: SearchIndex | None = None) -> Starlette:
    """The service over ``store``: ``/graphql`` and ``/health``."""
    graphql = _GraphQL(store, ids, search)
    catalogue = ids.catalogue()

    async def health(request: Request) -> JSONResponse:
        # the catalogue's stored rollup count (kg.counts), one keyed lookup: a health check
        # must not count (the ``totals`` query took minutes at 1M works, and a poller's
        # retries queued more of them)
        try:
            rows = store.select("counts_of", scopes=[catalogue], dimension=Lit("rollup"))
        except StoreError as exc:
            body = error_body(503, f"The store is unavailable: {exc}")
            return JSONResponse({**body, "store": {"ok": False}}, status_code=503)
        return JSONResponse(
            {
                "status": "ok",
                "store": {
                    "ok": True,
                    "backend": type(store).__name__,
                    "path": str(store.path) if store.path else None,
                    "works": int(text_of(rows[0]["works"])) if rows else 0,
                },
                "search": {
                    "ok": search is not None,
                    "entries": len(search) if search else 0,
                    # "rebuild": complete; another value: partial, and why (mark_built)
                    "built": search.built if search else None,
                },
                "base": ids.base,
            }
        )

    routes = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        Route("/health", health),
    ]
    # linked-data publishing (issue 7): entity URIs, /sparql, dumps, VoID, /changes
    return Starlette(routes=[*routes, *linked_data_routes(store, ids)])

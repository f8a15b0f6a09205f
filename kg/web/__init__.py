"""Linked-data publishing (issue 7): dereferenceable URIs, ``/sparql``, dumps, VoID and the
change feed, as Starlette routes that :func:`kg.app.create_app` mounts.

Every route is placed under the path of the base URIs are minted under (``KG_BASE``): with
``http://localhost:8000/`` a work ``http://localhost:8000/work/…`` is served at ``/work/…``;
with ``https://data.example.org/kg/`` at ``/kg/work/…``. VoID is also at the server's
``/.well-known/void`` (RFC 8615). See docs/publishing.md.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import anyio
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from kg.config import ConfigError
from kg.export import dump_dir
from kg.ids import Minter
from kg.store import Store, StoreError
from kg.web import changes as feed
from kg.web import describe as desc
from kg.web.dumps import Dumps
from kg.web.html import render
from kg.web.negotiation import HTML, RDF_TYPES, SUFFIXES, choose, error, not_acceptable
from kg.web.sparql import SparqlEndpoint
from kg.web.void import DEFAULT_LICENSE, VoidDescription

ENTITY_PATHS = (
    "work", "instance", "item", "agent", "concept", "class", "scheme", "org", "run",
    "source", "record", "theme", "place", "count", "graph",
)  # fmt: skip
"""The first path segments of minted URIs (kg.ids.Minter), each served by :class:`Entities`;
``{base}catalogue`` is served too."""

ENTITY_TYPES = (*RDF_TYPES, HTML)
MAX_PAGE = 1000


@dataclass(frozen=True, slots=True)
class WebSettings:
    """Settings of the publishing routes, from ``KG_*`` environment variables."""

    sparql_timeout: float = 30.0
    sparql_limit: int = 10_000
    dump_dir: Path | None = None
    license: str = DEFAULT_LICENSE

    @classmethod
    def from_env(cls, store: Store, env: Mapping[str, str] | None = None) -> WebSettings:
        """``KG_SPARQL_TIMEOUT`` (seconds), ``KG_SPARQL_LIMIT`` (rows), ``KG_DUMP_DIR``,
        ``KG_LICENSE`` (an IRI).

        :raises ConfigError: for a value that is not a positive number.
        """
        env = os.environ if env is None else env
        return cls(
            sparql_timeout=_positive(env, "KG_SPARQL_TIMEOUT", 30.0, float),
            sparql_limit=int(_positive(env, "KG_SPARQL_LIMIT", 10_000, int)),
            dump_dir=dump_dir(store, dict(env)),
            license=env.get("KG_LICENSE") or DEFAULT_LICENSE,
        )


def _positive(env: Mapping[str, str], key: str, default: float, cast: type) -> float:
    raw = env.get(key)
    if not raw:
        return default
    try:
        value = float(cast(raw))
    except ValueError:
        value = -1.0
    if value <= 0:
        raise ConfigError(f"Config {key!r} has value {raw!r}. Not a positive {cast.__name__}.")
    return value


def base_path(ids: Minter) -> str:
    """The URL path of the base URIs are minted under, ending with ``/``.

    >>> base_path(Minter("https://data.example.org/kg"))
    '/kg/'
    """
    path = urlparse(ids.base).path or "/"
    return path if path.endswith("/") else path + "/"


class Entities:
    """Dereferences minted URIs with content negotiation (RFC 9110 section 12)."""

    def __init__(self, store: Store, ids: Minter) -> None:
        self.store, self.ids, self.path = store, ids, base_path(ids)

    async def respond(self, request: Request) -> Response:
        """The description of the URI the request path names, in the format asked for."""
        raw = request.scope.get("raw_path") or request.url.path.encode("utf-8")
        path = raw.decode("utf-8", "replace").split("?")[0]
        local = path[len(self.path) :] if path.startswith(self.path) else path.lstrip("/")
        accept = request.headers.get("accept")
        suffix = next((s for s in SUFFIXES if local.endswith(s)), None)
        if suffix:
            local, media_type = local[: -len(suffix)], SUFFIXES[suffix]
        else:
            media_type = choose(accept, ENTITY_TYPES) or ""
        if not media_type:
            return not_acceptable(accept, ENTITY_TYPES)
        uri = self.ids.base + local
        try:
            body = await anyio.to_thread.run_sync(self._body, uri, media_type, request)
        except StoreError as exc:
            return error(503, f"The store could not answer: {exc}")
        if body is None:
            return error(404, f"Nothing is known about {uri}")
        headers = {"Vary": "Accept", "Access-Control-Allow-Origin": "*"}
        charset = "; charset=utf-8" if media_type in (HTML, "text/turtle") else ""
        return Response(body, headers=headers, media_type=media_type + charset)

    def _body(self, uri: str, media_type: str, request: Request) -> bytes | None:
        found = desc.describe(self.store, uri, self.ids.base)
        if not found.found:
            return None
        if media_type == HTML:
            return render(self.store, found, self.ids.base, self.path).encode("utf-8")
        return desc.serialize(found.triples(), media_type, f"{self.ids.base}context.jsonld")


def linked_data_routes(
    store: Store, ids: Minter, settings: WebSettings | None = None
) -> list[BaseRoute]:
    """The publishing routes over ``store``, under the base's path."""
    settings = settings or WebSettings.from_env(store)
    bp = base_path(ids)
    entities = Entities(store, ids)
    sparql = SparqlEndpoint(store, settings.sparql_timeout, settings.sparql_limit)
    dumps = Dumps(settings.dump_dir, f"{bp}dumps/")
    void = VoidDescription(store, ids, settings.license)

    async def context(request: Request) -> Response:
        return FileResponse(
            desc.CONTEXT,
            media_type="application/ld+json",
            headers={"Access-Control-Allow-Origin": "*"},
        )

    async def void_page(request: Request) -> Response:
        accept = request.headers.get("accept")
        media_type = choose(accept, RDF_TYPES)
        if media_type is None:
            return not_acceptable(accept, RDF_TYPES)
        try:
            triples = await anyio.to_thread.run_sync(
                void.triples, settings.dump_dir, f"{ids.base}dumps/"
            )
        except StoreError as exc:
            return error(503, f"The store could not answer: {exc}")
        body = desc.serialize(triples, media_type, f"{ids.base}context.jsonld")
        return Response(body, media_type=media_type, headers={"Vary": "Accept"})

    async def changes(request: Request) -> Response:
        try:
            cursor = feed.Cursor.parse(request.query_params.get("since"))
            limit = int(request.query_params.get("limit", "100"))
        except (feed.BadSince, ValueError) as exc:
            return error(400, str(exc))
        if not 1 <= limit <= MAX_PAGE:
            return error(400, f"limit={limit} is out of range: give 1 to {MAX_PAGE}")
        try:
            page, nxt, more = await anyio.to_thread.run_sync(
                feed.changes, store, ids, cursor, limit
            )
        except StoreError as exc:
            return error(503, f"The store could not answer: {exc}")
        body = {"since": cursor.time, "changes": feed.as_json(page), "next": nxt.token()}
        return JSONResponse({**body, "more": more})

    routes: list[BaseRoute] = [
        Route(f"{bp}context.jsonld", context),
        Route(f"{bp}sparql", sparql.respond, methods=["GET", "POST"]),
        Route(f"{bp}dumps/", dumps.index),
        Route(f"{bp}dumps/{{name}}", dumps.download),
        Route(f"{bp}changes", changes),
        Route("/.well-known/void", void_page),
        Route(f"{bp}catalogue{{suffix:path}}", entities.respond),
    ]
    if bp != "/":
        routes.append(Route(f"{bp}.well-known/void", void_page))
    routes += [Route(f"{bp}{kind}/{{rest:path}}", entities.respond) for kind in ENTITY_PATHS]
    return routes

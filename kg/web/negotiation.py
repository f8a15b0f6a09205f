"""Proactive content negotiation (RFC 9110 section 12.5.1, ``Accept``) and format suffixes.

>>> choose("text/html;q=0.9, text/turtle", RDF_TYPES)
'text/turtle'
>>> choose("application/*", RDF_TYPES)
'application/ld+json'
>>> choose("image/png", RDF_TYPES) is None
True
>>> choose(None, RDF_TYPES)
'text/turtle'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.responses import JSONResponse

TURTLE = "text/turtle"
JSON_LD = "application/ld+json"
N_TRIPLES = "application/n-triples"
RDF_XML = "application/rdf+xml"
HTML = "text/html"

RDF_TYPES: tuple[str, ...] = (TURTLE, JSON_LD, N_TRIPLES, RDF_XML)
"""The RDF media types every description is offered in, in the server's order of preference
(the first wins a tie, and answers a request without ``Accept``)."""

SUFFIXES: dict[str, str] = {
    ".ttl": TURTLE,
    ".jsonld": JSON_LD,
    ".nt": N_TRIPLES,
    ".rdf": RDF_XML,
    ".html": HTML,
}
"""A format suffix on an entity URI path picks the format without negotiation."""

ALIASES: dict[str, str] = {"application/json": JSON_LD, "text/plain": N_TRIPLES}
"""Media types a client may ask for that name one of ours (served as the latter)."""


def _ranges(accept: str) -> list[tuple[str, float]]:
    """The media ranges of an ``Accept`` value with their weights (``q``, default 1)."""
    out: list[tuple[str, float]] = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        out.append((fields[0].lower(), q))
    return out


def _weight(media_type: str, ranges: list[tuple[str, float]], aliases: dict[str, str]) -> float:
    """The weight the most specific matching range gives ``media_type`` (0: not acceptable)."""
    main = media_type.split("/", maxsplit=1)[0]
    best, specificity = 0.0, -1
    for rng, q in ranges:
        if rng == media_type or aliases.get(rng) == media_type:
            level = 2
        elif rng == f"{main}/*":
            level = 1
        elif rng == "*/*":
            level = 0
        else:
            continue
        if level > specificity:
            best, specificity = q, level
    return best


def choose(
    accept: str | None, offered: Sequence[str], aliases: dict[str, str] | None = None
) -> str | None:
    """The offered media type the client prefers, or ``None`` when none is acceptable (406).

    A missing or empty ``Accept`` accepts anything: the first offered type answers.
    """
    if not accept or not accept.strip():
        return offered[0]
    ranges = _ranges(accept)
    aliases = ALIASES if aliases is None else aliases
    weights = [(_weight(t, ranges, aliases), -i, t) for i, t in enumerate(offered)]
    q, _, media_type = max(weights)
    return media_type if q > 0 else None


def error(status: int, message: str, **extra: Any) -> JSONResponse:
    """An error in the service's one shape (:func:`kg.app.error_body`)."""
    from kg.app import error_body  # noqa: PLC0415 - kg.app mounts this package's routes

    return JSONResponse({**error_body(status, message), **extra}, status_code=status)


def not_acceptable(accept: str | None, offered: Sequence[str]) -> JSONResponse:
    """406: what was asked for and what can be served (RFC 9110 section 15.5.7)."""
    return error(
        406,
        f"Cannot serve any of Accept: {accept!r}; available: {', '.join(offered)}",
        available=list(offered),
    )

"""``/dumps/``: the exports ``kg export`` wrote into the dumps directory, newest first, with
size and SHA-256 (from each dump's manifest), and ``/dumps/FILE`` to download one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from kg.export import FORMATS, manifest_path
from kg.web.negotiation import error

MEDIA_TYPES = {".nq.gz": "application/n-quads", ".ttl.gz": "text/turtle"}


def listing(folder: Path | None) -> list[dict[str, Any]]:
    """Manifests of the complete dumps in ``folder`` (a dump is complete once renamed)."""
    if folder is None or not folder.is_dir():
        return []
    suffixes = tuple(suffix for _, suffix in FORMATS.values())
    found = []
    for path in folder.iterdir():
        meta = manifest_path(path)
        if path.name.endswith(suffixes) and meta.is_file():
            found.append(json.loads(meta.read_text(encoding="utf-8")))
    return sorted(found, key=lambda m: (m["created"], m["file"]), reverse=True)


def latest(folder: Path | None, scope: str = "all") -> dict[str, Any] | None:
    """The newest dump of ``scope`` (the whole graph by default)."""
    return next((m for m in listing(folder) if m["scope"] == scope), None)


class Dumps:
    """The two endpoints over one dumps directory; ``prefix`` is the URL path of /dumps/."""

    def __init__(self, folder: Path | None, prefix: str) -> None:
        self.folder, self.prefix = folder, prefix

    async def index(self, request: Request) -> JSONResponse:
        """The listing, newest first, each with its download URL."""
        dumps = [{**m, "url": f"{self.prefix}{m['file']}"} for m in listing(self.folder)]
        return JSONResponse({"dumps": dumps, "latest": dumps[0]["url"] if dumps else None})

    async def download(self, request: Request) -> Response:
        """One dump, as gzip-encoded N-Quads or Turtle (HTTP range requests work)."""
        name = request.path_params["name"]
        known = {m["file"]: m for m in listing(self.folder)}
        if self.folder is None or name not in known:
            return error(404, f"No dump named {name!r}; see {self.prefix} for the list")
        suffix = next(s for s in MEDIA_TYPES if name.endswith(s))
        return FileResponse(
            self.folder / name,
            media_type=MEDIA_TYPES[suffix],
            filename=name,
            headers={"X-Checksum-Sha256": known[name]["sha256"]},
        )

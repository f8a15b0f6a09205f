"""Store backends, chosen by the store URL's scheme (one map, imported lazily).

>>> sorted(SUPPORTED_BACKENDS)
['bolt', 'bolt+s', 'file', 'memory', 'neo4j', 'neo4j+s', 'oxigraph']
"""

from __future__ import annotations

import importlib
from pathlib import Path
from urllib.parse import urlparse

from kg.store import Store, StoreError

SUPPORTED_BACKENDS: dict[str, str] = {
    "oxigraph": "kg.backends.oxigraph:OxigraphStore",
    "file": "kg.backends.oxigraph:OxigraphStore",
    "memory": "kg.backends.oxigraph:OxigraphStore",
    "bolt": "kg.backends.neo4j:Neo4jStore",
    "bolt+s": "kg.backends.neo4j:Neo4jStore",
    "neo4j": "kg.backends.neo4j:Neo4jStore",
    "neo4j+s": "kg.backends.neo4j:Neo4jStore",
}
SERVERS = {"bolt", "bolt+s", "neo4j", "neo4j+s"}
"""Schemes whose backend takes the whole URL (a server, not a path)."""


def open_store(url: str) -> Store:
    """Open the store named by ``url``: a path or ``oxigraph:PATH`` (embedded), ``memory:``,
    or a Neo4j server, ``bolt://HOST:PORT`` (credentials from the environment: kg.backends.neo4j).

    :raises StoreError: for a scheme no backend serves.
    """
    parsed = urlparse(url)
    scheme = parsed.scheme if len(parsed.scheme) > 1 else "file"  # C:\ is a path
    if scheme not in SUPPORTED_BACKENDS:
        raise StoreError(
            f"Store URL {url!r} has scheme {scheme!r}, which no backend serves; "
            f"use one of {', '.join(s + ':' for s in sorted(SUPPORTED_BACKENDS))} "
            "or a directory path"
        )
    module_name, _, class_name = SUPPORTED_BACKENDS[scheme].partition(":")
    backend = getattr(importlib.import_module(module_name), class_name)
    if scheme in SERVERS:
        return backend(url)  # type: ignore[no-any-return]
    if scheme == "memory":
        return backend(None)  # type: ignore[no-any-return]
    if scheme == "oxigraph":
        path = url.split(":", 1)[1]
    elif url.startswith("file:"):
        path = parsed.path
    else:
        path = url
    return backend(Path(path))  # type: ignore[no-any-return]

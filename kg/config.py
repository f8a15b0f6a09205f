"""Settings, read once from the environment (``KG_*``), with defaults for the embedded store.

>>> Settings.from_env({"KG_STORE": "/tmp/x", "KG_BATCH_SIZE": "200"}).batch_size
200
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


class ConfigError(ValueError):
    """A setting with a value that cannot be used."""


DEFAULT_STORE = "data/store"
DEFAULT_BASE = "http://localhost:8000/"


def _int(env: Mapping[str, str], key: str, default: int) -> int:
    raw = env.get(key)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"Config {key!r} has value {raw!r}. Not a valid int.") from None


@dataclass(frozen=True, slots=True)
class Settings:
    """Where the graph lives and how URIs are minted."""

    store: str = DEFAULT_STORE
    base: str = DEFAULT_BASE
    batch_size: int = 500

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``KG_STORE``, ``KG_BASE``, ``KG_BATCH_SIZE``."""
        env = os.environ if env is None else env
        return cls(
            store=env.get("KG_STORE") or DEFAULT_STORE,
            base=env.get("KG_BASE") or DEFAULT_BASE,
            batch_size=_int(env, "KG_BATCH_SIZE", 500),
        )

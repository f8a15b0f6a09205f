"""Docs and named queries stay in step with the code."""

from __future__ import annotations

import re

import click
import pytest

from kg.backends.oxigraph import OxigraphStore
from kg.store import QUERIES, StoreError, UnknownQuery
from kg_cli import cli
from tests.conftest import ROOT


def commands(group: click.Group, prefix: str = "kg") -> list[str]:
    """Every leaf command of the CLI, as typed (``kg load marc``)."""
    out = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            out += commands(command, f"{prefix} {name}")
        else:
            out.append(f"{prefix} {name}")
    return out


@pytest.mark.parametrize("command", commands(cli))
def test_every_command_is_in_the_readme(command: str) -> None:
    if command == "kg demo":
        return  # the bare `kg` runs it; the README says so
    assert command in (ROOT / "README.md").read_text(encoding="utf-8"), command


@pytest.mark.parametrize("path", sorted((QUERIES / "sparql").glob("*.r[qu]")), ids=str)
def test_every_named_query_parses(path: object) -> None:
    """Each query, its placeholders filled with dummy values, is valid SPARQL."""
    name = path.stem  # type: ignore[attr-defined]
    text = path.read_text(encoding="utf-8")  # type: ignore[attr-defined]
    params: dict[str, object] = {}
    for placeholder in set(re.findall(r"\{\{(\w+)\}\}", text)):
        params[placeholder] = 5 if placeholder == "limit" else ["http://kg.test/x"]
        if placeholder in ("scheme", "graph", "theme", "work"):
            params[placeholder] = "http://kg.test/x"
    store = OxigraphStore(None)
    try:
        if path.suffix == ".rq":  # type: ignore[attr-defined]
            store.select(name, **params)  # type: ignore[arg-type]
        else:
            store.update(name, **params)  # type: ignore[arg-type]
    except UnknownQuery:
        raise
    except StoreError as exc:
        raise AssertionError(f"{path}: {exc}") from exc

"""Checks of a parent hierarchy given by a curator (gazetteer places, themes)."""

from __future__ import annotations

from collections.abc import Mapping


def hierarchy_problem(parents: Mapping[str, str | None]) -> tuple[str, str] | None:
    """The first entry whose parent is unknown or whose chain of parents loops.

    :returns: ``(id, problem)`` for an error message, or None when the hierarchy is sound.

    >>> hierarchy_problem({"a": None, "b": "a"}) is None
    True
    >>> hierarchy_problem({"a": "c"}), hierarchy_problem({"a": "b", "b": "a"})
    (('a', "unknown parent 'c'"), ('a', "parent cycle via 'a'"))
    """
    for item, parent in parents.items():
        if parent and parent not in parents:
            return item, f"unknown parent {parent!r}"
        seen = {item}
        up = parent
        while up:
            if up in seen:
                return item, f"parent cycle via {up!r}"
            seen.add(up)
            up = parents[up]
    return None

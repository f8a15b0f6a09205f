"""``/changes?since=…``: the entities load runs created, changed and deleted since a time or
a token, oldest first, paged — so a portal or another alliance can stay in sync.

A run's changes are listed once its run graph says it ended (``prov:endedAtTime``), all at
that time: the graphs it wrote (``prov:wasGeneratedBy``) name what it created or changed,
the tombstones it wrote (:meth:`kg.union.UnionCatalogue._tombstones`) what it replaced or
deleted. An entity is

* ``created`` when no graph from an earlier run (or from no run: vocabularies, roster) and
  no tombstone names it;
* ``changed`` when one does (a record replaced by a later run; an instance another record
  joined or left);
* ``deleted`` when a tombstone of the run names it and nothing describes it any more.

A page's ``next`` token resumes after its last entry; with no more entries it is the place
to poll from later. A run that did not finish (no end time) is not listed.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from kg.ids import Minter
from kg.store import Store
from kg.terms import Lit
from kg.vocab import XSD

EPOCH = "1970-01-01T00:00:00+00:00"
PRECEDENCE = {"created": 0, "deleted": 1, "changed": 2}


class BadSince(ValueError):
    """A ``since`` that is neither an ISO 8601 time nor a token of this feed."""


@dataclass(frozen=True, slots=True)
class Cursor:
    """A place in the feed: after entity ``id`` of ``run``, which ended at ``time``."""

    time: str
    run: str = ""
    id: str = ""

    def token(self) -> str:
        """The opaque form handed to clients."""
        raw = json.dumps([self.time, self.run, self.id]).encode("utf-8")
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    @classmethod
    def parse(cls, since: str | None) -> Cursor:
        """From ``since``: absent (from the start), an ISO 8601 time, or a token.

        >>> Cursor.parse("2025-01-02T03:04:05Z").time
        '2025-01-02T03:04:05+00:00'
        >>> Cursor.parse(Cursor("2025-01-02T03:04:05+00:00", "r", "e").token()).id
        'e'
        """
        if not since:
            return cls(EPOCH)
        try:
            when = datetime.fromisoformat(since)
        except ValueError:
            pass
        else:
            return cls((when if when.tzinfo else when.replace(tzinfo=UTC)).isoformat())
        try:
            padded = since + "=" * (-len(since) % 4)
            time, run, entity = json.loads(base64.urlsafe_b64decode(padded))
            datetime.fromisoformat(time)
            return cls(str(time), str(run), str(entity))
        except (ValueError, TypeError, binascii.Error):
            raise BadSince(
                f"since={since!r} is neither an ISO 8601 time (2025-01-31T12:00:00Z) nor a "
                "token this feed returned"
            ) from None


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of the feed."""

    id: str
    change: str  # created | changed | deleted
    time: str
    run: str
    graph: str  # the record graph written, or the tombstone graph of a deletion

    def key(self) -> tuple[str, str, str]:
        """The feed's order."""
        return (self.time, self.run, self.id)


def run_changes(store: Store, ids: Minter, run: str, ended: Lit) -> list[Change]:
    """Every entity one run created, changed or deleted, by id."""
    found: dict[str, Change] = {}

    def add(change: Change) -> None:
        old = found.get(change.id)
        if old is None or PRECEDENCE[change.change] > PRECEDENCE[old.change]:
            found[change.id] = change

    for row in store.select("changes_written", run=run, ended=ended, base=Lit(ids.base)):
        kind = "changed" if "existed" in row else "created"
        add(Change(str(row["entity"]), kind, ended.value, run, str(row["g"])))
    for row in store.select("changes_removed", run=run):
        kind = "changed" if "described" in row else "deleted"
        add(Change(str(row["entity"]), kind, ended.value, run, str(row["tomb"])))
    return sorted(found.values(), key=lambda c: c.id)


def changes(
    store: Store, ids: Minter, cursor: Cursor, limit: int
) -> tuple[list[Change], Cursor, bool]:
    """At most ``limit`` changes after ``cursor``, the cursor to continue from, and whether
    more changes follow."""
    since = Lit(cursor.time, None, XSD.dateTime)
    after = (cursor.time, cursor.run, cursor.id)
    page: list[Change] = []
    for row in store.select("changes_runs", since=since):
        ended = row["ended"]
        assert isinstance(ended, Lit)
        page += [
            c for c in run_changes(store, ids, str(row["run"]), ended) if _after(c.key(), after)
        ]
        if len(page) > limit:
            break
    more = len(page) > limit
    page = page[:limit]
    if not page:
        return page, cursor, False
    last = page[-1]
    return page, Cursor(last.time, last.run, last.id), more


def _after(key: tuple[str, str, str], cursor: tuple[str, str, str]) -> bool:
    """Whether ``key`` comes after ``cursor`` (times compared as instants)."""
    t, c = datetime.fromisoformat(key[0]), datetime.fromisoformat(cursor[0])
    if t != c:
        return t > c
    return (key[1], key[2]) > (cursor[1], cursor[2])


def as_json(items: list[Change]) -> list[dict[str, str]]:
    """The entries as JSON objects."""
    return [asdict(c) for c in items]

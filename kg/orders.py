"""The first works of every theme and class in portal order, kept with the counts.

A portal's theme or class page lists works sorted by title (pinyin order) or by year,
twenty at a time. Sorting every work of a scope for each page is linear in the scope's
size (~20 µs a work on Oxigraph); a stored *order* makes the first pages a read of at
most :data:`SIZE` values. Each order is a small named graph beside the counts
(:mod:`kg.counting`), one ``kg:firstWork`` per work, a JSON pair of its sort key and IRI::

    <count/…> a kg:WorkOrder ; kg:orderOf <scope> ; kg:sort "title" ;
              kg:firstWork "[\"pinyin\\u001ftitle\",\"…/work/…\"]", … .

so a batch adds and removes only the entries that change. The entries are always an
**exact prefix** of the scope's works in the order ``schema.works.listing.keyset_page``
pages them — works without a key first, then by key, then by IRI — at most :data:`SIZE`
long (:data:`SLACK` more between reads); it is the whole scope when its length equals the
scope's rolled-up count. A batch keeps that true without reading the scope: it removes the
works it touched and puts back those that, after the batch, sort at or before the prefix's
last entry (or anywhere, when the prefix was the whole scope). Deletions can shorten a
prefix; a page that reaches past it is answered by the scan, and ``kg counts --rebuild``
(or any vocabulary load) fills it again.

Beside its entries an order keeps its *head*, ``kg:entries`` (how many) and
``kg:lastEntry`` (the last, as a ``kg:firstWork`` value). A batch reads the heads of the
orders it touches, not their entries: exactness says which touched works are in a prefix
(those at or before its last entry), so most changes are written from the head alone
(:func:`may_change`, :func:`delta`); a prefix is read when its last entry goes, when it
would grow past ``SIZE + SLACK`` (it is trimmed to SIZE), or when it has no head (stored
before heads were kept: it gets one). At 1M works a batch of 500 touched about 370
orders and changed about 50; reading the touched prefixes (200 entries each, a RocksDB
lookup per entry) was most of what keeping the counts added to a load.

>>> old = [Entry(True, "a", "w:1"), Entry(True, "c", "w:3")]
>>> update(old, complete=False, touched={"w:3", "w:9"},
...        entries=[Entry(True, "b", "w:9"), Entry(True, "d", "w:3")], size=5)
[Entry(has_key=True, key='a', work='w:1'), Entry(has_key=True, key='b', work='w:9')]
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from kg.counts import Hierarchy, WorkFacts
from kg.store import Row
from kg.terms import text_of

SIZE = 200
"""Entries kept per scope and sort: the first pages of 20 (a page is at most 100)."""

SLACK = 50
"""Entries a prefix may grow past :data:`SIZE` by batches that write it without reading
it (:func:`delta`); a batch that would take it further reads it and trims it to SIZE."""

SORTS = ("title", "year")
"""What a list of works sorts by (schema.works.listing.WorkSort)."""


class Entry(NamedTuple):
    """One work's place in an order; tuples compare as the pages sort."""

    has_key: bool
    key: str
    work: str


def entry(work: str, facts: WorkFacts, sort: str) -> Entry:
    """The work's place when sorting by ``sort``: its smallest key of that kind
    (kg:sortTitle or kg:year of its instances), none first.

    >>> entry("w:1", WorkFacts(instances=1, years={"2004", "1998"}), "year")
    Entry(has_key=True, key='1998', work='w:1')
    """
    values = facts.titles if sort == "title" else facts.years
    return Entry(True, min(values), work) if values else Entry(False, "", work)


def ordered_scopes(facts: WorkFacts, hierarchy: Hierarchy) -> set[str]:
    """The scopes whose order lists the work: each of its themes and every theme above
    it, and each class of a loaded classification (a top class, or one with a broader
    class) that it is under; none without an instance. A class stub of a scheme that is
    not loaded (LCC, DDC) has no order: its few works are sorted when asked for.

    >>> h = Hierarchy({"c:F1": {"c:F"}}, tops={"c:F"})
    >>> facts = WorkFacts(instances=1, classes={"c:F1", "lcc:HC427"}, themes={"t"})
    >>> sorted(ordered_scopes(facts, h))
    ['c:F', 'c:F1', 't']
    """
    if not facts.instances:
        return set()
    themes = {up for t in facts.themes for up in hierarchy.ancestors_or_self(t)}
    classes = {
        up
        for c in facts.classes
        for up in hierarchy.ancestors_or_self(c)
        if up in hierarchy.tops or up in hierarchy.broader
    }
    return themes | classes


class Head(NamedTuple):
    """What a batch needs of a stored order to tell whether it changes it."""

    length: int
    last: Entry | None


def head(entries: list[Entry]) -> Head:
    """The head of a sorted prefix."""
    return Head(len(entries), entries[-1] if entries else None)


def may_change(
    old: Head, complete: bool, leaving: Iterable[Entry], entries: Iterable[Entry]
) -> bool:
    """Whether :func:`update` can change the prefix whose head is ``old``: it does when
    the prefix is the whole scope, or when a touched work's place before the batch
    (``leaving``) or after it (``entries``) is at or before the prefix's last entry; a
    prefix is exact, so a work sorting after its last entry is not in it and stays out.

    >>> h = head([Entry(True, "a", "w:1"), Entry(True, "c", "w:3")])
    >>> may_change(h, False, [Entry(True, "d", "w:4")], [Entry(True, "e", "w:4")])
    False
    >>> may_change(h, False, [], [Entry(True, "b", "w:9")]), may_change(h, True, [], [])
    (True, True)
    >>> may_change(Head(0, None), False, [], [Entry(True, "b", "w:9")])
    False
    """
    if complete:
        return True
    last = old.last
    if last is None:  # an empty prefix that is not the whole scope gains nothing
        return False
    return any(e <= last for e in leaving) or any(e <= last for e in entries)


class Delta(NamedTuple):
    """A batch's change of a stored order, written without reading its entries."""

    add: list[Entry]
    remove: list[Entry]
    head: Head


def delta(
    old: Head, complete: bool, leaving: Iterable[Entry], entries: Iterable[Entry]
) -> Delta | None:
    """The change :func:`update` would make, from the order's head alone: the touched
    works' places before the batch (``leaving``) that are in the prefix (at or before its
    last entry: the prefix is exact) go, their places after it (``entries``) that belong
    to it come. ``None`` when the prefix must be read: its last entry goes (the new last
    is unknown), it empties, or it would grow past ``SIZE + SLACK``.

    >>> h = head([Entry(True, "a", "w:1"), Entry(True, "c", "w:3")])
    >>> delta(h, False, [Entry(True, "a", "w:1")], [Entry(True, "b", "w:1")])
    Delta(add=[Entry(has_key=True, key='b', work='w:1')], remove=[Entry(has_key=True, key='a', \
work='w:1')], head=Head(length=2, last=Entry(has_key=True, key='c', work='w:3')))
    >>> delta(h, False, [Entry(True, "c", "w:3")], []) is None  # its last entry goes
    True
    >>> delta(h, True, [], [Entry(True, "d", "w:4")]).head  # the whole scope: it grows
    Head(length=3, last=Entry(has_key=True, key='d', work='w:4'))
    """
    last = old.last
    remove = [e for e in leaving if last is not None and e <= last]
    add = [e for e in entries if complete or (last is not None and e <= last)]
    length = old.length - len(remove) + len(add)
    if last in remove or length <= 0 or length > SIZE + SLACK:
        return None
    return Delta(add, remove, Head(length, max([*add, *([last] if last else [])])))


def update(
    old: list[Entry], complete: bool, touched: set[str], entries: Iterable[Entry], size: int
) -> list[Entry]:
    """The scope's new prefix after a batch: ``old`` (an exact prefix, ``complete`` when it
    was the whole scope) without the ``touched`` works, with the touched works' ``entries``
    that are in the scope after the batch and provably belong to it; at most ``size``."""
    boundary = old[-1] if old else None
    kept = [e for e in old if e.work not in touched]
    for e in entries:
        if complete or (boundary is not None and e <= boundary):
            kept.append(e)
    kept.sort()
    return kept[:size]


def smallest(entries: Iterable[Entry], size: int) -> list[Entry]:
    """The first ``size`` entries (a rebuild's prefix of a whole scope)."""
    return heapq.nsmallest(size, entries)


def dumps(e: Entry) -> str:
    """One ``kg:firstWork`` value: the JSON pair of the key (null: none) and the work IRI.

    >>> dumps(Entry(False, "", "w:2")), dumps(Entry(True, "1998", "w:1"))
    ('[null,"w:2"]', '["1998","w:1"]')
    >>> loads(dumps(Entry(True, "1998", "w:1")))
    Entry(has_key=True, key='1998', work='w:1')
    """
    return json.dumps(
        [e.key if e.has_key else None, e.work], ensure_ascii=False, separators=(",", ":")
    )


def loads(text: str) -> Entry:
    key, work = json.loads(text)
    return Entry(key is not None, key or "", work)


def read_heads(rows: Iterable[Row]) -> dict[str, Head | None]:
    """Each order's head from ``order_heads`` rows (?order ?entries ?last); ``None`` for an
    order stored before heads were kept (its prefix must be read whole)."""
    out: dict[str, Head | None] = {}
    for row in rows:
        n, last = row.get("entries"), row.get("last")
        out[str(row["order"])] = (
            None if n is None or last is None else Head(int(text_of(n)), loads(text_of(last)))
        )
    return out


def read(rows: Iterable[Row]) -> list[tuple[str, list[Entry]]]:
    """Each order's entries, sorted, from ``order_values`` rows (?order ?entry)."""
    found: dict[str, list[Entry]] = {}
    for row in rows:
        found.setdefault(str(row["order"]), []).append(loads(text_of(row["entry"])))
    return [(order, sorted(entries)) for order, entries in found.items()]


def after(entries: list[Entry], after_sort: str, after_work: str) -> Iterator[Entry]:
    """The entries a page after the cursor (``after_sort``, ``after_work``) starts with,
    compared as ``keyset_page`` compares them."""
    cursor = (after_sort, after_work)
    return (e for e in entries if (e.key, e.work) > cursor)

"""Classification notations as catalogued, resolved against the classes a scheme defines.

A record's class number (CNMARC 690, MARC 21 093) is often longer than any class of the
table: the cataloguer added a book number (``/``), a common subdivision (``-62``), a
time (``=``) or place (``( )``) subdivision, a combination (``:``) or simply more digits
of a hierarchical notation. :func:`deepest_class` finds the class of the table the
notation falls under, and what is left over, so a curator report can list notations
that match nothing (they are kept, never dropped).

The Chinese Library Classification (CLC, 中图法) syntax it understands:

========  ==========================================  ===============
``.``     separates every three digits                ``TP391.41``
``+``     a class of a special subdivision table      ``TQ174.1+2``
``-``     common subdivisions (总论复分)               ``TP3-62``
``/``     book number, or a range (``B31/39``)        ``TQ174.1/23``
``=``     time subdivision                            ``K27=6``
``( )``   regional / nationality subdivision          ``F127(256)``
``" "``   nationality, ethnic subdivision             ``K28"214"``
``:``     combination of two classes                  ``F124:D668``
========  ==========================================  ===============
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from kg.store import Store
from kg.terms import text_of

# After one of these, what follows is a unit of its own (a book number, a combined class,
# a place or nationality code): the notation is cut before it or after all of it.
_ATOMIC_OPEN = {"/": None, ":": None, "(": ")", '"': '"'}


def normalise(notation: str) -> str:
    """A notation as catalogued in canonical form: NFKC (full-width ``．`` → ``.``),
    no whitespace, upper case.

    >>> normalise(" tp391．41 ")
    'TP391.41'
    """
    text = unicodedata.normalize("NFKC", notation)
    return "".join(text.split()).upper()


def cut_points(notation: str) -> list[int]:
    """Lengths at which ``notation`` may be cut, longest first.

    A cut never leaves a separator at the end (``.``, ``+``, ``-``, ``=``, ``/``, ``:``,
    an opening ``(`` or ``"``) and never falls inside a book number or range after ``/``,
    a combined class after ``:``, or a ``( )`` / ``" "`` subdivision: those are cut
    before or kept whole. Digits elsewhere may be cut one by one (the notation is
    hierarchical: ``TP391.4`` is broader than ``TP391.41``), and so may the letters of the
    main class (``TQ`` falls under ``T``).

    >>> ["TQ174.1/23"[:n] for n in cut_points("TQ174.1/23")]
    ['TQ174.1/23', 'TQ174.1', 'TQ174', 'TQ17', 'TQ1', 'TQ', 'T']
    >>> ["F127(256)"[:n] for n in cut_points("F127(256)")]
    ['F127(256)', 'F127', 'F12', 'F1', 'F']
    """
    points: list[int] = []
    closer: str | None = None  # set while inside an atomic unit that a character closes
    atomic_to_end = False  # inside a unit that runs to the end (after ``/`` or ``:``)
    for i, char in enumerate(notation):
        if atomic_to_end:
            break
        if closer is not None:
            if char == closer:
                closer = None
                points.append(i + 1)
            continue
        if char in _ATOMIC_OPEN:
            closer = _ATOMIC_OPEN[char]
            atomic_to_end = closer is None
            continue
        if char.isalnum():
            points.append(i + 1)
    if notation and (not points or points[-1] != len(notation)):
        points.append(len(notation))  # the whole notation is always tried first
    return sorted(set(points), reverse=True)


def deepest_class(
    notation: str, known: Callable[[str], bool] | set[str] | frozenset[str]
) -> tuple[str | None, str]:
    """The deepest class of the table that ``notation`` (as catalogued) falls under,
    and the remainder after it; ``(None, notation)`` when no class matches.

    ``known`` is the set of the scheme's notations (see :func:`class_notations`) or a
    predicate. The notation is normalised first (:func:`normalise`); the class and the
    remainder are parts of the normalised form.

    >>> table = {"F", "F1", "F12", "F124", "TQ", "TQ174", "TQ174.1", "TQ174.1+2",
    ...          "TP", "TP3", "TP39", "TP391", "TP391.4", "G259.1-6"}
    >>> deepest_class("F124", table)
    ('F124', '')
    >>> deepest_class("TQ174.1/23", table)
    ('TQ174.1', '/23')
    >>> deepest_class("TQ174.1+23", table)
    ('TQ174.1+2', '3')
    >>> deepest_class("TP391.41", table)
    ('TP391.4', '1')
    >>> deepest_class("TP391-62", table)
    ('TP391', '-62')
    >>> deepest_class("G259.1-62", table)
    ('G259.1-6', '2')
    >>> deepest_class("F124:TP391", table)
    ('F124', ':TP391')
    >>> deepest_class("F127(256)", table)
    ('F12', '7(256)')
    >>> deepest_class("ｆ１２４", table)
    ('F124', '')
    >>> deepest_class("Y123", table)
    (None, 'Y123')
    """
    contains = known.__contains__ if isinstance(known, (set, frozenset)) else known
    text = normalise(notation)
    for n in cut_points(text):
        if contains(text[:n]):
            return text[:n], text[n:]
    return None, notation


def class_notations(store: Store, scheme: str) -> set[str]:
    """Notations of every class the scheme ``scheme`` (IRI) defines in ``store``.

    Only concepts stated in the graph that declares the scheme count: the class stubs a
    record's classification creates (notation as catalogued) are not classes of the table.
    Fetch once per load and pass to :func:`deepest_class`.
    """
    rows = store.select("class_notations", scheme=scheme)
    return {text_of(r["notation"]) for r in rows}

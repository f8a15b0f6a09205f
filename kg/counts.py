"""The counts a portal reads, as pure functions of each work's facts.

A count is a number of works under a *key*: a scope, a dimension and a value.

* ``(concept, "direct", "")`` — works linked to a class (bf:classification →
  kg:classConcept), a subject concept (bf:subject, and the vocabulary terms it
  skos:closeMatch-es) or a theme (kg:inTheme);
* ``(concept, "rollup", "")`` — the same over the concept and its descendants
  (skos:broader*): a class's rolled-up ``workCount``, a theme's total;
* ``(scope, facet, value)`` — for each theme (rolled up), each top-level class
  (rolled up) and the whole catalogue, works by holding ``institution``
  (bf:heldBy of an item of an instance), ``tier`` (the org:role of its
  org:Membership), publication ``decade`` and ``year`` (kg:year of an instance), ``language``
  (bf:language) and top-level ``class``.

A work counts once per key however many records, instances and items say so; a work
without an instance counts nowhere. Keeping the counts current is a difference of
key sets per touched work (:func:`delta`), see :mod:`kg.counting`.

>>> h = Hierarchy({"c:F12": {"c:F1"}, "c:F1": {"c:F"}}, tops={"c:F"})
>>> facts = WorkFacts(instances=1, classes={"c:F12"}, years={"1998", "2004"})
>>> sorted(k for k in keys_of(facts, h, "cat") if k.scope == "cat")
[Key(scope='cat', dimension='class', value='c:F'), Key(scope='cat', dimension='decade', \
value='1990'), Key(scope='cat', dimension='decade', value='2000'), Key(scope='cat', \
dimension='rollup', value=''), Key(scope='cat', dimension='year', value='1998'), \
Key(scope='cat', dimension='year', value='2004')]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from kg.terms import Quad, text_of
from kg.vocab import BF, KG, SKOS

FACETS = ("institution", "tier", "decade", "year", "language", "class")
"""Facet dimensions, counted per theme, per top-level class and for the catalogue
(``year`` is a portal's timeline)."""


class Key(NamedTuple):
    """What a count counts: works under ``scope`` by ``dimension`` (and facet ``value``)."""

    scope: str
    dimension: str  # direct | rollup | one of FACETS
    value: str = ""


@dataclass(slots=True)
class WorkFacts:
    """What the graph says about one work that any count looks at."""

    instances: int = 0
    classes: set[str] = field(default_factory=set)
    subjects: set[str] = field(default_factory=set)
    themes: set[str] = field(default_factory=set)
    institutions: set[str] = field(default_factory=set)
    years: set[str] = field(default_factory=set)
    languages: set[str] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)  # kg:sortTitle of instances (kg.orders)

    def add(self, kind: str, value: str) -> None:
        """Add one fact row (as :mod:`queries.sparql` ``count_facts`` returns them)."""
        if kind == "instance":
            self.instances += 1
        else:
            getattr(self, _KINDS[kind]).add(value)


_KINDS = {
    "class": "classes",
    "subject": "subjects",
    "theme": "themes",
    "institution": "institutions",
    "year": "years",
    "language": "languages",
    "title": "titles",
}


class Hierarchy:
    """skos:broader links (classes, thesaurus terms, places, themes), the top-level
    classes (skos:topConceptOf a classification scheme) and each member's tiers."""

    def __init__(
        self,
        broader: Mapping[str, set[str]],
        tops: Iterable[str] = (),
        tiers: Mapping[str, set[str]] | None = None,
    ) -> None:
        self.broader = broader
        self.tops = frozenset(tops)
        self.tiers = tiers or {}
        self._up: dict[str, frozenset[str]] = {}

    def ancestors_or_self(self, concept: str) -> frozenset[str]:
        """The concept and every concept above it (cycles tolerated).

        >>> sorted(Hierarchy({"a": {"b"}, "b": {"a", "c"}}).ancestors_or_self("a"))
        ['a', 'b', 'c']
        """
        known = self._up.get(concept)
        if known is not None:
            return known
        seen = {concept}
        todo = [concept]
        while todo:
            for parent in self.broader.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        up = frozenset(seen)
        self._up[concept] = up
        return up


def decade(year: str) -> str | None:
    """The decade of a four-digit year, as its first year.

    >>> decade("1998"), decade("19uu"), decade("2000")
    ('1990', None, '2000')
    """
    return year[:3] + "0" if len(year) == 4 and year.isdigit() else None


def keys_of(facts: WorkFacts, hierarchy: Hierarchy, catalogue: str) -> set[Key]:
    """Every key one work counts under (empty for a work without an instance)."""
    if not facts.instances:
        return set()
    keys: set[Key] = set()
    classes_up: set[str] = set()
    for group in (facts.classes, facts.subjects, facts.themes):
        for concept in group:
            keys.add(Key(concept, "direct"))
            up = hierarchy.ancestors_or_self(concept)
            keys.update(Key(c, "rollup") for c in up)
            if group is facts.classes:
                classes_up |= up
    tops = classes_up & hierarchy.tops
    themes_up = {c for t in facts.themes for c in hierarchy.ancestors_or_self(t)}
    values: list[tuple[str, str]] = [("institution", i) for i in facts.institutions]
    values += [("tier", t) for i in facts.institutions for t in hierarchy.tiers.get(i, ())]
    values += [("decade", d) for d in map(decade, facts.years) if d]
    values += [("year", y) for y in facts.years if decade(y)]
    values += [("language", lang) for lang in facts.languages]
    values += [("class", top) for top in tops]
    keys.add(Key(catalogue, "rollup"))
    for scope in (catalogue, *tops, *themes_up):
        keys.update(Key(scope, dim, value) for dim, value in values)
    return keys


def facts_from_quads(quads: Iterable[Quad]) -> dict[str, dict[str, WorkFacts]]:
    """The facts each named graph states about each work, read from quads the way
    ``queries/sparql/count_graph_facts.rq`` reads them from a store (within one graph).

    :returns: graph → work → facts.
    """
    by_graph: dict[str, list[Quad]] = {}
    for q in quads:
        if q[1] in _LINKS:
            by_graph.setdefault(q[3], []).append(q)
    return {g: _graph_facts(qs) for g, qs in by_graph.items()}


def _graph_facts(quads: list[Quad]) -> dict[str, WorkFacts]:
    links: dict[str, dict[str, set[str]]] = {}
    for s, p, o, _ in quads:
        if p in _LINKS:
            links.setdefault(p, {}).setdefault(s, set()).add(text_of(o))

    def follow(p: str, s: str) -> set[str]:
        return links.get(p, {}).get(s, set())

    instances: dict[str, set[str]] = {}  # work → instances
    for instance, works in links.get(BF.instanceOf, {}).items():
        for work in works:
            instances.setdefault(work, set()).add(instance)
    items: dict[str, set[str]] = {}  # instance → items
    for item, insts in links.get(BF.itemOf, {}).items():
        for instance in insts:
            items.setdefault(instance, set()).add(item)
    result: dict[str, WorkFacts] = {}
    works = set(instances).union(*(links.get(p, {}) for p in _WORK_LINKS))
    for work in works:
        insts = instances.get(work, set())
        f = result[work] = WorkFacts(instances=len(insts))
        for node in follow(BF.classification, work):
            f.classes |= follow(KG.classConcept, node)
        for concept in follow(BF.subject, work):
            f.subjects.add(concept)
            f.subjects |= follow(SKOS.closeMatch, concept)
        f.themes |= follow(KG.inTheme, work)
        f.languages |= follow(BF.language, work)
        for instance in insts:
            f.years |= follow(KG.year, instance)
            f.titles |= follow(KG.sortTitle, instance)
            for item in items.get(instance, ()):
                f.institutions |= follow(BF.heldBy, item)
    return result


_WORK_LINKS = (BF.classification, BF.subject, KG.inTheme, BF.language)
_LINKS = frozenset(
    {
        *_WORK_LINKS,
        BF.instanceOf,
        BF.itemOf,
        BF.heldBy,
        KG.classConcept,
        SKOS.closeMatch,
        KG.year,
        KG.sortTitle,
    }
)


def merged(*groups: Iterable[Mapping[str, WorkFacts]]) -> dict[str, WorkFacts]:
    """Facts of the same works from several graphs, as one set per work."""
    out: dict[str, WorkFacts] = {}
    for group in groups:
        for facts_by_work in group:
            for work, f in facts_by_work.items():
                into = out.setdefault(work, WorkFacts())
                into.instances += f.instances
                for name in _KINDS.values():
                    getattr(into, name).update(getattr(f, name))
    return out


def delta(
    before: Mapping[str, WorkFacts],
    after: Mapping[str, WorkFacts],
    hierarchy: Hierarchy,
    catalogue: str,
) -> Counter[Key]:
    """How the counts change when the touched works go from ``before`` to ``after``.

    >>> h = Hierarchy({})
    >>> one = WorkFacts(instances=1, themes={"t"})
    >>> delta({"w": one}, {"w": WorkFacts()}, h, "cat")[Key("t", "rollup")]
    -1
    """
    change: Counter[Key] = Counter()
    for work in before.keys() | after.keys():
        old = keys_of(before.get(work, WorkFacts()), hierarchy, catalogue)
        new = keys_of(after.get(work, WorkFacts()), hierarchy, catalogue)
        for key in new - old:
            change[key] += 1
        for key in old - new:
            change[key] -= 1
    return change

"""Topic knowledge bases (专题知识库): curated themes and the works that belong to them.

A theme is a ``skos:Concept`` of the scheme ``themes``, defined by a curator with
rules (:class:`Rule`) and explicit include / exclude lists of records. A work belongs
to a theme when at least one rule matches what one of its records says
(:class:`WorkFacts`); the membership is stated *in that record's named graph*:

* ``(work, kg:inTheme, theme)``, and
* an explanation node ``<record>#theme-<id>`` (``kg:ThemeMembership``) with
  ``kg:theme``, ``kg:work``, ``kg:record`` and one ``kg:matchedRule`` literal per rule
  that matched (``"clc:TQ174"``, ``"subject:陶瓷"``, ``"include"``).

So a corrected record recomputes its memberships and a deleted record removes them,
with no full rebuild; loading new theme definitions re-evaluates the works already
loaded (:func:`loaders.themes.load_themes`).

This module is the graph core only: no YAML, no MARC.

>>> t = Theme("ceramics", {"en": "Ceramics"}, rules=[Rule("clc", "TQ174")])
>>> evaluate(t, WorkFacts("JXAU/1", notations=["TQ174.1/23"]))
['clc:TQ174']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from urllib.parse import unquote

from kg.classes import cut_points, normalise
from kg.ids import Minter, segment
from kg.keys import fold
from kg.model import BibRecord
from kg.terms import Lit, Triple
from kg.vocab import KG, RDF, SKOS, concept_scheme

RULE_KINDS = ("clc", "subject", "subject_pattern", "keyword", "place", "institution")
SCHEME = "themes"
ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
"""Theme ids: lower-case ASCII slugs (they end up in URIs and fragment ids)."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One way into a theme.

    ========================  ================================================================
    ``clc``                   a CLC class (``TQ174``: the notation's class part falls under
                              it) or an inclusive range ``X1/X5`` (X1, X2 … X5 and everything
                              under them); a combined class ``F124:X37`` counts for both parts
    ``subject``               a subject label, compared folded (:func:`kg.keys.fold`) with the
                              heading and with each of its parts
    ``subject_pattern``       a regular expression searched in those labels (as catalogued)
    ``keyword``               a substring, folded, of a title or a summary
    ``place``                 a gazetteer id (``poyang-lake``): the work's publication place
                              or geographic subject is that place (not the places within it:
                              list them if they count)
    ``institution``           a roster code: records that institution contributed
    ========================  ================================================================
    """

    kind: str
    value: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"

    @staticmethod
    def parse(text: str) -> Rule:
        """The rule a ``kind:value`` literal (``kg:rule``) states.

        >>> Rule.parse("clc:F124:D668")
        Rule(kind='clc', value='F124:D668')
        """
        kind, _, value = text.partition(":")
        return Rule(kind, value)


@dataclass(frozen=True, slots=True)
class Theme:
    """A curated theme: labels per language tag, rules, and explicit record lists.

    ``include`` and ``exclude`` hold record ids (``INSTITUTION/CONTROLNUMBER``) or ISBNs
    (``isbn:978…``). An exclusion wins over everything else.

    ``parent`` is the broader theme (``skos:broader``). A parent is *not* matched by
    its children's rules: a work in "ceramics" is not automatically in "Jiangxi regional
    collections" (roll-ups are a later issue); give the parent its own rules if it
    should have members of its own.
    """

    id: str
    labels: dict[str, str]
    description: str | None = None
    parent: str | None = None
    rules: list[Rule] = field(default_factory=list)
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class WorkFacts:
    """What one record says that theme rules look at.

    ``record_id`` is ``INSTITUTION/CONTROLNUMBER``; ``isbns`` valid ISBN-13s;
    ``notations`` CLC notations as catalogued; ``subject_labels`` headings and their
    parts; ``texts`` titles and summaries; ``places`` gazetteer ids; ``institution``
    the contributing member's roster code.
    """

    record_id: str
    isbns: Sequence[str] = ()
    notations: Sequence[str] = ()
    subject_labels: Sequence[str] = ()
    texts: Sequence[str] = ()
    places: Sequence[str] = ()
    institution: str | None = None

    @cached_property
    def class_parts(self) -> list[str]:
        """Every class part of every notation, normalised, dots removed (``TQ1741``…)."""
        out: list[str] = []
        for notation in self.notations:
            for part in normalise(notation).split(":"):
                out.extend(part[:n].replace(".", "") for n in cut_points(part))
        return out

    @cached_property
    def class_heads(self) -> list[str]:
        """The class part of each notation (letters, digits and dots up to the first
        subdivision or book number), dots removed: what a range is compared with."""
        out = []
        for notation in self.notations:
            for part in normalise(notation).split(":"):
                head = _CLASS_HEAD.match(part)
                if head and head.group(0):
                    out.append(head.group(0).replace(".", ""))
        return out

    @cached_property
    def folded_labels(self) -> frozenset[str]:
        return frozenset(_fold(label) for label in self.subject_labels)

    @cached_property
    def folded_texts(self) -> list[str]:
        return [_fold(text) for text in self.texts]


_CLASS_HEAD = re.compile(r"[A-Z][A-Z0-9.]*")


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    return fold(text)


@lru_cache(maxsize=1024)
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _dotless(notation: str) -> str:
    return normalise(notation).replace(".", "")


def matches(rule: Rule, facts: WorkFacts) -> bool:
    """Whether ``rule`` matches what a record says.

    >>> facts = WorkFacts("X/1", notations=["X37(256)"], subject_labels=["湿地", "鄱阳湖"])
    >>> [matches(Rule(k, v), facts) for k, v in [("clc", "X3"), ("clc", "X1/X5"),
    ...     ("clc", "X6/X9"), ("subject", "濕地"), ("subject_pattern", "^鄱阳")]]
    [True, True, False, True, True]
    """
    kind, value = rule.kind, rule.value
    if kind == "clc":
        lo, sep, hi = value.partition("/")
        if not sep:
            return _dotless(value) in facts.class_parts
        low, high = _dotless(lo), _dotless(hi)
        return any(low <= h and (h <= high or h.startswith(high)) for h in facts.class_heads)
    if kind == "subject":
        return _fold(value) in facts.folded_labels
    if kind == "subject_pattern":
        regex = _regex(value)
        return any(regex.search(label) for label in facts.subject_labels)
    if kind == "keyword":
        key = _fold(value)
        return bool(key) and any(key in text for text in facts.folded_texts)
    if kind == "place":
        return value in facts.places
    if kind == "institution":
        return value == facts.institution
    raise ValueError(f"unknown rule kind {kind!r} (expected one of {', '.join(RULE_KINDS)})")


def evaluate(theme: Theme, facts: WorkFacts) -> list[str]:
    """The rules of ``theme`` that put the record's work in it, as ``kind:value`` strings.

    ``"include"`` comes first when the record (or one of its ISBNs) is listed under
    ``include``; ``[]`` when it is listed under ``exclude`` (whatever else matches) or
    when nothing matches. Only this theme's own rules count, never its children's.
    """
    ids = {facts.record_id, *(f"isbn:{i}" for i in facts.isbns)}
    if ids.intersection(theme.exclude):
        return []
    out = ["include"] if ids.intersection(theme.include) else []
    out.extend(str(rule) for rule in theme.rules if matches(rule, facts))
    return out


def theme_uri(ids: Minter, theme_id: str) -> str:
    """The URI of a theme: ``{base}theme/{id}``."""
    return f"{ids.base}theme/{segment(theme_id)}"


def themes_graph(ids: Minter) -> str:
    """The named graph of the theme definitions."""
    return ids.base + "graph/themes"


def theme_triples(themes: Iterable[Theme], ids: Minter) -> list[Triple]:
    """SKOS triples for the theme definitions (and the ``themes`` scheme).

    Rules, includes and excludes are kept as ``kg:rule`` / ``kg:include`` /
    ``kg:exclude`` literals, so the loaded definitions can be read back from the store.
    """
    scheme = ids.scheme(SCHEME)
    out = concept_scheme(scheme, [Lit("专题知识库", "zh-Hans"), Lit("Topic knowledge bases", "en")])
    for theme in themes:
        uri = theme_uri(ids, theme.id)
        out += [
            (uri, RDF.type, SKOS.Concept),
            (uri, RDF.type, KG.Theme),
            (uri, SKOS.inScheme, scheme),
            (uri, SKOS.notation, Lit(theme.id)),
        ]
        out.extend((uri, SKOS.prefLabel, Lit(label, lang)) for lang, label in theme.labels.items())
        if theme.description:
            out.append((uri, SKOS.definition, Lit(theme.description)))
        if theme.parent:
            out.append((uri, SKOS.broader, theme_uri(ids, theme.parent)))
        else:
            out.append((uri, SKOS.topConceptOf, scheme))
            out.append((scheme, SKOS.hasTopConcept, uri))
        out.extend((uri, KG.rule, Lit(str(rule))) for rule in theme.rules)
        out.extend((uri, KG.include, Lit(r)) for r in theme.include)
        out.extend((uri, KG.exclude, Lit(r)) for r in theme.exclude)
    return out


def membership_triples(
    ids: Minter, record: str, work: str, theme_id: str, rules: Sequence[str]
) -> list[Triple]:
    """``work kg:inTheme theme`` and its explanation node ``<record>#theme-<id>``."""
    theme = theme_uri(ids, theme_id)
    node = f"{record}#theme-{theme_id}"
    out: list[Triple] = [
        (work, KG.inTheme, theme),
        (node, RDF.type, KG.ThemeMembership),
        (node, KG.theme, theme),
        (node, KG.work, work),
        (node, KG.record, record),
    ]
    out.extend((node, KG.matchedRule, Lit(rule)) for rule in rules)
    return out


def memberships(
    themes: Iterable[Theme], facts: WorkFacts, ids: Minter, record: str, work: str
) -> list[Triple]:
    """Membership triples of one record's work in every theme whose rules match."""
    out: list[Triple] = []
    for theme in themes:
        rules = evaluate(theme, facts)
        if rules:
            out.extend(membership_triples(ids, record, work, theme.id, rules))
    return out


def record_id(ids: Minter, record_or_graph: str) -> str:
    """``INSTITUTION/CONTROLNUMBER`` of a record URI or a record graph URI."""
    for prefix in (f"{ids.base}graph/record/", f"{ids.base}record/"):
        if record_or_graph.startswith(prefix):
            return "/".join(unquote(p) for p in record_or_graph[len(prefix) :].split("/"))
    raise ValueError(f"not a record or record graph URI: {record_or_graph}")


def institution_code(ids: Minter, institution: str) -> str:
    """The roster code of an institution URI (``{base}org/CODE``)."""
    return unquote(institution.removeprefix(ids.institution("")))


def place_id(ids: Minter, place: str) -> str | None:
    """The gazetteer id of a place URI (``{base}place/ID``), or None for another URI."""
    prefix = f"{ids.base}place/"
    return unquote(place[len(prefix) :]) if place.startswith(prefix) else None


def facts_from_record(
    rec: BibRecord, record: str, institution: str, places: Iterable[str] = ()
) -> WorkFacts:
    """The facts of one record as mapped: ``record`` is its id (``INST/CONTROLNUMBER``),
    ``institution`` the roster code, ``places`` the gazetteer ids it was linked to.

    Subject parts count only for multi-part headings, as in the graph (a one-part
    heading *is* its part).
    """
    labels: list[str] = []
    for subject in rec.subjects:
        labels.extend(t.value for t in subject.label)
        if len(subject.parts) > 1:
            labels.extend(p.label for p in subject.parts)
    texts = [t.value for title in rec.titles for t in title.main + title.subtitle + title.part]
    texts.extend(t.value for t in rec.summaries)
    return WorkFacts(
        record_id=record,
        isbns=rec.isbns(),
        notations=[c.notation for c in rec.classifications if c.scheme == "clc"],
        subject_labels=labels,
        texts=texts,
        places=sorted(set(places)),
        institution=institution,
    )

"""The names a document may mention, read from the graph itself.

Institutions and alliances (roster: their labels, and alliances' codes as acronyms),
gazetteer places, thesaurus concepts, CLC classes and themes, each label in its own
script and in the other Chinese script (OpenCC ``s2t``/``t2s``). Names the roster states
only in their full form also get the short forms papers use, derived by rules that hold
for Chinese institution names:

* a library is named by its parent body: ``南昌大学图书馆`` → ``南昌大学``
  (``Nanchang University Library`` → ``Nanchang University``);
* a bracketed name is another name of the same body: ``…图书馆（海南省人民医院）`` →
  ``海南省人民医院``; ``（原海南农垦总医院）`` is a former name;
* ``科学技术`` is written ``科技``, and the provincial S&T information institutes were
  ``科技情报研究所`` before the 1990s (情报 → 信息): either form finds the institute;
* ``Eco-Economic`` is also written ``Ecological Economic`` (the Poyang Lake zone's two
  English names);
* a *relative name*: an institution named after another one (``海南医学院`` +
  ``第一附属医院图书馆``) is also found by the rest of its name, but only in a document
  that mentions that other one.

A form that two entities of the same kind share finds neither; between kinds, an
institution or alliance wins over a place, a place over a theme, concept or class.

>>> lex = Lexicon([("org:1", "institution", "南昌大学图书馆")], places=None)
>>> sorted(p.form for p in lex.patterns)
['南昌大学', '南昌大学图书馆', '南昌大學', '南昌大學圖書館']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from kg.ids import Minter
from kg.keys import converter
from kg.store import Store
from kg.terms import text_of
from loaders.vocab.gazetteer import PlaceMatcher, matcher_from_store

KINDS = ("alliance", "institution", "place", "theme", "concept", "class")
"""Entity kinds, strongest first (a form two kinds share goes to the first)."""
SCHEMES = {"places": "place", "cct": "concept", "clc": "class", "themes": "theme"}
LINKED_KINDS = frozenset({"institution", "alliance", "place"})
"""Kinds that ``about`` links, precision and recall are about (named entities)."""

_HAN = re.compile(r"[\u3400-\u9fff]")
_BRACKETED = re.compile(r"^(.+?)\s*[（(]\s*(原)?(.+?)\s*[）)]$")
_BODY = re.compile(r"^(.{2,}?(?:大学|学院|医院|研究所|研究院|中心))图书馆$")
_ENGLISH_BODY = re.compile(r"^(.+ (?:University|College|Hospital|Institute)) Library$")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{2,9}$")
_VARIANTS = (("科学技术", "科技"), ("信息研究所", "情报研究所"))
_LATIN_VARIANTS = (("Eco-Economic", "Ecological Economic"),)
_PLACE_SUFFIXES = ("省", "市", "县", "区")
MIN_LATIN = 3
MIN_CONCEPT_LATIN = 6


@dataclass(frozen=True, slots=True)
class Pattern:
    """A form to find in text: the entity it names, its kind, and, for a relative name,
    the entity the document must also mention."""

    form: str
    entity: str
    kind: str
    requires: str | None = None


class Lexicon:
    """Patterns for the linker, from ``(entity, kind, label)`` rows of the graph."""

    def __init__(self, rows: Iterable[tuple[str, str, str]], places: PlaceMatcher | None) -> None:
        found: dict[str, dict[str, set[str]]] = {}  # form → kind → entities
        relative: list[Pattern] = []
        bodies: dict[str, str] = {}
        institutions: list[tuple[str, str]] = []
        for entity, kind, raw in rows:
            label = " ".join(raw.split())
            for form in _forms(kind, label, places, entity):
                found.setdefault(form, {}).setdefault(kind, set()).add(entity)
            if kind == "institution" and _HAN.search(label):
                institutions.append((entity, _without_brackets(label)))
                named = _BODY.match(_without_brackets(label))
                if named:
                    bodies[named.group(1)] = entity
        for entity, name in institutions:
            for body, parent in bodies.items():
                rest = name[len(body) :]
                if parent != entity and name.startswith(body) and len(rest) >= 4:
                    relative.extend(
                        Pattern(form, entity, "institution", parent) for form in _scripts(rest)
                    )
        self.patterns: list[Pattern] = []
        for form, kinds in found.items():
            kind = next(k for k in KINDS if k in kinds)
            if len(kinds[kind]) == 1:
                self.patterns.append(Pattern(form, next(iter(kinds[kind])), kind))
        taken = set(found)
        self.patterns.extend(p for p in relative if p.form not in taken)
        self.kinds = {p.entity: p.kind for p in self.patterns}

    def __len__(self) -> int:
        return len(self.patterns)

    @classmethod
    def from_store(cls, store: Store, ids: Minter) -> Lexicon:
        """The lexicon of what ``store`` holds (roster, gazetteer, vocabularies, themes)."""
        schemes = {ids.scheme(name): kind for name, kind in SCHEMES.items()}
        rows = store.select("doc_labels", schemes=list(schemes))
        return cls(
            (
                (
                    str(r["entity"]),
                    schemes.get(text_of(r["kind"]), text_of(r["kind"])),
                    text_of(r["label"]),
                )
                for r in rows
            ),
            matcher_from_store(store, ids),
        )


def _forms(kind: str, label: str, places: PlaceMatcher | None, entity: str) -> set[str]:
    """Every form of one label that finds its entity."""
    if not _HAN.search(label):
        return _latin_forms(kind, label)
    names = {label}
    if kind == "institution":
        bracketed = _BRACKETED.match(label)
        if bracketed:
            names |= {bracketed.group(1), bracketed.group(3)}
        for name in list(names):
            body = _BODY.match(name)
            if body:
                names.add(body.group(1))
        for old, new in _VARIANTS:
            names |= {n.replace(old, new) for n in names} | {n.replace(new, old) for n in names}
    if kind == "place" and places is not None:
        names |= {stem for stem in _place_stems(label) if _place_uri(places, stem) == entity}
    return {form for name in names if len(name) >= 2 for form in _scripts(name)}


def _latin_forms(kind: str, label: str) -> set[str]:
    if kind == "alliance" and not _ACRONYM.match(label) and " " not in label:
        return set()  # a code that is no acronym
    if kind in ("concept", "class", "theme") and len(label) < MIN_CONCEPT_LATIN:
        return set()  # short English words ("Law", "Map") are everyday words
    out = {label} if len(label) >= MIN_LATIN else set()
    for short, long in _LATIN_VARIANTS:
        if short in label:
            out.add(label.replace(short, long))
    body = _ENGLISH_BODY.match(label) if kind == "institution" else None
    if body:
        out.add(body.group(1))
    return out


def _place_stems(label: str) -> list[str]:
    return [label[: -len(s)] for s in _PLACE_SUFFIXES if label.endswith(s) and len(label) > 2]


def _place_uri(places: PlaceMatcher, name: str) -> str | None:
    """The place a bare name means (a stem shared by a city and a county: the city)."""
    return places(name)


def _without_brackets(label: str) -> str:
    bracketed = _BRACKETED.match(label)
    return bracketed.group(1) if bracketed else label


def _scripts(name: str) -> set[str]:
    """A Chinese name in simplified and traditional characters."""
    return {name, converter("s2t").convert(name), converter("t2s").convert(name)}


def is_acronym(form: str) -> bool:
    """Upper-case Latin forms are acronyms: matched case-sensitively."""
    return bool(_ACRONYM.match(form))

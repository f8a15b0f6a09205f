"""Subject access (600-610) as SKOS concepts and classification numbers (675-692).

A heading's label is its parts joined "a--x--y--z"; the pinyin partners make
a second, ``zh-Latn-pinyin`` label only when every Han part has one (dp2
records usually romanise $a alone: that pinyin is kept in ``unlinked``).
"""

from __future__ import annotations

import pymarc

from kg.model import AgentKind, BibRecord, Classification, Subject, SubjectPart
from loaders.marc.common import has_han
from loaders.marc.unimarc_agents import heading
from loaders.marc.unimarc_text import (
    Sub,
    first,
    first_raw,
    paired,
    romanised,
    text,
    unlink,
    value_of,
)

_SUBJECT_KINDS = {
    "600": "Person",
    "601": "Organization",
    "602": "Family",
    "604": "Work",
    "605": "Work",
    "606": "Topic",
    "607": "Place",
    "608": "GenreForm",
}
_SUBDIVISIONS = {"x": "Topic", "y": "Place", "z": "Temporal", "j": "GenreForm"}
# 610 2nd indicator: type of uncontrolled term
_UNCONTROLLED = {
    "1": "Person",
    "2": "Organization",
    "3": "Family",
    "4": "Place",
    "5": "Work",
    "6": "Temporal",
    "7": "GenreForm",
}

_Part = tuple[str, str, str | None]  # kind, label, pinyin of the label


def _scheme(field: pymarc.Field) -> str:
    """Subject system ($2), lower-cased; "local" when the field does not say."""
    scheme = first(field, "2")
    return scheme.lower() if scheme else "local"


def _head(kind: str, field: pymarc.Field, subs: list[Sub]) -> list[_Part]:
    """The entry element of a heading, by field: name, family, title or term."""
    if kind in ("Person", "Organization", "Meeting"):
        name, pinyin = heading(kind, subs)  # type: ignore[arg-type]
        dates = first_raw(field, "f") if kind == "Person" else None
        if dates:
            name, pinyin = f"{name}, {dates}", (f"{pinyin}, {dates}" if pinyin else None)
        work = [("Work", s.value, s.pinyin) for s in subs if s.code == "t"]
        return [(kind, name, pinyin), *work] if name else work
    if field.tag == "604":
        return [("Work", _name_title(field), None)]
    codes = "ahi" if field.tag == "605" else "a"
    head = [s for s in subs if s.code in codes]
    if not head:
        return []
    pinyin = ". ".join(s.pinyin for s in head if s.pinyin) or None
    label = ". ".join(s.value for s in head)
    dates = first_raw(field, "f") if kind == "Family" else None
    if dates:
        label = f"{label}, {dates}"
    return [(kind, label, pinyin)]


def _name_title(field: pymarc.Field) -> str:
    """Name and title (604): embedded 7XX name and 5XX title ($1), or $a name and $t title."""
    embedded = ""
    name: dict[str, list[str]] = {}
    title = []
    for code, raw in field.subfields:
        if code == "1":
            embedded = raw[:3]
            continue
        value = value_of(raw)
        if not value:
            continue
        if code == "t" or (embedded.startswith("5") and code == "a"):
            title.append(value)
        elif embedded.startswith("7") or (not embedded and code in "abcdf"):
            name.setdefault(code, []).append(value)
    kind: AgentKind = "Organization" if embedded[1:2] == "1" else "Person"
    label, _ = heading(kind, [Sub(code, v) for code, vs in name.items() for v in vs])
    return ". ".join(v for v in (label, *title) if v)


def _add(
    rec: BibRecord,
    field: pymarc.Field,
    parts: list[_Part],
    lang: str | None,
    *,
    kind: str,
    scheme: str,
) -> None:
    """One skos:Concept from the parts of a heading."""
    parts = [p for p in parts if p[1]]
    if not parts:
        return
    label = "--".join(p[1] for p in parts)
    labels = [text(label, lang)]
    pinyin = [p[2] for p in parts if p[2]]
    if pinyin:
        if all(p[2] or not has_han(p[1]) for p in parts):
            labels.append(romanised("--".join(p[2] or p[1] for p in parts), lang))
        else:
            rec.unlinked.extend(romanised(p, lang) for p in pinyin)
    ids = [raw.strip() for code, raw in field.subfields if code == "3" and raw.strip()]
    rec.subjects.append(
        Subject(kind, labels, scheme, [SubjectPart(k, value) for k, value, _ in parts], ids)
    )


def subject(rec: BibRecord, field: pymarc.Field, lang: str | None) -> None:
    """Personal (600), corporate (601, Meeting with 1st indicator 1), family (602),
    name/title (604), title (605), topical (606), geographic (607) and form (608)
    subjects: $x topical, $y geographic, $z chronological, $j form subdivisions;
    $2 scheme, $3 authority numbers.
    """
    kind = _SUBJECT_KINDS[field.tag]
    if kind == "Organization" and field.indicators and field.indicators[0] == "1":
        kind = "Meeting"
    subs = paired(field, rec, lang)
    parts = _head(kind, field, subs)
    parts.extend(
        (_SUBDIVISIONS[s.code], s.value, s.pinyin) for s in subs if s.code in _SUBDIVISIONS
    )
    _add(rec, field, parts, lang, kind=kind, scheme=_scheme(field))


def uncontrolled(rec: BibRecord, field: pymarc.Field, lang: str | None) -> None:
    """Uncontrolled subject terms (610): each $a is a term; the 2nd indicator its type."""
    kind = _UNCONTROLLED.get(field.indicators[1] if field.indicators else "", "Topic")
    subs = paired(field, rec, lang)
    for sub in subs:
        if sub.code == "a":
            part = (kind, sub.value, sub.pinyin)
            _add(rec, field, [part], lang, kind=kind, scheme="uncontrolled")
    unlink(rec, [s for s in subs if s.code != "a"], lang)


# --- classification -------------------------------------------------------------------

_CLASS_SCHEMES = {"675": "udc", "676": "ddc", "680": "lcc", "690": "clc", "692": "sclc"}


def classification(rec: BibRecord, field: pymarc.Field, lang: str | None) -> None:
    """UDC (675), DDC (676), LCC (680), other (686, scheme from $2), Chinese Library
    Classification 中图法 (690) and CAS Library Classification 科图法 (692):
    $a notation ($c for 686 without $a), $b item number, $v edition.
    """
    scheme = _CLASS_SCHEMES.get(field.tag) or (first(field, "2") or "local").lower()
    notations = [raw.strip() for code, raw in field.subfields if code == "a" and raw.strip()]
    if not notations and field.tag == "686":
        notations = [raw.strip() for code, raw in field.subfields if code == "c" and raw.strip()]
    item, edition = first_raw(field, "b"), first_raw(field, "v")
    for notation in notations:
        rec.classifications.append(Classification(scheme, notation, item, edition))

"""Descriptive blocks of a CNMARC/UNIMARC record: titles (200, 5XX), edition (205),
publication (210, 214), physical description (215), series (225, 410), notes (3XX)
and the cataloguing source (801).
"""

from __future__ import annotations

import pymarc

from kg.model import BibRecord, Note, Provision, Series, Text, Title
from loaders.marc.common import issn_identifier
from loaders.marc.unimarc_text import (
    Sub,
    first,
    first_raw,
    joined_texts,
    paired,
    text,
    texts,
    value_of,
)

# --- titles ---------------------------------------------------------------------------

_TITLES_200 = {"a": "main", "c": "main", "d": "parallel"}
_TITLE_KINDS = {
    "500": "uniform",
    "501": "uniform",
    "510": "parallel",
    "512": "variant",
    "513": "variant",
    "514": "variant",
    "515": "variant",
    "516": "variant",
    "517": "variant",
    "518": "variant",
    "530": "key",
    "531": "abbreviated",
    "540": "variant",
    "541": "variant",
}


def title_statement(rec: BibRecord, field: pymarc.Field, lang: str | None) -> None:
    """Title and statement of responsibility (200).

    Each $a (and $c, title by another author) starts a main title, each $d a
    parallel title in the language of the matching $z; $e is other title
    information, $h/$i/$v the part; $f/$g become "responsibility" notes.
    """
    subs = paired(field, rec, lang, nine=True)
    declared = iter([s.value for s in subs if s.code == "z"])
    current: Title | None = None
    for sub in subs:
        code = sub.code
        kind = _TITLES_200.get(code)
        if kind is not None:
            language = next(declared, None) if kind == "parallel" else None
            current = Title(kind, texts(sub, lang, language))
            rec.titles.append(current)
        elif code in "fg":
            rec.notes.append(Note("responsibility", texts(sub, lang)))
        elif current is not None and code == "e":
            current.subtitle.extend(texts(sub, lang))
        elif current is not None and code in "hiv":
            current.part.extend(texts(sub, lang))


def other_title(rec: BibRecord, field: pymarc.Field, lang: str | None) -> None:
    """Uniform (500/501), parallel (510), variant (512-518, 540, 541), key (530) and
    abbreviated (531) titles: $a title, $e other title information, $h/$i part,
    $z language of the title, $b key-title qualifier.
    """
    kind = _TITLE_KINDS[field.tag]
    subs = paired(field, rec, lang, nine=True)
    declared = next((s.value for s in subs if s.code == "z"), None)
    current: Title | None = None
    for sub in subs:
        if sub.code == "a":
            current = Title(kind, texts(sub, lang, declared))
            rec.titles.append(current)
        elif current is None:
            continue
        elif sub.code == "e":
            current.subtitle.extend(texts(sub, lang, declared))
        elif sub.code in "hi":
            current.part.extend(texts(sub, lang, declared))
        elif sub.code == "b" and kind in ("key", "abbreviated"):
            head = current.main[0]
            current.main[0] = Text(f"{head.value} {sub.value}", head.lang)


# --- edition, publication, physical description ---------------------------------------

_PROVISION_214 = {
    "0": "Publication",
    "1": "Production",
    "2": "Distribution",
    "3": "Manufacture",
    "4": "Copyright",
}


def edition(rec: BibRecord, field: pymarc.Field, lang: str | None) -> None:
    """Edition statement (205): $a edition, $b additional statement."""
    rec.edition.extend(joined_texts(paired(field, rec, lang), "ab", lang))


def _provision(kind: str, subs: list[Sub], codes: str, lang: str | None) -> Provision | None:
    """A bf:ProvisionActivity from the place, name and date subfields ``codes``."""
    out = Provision(kind)
    targets = dict(zip(codes, (out.places, out.agents, out.dates), strict=True))
    for sub in subs:
        target = targets.get(sub.code)
        if target is not None:
            target.extend(texts(sub, lang))
    return out if out.places or out.agents or out.dates else None


def _add_provision(rec: BibRecord, provision: Provision | None) -> None:
    # BnF records in transition carry the same statement in 210 and 214
    if provision is not None and provision not in rec.provision:
        rec.provision.append(provision)


def publication(rec: BibRecord, field: pymarc.Field, lang: str | None) -> None:
    """Publication, distribution, etc. (210): $a place, $c publisher, $d date;
    $e/$g/$h place, name and date of manufacture. 2nd indicator 1: not published.
    """
    subs = paired(field, rec, lang)
    kind = "Production" if field.indicators and field.indicators[1] == "1" else "Publication"
    _add_provision(rec, _provision(kind, subs, "acd", lang))
    _add_provision(rec, _provision("Manufacture", subs, "egh", lang))


def production(rec: BibRecord, field: pymarc.Field, lang: str | None) -> None:
    """Production, publication, distribution, manufacture and copyright notice (214):
    the 2nd indicator names the function; $a place, $c name, $d date.
    """
    kind = _PROVISION_214.get(field.indicators[1] if field.indicators else "", "Publication")
    _add_provision(rec, _provision(kind, paired(field, rec, lang), "acd", lang))


def physical(rec: BibRecord, field: pymarc.Field, lang: str | None) -> None:
    """Physical description (215): $a extent, $d dimensions."""
    for sub in paired(field, rec, lang):
        if sub.code == "a":
            rec.extent.extend(texts(sub, lang))
        elif sub.code == "d":
            rec.dimensions.extend(texts(sub, lang))


# --- series ---------------------------------------------------------------------------


def _issn(value: str | None) -> str | None:
    if not value:
        return None
    ident = issn_identifier(value)
    return value if ident.invalid else ident.value


def _add_series(rec: BibRecord, series: Series) -> None:
    """Add a series, or complete the one already there with the same title (225 and 410)."""
    key = series.title[0].value.casefold()
    for known in rec.series:
        if any(t.value.casefold() == key for t in known.title):
            known.volume = known.volume or series.volume
            known.issn = known.issn or series.issn
            return
    rec.series.append(series)


def series_statement(rec: BibRecord, field: pymarc.Field, lang: str | None) -> None:
    """Series (225): $a title ($h/$i part of a subseries), $d parallel title, $v volume, $x ISSN."""
    subs = paired(field, rec, lang)
    title = joined_texts(subs, "ahi", lang, ". ")
    if not title:
        return
    title.extend(text(s.value, lang) for s in subs if s.code == "d")
    _add_series(rec, Series(title, first(field, "v"), _issn(first(field, "x"))))


def series_link(rec: BibRecord, field: pymarc.Field, lang: str | None) -> None:
    """Series link (410), in either technique: standard subfields ($t title, $v
    volume, $x ISSN) or embedded fields ($1 200... $a title, $1 011... $a ISSN).
    """
    title = volume = issn = None
    embedded = None
    for code, raw in field.subfields:
        if code == "1":
            embedded = raw[:3]
            continue
        value = value_of(raw)
        if not value:
            continue
        if code == "v":
            volume = volume or value
        elif code == "x" or (embedded == "011" and code == "a"):
            issn = issn or value
        elif code == "t" or (embedded in ("200", "225") and code == "a"):
            title = title or value
    if title:
        _add_series(rec, Series([text(title, lang)], volume, _issn(issn)))


# --- notes ----------------------------------------------------------------------------

# UNIMARC note fields whose meaning matches a MARC21 note, named as loaders.marc.marc21 names it
_NOTE_KINDS = {
    "300": "general",
    "316": "copy-note",
    "320": "bibliography",
    "321": "references",
    "324": "original-version",
    "325": "reproduction",
    "327": "contents",
    "328": "dissertation",
    "333": "audience",
    "336": "system",
    "337": "system",
    "345": "acquisition",
}


def note(rec: BibRecord, field: pymarc.Field, lang: str | None) -> None:
    """Notes (3XX): $a text; 330 (summary or abstract) becomes bf:summary."""
    subs = paired(field, rec, lang)
    if field.tag == "330":
        rec.summaries.extend(joined_texts(subs, "a", lang))
        return
    content = joined_texts(subs, "a", lang, " -- " if field.tag == "327" else " ")
    if content:
        rec.notes.append(Note(_NOTE_KINDS.get(field.tag, f"note-{field.tag}"), content))


def cataloguing_source(rec: BibRecord, field: pymarc.Field, lang: str | None) -> None:
    """Originating source (801): $a country, $b agency, $c date, as "CN BNU 19950626"."""
    parts = (first_raw(field, code) for code in "abc")
    source = " ".join(p for p in parts if p)
    if source:
        rec.notes.append(Note("cataloguing-source", [Text(source)]))

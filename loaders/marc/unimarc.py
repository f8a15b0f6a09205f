"""CNMARC/UNIMARC bibliographic record → :class:`kg.model.BibRecord` (BIBFRAME 2 shape).

Record-level data comes from the leader, 001, 100, 101 and 102; data fields
are dispatched by tag (:data:`FIELD_HANDLERS`) to the handlers in
``unimarc_description``, ``unimarc_agents`` and ``unimarc_subjects``; local
holdings come from the fields in ``holding_tags`` (``unimarc_holdings``).
Field meanings follow UNIMARC/B and the CNMARC definitions shipped with dp2
(``unimarc_cfgs/marcdef``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pymarc

from kg.model import BibRecord, Identifier, RecordStatus
from loaders.marc.common import isbn_identifier, issn_identifier, year
from loaders.marc.errors import MappingError
from loaders.marc.unimarc_agents import contribution
from loaders.marc.unimarc_description import (
    cataloguing_source,
    edition,
    note,
    other_title,
    physical,
    production,
    publication,
    series_link,
    series_statement,
    title_statement,
)
from loaders.marc.unimarc_holdings import (
    CNMARC_905,
    DEFAULT_HOLDING_TAGS,
    HOLDING_LAYOUTS,
    HoldingLayout,
    add_holding,
)
from loaders.marc.unimarc_subjects import classification, subject, uncontrolled
from loaders.marc.unimarc_text import Handler, first, value_of, values

__all__ = ["DEFAULT_HOLDING_TAGS", "HOLDING_LAYOUTS", "HoldingLayout", "map_unimarc"]

# Record status (leader/05): c corrected, d deleted, n new, o previously issued higher
# level, p previously issued as incomplete/pre-publication.
STATUS: dict[str, RecordStatus] = {"c": "corrected", "p": "corrected", "d": "deleted"}
# Type of record (leader/06) → bf:Work subclass; CNMARC adds u (rubbings 拓片) and
# v (rare books 善本).
CONTENT_TYPES = {
    "a": "Text",
    "b": "Text",
    "c": "NotatedMusic",
    "d": "NotatedMusic",
    "e": "Cartography",
    "f": "Cartography",
    "g": "MovingImage",
    "i": "Audio",
    "j": "Audio",
    "k": "StillImage",
    "l": "Multimedia",
    "m": "MixedMaterial",
    "r": "Object",
    "u": "StillImage",
    "v": "Text",
}
# Bibliographic level (leader/07) → issuance.
ISSUANCE = {
    "a": "component",
    "b": "component",
    "c": "collection",
    "i": "integrating",
    "m": "monograph",
    "s": "serial",
}


# --- identifiers and coded data -------------------------------------------------------


def isbn(rec: BibRecord, field: pymarc.Field, lang: str | None) -> None:
    """ISBN (010): $a ISBN, $b qualification, $z erroneous ISBN; $d price is ignored."""
    qualifier = "; ".join(values(field, "b")) or None
    for code, raw in field.subfields:
        if code in "az" and raw.strip():
            ident = isbn_identifier(raw, invalid=code == "z")
            ident.qualifier = ident.qualifier or qualifier
            rec.identifiers.append(ident)


def issn(rec: BibRecord, field: pymarc.Field, lang: str | None) -> None:
    """ISSN (011): $a ISSN, $b qualification, $y cancelled and $z erroneous ISSN."""
    qualifier = "; ".join(values(field, "b")) or None
    for code, raw in field.subfields:
        if code in "ayz" and raw.strip():
            ident = issn_identifier(raw, invalid=code != "a")
            ident.qualifier = qualifier
            rec.identifiers.append(ident)


def system_number(rec: BibRecord, field: pymarc.Field, lang: str | None) -> None:
    """Other system control numbers (035): ``(aleph)000218074BNU03`` → bf:Local from
    "aleph"; ``(OCoLC)`` numbers become bf:OclcNumber; $z is cancelled.
    """
    for code, raw in field.subfields:
        original = raw.strip()
        if code not in "az" or not original:
            continue
        source, number = None, original
        if original.startswith("(") and ")" in original:
            source, _, number = original[1:].partition(")")
            number = number.strip()
        if source == "OCoLC":
            number = number.lstrip("ocmnl").strip()
            kind = "OclcNumber"
        else:
            kind = "Local"
        rec.identifiers.append(
            Identifier(kind, number, original, source=source or None, invalid=code == "z")
        )


def general_processing(rec: BibRecord, field: pymarc.Field, lang: str | None) -> None:
    """General processing data (100 $a): date 1 at positions 9-12."""
    if rec.date is None:
        data = next((raw for code, raw in field.subfields if code == "a"), "")
        rec.date = year(data[9:13])


def country(rec: BibRecord, field: pymarc.Field, lang: str | None) -> None:
    """Country of publication or production (102 $a); XX (unknown) is left out."""
    code = first(field, "a")
    if rec.country is None and code and code.upper() != "XX":
        rec.country = code


def languages(rec: BibRecord, record: pymarc.Record) -> str | None:
    """Languages of the text (101 $a, every occurrence; codes may run together)."""
    for field in record.get_fields("101"):
        for code, raw in field.subfields:
            value = raw.strip().lower() if code == "a" else ""
            for i in range(0, len(value) - 2, 3):
                lang = value[i : i + 3]
                if lang.isalpha() and lang not in rec.languages:
                    rec.languages.append(lang)
    return rec.languages[0] if rec.languages else None


def _table(pairs: Iterable[tuple[Iterable[str], Handler]]) -> dict[str, Handler]:
    return {tag: handler for tags, handler in pairs for tag in tags}


FIELD_HANDLERS: dict[str, Handler] = _table(
    [
        (("010",), isbn),
        (("011",), issn),
        (("035",), system_number),
        (("100",), general_processing),
        (("102",), country),
        (("200",), title_statement),
        (("205",), edition),
        (("210",), publication),
        (("214",), production),
        (("215",), physical),
        (("225",), series_statement),
        (("410",), series_link),
        ((str(tag) for tag in range(300, 346)), note),
        (
            (
                "500",
                "501",
                "510",
                "512",
                "513",
                "514",
                "515",
                "516",
                "517",
                "518",
                "530",
                "531",
                "540",
                "541",
            ),
            other_title,
        ),
        (("600", "601", "602", "604", "605", "606", "607", "608"), subject),
        (("610",), uncontrolled),
        (("675", "676", "680", "686", "690", "692"), classification),
        (("700", "701", "702", "710", "711", "712", "720", "721", "722"), contribution),
        (("801",), cataloguing_source),
    ]
)


# --- the record -----------------------------------------------------------------------


def _control_number(record: pymarc.Record) -> str:
    field = record.get("001")
    return str(field.data or "").strip() if field is not None else ""


def _title_proper(record: pymarc.Record) -> str:
    field = record.get("200")
    if field is None:
        return ""
    return next((v for code, raw in field.subfields if code == "a" and (v := value_of(raw))), "")


def map_unimarc(
    record: pymarc.Record,
    holding_tags: Iterable[str] = DEFAULT_HOLDING_TAGS,
    *,
    holding_layouts: Mapping[str, HoldingLayout] = HOLDING_LAYOUTS,
) -> BibRecord:
    """Describe one CNMARC/UNIMARC bibliographic record.

    ``holding_tags`` are the local fields read as holdings (905, 906, 995 by
    default); a tag missing from ``holding_layouts`` is read like CNMARC 905.

    :raises MappingError: ``missing-control-number`` without 001,
        ``missing-title`` without a title proper (200 $a).
    """
    control = _control_number(record)
    title = _title_proper(record)
    if not control:
        detail = f"the record has no 001 control number (200 $a: {title!r})"
        raise MappingError("missing-control-number", detail)
    if not title:
        raise MappingError("missing-title", f"record {control} has no title proper (200 $a)")
    leader = str(record.leader).replace("-", " ")
    rec = BibRecord(
        control_number=control,
        flavour="unimarc",
        status=STATUS.get(leader[5:6], "new"),
        content_type=CONTENT_TYPES.get(leader[6:7], "Text"),
        issuance=ISSUANCE.get(leader[7:8]),
    )
    lang = languages(rec, record)
    holding_set = frozenset(holding_tags)
    for field in record.fields:
        handler = FIELD_HANDLERS.get(field.tag)
        if handler is not None:
            handler(rec, field, lang)
        elif field.tag in holding_set:
            add_holding(rec.holdings, field, holding_layouts.get(field.tag, CNMARC_905))
    return rec

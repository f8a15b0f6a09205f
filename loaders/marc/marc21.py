"""MARC21 bibliographic record → :class:`kg.model.BibRecord` (BIBFRAME 2 shape).

Record-level data comes from the leader and 008; data fields are dispatched
by tag to :mod:`loaders.marc.marc21_fields`; holdings come from 852 and the
local 9XX fields an institution uses (see :data:`DEFAULT_HOLDINGS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pymarc

from kg.model import BibRecord, Holding, RecordStatus, Text
from loaders.marc.common import clean, year
from loaders.marc.errors import MappingError
from loaders.marc.linkage import pair_fields
from loaders.marc.marc21_fields import FIELD_HANDLERS, subs

# Type of record (leader/06) → bf:Work subclass.
CONTENT_TYPES = {
    "a": "Text",
    "t": "Text",
    "c": "NotatedMusic",
    "d": "NotatedMusic",
    "e": "Cartography",
    "f": "Cartography",
    "g": "MovingImage",
    "i": "Audio",
    "j": "Audio",
    "k": "StillImage",
    "m": "Multimedia",
    "o": "MixedMaterial",
    "p": "MixedMaterial",
    "r": "Object",
}
# Bibliographic level (leader/07) → bf:issuance.
ISSUANCE = {
    "a": "serial-component",
    "b": "serial-component",
    "c": "collection",
    "d": "subunit",
    "i": "integrating",
    "m": "monograph",
    "s": "serial",
}
# Record status (leader/05).
STATUS: dict[str, RecordStatus] = {"d": "deleted", "c": "corrected", "a": "corrected"}


@dataclass(frozen=True, slots=True)
class HoldingSpec:
    """Where a holdings field keeps call number, location, sublocation, barcode and copies."""

    shelf_mark: str
    location: str = ""
    sublocation: str = ""
    barcode: str = ""
    copies: str = ""
    note: str = ""


DEFAULT_HOLDINGS: Mapping[str, HoldingSpec] = {
    # Location (852): $b location, $c shelving location, $h-$k call number, $p barcode.
    # Local item fields differ per system (Koha 952: $o call number, $a branch, $p barcode;
    # SirsiDynix 999: $a call number, $m library, $i barcode): give them in a holdings
    # profile (loaders/marc/holdings.py), never by default, since e.g. Alma's 952 means
    # something else than Koha's.
    "852": HoldingSpec("hijk", "b", "c", "p", "t", "z"),
}


def map_marc21(
    record: pymarc.Record, holding_fields: Mapping[str, HoldingSpec] = DEFAULT_HOLDINGS
) -> BibRecord:
    """Describe one MARC21 bibliographic record.

    :raises MappingError: when the record has no control number (001) or no
        title (245 $a, or its 880).
    """
    control = (record["001"].data or "").strip() if "001" in record else ""
    if not control:
        raise MappingError("missing-control-number", "the record has no 001 control number")
    leader = str(record.leader)
    rec = BibRecord(
        control_number=control,
        flavour="marc21",
        status=STATUS.get(leader[5:6], "new"),
        content_type=CONTENT_TYPES.get(leader[6:7], "Text"),
        issuance=ISSUANCE.get(leader[7:8]),
    )
    if "003" in record and (record["003"].data or "").strip():
        rec.control_source = (record["003"].data or "").strip()
    _fixed_fields(rec, record)
    lang = rec.languages[0] if rec.languages else None
    for pair in pair_fields(record):
        handler = FIELD_HANDLERS.get(pair.tag)
        if handler is not None:
            handler(rec, pair, lang)
        elif pair.field is None and pair.vernacular is not None:
            rec.unlinked.extend(_unlinked(pair.vernacular))
        if pair.field is not None and pair.tag in holding_fields:
            _add_holding(rec, _holding(pair.field, holding_fields[pair.tag]))
    title = rec.main_title()
    if title is None or not title.main:
        raise MappingError("missing-title", f"record {control} has no title (245 $a)")
    return rec


def _fixed_fields(rec: BibRecord, record: pymarc.Record) -> None:
    """Date 1 (008/07-10), place of publication (008/15-17), language (008/35-37)."""
    if "008" not in record:
        return
    data = record["008"].data or ""
    rec.date = year(data[7:11])
    country = data[15:18].strip(" |\\#")
    rec.country = country or None
    lang = data[35:38].strip(" |\\#^").lower()
    if len(lang) == 3 and lang.isalpha():
        rec.languages.append(lang)


def _add_holding(rec: BibRecord, holding: Holding) -> None:
    """A field with only barcodes (an item field beside an 852) belongs to the holding before."""
    if rec.holdings and not (holding.shelf_mark or holding.location or holding.sublocation):
        rec.holdings[-1].barcodes.extend(holding.barcodes)
    else:
        rec.holdings.append(holding)


def _holding(field: pymarc.Field, spec: HoldingSpec) -> Holding:
    """One bf:Item's shelf mark, location and barcodes from a holdings field."""

    def first(codes: str) -> str | None:
        return clean(" ".join(subs(field, codes))) or None if codes else None

    copies = first(spec.copies)
    return Holding(
        shelf_mark=first(spec.shelf_mark),
        location=first(spec.location),
        sublocation=first(spec.sublocation),
        barcodes=[b.strip() for b in subs(field, spec.barcode)] if spec.barcode else [],
        copies=int(copies) if copies and copies.isdigit() else None,
        note=first(spec.note),
    )


def _unlinked(field: pymarc.Field) -> list[Text]:
    """An 880 whose linked tag is not mapped: its text is kept, untyped."""
    text = " ".join(s.value.strip() for s in field.subfields if s.code != "6").strip()
    return [Text(text)] if text else []

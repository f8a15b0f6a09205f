"""MARC21 880 alternate graphic representation, linked through subfield $6.

A regular field carries ``$6 880-NN``; its partner 880 carries
``$6 TAG-NN/SCRIPT[/r]``. Occurrence ``00`` means the 880 has no partner.
"""

from __future__ import annotations

from dataclasses import dataclass

import pymarc

from loaders.marc.common import MARC_SCRIPT_CODES


@dataclass(frozen=True, slots=True)
class Link:
    """A parsed $6 (Linkage): linked tag, occurrence number and script code."""

    tag: str
    occurrence: str
    script: str | None


def parse_link(value: str) -> Link | None:
    """Parse ``880-02`` or ``245-02/$1`` (MARC21 "Control subfields", $6).

    >>> parse_link("245-02/$1")
    Link(tag='245', occurrence='02', script='Hani')
    """
    head, _, rest = value.strip().partition("/")
    tag, _, occurrence = head.partition("-")
    if len(tag) != 3 or not occurrence:
        return None
    script_code = rest.split("/")[0] if rest else ""
    return Link(tag, occurrence[:2], MARC_SCRIPT_CODES.get(script_code))


def link_of(field: pymarc.Field) -> Link | None:
    """The field's $6 linkage, if any."""
    for sub in field.subfields:
        if sub.code == "6":
            return parse_link(sub.value)
    return None


@dataclass(slots=True)
class Paired:
    """A field with its 880 partner; an unmatched 880 stands alone as ``vernacular``."""

    tag: str
    field: pymarc.Field | None
    vernacular: pymarc.Field | None
    script: str | None


def pair_fields(record: pymarc.Record) -> list[Paired]:
    """Every data field paired with its 880; unmatched 880s kept under their linked tag."""
    partners: dict[tuple[str, str], tuple[pymarc.Field, Link]] = {}
    for f880 in record.get_fields("880"):
        link = link_of(f880)
        if link is not None and link.occurrence != "00":
            partners.setdefault((link.tag, link.occurrence), (f880, link))
    used: set[int] = set()
    paired: list[Paired] = []
    for field in record.fields:
        if field.tag == "880" or field.is_control_field():
            continue
        partner = None
        link = link_of(field) if partners else None
        if link is not None and link.tag == "880":
            partner = partners.get((field.tag, link.occurrence))
        if partner is not None:
            used.add(id(partner[0]))
            paired.append(Paired(field.tag, field, partner[0], partner[1].script))
        else:
            paired.append(Paired(field.tag, field, None, None))
    for f880 in record.get_fields("880"):
        if id(f880) in used:
            continue
        link = link_of(f880)
        tag = link.tag if link is not None else "880"
        paired.append(Paired(tag, None, f880, link.script if link else None))
    return paired

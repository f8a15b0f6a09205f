"""Local holdings fields of CNMARC/UNIMARC records as :class:`kg.model.Holding`.

- 905 (CNMARC 馆藏信息, dp2/CALIS): $a holding institution, $b accession number,
  $c shelving mark (排架区分号), $d class number, $e book number (书次号),
  $f number of copies, $s call number (索取号), $v volumes held, $y years held.
  One Holding per 905.
- 906 (BNU/CALIS copies): $a library code, $b barcode, $d class number, $e book number.
- 995 (Koha UNIMARC items): $b home library, $e shelving location, $f barcode, $k call number.

906 and 995 describe one copy each: a copy whose shelf mark matches a holding
already read adds its barcode to it instead of making a new Holding.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pymarc

from kg.model import Holding
from loaders.marc.unimarc_text import first, values


@dataclass(frozen=True, slots=True)
class HoldingLayout:
    """Which subfields of a holdings field say what (codes as strings, "" for none)."""

    shelf_mark: str = ""
    class_number: str = ""
    """Used with ``book_number`` ("F124/26") when the field has no call number."""
    book_number: str = ""
    location: str = ""
    sublocation: str = ""
    barcodes: str = ""
    copies: str = ""
    note: str = ""
    per_copy: bool = False
    """One field per copy: merged into the holding with the same shelf mark."""


CNMARC_905 = HoldingLayout(
    shelf_mark="s",
    class_number="d",
    book_number="e",
    location="a",
    sublocation="c",
    barcodes="b",
    copies="f",
    note="vy",
)
HOLDING_LAYOUTS: Mapping[str, HoldingLayout] = {
    "905": CNMARC_905,
    "906": HoldingLayout(
        class_number="d", book_number="e", location="a", barcodes="b", per_copy=True
    ),
    "995": HoldingLayout(
        shelf_mark="k", location="b", sublocation="e", barcodes="f", per_copy=True
    ),
}
DEFAULT_HOLDING_TAGS: tuple[str, ...] = ("905", "906", "995")


def shelf_mark(field: pymarc.Field, layout: HoldingLayout) -> str | None:
    """The call number, else class number and book number joined with "/" (F124/26)."""
    if layout.shelf_mark:
        call = " ".join(values(field, layout.shelf_mark))
        if call:
            return call
    parts = [first(field, codes) for codes in (layout.class_number, layout.book_number) if codes]
    return "/".join(p for p in parts if p) or None


def holding(field: pymarc.Field, layout: HoldingLayout) -> Holding | None:
    """One Holding from a holdings field, or None when it names nothing."""
    copies = first(field, layout.copies) if layout.copies else None
    out = Holding(
        shelf_mark=shelf_mark(field, layout),
        location=first(field, layout.location) if layout.location else None,
        sublocation=first(field, layout.sublocation) if layout.sublocation else None,
        barcodes=values(field, layout.barcodes) if layout.barcodes else [],
        copies=int(copies) if copies and copies.isdigit() else None,
        note="; ".join(values(field, layout.note)) or None if layout.note else None,
    )
    if out.shelf_mark or out.location or out.barcodes:
        return out
    return None


def add_holding(holdings: list[Holding], field: pymarc.Field, layout: HoldingLayout) -> None:
    """Add the holding a field describes; a copy field joins its shelf mark's holding."""
    new = holding(field, layout)
    if new is None:
        return
    if layout.per_copy and new.shelf_mark:
        for known in holdings:
            if known.shelf_mark == new.shelf_mark:
                known.barcodes.extend(b for b in new.barcodes if b not in known.barcodes)
                known.location = known.location or new.location
                known.sublocation = known.sublocation or new.sublocation
                return
    holdings.append(new)

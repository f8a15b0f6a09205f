"""Per-institution holdings profiles: which local field holds a member's items.

Members' library systems put item data in different fields (MARC21 852, Koha
952, SirsiDynix 999, Aleph/CALIS 905/906 in CNMARC...). A profile is a small
TOML file a curator passes with ``kg load marc --holdings FILE``::

    # where JXUFE's system writes its items
    [fields.949]
    shelf_mark = "a"      # subfield codes, several allowed: "hi"
    location = "l"
    barcode = "i"

Tags in the profile are added to (or replace) the built-in defaults.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path

import pymarc

from kg.model import BibRecord
from loaders.marc.marc21 import DEFAULT_HOLDINGS, HoldingSpec, map_marc21
from loaders.marc.unimarc import DEFAULT_HOLDING_TAGS, HOLDING_LAYOUTS, HoldingLayout, map_unimarc

KEYS = ("shelf_mark", "location", "sublocation", "barcode", "copies", "note")

Profile = dict[str, dict[str, str]]
Mapper = Callable[[pymarc.Record], BibRecord]


class ProfileError(ValueError):
    """A holdings profile that cannot be used: names the file and the problem."""


def read_profile(path: Path) -> Profile:
    """The ``[fields.TAG]`` tables of a holdings profile.

    :raises ProfileError: for TOML syntax errors, a tag that is not three characters,
        or a key other than shelf_mark, location, sublocation, barcode, copies, note.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"{path}: {exc}") from exc
    fields = data.get("fields")
    if not isinstance(fields, dict) or not fields:
        raise ProfileError(f"{path}: no [fields.TAG] table (e.g. [fields.949])")
    profile: Profile = {}
    for tag, spec in fields.items():
        if len(tag) != 3 or not isinstance(spec, dict):
            raise ProfileError(f"{path}: [fields.{tag}] must name a three-character tag")
        unknown = sorted(set(spec) - set(KEYS))
        if unknown:
            raise ProfileError(
                f"{path}: [fields.{tag}] has unknown key(s) {', '.join(unknown)}; "
                f"use {', '.join(KEYS)}"
            )
        profile[tag] = {k: str(v) for k, v in spec.items()}
    return profile


def mapper_for(flavour: str, profile: Profile | None = None) -> Mapper:
    """The mapping function for a flavour, with a member's holdings profile applied."""
    profile = profile or {}
    if flavour == "unimarc":
        layouts: dict[str, HoldingLayout] = dict(HOLDING_LAYOUTS)
        for tag, spec in profile.items():
            layouts[tag] = HoldingLayout(
                shelf_mark=spec.get("shelf_mark", ""),
                location=spec.get("location", ""),
                sublocation=spec.get("sublocation", ""),
                barcodes=spec.get("barcode", ""),
                copies=spec.get("copies", ""),
                note=spec.get("note", ""),
            )
        tags = tuple(dict.fromkeys((*DEFAULT_HOLDING_TAGS, *profile)))
        return partial(map_unimarc, holding_tags=tags, holding_layouts=layouts)
    specs: dict[str, HoldingSpec] = dict(DEFAULT_HOLDINGS)
    for tag, spec in profile.items():
        specs[tag] = HoldingSpec(
            spec.get("shelf_mark", ""),
            spec.get("location", ""),
            spec.get("sublocation", ""),
            spec.get("barcode", ""),
            spec.get("copies", ""),
            spec.get("note", ""),
        )
    fields: Mapping[str, HoldingSpec] = specs
    return partial(map_marc21, holding_fields=fields)

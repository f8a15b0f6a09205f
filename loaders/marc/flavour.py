"""MARC21 or UNIMARC (incl. CNMARC)? Decided per file from the first records.

The two formats share the ISO 2709 / MARCXML containers but not the tag semantics:

* UNIMARC: 200 (title, with $a) and no 245; 100 $a is coded data starting with the
  entry date 'YYYYMMDD'; 101 (language), 801 (originating source).
* MARC21: 245 (title), 008 (fixed-length data elements), 040 (cataloguing source).

Folder names and namespaces lie (qa-catalogue's ``unimarc/short.firenze.1977.mrc`` is a
MARC21 export from ICCU), so only the content is scored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pymarc

MARC21 = "marc21"
UNIMARC = "unimarc"
FLAVOURS = (MARC21, UNIMARC)
SAMPLE_SIZE = 20


@dataclass(frozen=True, slots=True)
class Sample:
    """What flavour detection needs from one record."""

    tags: frozenset[str]
    f100a: str | None = None  # first 100 $a
    f200a: bool = False  # 200 has a $a


def coded_100a(value: str | None) -> bool:
    """UNIMARC 100 $a/0-7 is the date entered on file, YYYYMMDD (19xx or 20xx)."""
    if not value or len(value) < 9:
        return False
    return value[:8].isdigit() and value[:2] in ("19", "20")


def score(sample: Sample) -> tuple[int, int]:
    """(MARC21 points, UNIMARC points) for one record."""
    tags = sample.tags
    marc21 = 3 * ("245" in tags) + ("008" in tags) + ("040" in tags)
    unimarc = (
        3 * ("200" in tags and sample.f200a and "245" not in tags)
        + 2 * coded_100a(sample.f100a)
        + ("101" in tags)
        + ("801" in tags)
    )
    return marc21, unimarc


def decide(samples: Iterable[Sample]) -> str:
    """The flavour with more points over the samples; MARC21 when undecided."""
    marc21 = unimarc = 0
    for sample in samples:
        m, u = score(sample)
        marc21 += m
        unimarc += u
    return UNIMARC if unimarc > marc21 else MARC21


def sample_record(record: pymarc.Record) -> Sample:
    """Features of a decoded record."""
    tags = frozenset(f.tag for f in record.fields)
    f100 = record.get("100")
    f200 = record.get("200")
    f100a = None if f100 is None or f100.control_field else f100.get("a")
    f200a = f200 is not None and not f200.control_field and f200.get("a") is not None
    return Sample(tags, f100a, f200a)


def sample_iso(chunk: bytes) -> Sample | None:
    """Features read straight from an ISO 2709 record's directory, without decoding it.

    The encoding rules differ between the flavours, so this must work before decoding.
    """
    end = chunk.find(b"\x1e", 24)
    if end < 24:
        return None
    directory = chunk[24:end]
    if len(directory) % 12 or not directory.isascii():
        return None
    base = end + 1
    tags: set[str] = set()
    f100a: str | None = None
    f200a = False
    for i in range(0, len(directory), 12):
        tag = directory[i : i + 3].decode("ascii")
        tags.add(tag)
        if tag in ("100", "200") and directory[i + 3 : i + 12].isdigit():
            start = base + int(directory[i + 7 : i + 12])
            data = chunk[start : start + int(directory[i + 3 : i + 7])]
            pos = data.find(b"\x1fa")
            if tag == "200":
                f200a = f200a or pos >= 0
            elif pos >= 0 and f100a is None:
                f100a = data[pos + 2 : pos + 14].decode("latin-1")
    return Sample(frozenset(tags), f100a, f200a)

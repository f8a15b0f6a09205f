"""Subfield text for the CNMARC/UNIMARC mapping: cleaning, language tags, pinyin partners.

dp2 CNMARC records carry the pinyin of a subfield in the same field under the
upper-case code ($A is the pinyin of $a, $F of $f); the CNMARC standard puts
the pinyin of $a in $9. Either way the Han text and its pinyin become two
literals on the same entity: ``Text(value, "zh-Hans")`` and
``Text(pinyin, "zh-Latn-pinyin")``. Pinyin whose partner is missing goes to
``BibRecord.unlinked``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import pymarc

from kg.model import BibRecord, Text
from loaders.marc.common import clean, has_han, has_letters, nfc, text_tagged, vernacular_tag

Handler = Callable[[BibRecord, pymarc.Field, str | None], None]
"""A field handler: adds what one data field says to the record (``lang`` is 101 $a)."""

PINYIN = "zh-Latn-pinyin"
_ROMANISED = {"jpn": "ja-Latn", "kor": "ko-Latn"}
# C1 non-sorting markers (NSB/NSE, and the ISO 6630 pair) that UNIMARC puts around articles.
_NON_SORT = str.maketrans("", "", "\x88\x89\x98\x9c")


@dataclass(frozen=True, slots=True)
class Sub:
    """One cleaned subfield and, for CNMARC, the pinyin of its text."""

    code: str
    value: str
    pinyin: str | None = None


def value_of(raw: str) -> str:
    """A subfield as text: NFC, non-sorting markers dropped, trailing ISBD punctuation cleaned.

    Brackets come off only when one pair encloses the whole value (``[S.l.]``),
    not from ``[Peter Bond] [au v.]`` (where ``clean`` would cut both ends).

    >>> value_of("<<The >>sweetest fig /"), value_of("[[S.l.]]"), value_of("[[a] [b]]")
    ('The sweetest fig', 'S.l.', '[a] [b]')
    """
    if "<<" in raw:
        raw = raw.replace("<<", "").replace(">>", "")
    if not raw.isascii():
        raw = nfc(raw).translate(_NON_SORT)
    if "[" not in raw:
        return clean(raw)
    value = _trailing(raw)
    while value.startswith("[") and value.endswith("]") and _enclosed(value):
        value = _trailing(value[1:-1])
    return value


def _trailing(value: str) -> str:
    """``clean`` of the trailing punctuation only (the "_" keeps it off the brackets)."""
    return clean("_" + value.strip())[1:]


def _enclosed(value: str) -> bool:
    """True when the opening bracket of ``value`` is closed by its last character."""
    depth = 0
    for i, ch in enumerate(value):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return i == len(value) - 1
    return False


def values(field: pymarc.Field, codes: str) -> list[str]:
    """Cleaned, non-empty values of the subfields whose code is in ``codes``, in field order."""
    out = []
    for code, raw in field.subfields:
        if code in codes:
            value = value_of(raw)
            if value:
                out.append(value)
    return out


def first(field: pymarc.Field, codes: str) -> str | None:
    """The first cleaned value among ``codes``, or None."""
    found = values(field, codes)
    return found[0] if found else None


def first_raw(field: pymarc.Field, codes: str) -> str | None:
    """The first value among ``codes``, only stripped (dates such as ``16..-16..``, numbers)."""
    return next((v for code, raw in field.subfields if code in codes and (v := raw.strip())), None)


def pinyin_tag(lang: str | None) -> str:
    """Tag for the romanised partner: pinyin, unless the record is Japanese or Korean."""
    return _ROMANISED.get(lang or "", PINYIN)


@lru_cache(maxsize=1 << 16)
def text(value: str, lang: str | None) -> Text:
    """A literal tagged only when Han script says something (cached: names and places repeat)."""
    return text_tagged(value, lang)


def text_in(value: str, declared: str | None, lang: str | None) -> Text:
    """A literal in a language the field declares ($z of 200/510/541), else as :func:`text`."""
    if declared:
        return Text(value, vernacular_tag(value, declared))
    return text(value, lang)


def romanised(value: str, lang: str | None) -> Text:
    """The pinyin (or other romanised) partner of Han text."""
    return Text(value, pinyin_tag(lang) if has_letters(value) else None)


def texts(sub: Sub, lang: str | None, declared: str | None = None) -> list[Text]:
    """The literal of a subfield and, when there is one, of its pinyin partner."""
    out = [text_in(sub.value, declared, lang)]
    if sub.pinyin and sub.pinyin != sub.value:
        out.append(romanised(sub.pinyin, lang))
    return out


def joined_texts(subs: list[Sub], codes: str, lang: str | None, sep: str = " ") -> list[Text]:
    """Subfields ``codes`` joined into one literal, with their pinyin joined into a partner."""
    picked = [s for s in subs if s.code in codes]
    if not picked:
        return []
    out = [text(sep.join(s.value for s in picked), lang)]
    pinyin = [s.pinyin for s in picked if s.pinyin]
    if pinyin:
        out.append(romanised(sep.join(pinyin), lang))
    return out


def paired(
    field: pymarc.Field, rec: BibRecord, lang: str | None, *, nine: bool = False
) -> list[Sub]:
    """The lower-case and numeric subfields in order, each with its pinyin partner.

    The n-th $A is the pinyin of the n-th $a, wherever it stands in the field.
    With ``nine``, $9 is the pinyin of $a (CNMARC 200, 5XX, 7XX) when $a is
    Han script. Pinyin left without a partner is kept in ``rec.unlinked``.
    """
    pinyin: dict[str, list[str]] = {}
    plain: list[tuple[str, str]] = []
    nines: list[str] = []
    for code, raw in field.subfields:
        if code.isupper():
            pinyin.setdefault(code.lower(), []).append(raw)
        elif code == "9" and nine:
            nines.append(raw)
        else:
            plain.append((code, raw))
    if nines:
        if any(code == "a" and has_han(raw) for code, raw in plain):
            pinyin.setdefault("a", []).extend(nines)
        else:
            plain.extend(("9", raw) for raw in nines)
    if not pinyin:
        return [Sub(code, value) for code, raw in plain if (value := value_of(raw))]
    return _partnered(plain, pinyin, rec, lang)


def _partnered(
    plain: list[tuple[str, str]], pinyin: dict[str, list[str]], rec: BibRecord, lang: str | None
) -> list[Sub]:
    seen: dict[str, int] = {}
    out: list[Sub] = []
    for code, raw in plain:
        index = seen.get(code, 0)
        seen[code] = index + 1
        partners = pinyin.get(code)
        partner = value_of(partners[index]) if partners and index < len(partners) else None
        value = value_of(raw)
        if value:
            out.append(Sub(code, value, partner or None))
        elif partner:
            rec.unlinked.append(romanised(partner, lang))
    for code, partners in pinyin.items():
        for raw in partners[seen.get(code, 0) :]:
            value = value_of(raw)
            if value:
                rec.unlinked.append(romanised(value, lang))
    return out


def unlink(rec: BibRecord, subs: list[Sub], lang: str | None) -> None:
    """Keep the pinyin of ``subs`` in ``rec.unlinked`` (its entity has no place for it)."""
    rec.unlinked.extend(romanised(s.pinyin, lang) for s in subs if s.pinyin)

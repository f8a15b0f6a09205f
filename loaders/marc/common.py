"""Helpers shared by the MARC21 and CNMARC/UNIMARC mappings.

Standard numbers are checked with python-stdnum; script and language tags
follow BCP 47 (``zh-Hans``, ``zh-Hant``, ``zh-Latn-pinyin``).
"""

from __future__ import annotations

import re
import unicodedata

from stdnum import isbn as stdnum_isbn
from stdnum import issn as stdnum_issn

from kg.keys import converter
from kg.model import Identifier, Text

_ISBN_CHARS = re.compile(r"[0-9Xx][0-9Xx\- ]{8,16}[0-9Xx]")
_TRAILING_PUNCT = " /:;,=.+"
_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_LETTER = re.compile(r"[^\W\d_]")

# ISO 639-2/B language codes to BCP 47 primary subtags, for the languages whose
# parallel scripts MARC 880 fields and CNMARC records carry.
ISO639_2_TO_BCP47: dict[str, str] = {
    "chi": "zh",
    "zho": "zh",
    "jpn": "ja",
    "kor": "ko",
    "eng": "en",
    "fre": "fr",
    "fra": "fr",
    "ger": "de",
    "deu": "de",
    "rus": "ru",
    "ara": "ar",
    "heb": "he",
    "gre": "el",
    "ell": "el",
    "spa": "es",
    "ita": "it",
    "per": "fa",
    "fas": "fa",
    "yid": "yi",
    "ukr": "uk",
    "bul": "bg",
    "srp": "sr",
    "mon": "mn",
    "tib": "bo",
    "bod": "bo",
    "vie": "vi",
    "tha": "th",
    "lat": "la",
    "por": "pt",
    "dut": "nl",
    "nld": "nl",
    "pol": "pl",
    "cze": "cs",
    "ces": "cs",
    "hun": "hu",
    "swe": "sv",
    "dan": "da",
    "nor": "no",
    "fin": "fi",
    "tur": "tr",
    "rum": "ro",
    "ron": "ro",
}

# MARC 880 $6 script identification codes (MARC21 "Linkage" appendix).
MARC_SCRIPT_CODES: dict[str, str] = {
    "(3": "Arab",
    "(B": "Latn",
    "$1": "Hani",
    "(N": "Cyrl",
    "(S": "Grek",
    "(2": "Hebr",
}

_ROMANISATION: dict[str, str] = {"zh": "zh-Latn-pinyin", "ja": "ja-Latn", "ko": "ko-Latn"}


def clean(value: str | None) -> str:
    """Strip ISBD punctuation and spaces that MARC leaves at the end of subfields.

    A final period stays after an abbreviation (a last word of at most three
    letters, such as ``ed.`` or ``Inc.``); one pair of square brackets around
    the whole value (a cataloguer's supplied text) is removed.

    >>> clean("Poyang Lake /"), clean("3rd ed."), clean("[Peter Bond] [au v.]"), clean("[S.l.]")
    ('Poyang Lake', '3rd ed.', '[Peter Bond] [au v.]', 'S.l.')
    """
    if not value:
        return ""
    text = value.strip()
    while text and text[-1] in _TRAILING_PUNCT:
        if text[-1] == "." and _abbreviation(text):
            break
        text = text[:-1].rstrip()
    if text.startswith("[") and text.endswith("]") and text.count("[") == 1 == text.count("]"):
        return text[1:-1].strip()
    return text


_ABBREVIATIONS = frozenset(
    [
        "ed",
        "eds",
        "éd",
        "éds",
        "hrsg",
        "aufl",
        "bd",
        "bde",
        "ed",
        "rev",
        "enl",
        "repr",
        "inc",
        "ltd",
        "co",
        "corp",
        "bros",
        "dept",
        "univ",
        "jr",
        "sr",
        "st",
        "dr",
        "mr",
        "mrs",
        "no",
        "nos",
        "vol",
        "vols",
        "v",
        "p",
        "pp",
        "ca",
        "cm",
        "mm",
        "ill",
        "illus",
        "col",
        "etc",
        "al",
        "fl",
        "b",
        "d",
        "trad",
        "tr",
        "comp",
        "n.d",
        "s.l",
        "s.n",
        "u.s",
        "u.k",
    ]
)


def _abbreviation(text: str) -> bool:
    """True when the final period belongs to an abbreviation or an initial (``ed.``, ``H.``)."""
    word = text[:-1].rsplit(" ", 1)[-1].lstrip("([")
    if word.casefold() in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
        return True
    return "." in word and all(len(part) <= 2 for part in word.split("."))


def nfc(value: str) -> str:
    """NFC-normalise text (Unicode Standard Annex #15)."""
    return unicodedata.normalize("NFC", value)


def has_han(value: str) -> bool:
    """True when the text contains a CJK unified ideograph."""
    return _HAN.search(value) is not None


def chinese_tag(value: str) -> str:
    """``zh-Hant`` or ``zh-Hans`` when OpenCC can tell the script, else ``zh-Hani``.

    >>> chinese_tag("中國圖書館"), chinese_tag("中国图书馆"), chinese_tag("江西")
    ('zh-Hant', 'zh-Hans', 'zh-Hani')
    """
    if converter("t2s").convert(value) != value:
        return "zh-Hant"
    if converter("s2t").convert(value) != value:
        return "zh-Hans"
    return "zh-Hani"


def vernacular_tag(value: str, language: str | None, script: str | None = None) -> str | None:
    """BCP 47 tag for text in its original script (MARC 880, CNMARC $a).

    >>> vernacular_tag("鄱阳湖", "chi"), vernacular_tag("東京", "jpn")
    ('zh-Hans', 'ja-Jpan')
    """
    lang = ISO639_2_TO_BCP47.get(language or "")
    script = script or _script_of(value)
    if has_han(value):
        if lang == "ja":
            return "ja-Jpan"
        if lang == "ko":
            return "ko-Kore"
        return chinese_tag(value)
    if lang and script and script != "Latn":
        return f"{lang}-{script}"
    return lang


def has_letters(value: str) -> bool:
    """True when the text has a letter (a bare date or number needs no language tag)."""
    return _LETTER.search(value) is not None


_SCRIPTS = (
    (re.compile("[\u0400-\u04ff]"), "Cyrl"),
    (re.compile("[\u0370-\u03ff]"), "Grek"),
    (re.compile("[\u0600-\u06ff]"), "Arab"),
    (re.compile("[\u0590-\u05ff]"), "Hebr"),
    (re.compile("[\u3040-\u30ff]"), "Jpan"),
    (re.compile("[\uac00-\ud7af]"), "Kore"),
)


def _script_of(value: str) -> str | None:
    """ISO 15924 code of the first non-Latin script found (when $6 names none)."""
    for pattern, code in _SCRIPTS:
        if pattern.search(value):
            return code
    return None


def romanised_tag(language: str | None) -> str | None:
    """BCP 47 tag for the romanised partner of vernacular text.

    >>> romanised_tag("chi"), romanised_tag("rus")
    ('zh-Latn-pinyin', 'ru-Latn')
    """
    lang = ISO639_2_TO_BCP47.get(language or "")
    if lang is None:
        return None
    return _ROMANISATION.get(lang, f"{lang}-Latn")


def text_tagged(value: str, language: str | None) -> Text:
    """A literal tagged only when its script says something (Han script → zh/ja/ko)."""
    return Text(value, vernacular_tag(value, language) if has_han(value) else None)


def isbn_identifier(raw: str, *, invalid: bool = False, source: str | None = None) -> Identifier:
    """bf:Isbn from an ISBN subfield (MARC21 020, CNMARC 010), normalised to ISBN-13.

    The catalogued string is kept in ``original``; a qualifier such as
    ``(pbk.)`` in ``qualifier``. An ISBN whose check digit fails is kept
    as catalogued and marked invalid.

    >>> i = isbn_identifier("7-5037-1744-0")
    >>> i.value, i.original, i.invalid
    ('9787503717444', '7-5037-1744-0', False)
    """
    original = raw.strip()
    match = _ISBN_CHARS.search(original)
    number = match.group(0) if match else original
    qualifier = clean(original[match.end() :]).strip("() ") if match else None
    compact = re.sub(r"[^0-9Xx]", "", number).upper()
    if not invalid and stdnum_isbn.is_valid(compact):
        value = stdnum_isbn.compact(stdnum_isbn.to_isbn13(compact))
        return Identifier("Isbn", value, original, qualifier or None, source)
    return Identifier("Isbn", compact or original, original, qualifier or None, source, True)


def issn_identifier(raw: str, *, invalid: bool = False) -> Identifier:
    """bf:Issn (MARC21 022, CNMARC 011), normalised to ``NNNN-NNNC``.

    >>> issn_identifier("0028-0836").value
    '0028-0836'
    """
    original = raw.strip()
    compact = re.sub(r"[^0-9Xx]", "", original).upper()
    if not invalid and len(compact) == 8 and stdnum_issn.is_valid(compact):
        return Identifier("Issn", f"{compact[:4]}-{compact[4:]}", original)
    return Identifier("Issn", compact or original, original, invalid=True)


def year(value: str | None) -> str | None:
    """A plausible four-digit year from a MARC date (008/07-10, 100/09-12)."""
    if value and len(value) >= 4 and value[:4].isdigit() and "0500" <= value[:4] <= "2100":
        return value[:4]
    return None

"""What a document says about itself: title, date and language.

The title comes from the file's metadata, else its first heading (HTML ``h1``, DOCX
``Title``), else the English title a Chinese journal prints above the author and the
English abstract, else the first meaningful line (its first sentence, labels such as
``〔摘要〕`` removed). Which one was used is kept (``kg:titleSource``), since a title taken
from the first line is devised, not transcribed. The date comes from metadata, else a
journal masthead (``2022年第43卷第7期``, ``2022, Vol. 43``) or a received date
(``收稿日期``). The language is Chinese or English by the share of Han characters; Chinese
text is ``zh-Hant`` when OpenCC's traditional-to-simplified conversion changes it markedly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.keys import converter
from loaders.docs.extract import Extracted

MAX_TITLE = 120
_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_ABSTRACT = re.compile(r"^Abstract\s*[:：]", re.I)
_AUTHOR = re.compile(r"^[A-Z][A-Za-z'\-]+(\s+[A-Z][A-Za-z'\-]+){0,3}([,，]\s*[A-Z].*)?$")
_LABEL = re.compile(
    r"^\s*([〔\[【(（]?\s*(摘\s*要|提\s*要|内容提要)\s*[〕\]】)）]?\s*[:：]?|Abstract\s*[:：])\s*"
)
_SENTENCE = re.compile(r"(?<=[。！？!?])|(?<=\.)\s")
_MASTHEAD_YEAR = re.compile(r"((?:19|20)\d{2})\s*年\s*第\s*\d+\s*卷|((?:19|20)\d{2})\s*,\s*Vol\.")
_RECEIVED = re.compile(
    r"收稿日期\s*[:：]\s*((?:19|20)\d{2})(?:[-年.\s]+(\d{1,2}))?(?:[-月.\s]+(\d{1,2}))?"
)
TRADITIONAL_SHARE = 0.05
"""Share of Han characters that OpenCC's t2s changes above which a text is traditional."""


@dataclass(frozen=True, slots=True)
class Language:
    """A document's language: MARC code (id.loc.gov/vocabulary/languages) and BCP 47 tag."""

    code: str
    tag: str


def language_of(text: str, sample: int = 20_000) -> Language:
    """Chinese (simplified or traditional) or English, by the characters of ``text``.

    >>> language_of("江西高校圖書館聯盟"), language_of("鄱阳湖").tag, language_of("Poyang Lake").tag
    (Language(code='chi', tag='zh-Hant'), 'zh-Hans', 'en')
    """
    head = text[:sample]
    han = _HAN.findall(head)
    if len(han) < 0.2 * max(1, len(_LATIN.findall(head)) / 5 + len(han)):
        return Language("eng", "en")
    return Language("chi", han_tag("".join(han)))


def han_tag(han: str) -> str:
    """``zh-Hant`` when t2s changes the text markedly, ``zh-Hans`` otherwise."""
    simplified = converter("t2s").convert(han)
    changed = sum(1 for a, b in zip(han, simplified, strict=False) if a != b)
    return "zh-Hant" if changed > TRADITIONAL_SHARE * len(han) else "zh-Hans"


def literal_tag(text: str) -> str | None:
    """The language tag of a short literal (a title): zh-Hans/zh-Hant, en, or None."""
    if _HAN.search(text):
        han = "".join(_HAN.findall(text))
        if converter("t2s").convert(han) != han:
            return "zh-Hant"
        return "zh-Hans" if converter("s2t").convert(han) != han else "zh-Hani"
    return "en" if _LATIN.search(text) else None


def title_of(extracted: Extracted, lines: list[str], paragraphs: list[str]) -> tuple[str, str]:
    """The title and where it came from (``metadata``, ``heading``, ``english-title``,
    ``first-line``); ``lines`` are the furniture-free lines, ``paragraphs`` the cleaned
    text's lines.

    >>> title_of(Extracted("", "txt"), ["共建共享。", "Build the Alliance", "Mao Xiangnong",
    ...     "(Institute, Nanchang)", "Abstract: This"], ["〔摘要〕 在海南。下一句。"])
    ('Build the Alliance', 'english-title')
    >>> title_of(Extracted("", "txt"), [], ["〔摘要〕 在海南医学图书馆联盟实践基础上。下一句。"])
    ('在海南医学图书馆联盟实践基础上', 'first-line')
    """
    if extracted.title:
        return _short(extracted.title), "metadata"
    if extracted.headings:
        return _short(extracted.headings[0]), "heading"
    english = _english_title(lines)
    if english:
        return english, "english-title"
    for paragraph in paragraphs:
        text = _LABEL.sub("", paragraph).strip()
        if _HAN.search(text) or _LATIN.search(text):
            first = _SENTENCE.split(text, maxsplit=1)[0].strip()
            return _short(first.rstrip("。！？!?. ")), "first-line"
    return "", "none"


def _english_title(lines: list[str]) -> str | None:
    """The English title block of a Chinese journal paper: title lines, an author line,
    an optional affiliation in parentheses, then ``Abstract:``."""
    for i, line in enumerate(lines):
        if not _ABSTRACT.match(line):
            continue
        j = i - 1
        if j >= 0 and lines[j].startswith("(") and lines[j].endswith(")"):
            j -= 1
        if j < 1 or not _AUTHOR.match(lines[j]):
            return None
        title: list[str] = []
        for k in range(j - 1, max(-1, j - 4), -1):
            if _HAN.search(lines[k]) or not _LATIN.search(lines[k]) or lines[k].endswith("."):
                break
            title.insert(0, lines[k])
        return _short(" ".join(title)) if title else None
    return None


def _short(text: str) -> str:
    """At most :data:`MAX_TITLE` characters, cut after a comma where one is near the end."""
    text = " ".join(text.split())
    if len(text) <= MAX_TITLE:
        return text
    cut = max(text.rfind("，", 0, MAX_TITLE), text.rfind(",", 0, MAX_TITLE))
    return text[: cut if cut > MAX_TITLE // 2 else MAX_TITLE].rstrip("，, ") + "…"


def date_of(extracted: Extracted, text: str) -> str | None:
    """The date of the document: metadata, else a masthead year or a received date in the
    (width-normalised) text.

    >>> date_of(Extracted("", "txt"), "医学信息学杂志 2022年第43卷第7期 JOURNAL")
    '2022'
    >>> date_of(Extracted("", "txt"), "收稿日期：2010-01-05"), date_of(Extracted("", "txt"), "")
    ('2010-01-05', None)
    """
    if extracted.date:
        return extracted.date
    match = _MASTHEAD_YEAR.search(text)
    if match:
        return match.group(1) or match.group(2)
    received = _RECEIVED.search(text)
    if received:
        year, month, day = received.groups()
        parts = [year] + [f"{int(p):02d}" for p in (month, day) if p]
        return "-".join(parts)
    return None


def summary_of(paragraphs: list[str]) -> str | None:
    """The abstract: the first paragraph labelled 摘要 / 〔摘要〕 / Abstract, label removed.

    >>> summary_of(["标题", "〔摘要〕 在海南医学图书馆联盟实践基础上。", "1 引言"])
    '在海南医学图书馆联盟实践基础上。'
    """
    for paragraph in paragraphs:
        if _LABEL.match(paragraph):
            return _LABEL.sub("", paragraph).strip() or None
    return None

"""Names that look like institutions or places the graph does not know yet.

A curator adds them to the roster or the gazetteer, or not: they are listed in the
load report, never added to the graph. Chinese: a run of name words (jieba tokens, not
stop words) ending in 大学图书馆, 学院图书馆, 医院图书馆, 研究所, or a word ending in 县 or 市;
English: capitalised words ending in University Library, Hospital Library, Institute,
County or City.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc

from kg.keys import converter

INSTITUTION_ENDINGS = ("大学图书馆", "学院图书馆", "医院图书馆", "研究所")
PLACE_ENDINGS = ("县", "市")
MAX_NAME = 16
GENERIC = frozenset(
    [
        "城市",
        "都市",
        "超市",
        "股市",
        "省市",
        "县市",
        "市县",
        "全市",
        "本市",
        "该市",
        "各市",
        "全县",
        "本县",
        "该县",
        "各县",
        "郊县",
        "县市区",
        "市县区",
        "附属",
        "各",
        "该",
        "本",
        "其",
        "其他",
        "一般",
        "相关",
        "重点",
        "高校",
        "大学",
        "学院",
        "医院",
        "省",
        "全国",
        "国内",
        "国外",
        "有关",
        "上述",
        "以下",
    ]
)
_ENGLISH = re.compile(
    r"\b((?:[A-Z][a-z]+\s+)(?:(?:of|and|for|the|[A-Z][a-z]+)\s+){0,6}"
    r"(?:University Library|Hospital Library|Institute|County|City))\b"
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A name not in the graph: the text as written, ``institution`` or ``place``, and how
    often the document has it."""

    name: str
    kind: str
    count: int


def candidates(
    docs: list[tuple[Doc, int]], original: str, linked: frozenset[str]
) -> list[Candidate]:
    """Candidate names in processed chunks ``(doc, offset)`` of ``original``, outside the
    names of the ``linked`` kinds (names are given as ``original`` writes them)."""
    found: Counter[tuple[str, str]] = Counter()
    for doc, offset in docs:
        # an institution's name is no candidate; a place name may start one ("江西…学院图书馆")
        known = {
            i
            for e in doc.ents
            if e.label_ in linked and e.label_ != "place"
            for i in range(e.start_char, e.end_char)
        }
        places = {(e.start_char, e.end_char) for e in doc.ents if e.label_ == "place"}
        spans = _chinese(doc) if doc.lang_ == "zh" else []
        for match in _ENGLISH.finditer(doc.text):
            kind = "place" if match.group(1).endswith(("County", "City")) else "institution"
            spans.append((match.group(1), kind, match.start(), match.end()))
        for _, kind, start, end in spans:
            if (start, end) not in places and not known.intersection(range(start, end)):
                found[original[offset + start : offset + end], kind] += 1
    return [Candidate(n, k, c) for (n, k), c in sorted(found.items(), key=lambda x: (-x[1], x[0]))]


def _chinese(doc: Doc) -> list[tuple[str, str, int, int]]:
    out = []
    stop_words = _stop_words()
    t2s = converter("t2s").convert
    for token in doc:
        word = t2s(token.text)
        if word.endswith(PLACE_ENDINGS):
            if 2 <= len(word) <= 4 and word not in GENERIC and word[:-1] not in GENERIC:
                out.append((token.text, "place", token.idx, token.idx + len(token.text)))
            continue
        if not word.endswith(("图书馆", "研究所")):
            continue
        start = token.i
        while start > 0 and len(doc[start - 1 : token.i + 1].text) < MAX_NAME:
            if not _name_word(doc[start - 1].text, stop_words):
                break
            start -= 1
        span = doc[start : token.i + 1]
        name = t2s(span.text)
        ending = next((e for e in INSTITUTION_ENDINGS if name.endswith(e)), None)
        if ending is None:
            continue
        specific = name.removesuffix(ending)
        if len(specific) >= 2 and specific not in GENERIC and not specific.startswith(("各", "该")):
            out.append((span.text, "institution", span.start_char, span.end_char))
    return out


def _name_word(text: str, stop_words: frozenset[str]) -> bool:
    return (
        bool(text)
        and all("\u3400" <= ch <= "\u9fff" for ch in text)
        and converter("t2s").convert(text) not in stop_words
    )


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.zh.stop_words import STOP_WORDS  # noqa: PLC0415

    return frozenset(STOP_WORDS) | {"由", "和", "与", "及", "在", "对", "向", "为", "是", "的"}

"""Repair what extraction did to a text before it is analysed.

Three kinds of damage, all present in ``../shared/data/documents``:

* **Full-width forms** (Unicode block FF00–FFEF, "Halfwidth and Fullwidth Forms"): digits,
  Latin letters and ASCII symbols typed or extracted full-width (``２０２２``, ``ＣＡＬＩＳ``)
  become ASCII; the full-width punctuation Chinese text uses (，：；！？（）) stays.
* **Page furniture**: page numbers and running heads (``·98·``), journal mastheads
  (``医学信息学杂志 2022年第43卷第7期 … JOURNAL OF …``), bare reference markers (``【1】``),
  continuation notes (``（下转第8页）``) and what follows ``（上接第81页）`` up to the next page
  break (the end of *another* article), journal news fillers (``本刊讯``), web-page widgets
  (``複製鏈接``, ``展開全部 收起``) and doubled image captions; inline citation marks
  (``[7-8]``, ``【10】``) are removed from the text.
* **Lines broken** by the page layout in the middle of a sentence (and of a name): in a
  text whose lines are laid out to one width, a full line that does not end a sentence
  joins the next one (no space between Chinese characters, a space between words;
  ``Eco·`` + ``nomic`` becomes ``Economic``).

>>> clean("鄱阳湖生态经济区位于江西省，属于经济欠发达地区，该区\\n\\n·９８·\\n域内的")
'鄱阳湖生态经济区位于江西省，属于经济欠发达地区，该区域内的'
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.keys import converter

KEEP_FULL_WIDTH = frozenset("，：；！？（）")
_WIDTH = {
    code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F) if chr(code) not in KEEP_FULL_WIDTH
}
_WIDTH[0x3000] = " "  # ideographic space

_PAGE_NUMBER = re.compile(
    r"^[·•・‧\-—–]?\s*\d{1,4}\s*[·•・‧\-—–]?$|^第\s*\d+\s*页$|^Page \d+( of \d+)?$"
)
_MASTHEAD = re.compile(
    r"\d{4}\s*年\s*第\s*\d+\s*卷\s*第\s*\d+\s*期|\bVol\.\s*\d+\s*,?\s*No\.\s*\d+"
)
_REFERENCE_MARK = re.compile(r"^(【\d+】|\[\d+\]|［\d+］)$")
_CONTINUED_FROM = re.compile(r"^[（(]上接第\s*\d+\s*页[）)]$")
_CONTINUED_ON = re.compile(r"^[（(]下转第\s*\d+\s*页[）)]$")
_NEWS = re.compile(r"^本刊讯")
_INLINE_CITATION = re.compile(r"\s*(\[\d+(?:[-–,，]\d+)*\]|【\d+】)\s*")
_CJK = "\u3400-\u9fff\uf900-\ufaff"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}，。、；：）”])[ \t]+(?=[{_CJK}（“])|[ \t]+(?=[，。、；：）])")
_DOUBLED = re.compile(r"^(.{2,40}?) \1$")
WEB_WIDGETS = frozenset(
    [
        "复制链接",
        "请复制以下链接发送给好友",
        "锁定",
        "展开全部 收起",
        "展开全部",
        "收起",
        "编辑",
        "播报",
        "讨论",
    ]
)
"""Whole lines that are controls of the web page the text was saved from (compared in
simplified characters)."""

_SENTENCE_END = frozenset("。！？!?；;…:：")
_CONTINUES = frozenset("，、,（(“")
_ENUMERATION = re.compile(
    r"^(\(\d{1,2}\)|（\d{1,2}）|\d{1,2}(\.\d{1,2})*\s|[①-⑳]|[一二三四五六七八九十]+、"
    r"|第[一二三四五六七八九十百]+[章条节]|[表图]\s?\d|参考文献|关键词|Keywords|Abstract)"
)
FULL_LINE = 0.8
"""A line at least this share of the text's typical width is full: the layout broke it."""


def normalise_width(text: str) -> str:
    """Full-width digits, letters and ASCII symbols to ASCII (Chinese punctuation kept).

    >>> normalise_width("ＣＡＬＩＳ　２０２２年，５．１２％")
    'CALIS 2022年，5.12%'
    """
    return text.translate(_WIDTH)


def clean(text: str) -> str:
    """The text with full-width forms normalised, page furniture removed, broken lines
    joined and inline citation marks dropped (see the module docstring)."""
    lines = list(content_lines(normalise_width(text)))
    return "\n".join(join_broken_lines(lines))


def content_lines(text: str) -> Iterator[str]:
    """The non-blank lines of a width-normalised text without page furniture, stripped."""
    lines = [line.strip() for line in text.replace("\f", "\n").split("\n")]
    lines = [line for line in lines if line]
    kept: list[str] = []
    skipping = False
    for line in lines:
        if _PAGE_NUMBER.match(line) or _MASTHEAD.search(line):
            skipping = False  # a page break ends another article's continuation
            continue
        if skipping:
            continue
        if _CONTINUED_FROM.match(line):
            skipping = True
            continue
        if _NEWS.match(line):
            if kept and len(kept[-1]) <= 40 and kept[-1][-1] not in _SENTENCE_END:
                kept.pop()  # the filler's headline
            skipping = True
            continue
        if _furniture(line):
            continue
        text = _CJK_GAP.sub("", _INLINE_CITATION.sub(" ", line).strip())
        if text:
            kept.append(text)
    yield from kept


def _furniture(line: str) -> bool:
    if _REFERENCE_MARK.match(line) or _CONTINUED_ON.match(line) or _DOUBLED.match(line):
        return True
    return len(line) <= 20 and converter("t2s").convert(line) in WEB_WIDGETS


def join_broken_lines(lines: list[str]) -> list[str]:
    """Paragraphs from lines: a full line that does not end a sentence goes on in the next.

    Only a text laid out to one width (most of its Chinese lines within
    :data:`FULL_LINE` of the typical width, as a PDF column is) is joined: a web page's
    lines are its paragraphs already.

    >>> join_broken_lines(["组建鄱阳湖生态经济区图书情报机构联盟是当", "务之急。", "(2)下一段"])
    ['组建鄱阳湖生态经济区图书情报机构联盟是当务之急。', '(2)下一段']
    """
    cjk_width = _typical([_width(x) for x in lines if _cjk_count(x) >= 5])
    latin_width = _typical([_width(x) for x in lines if _cjk_count(x) < 5 and len(x) >= 20])
    out: list[str] = []
    for line in lines:
        if out and _continues(out[-1], line, cjk_width, latin_width):
            out[-1] = _joined(out[-1], line)
        else:
            out.append(line)
    return out


def _typical(widths: list[int]) -> float:
    """The typical line width when the lines look laid out to one width, else 0."""
    if len(widths) < 4:
        return float(max(widths, default=0))  # too few lines to tell: take them as laid out
    ordered = sorted(widths)
    typical = ordered[(len(ordered) * 3) // 4]
    full = sum(1 for w in widths if w >= FULL_LINE * typical)
    return float(typical) if full >= 0.5 * len(widths) else 0.0


def _continues(previous: str, line: str, cjk_width: float, latin_width: float) -> bool:
    if _ENUMERATION.match(line):
        return False
    last = previous.rsplit("\n", maxsplit=1)[-1] if "\n" in previous else previous
    tail = _last_physical(last)
    end = previous[-1]
    if end in _SENTENCE_END:
        return False
    latin = _cjk_count(tail) < 5
    typical = latin_width if latin else cjk_width
    if not typical:
        return False
    if end in _CONTINUES:
        return True
    return _width(tail) >= FULL_LINE * typical


_LAST_WIDTH = 200


def _last_physical(paragraph: str) -> str:
    """The end of a joined paragraph, about one line long (what the layout last broke)."""
    return paragraph[-_LAST_WIDTH:] if len(paragraph) > _LAST_WIDTH else paragraph


def _joined(previous: str, line: str) -> str:
    a, b = previous[-1], line[0]
    if b.islower() and len(previous) > 1 and previous[-2].isalpha() and a in "-·.":
        return previous[:-1] + line  # a word hyphenated (or mis-extracted) across lines
    if ((a.isascii() and a.isalnum()) or a == ",") and b.isascii() and b.isalnum():
        return previous + " " + line
    return previous + line


def _cjk_count(text: str) -> int:
    return sum(1 for ch in text if "\u3400" <= ch <= "\u9fff")


def _width(text: str) -> int:
    """Display width: Chinese characters and full-width punctuation count twice."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)

"""Text analysis for the search index: the same steps for what is indexed and what is asked.

Every text is first :func:`normalise`\\ d (NFKC, case-folded, traditional Chinese folded to
simplified with OpenCC, diacritics removed), then cut into *runs*: CJK runs (Han, kana,
Hangul) and word runs (letters and digits of other scripts). A CJK run is indexed three
ways:

* words, segmented by jieba (search mode, so both 中华人民共和国 and 人民 are terms);
* character bigrams, with the run's last character on its own: a phrase of a query's
  bigrams then matches exactly where the query is a substring of the text, whatever jieba
  made of either;
* for titles, pinyin (pypinyin): one term per syllable, one per jieba word
  (``zhongguo``) and the run's initials (``zgwj``).

A query is turned into an FTS5 expression by :func:`match_expression`: every term of the
user's text is quoted (no FTS5 operator, quote or ``*`` of the user ever reaches SQLite),
terms are AND-ed, and each term may match in any of its forms (OR).

>>> normalise("Frédéric CHOPIN"), normalise("中國發展報告")
('frederic chopin', '中国发展报告')
>>> index_words("中国外交六十年 Foreign affairs")
['中国', '外交', '六十', '十年', '六十年', 'foreign', 'affairs']
>>> bigrams("中国外交")
['中国', '国外', '外交', '交']
>>> pinyin_syllables("中國外交"), pinyin_words("中国外交"), initials("中国外交")
(['zhong', 'guo', 'wai', 'jiao'], ['zhongguo', 'waijiao'], ['zgwj'])
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import jieba
from pypinyin import Style, lazy_pinyin

from kg.keys import HAN, converter

jieba.setLogLevel(logging.WARNING)  # jieba logs "Building prefix dict…" at DEBUG to stderr

# Han ideographs (with extensions and compatibility forms), kana, Hangul
_CJK_CLASS = (
    "\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3040-\u30ff\u3100-\u312f\u3131-\u318e"
    "\u31a0-\u31bf\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\U00020000-\U0003134f"
)
_CJK = re.compile(f"[{_CJK_CLASS}]")
_RUN = re.compile(f"([{_CJK_CLASS}]+)|([^\\W_]+)")
_HAN_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
# combining marks and spacing modifier letters (the soft sign ʹ of Russian romanisation)
_MARKS = re.compile(
    "[\u02b0-\u02ff\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)
_LATIN_QUERY = re.compile(r"[a-z]+")

MAX_QUERY_TERMS = 24
"""Terms of a query beyond this many are ignored (a pasted paragraph is not a query)."""


def normalise(text: str) -> str:
    """NFKC, case-fold, traditional Chinese to simplified, no diacritics.

    >>> normalise("Ｖｅｓʹ mir"), normalise("環境白書")
    ('ves mir', '环境白书')
    """
    if text.isascii():
        return text.casefold()
    text = unicodedata.normalize("NFKC", text).casefold()
    if _CJK.search(text):
        text = converter("t2s").convert(text)
    decomposed = unicodedata.normalize("NFD", text)
    if decomposed != text or _MARKS.search(text):
        text = unicodedata.normalize("NFC", _MARKS.sub("", decomposed))
    return text


def runs(text: str) -> Iterator[tuple[bool, str]]:
    """The runs of normalised ``text``: ``(True, cjk)`` or ``(False, word)``.

    >>> list(runs("新中国对外关系 60 年"))
    [(True, '新中国对外关系'), (False, '60'), (True, '年')]
    """
    for match in _RUN.finditer(normalise(text)):
        cjk, word = match.groups()
        yield (True, cjk) if cjk else (False, word)


def index_words(text: str) -> list[str]:
    """The word terms of ``text``: jieba's search-mode words of CJK runs, and other words."""
    out: list[str] = []
    for cjk, run in runs(text):
        if cjk:
            out.extend(w for w in jieba.cut_for_search(run, HMM=False) if w.strip())
        else:
            out.append(run)
    return out


def query_words(run: str) -> list[str]:
    """jieba's precise segmentation of one CJK run of a query.

    >>> query_words("中国经济报告")
    ['中国', '经济', '报告']
    """
    return [w for w in jieba.cut(run, HMM=False) if w.strip()]


def bigrams(text: str) -> list[str]:
    """Character bigrams of each CJK run, each run closed by its last character alone."""
    out: list[str] = []
    for cjk, run in runs(text):
        if cjk:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
            out.append(run[-1])
    return out


def _han_runs(text: str) -> list[str]:
    return [r for cjk, run in runs(text) if cjk for r in _HAN_RUN.findall(run)]


def pinyin_syllables(text: str) -> list[str]:
    """One toneless pinyin syllable per Han character (``ü`` written ``v``)."""
    return [s for run in _han_runs(text) for s in lazy_pinyin(run, style=Style.NORMAL)]


def pinyin_words(text: str) -> list[str]:
    """The pinyin of each jieba word of the Han runs, syllables joined (``zhongguo``)."""
    out: list[str] = []
    for run in _han_runs(text):
        for word in jieba.cut(run, HMM=False):
            out.append("".join(lazy_pinyin(word, style=Style.NORMAL)))
    return out


def initials(text: str) -> list[str]:
    """The pinyin initials of each Han run, as one term (``中国外交`` → ``zgwj``)."""
    return ["".join(lazy_pinyin(run, style=Style.FIRST_LETTER)) for run in _han_runs(text)]


def has_han(text: str) -> bool:
    """Whether ``text`` has a Han character.

    >>> has_han("外交青書"), has_han("Gaikō seisho")
    (True, False)
    """
    return HAN.search(text) is not None


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    """Every toneless pinyin syllable pypinyin knows (about 420), built once."""
    from pypinyin.contrib.tone_convert import to_normal  # noqa: PLC0415
    from pypinyin.pinyin_dict import pinyin_dict  # noqa: PLC0415

    found = {to_normal(p) for v in pinyin_dict.values() for p in v.split(",")}
    return frozenset(s for s in found if s.isascii() and s.isalpha())


def split_pinyin(word: str) -> list[str] | None:
    """Split a run of letters into pinyin syllables (fewest syllables), or None.

    >>> split_pinyin("zhongguowaijiao"), split_pinyin("xian"), split_pinyin("quartet")
    (['zhong', 'guo', 'wai', 'jiao'], ['xian'], None)
    """
    if not word.isascii() or not word.isalpha() or len(word) > 60:
        return None
    known = _syllables()
    n = len(word)
    best: list[list[str] | None] = [None] * (n + 1)
    best[n] = []
    for i in range(n - 1, -1, -1):
        for j in range(min(n, i + 6), i, -1):
            rest = best[j]
            if rest is not None and word[i:j] in known:
                candidate = [word[i:j], *rest]
                current = best[i]
                if current is None or len(candidate) < len(current):
                    best[i] = candidate
    return best[0]


@dataclass(frozen=True, slots=True)
class QueryTerm:
    """One term of a query: a CJK run or a word, and whether it ends with ``*`` (prefix)."""

    text: str
    cjk: bool
    prefix: bool = False


_QUERY_TOKEN = re.compile(f"([{_CJK_CLASS}]+)|([^\\W_]+)(\\*)?")


def query_terms(text: str) -> list[QueryTerm]:
    """The terms of a user's query; anything but letters, digits and CJK is a separator.

    >>> [(t.text, t.prefix) for t in query_terms('"Piano" AND trio* NEAR( 中國 -')]
    [('piano', False), ('and', False), ('trio', True), ('near', False), ('中国', False)]
    """
    out: list[QueryTerm] = []
    for match in _QUERY_TOKEN.finditer(normalise(text)):
        cjk, word, star = match.groups()
        term = QueryTerm(cjk, True) if cjk else QueryTerm(word, False, star is not None)
        if term not in out:
            out.append(term)
    return out[:MAX_QUERY_TERMS]


def _quote(term: str) -> str:
    """An FTS5 string: the term between double quotes, any quote doubled."""
    return '"' + term.replace('"', '""') + '"'


def _phrase(terms: list[str]) -> str:
    return _quote(" ".join(terms))


def match_expression(terms: list[QueryTerm]) -> str | None:
    """The FTS5 MATCH expression for ``terms``, or None when there is nothing to look for.

    >>> match_expression(query_terms("中国外交"))
    '(({title body} : ("中国" AND "外交")) OR ({title_grams body_grams} : "中国 国外 外交"))'
    >>> for alternative in match_expression(query_terms("zhongguo")).split(" OR "):
    ...     print(alternative)
    (({title body} : "zhongguo")
    (pinyin : "zhong guo")
    (pinyin_words : "zhongguo")
    (initials : "zhongguo"*))
    """
    parts: list[str] = []
    for term in terms:
        if term.cjk:
            words = query_words(term.text) or [term.text]
            inner = " AND ".join(_quote(w) for w in words)
            alternatives = [
                f"{{title body}} : ({inner})" if len(words) > 1 else f"{{title body}} : {inner}"
            ]
            if len(term.text) == 1:
                alternatives.append(f"{{title_grams body_grams}} : {_quote(term.text)}*")
            else:
                grams = [term.text[i : i + 2] for i in range(len(term.text) - 1)]
                alternatives.append(f"{{title_grams body_grams}} : {_phrase(grams)}")
        else:
            star = "*" if term.prefix else ""
            alternatives = [f"{{title body}} : {_quote(term.text)}{star}"]
            if _LATIN_QUERY.fullmatch(term.text):
                syllables = split_pinyin(term.text)
                if syllables:
                    alternatives.append(f"pinyin : {_phrase(syllables)}{star}")
                    alternatives.append(f"pinyin_words : {_quote(term.text)}{star}")
                if len(term.text) >= 2:
                    alternatives.append(f"initials : {_quote(term.text)}*")
        parts.append("(" + " OR ".join(f"({a})" for a in alternatives) + ")")
    return " AND ".join(parts) if parts else None

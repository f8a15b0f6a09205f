"""Highlighted snippets: the text of a hit that matched best, with the matches marked.

Matching is done on normalised text (:func:`kg.search.analysis.normalise`), so a
simplified query marks traditional characters, and a pinyin query marks the Han
characters it spells:

>>> from kg.search.analysis import query_terms
>>> snippet(["中國外交六十年"], query_terms("中国外交"), "x")
'<mark>中國外交</mark>六十年'
>>> snippet(["中国外交六十年"], query_terms("waijiao"), "x")
'中国<mark>外交</mark>六十年'
>>> snippet(["Sixty years of China's foreign affair"], query_terms("foreign"), "x")
'Sixty years of China&#x27;s <mark>foreign</mark> affair'
"""

from __future__ import annotations

import html
import re

from pypinyin import Style, lazy_pinyin

from kg.search.analysis import QueryTerm, normalise, query_words, split_pinyin

WIDTH = 120  # characters of a long text shown around its first match
_MAX_TEXTS = 40
_HAN_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")

Span = tuple[int, int]


def snippet(texts: list[str], terms: list[QueryTerm], label: str) -> str:
    """HTML of the text among ``texts`` that matches the most terms of the query, then has
    the longest match (the first on a tie: titles come first), matches in ``<mark>``; the
    escaped ``label`` when nothing matches."""
    best: tuple[tuple[int, int], str, list[Span]] | None = None
    for text in texts[:_MAX_TEXTS]:
        matched, spans = _matches(text, terms)
        rank = (matched, max((e - s for s, e in spans), default=0))
        if matched and (best is None or rank > best[0]):
            best = (rank, text, spans)
    if best is None:
        return html.escape(label)
    return _render(best[1], best[2])


def _aligned(text: str) -> tuple[str, list[int]]:
    """Normalised ``text`` and, for each of its characters, its position in ``text``."""
    whole = normalise(text)
    if len(whole) == len(text):
        return whole, list(range(len(text)))
    folded: list[str] = []
    index: list[int] = []
    for i, char in enumerate(text):
        part = normalise(char)
        folded.append(part)
        index.extend([i] * len(part))
    return "".join(folded), index


def spans_of(text: str, terms: list[QueryTerm]) -> list[Span]:
    """Where ``terms`` occur in ``text`` (merged, in order), as character spans of ``text``.

    >>> from kg.search.analysis import query_terms
    >>> spans_of("Piano trios", query_terms("trio*"))
    [(6, 11)]
    """
    return _matches(text, terms)[1]


def _matches(text: str, terms: list[QueryTerm]) -> tuple[int, list[Span]]:
    """How many of ``terms`` occur in ``text``, and where."""
    folded, index = _aligned(text)
    if not folded:
        return 0, []
    found: list[Span] = []
    matched = 0
    for term in terms:
        before = len(found)
        if term.cjk:
            needles = dict.fromkeys([term.text, *query_words(term.text)])
            for needle in needles:
                found += [(m.start(), m.end()) for m in re.finditer(re.escape(needle), folded)]
        else:
            tail = r"[^\W_]*" if term.prefix else ""
            pattern = rf"(?<![^\W_]){re.escape(term.text)}{tail}(?![^\W_])"
            found += [(m.start(), m.end()) for m in re.finditer(pattern, folded)]
            if term.text.isascii() and term.text.isalpha():
                found += _pinyin_spans(folded, term)
        matched += len(found) > before
    spans = [(index[s], index[e - 1] + 1) for s, e in found if e > s]
    return matched, _merge(spans)


def _pinyin_spans(folded: str, term: QueryTerm) -> list[Span]:
    """Runs of Han characters whose pinyin (joined), or initials, spell ``term``."""
    target = term.text
    spell = split_pinyin(target) is not None
    out: list[Span] = []
    for run in _HAN_RUN.finditer(folded):
        syllables = lazy_pinyin(run.group(), style=Style.NORMAL)
        if len(syllables) != len(run.group()):
            continue
        firsts = "".join(s[0] for s in syllables)
        for i in range(len(syllables)):
            if firsts.startswith(target, i) and len(target) >= 2:
                out.append((run.start() + i, run.start() + i + len(target)))
                continue
            if not spell:
                continue
            spelled = ""
            for j in range(i, len(syllables)):
                spelled += syllables[j]
                done = spelled == target or (term.prefix and spelled.startswith(target))
                if done:
                    out.append((run.start() + i, run.start() + j + 1))
                if done or not target.startswith(spelled):
                    break
    return out


def _merge(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _render(text: str, spans: list[Span]) -> str:
    start, end = 0, len(text)
    if len(text) > WIDTH:
        start = max(0, spans[0][0] - WIDTH // 4)
        end = min(len(text), start + WIDTH)
    parts: list[str] = ["…" if start else ""]
    at = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        s, e = max(span_start, start), min(span_end, end)
        parts += [html.escape(text[at:s]), "<mark>", html.escape(text[s:e]), "</mark>"]
        at = e
    parts.append(html.escape(text[at:end]))
    if end < len(text):
        parts.append("…")
    return "".join(parts)

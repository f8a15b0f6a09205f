"""From cleaned text to what the graph records about a document: mentions of the graph's
entities, ``about`` scores, key terms that are concepts, and candidate names.

Offsets are character offsets into the cleaned text (:func:`loaders.docs.clean.clean`).
A text in traditional characters is analysed in simplified characters (jieba's
dictionary is simplified) when OpenCC's conversion keeps its length, so offsets still
hold; surface forms are always taken from the text as written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc

from kg.keys import converter
from kg.labels import LabelIndex
from loaders.docs.candidates import Candidate, _stop_words, candidates
from loaders.docs.describe import Language
from loaders.docs.keyterms import textrank
from loaders.docs.lexicon import LINKED_KINDS
from loaders.docs.nlp import Pipelines

CHUNK = 50_000
"""Characters per spaCy doc: a long text goes through the pipeline in chunks (memory)."""
MAX_OFFSETS = 20
"""Offsets kept per mention (its count counts all)."""
MAX_ABOUT = 20
KEY_TERMS = 30
MAX_KEY_WORDS = 200_000
"""Words a TextRank graph is built from (the start of a very long text)."""


@dataclass(slots=True)
class Mention:
    """Every occurrence of one surface form of one entity: offsets (the first
    :data:`MAX_OFFSETS`) and count."""

    entity: str
    kind: str
    surface: str
    offsets: list[int] = field(default_factory=list)
    count: int = 0


@dataclass(frozen=True, slots=True)
class About:
    """An entity the document is about: its mentions and their share of all mentions of
    institutions, alliances and places in the document."""

    entity: str
    kind: str
    count: int
    score: float


@dataclass(frozen=True, slots=True)
class KeyTerm:
    """A key term (TextRank score, best = 1.0) and the concept whose label it is, if any."""

    term: str
    score: float
    concept: str | None


@dataclass(slots=True)
class Analysis:
    """What :class:`Analyser` found in one document."""

    mentions: list[Mention]
    about: list[About]
    key_terms: list[KeyTerm]
    candidates: list[Candidate]

    def mention_counts(self) -> Counter[str]:
        """Mentions per entity."""
        counts: Counter[str] = Counter()
        for m in self.mentions:
            counts[m.entity] += m.count
        return counts


class Analyser:
    """Analyses texts with pipelines built once (:class:`~loaders.docs.nlp.Pipelines`)."""

    def __init__(self, pipelines: Pipelines) -> None:
        self.pipelines = pipelines
        self.subjects = LabelIndex(
            (p.entity, p.form, True)
            for p in pipelines.lexicon.patterns
            if p.kind in ("concept", "class")
        )

    def analyse(self, text: str, language: Language) -> Analysis:
        """Mentions, about scores, key terms and candidates of a cleaned text."""
        nlp = self.pipelines.for_language(language.code)
        work = text
        if language.tag == "zh-Hant":
            simplified = converter("t2s").convert(text)
            work = simplified if len(simplified) == len(text) else text
        chunks = list(_chunks(work))
        docs = list(zip(nlp.pipe(c for c, _ in chunks), (o for _, o in chunks), strict=True))
        mentions = _mentions(docs, text)
        return Analysis(
            mentions=mentions,
            about=_about(mentions),
            key_terms=self._key_terms(docs),
            candidates=candidates(docs, text, LINKED_KINDS),
        )

    def _key_terms(self, docs: list[tuple[Doc, int]]) -> list[KeyTerm]:
        words: list[str] = []
        stop_words = _stop_words()
        for doc, _ in docs:
            inside = {t.i for ent in doc.ents if ent.label_ in LINKED_KINDS for t in ent}
            for token in doc:
                if token.i in inside or len(words) >= MAX_KEY_WORDS:
                    continue
                word = token.text
                if doc.lang_ == "zh":
                    if len(word) >= 2 and _han(word) and word not in stop_words:
                        words.append(word)
                elif token.is_alpha and len(word) >= 3 and not token.is_stop:
                    words.append(word.lower())
        return [
            KeyTerm(term, score, self.subjects.match(term) if len(self.subjects) else None)
            for term, score in textrank(words, top=KEY_TERMS)
        ]


def _chunks(text: str) -> Iterator[tuple[str, int]]:
    """Pieces of at most about :data:`CHUNK` characters, cut at line ends, with offsets."""
    start = 0
    while start < len(text):
        end = min(len(text), start + CHUNK)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            end = cut + 1 if cut > start else end
        yield text[start:end], start
        start = end


def _mentions(docs: list[tuple[Doc, int]], original: str) -> list[Mention]:
    found: dict[tuple[str, str], Mention] = {}
    for doc, offset in docs:
        for ent in doc.ents:
            start = offset + ent.start_char
            surface = original[start : offset + ent.end_char]
            mention = found.setdefault(
                (ent.kb_id_, surface), Mention(ent.kb_id_, ent.label_, surface)
            )
            mention.count += 1
            if len(mention.offsets) < MAX_OFFSETS:
                mention.offsets.append(start)
    return sorted(found.values(), key=lambda m: (m.offsets[0], m.entity))


def _about(mentions: list[Mention]) -> list[About]:
    counts: Counter[str] = Counter()
    kinds: dict[str, str] = {}
    for m in mentions:
        if m.kind in LINKED_KINDS:
            counts[m.entity] += m.count
            kinds[m.entity] = m.kind
    total = sum(counts.values())
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:MAX_ABOUT]
    return [About(e, kinds[e], c, round(c / total, 4)) for e, c in ranked]


def _han(word: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in word)

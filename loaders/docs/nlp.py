"""spaCy pipelines that find the graph's names in Chinese and English text, offline.

Chinese: a blank ``zh`` pipeline whose tokenizer is jieba (no trained model: spaCy's
Chinese models are not in the package registry, and none is downloaded at run time);
English: a blank ``en`` pipeline. Each ends with :class:`GraphLinker`, which marks the
names of :class:`~loaders.docs.lexicon.Lexicon` as ``doc.ents`` (label: the entity kind,
``kb_id_``: its URI). Both pipelines are built once per load run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import jieba
import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from loaders.docs.lexicon import Lexicon, Pattern, is_acronym

USER_WORD_FREQ = 1_000_000
"""jieba frequency of the graph's names: high enough that a name is always one token."""


class GraphLinker:
    """Marks the lexicon's names in a doc; the longest match wins where matches overlap.

    A wrapper of spaCy's :class:`~spacy.matcher.PhraseMatcher`, not an ``EntityRuler``:
    the ruler matches all phrase patterns on one attribute, but acronyms must match as
    written (``CALIS``, not "calis") while English names match in any case; and a
    relative name (:class:`~loaders.docs.lexicon.Pattern` ``requires``) counts only in a
    doc that mentions the entity it is relative to.
    """

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.patterns: list[Pattern] = []

    def add_patterns(self, patterns: Iterable[Pattern]) -> None:
        """Add patterns (as ``EntityRuler.add_patterns`` does)."""
        for pattern in patterns:
            key = str(len(self.patterns))
            self.patterns.append(pattern)
            form = pattern.form
            matcher = self.folded if form.isascii() and not is_acronym(form) else self.exact
            matcher.add(key, [self.nlp.make_doc(form)])

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        spans: list[Span] = []
        requires: dict[tuple[int, int], str] = {}
        for matcher in (self.exact, self.folded):
            for match_id, start, end in matcher(doc):
                pattern = self.patterns[int(strings[match_id])]
                spans.append(Span(doc, start, end, label=pattern.kind, kb_id=pattern.entity))
                if pattern.requires:
                    requires[start, end] = pattern.requires
        kept = filter_spans(spans)
        present = {span.kb_id_ for span in kept if (span.start, span.end) not in requires}
        doc.ents = [s for s in kept if requires.get((s.start, s.end), s.kb_id_) in present]
        return doc


@Language.factory("kg_graph_linker")
def make_linker(nlp: Language, name: str) -> GraphLinker:
    """The spaCy factory of :class:`GraphLinker` (patterns are added afterwards)."""
    return GraphLinker(nlp)


class Pipelines:
    """The Chinese and the English pipeline over one lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.zh = _chinese(lexicon)
        self.en = spacy.blank("en")
        for nlp in (self.zh, self.en):
            linker = nlp.add_pipe("kg_graph_linker")
            assert isinstance(linker, GraphLinker)
            linker.add_patterns(lexicon.patterns)

    def for_language(self, code: str) -> Language:
        """The pipeline for a MARC language code (``chi`` or ``eng``)."""
        return self.zh if code == "chi" else self.en


def _chinese(lexicon: Lexicon) -> Language:
    """A blank ``zh`` pipeline segmenting with a private jieba that knows the names.

    spaCy's Chinese tokenizer calls the module-level jieba, whose dictionary is global:
    names added there would leak into every other user of jieba in the process. It gets a
    private :class:`jieba.Tokenizer` instead, with the same ``cut()``.
    """
    jieba.setLogLevel(logging.WARNING)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    segmenter = jieba.Tokenizer()
    for pattern in lexicon.patterns:
        if not pattern.form.isascii():
            segmenter.add_word(pattern.form, USER_WORD_FREQ)
    tokenizer: Any = nlp.tokenizer
    tokenizer.jieba_seg = segmenter
    return nlp

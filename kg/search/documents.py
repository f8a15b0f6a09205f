"""Index documents: what the search index keeps of a work, an agent or a concept.

Read from the store with the named queries ``search_works`` and ``search_entities``
(``queries/sparql/``), over the union of all record graphs, so a work merged from several
members' records is one document with all their titles, subjects and holdings.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kg.store import Store
from kg.terms import Lit, Term, text_of
from kg.vocab import BF

KINDS = ("work", "agent", "concept")
"""The kinds of searchable entity."""

FACETS = ("kind", "institution", "language", "decade")
"""The facets a search counts and filters on (values: see :class:`Document`)."""

# Title classes, strongest first, for the choice of a work's display label (an instance's
# titles before the work's own, uniform, title)
_TITLE_RANK = {BF.Title: 0, BF.ParallelTitle: 2, BF.VariantTitle: 3}
_YEAR = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})\b")
# The order of a document's facts: the queries' branches, then the terms. The store returns
# rows in no fixed order and a document keeps its texts in the order read (snippets prefer
# the first), so rows are sorted first: the same store makes the same documents.
_FIELDS = ("title", "subtitle", "label", "alt", "agent", "subject", "component", "class")
_FIELD_RANK = {name: rank for rank, name in enumerate(_FIELDS)}


@dataclass(slots=True)
class Document:
    """One searchable entity.

    ``titles`` are searched with the strongest weight and in pinyin; ``texts`` (names,
    subjects, classes, statements) with less. ``facets`` maps ``institution`` (roster
    codes), ``language`` (MARC language codes such as ``chi``) and ``decade`` (``1990``)
    to values; ``links`` are the agents and concepts a work points to, ``sources`` its
    instances and records (so a refresh of a deleted record finds the work it was part of).
    """

    uri: str
    kind: str
    label: str
    titles: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    facets: dict[str, set[str]] = field(default_factory=dict)
    links: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)


def _script_rank(term: Term) -> int:
    """Vernacular before romanised (``zh-Latn-pinyin``) before untagged."""
    if not isinstance(term, Lit) or not term.lang:
        return 1
    return 2 if "-Latn" in term.lang else 0


def _last_segment(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _add(values: list[str], value: str) -> None:
    value = value.strip()
    if value and value not in values:
        values.append(value)


def _in_order(rows: Iterable[dict[str, Term]]) -> list[dict[str, Term]]:
    """``rows`` by field (:data:`_FIELDS` first), then by their terms."""

    def key(row: dict[str, Term]) -> tuple[int, str, list[tuple[str, str]]]:
        name = text_of(row["field"])
        terms = sorted((var, repr(term)) for var, term in row.items())
        return _FIELD_RANK.get(name, len(_FIELDS)), name, terms

    return sorted(rows, key=key)


def read_works(store: Store, works: Sequence[str]) -> dict[str, Document]:
    """The documents of ``works``, in their order (those no longer in the store are absent
    from the result)."""
    if not works:
        return {}
    rows = store.select("search_works", works=list(works))
    by_work: dict[str, list[dict[str, Term]]] = defaultdict(list)
    for row in rows:
        by_work[str(row["work"])].append(row)
    return {w: _work_document(w, _in_order(by_work[w])) for w in works if w in by_work}


def _work_document(uri: str, rows: list[dict[str, Term]]) -> Document:
    doc = Document(uri, "work", "")
    mains: dict[str, list[Term]] = defaultdict(list)  # title node → main titles
    subs: dict[str, list[Term]] = defaultdict(list)
    ranks: dict[str, int] = {}
    texts: list[str] = []
    labels: list[str] = []
    for row in rows:
        kind = text_of(row["field"])
        value = row.get("value")
        target = row.get("target")
        if kind in ("title", "subtitle"):
            node = str(row["node"])
            rank = _TITLE_RANK.get(str(row.get("type", "")), 1) + (0 if target else 4)
            ranks[node] = min(ranks.get(node, rank), rank)
            (mains if kind == "title" else subs)[node].append(value or Lit(""))
        elif kind == "label" and value is not None:
            _add(labels, text_of(value))
        elif kind in ("language", "institution") and target is not None:
            doc.facets.setdefault(kind, set()).add(_last_segment(str(target)))
        elif kind == "year" and value is not None:
            match = _YEAR.search(text_of(value))
            if match:
                doc.facets.setdefault("decade", set()).add(match.group(1)[:3] + "0")
        elif kind == "source" and target is not None:
            doc.sources.add(str(target))
        else:
            if target is not None:
                doc.links.add(str(target))
            if value is not None:
                _add(texts, text_of(value))
    # the label: the strongest title, vernacular first, with its subtitle in the same script
    candidates: list[tuple[int, int, str, str]] = []
    for node, values in mains.items():
        for main in values:
            sub = next((s for s in subs.get(node, []) if _lang(s) == _lang(main)), None)
            full = text_of(main) + (f" : {text_of(sub)}" if sub is not None else "")
            candidates.append((ranks[node], _script_rank(main), full, text_of(main)))
    candidates.sort()
    for *_, full, main in candidates:  # titles in the same order: snippets prefer the first
        _add(doc.titles, main)
        _add(doc.titles, full)
    for values in subs.values():
        for sub in values:
            _add(doc.titles, text_of(sub))
    for label in labels:
        _add(doc.titles, label)
    doc.label = candidates[0][2] if candidates else (doc.titles[0] if doc.titles else uri)
    doc.texts = [t for t in texts if t not in doc.titles]
    return doc


def _lang(term: Term) -> str | None:
    return term.lang if isinstance(term, Lit) else None


def read_entities(store: Store, entities: Sequence[str]) -> dict[str, Document]:
    """The documents of agents and concepts in ``entities``, in their order (others are
    absent)."""
    if not entities:
        return {}
    rows = _in_order(store.select("search_entities", entities=list(entities)))
    agents = {str(row["entity"]) for row in rows if text_of(row["kind"]) == "agent"}
    labels: dict[str, list[Term]] = defaultdict(list)
    docs: dict[str, Document] = {}
    for row in rows:
        uri = str(row["entity"])
        if uri in agents and text_of(row["kind"]) != "agent":
            continue  # typed an agent too: an agent (search_entities.rq)
        doc = docs.get(uri)
        if doc is None:
            doc = docs[uri] = Document(uri, text_of(row["kind"]), "")
        field_ = text_of(row["field"])
        value = row["value"]
        if field_ == "label":
            labels[uri].append(value)
        elif field_ == "alt":
            _add(doc.titles, text_of(value))
        else:  # notation, dates
            _add(doc.texts, text_of(value))
    for uri, doc in docs.items():
        ordered = sorted(labels.get(uri, []), key=lambda t: (_script_rank(t), text_of(t)))
        names = [text_of(t) for t in ordered]
        doc.titles = [*dict.fromkeys(names), *(t for t in doc.titles if t not in names)]
        doc.label = doc.titles[0] if doc.titles else (doc.texts[0] if doc.texts else uri)
    return {uri: docs[uri] for uri in entities if uri in docs}


def works_of(store: Store, uris: Iterable[str]) -> dict[str, set[str]]:
    """The works that ``uris`` (works, instances, records) belong to now, by URI."""
    out: dict[str, set[str]] = defaultdict(set)
    wanted = list(dict.fromkeys(uris))
    for start in range(0, len(wanted), 1000):
        for row in store.select("search_sources", uris=wanted[start : start + 1000]):
            out[str(row["uri"])].add(str(row["work"]))
    return out

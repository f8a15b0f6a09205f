"""The Chinese Thesaurus (汉语主题词表) as a SKOS scheme, from an Obsidian vault of its terms.

The vault (abc202306/obsidian-example-vault-chinese-thesaurus) has one Markdown file a
term in ``chinesethesaurus/``, named after the term, with YAML front matter::

    english: 3D technology
    synonyms: [三维立体技术, 3D技术, ...]
    broadterms: / narrowerterms: / relatedterms: ["[[三维建模]]", ...]
    categories: ["[[TN27 显示技术 主题词分类|TN27 显示技术]]", ...]
    sources: ["[[工程技术卷]]"]

Each term becomes a skos:Concept (and bf:Topic) in the scheme ``cct`` with its label as
skos:prefLabel @zh-Hans, ``english`` as skos:prefLabel @en, each synonym as skos:altLabel
@zh-Hans, skos:broader/narrower/related to the other terms its wiki links name, and
``kg:clcClass`` to the CLC class (``Minter.klass("clc", notation)``) of each category;
a bracketed notation (``[G203]``, an alternate class) links to the bare one, as the CLC
loader mints it.

*Concept URI:* ``Minter.concept("cct", fold(label) + "|Topic")``: the URI the record
mapping (:meth:`kg.mapping.RecordMapper._subject`) mints for a one-part topical subject
(CNMARC 606, MARC21 650) whose scheme ($2) is ``cct``, so such headings and the
thesaurus meet without a join. Headings of other schemes (most CNMARC 606 fields have no
$2 and map to ``local``) are linked by label with :class:`SubjectIndex`.

*Links:* a link resolves to the term whose file name folds (:func:`kg.keys.fold`) to the
same key as the link target. broader/narrower are written in both directions, and
related symmetrically, whichever side of a pair stated them (the vault states some
only on one side). A link to a term the vault does not have is reported
(:attr:`ThesaurusReport.unresolved`), never invented as a concept.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from kg.counting import Counting
from kg.ids import Minter
from kg.keys import fold
from kg.labels import LabelIndex
from kg.mapping import minted_from
from kg.store import Store
from kg.terms import Lit, Quad, Triple, text_of
from kg.vocab import BF, KG, RDF, SKOS, concept_scheme

SCHEME = "cct"
KIND = "Topic"
SCHEME_LABELS = (Lit("汉语主题词表", "zh-Hans"), Lit("Chinese Thesaurus", "en"))
TERMS_FOLDER = "chinesethesaurus"

_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_LINK = re.compile(r"\[\[(.+?)\]\]")
_NOTATION = re.compile(r"[A-Z][A-Z0-9.+\-/=():]*")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ThesaurusError(ValueError):
    """A thesaurus that cannot be read: names the file and the reason."""


@dataclass(frozen=True, slots=True)
class Term:
    """One thesaurus term as the vault states it.

    ``label`` is the file name (the target of wiki links); ``english`` the first English
    label, ``english_variants`` the others (the vault separates them by commas);
    ``broader``, ``narrower`` and ``related`` are link targets as written, resolved or
    not; ``categories`` are CLC notations without brackets; ``sources`` the volumes
    (工程技术卷, 基础词库 ...).
    """

    label: str
    english: str | None
    english_variants: tuple[str, ...]
    synonyms: tuple[str, ...]
    broader: tuple[str, ...]
    narrower: tuple[str, ...]
    related: tuple[str, ...]
    categories: tuple[str, ...]
    sources: tuple[str, ...]
    path: Path


class UnresolvedLink(NamedTuple):
    """A wiki link to a term the vault does not have."""

    term: str
    relation: str  # broader, narrower, related
    target: str


@dataclass(slots=True)
class ThesaurusReport:
    """What a thesaurus load wrote, and the links it could not resolve."""

    graph: str
    terms: int
    alt_labels: int
    broader: int  # broader/narrower pairs (each written both ways)
    related: int  # related pairs (each written both ways)
    classes: int  # distinct CLC classes linked
    unresolved: list[UnresolvedLink] = field(default_factory=list)
    quads: int = 0
    seconds: float = 0.0
    folder: str = ""
    headings_linked: int = 0  # links from headings of records loaded before (heading_links)
    links_removed: int = 0  # links to terms this vault no longer has that way

    def __str__(self) -> str:
        return (
            f"{self.folder}: {self.terms} terms, {self.alt_labels} alt labels,"
            f" {self.broader} broader and {self.related} related pairs,"
            f" {self.classes} CLC classes, {self.quads} quads in {self.seconds:.1f} s;"
            f" {len(self.unresolved)} links to terms not in the vault;"
            f" headings of loaded records: {self.headings_linked} links added,"
            f" {self.links_removed} removed"
        )


def terms_folder(folder: Path) -> Path:
    """The folder of term files: ``folder`` itself, or its ``chinesethesaurus/``."""
    inner = folder / TERMS_FOLDER
    return inner if inner.is_dir() else folder


def link_target(text: str) -> str | None:
    """The target of a wiki link, without alias or heading.

    >>> link_target("[[TN27 显示技术 主题词分类|TN27 显示技术]]"), link_target("[[A#b]]")
    ('TN27 显示技术 主题词分类', 'A')
    >>> link_target("plain") is None
    True
    """
    match = _LINK.search(text)
    if not match:
        return None
    target = match.group(1).split("|", 1)[0].split("#", 1)[0].strip()
    return target or None


def clc_notation(category: str) -> str | None:
    """The CLC notation of a category link target, brackets removed.

    >>> clc_notation("TP391.79 其他计算机辅助技术 主题词分类"), clc_notation("[G203] 信息管理")
    ('TP391.79', 'G203')
    """
    token = category.split(maxsplit=1)[0] if category.strip() else ""
    if token[:1] in "[{" and token[-1:] in "]}":
        token = token[1:-1]
    return token if _NOTATION.fullmatch(token) else None


def _strings(value: Any) -> tuple[str, ...]:
    """A front-matter list (or scalar) as stripped, non-empty strings."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    return tuple(s for s in (str(v).strip() for v in items if v is not None) if s)


def _links(value: Any) -> tuple[str, ...]:
    return tuple(t for t in (link_target(s) or s for s in _strings(value)) if t)


def read_term(path: Path) -> Term:
    """One term file.

    :raises ThesaurusError: when the file has no YAML front matter or it is not a mapping.
    """
    text = path.read_text(encoding="utf-8-sig")
    match = _FRONT.match(text)
    if not match:
        raise ThesaurusError(f"{path}: no YAML front matter")
    try:
        data = yaml.load(match.group(1), Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise ThesaurusError(f"{path}: front matter is not YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ThesaurusError(f"{path}: front matter is not a mapping")
    english = [e.strip() for s in _strings(data.get("english")) for e in s.split(",")]
    english = list(dict.fromkeys(e for e in english if e))
    categories = (clc_notation(c) for c in _links(data.get("categories")))
    return Term(
        label=path.stem,
        english=english[0] if english else None,
        english_variants=tuple(english[1:]),
        synonyms=_strings(data.get("synonyms")),
        broader=_links(data.get("broadterms")),
        narrower=_links(data.get("narrowerterms")),
        related=_links(data.get("relatedterms")),
        categories=tuple(dict.fromkeys(c for c in categories if c)),
        sources=_links(data.get("sources")),
        path=path,
    )


def read_thesaurus(folder: Path) -> Iterator[Term]:
    """The terms of a vault (or of its ``chinesethesaurus/`` folder), by file name.

    :raises ThesaurusError: when the folder has no term files, or a file cannot be read.
    """
    files = sorted(terms_folder(folder).glob("*.md"))
    if not files:
        raise ThesaurusError(f"{folder}: no term files (*.md)")
    for path in files:
        yield read_term(path)


def concept_uri(ids: Minter, label: str) -> str:
    """The URI of the thesaurus concept labelled ``label`` (see the module docstring)."""
    return ids.concept(SCHEME, fold(label) + "|" + KIND)


def thesaurus_graph(ids: Minter) -> str:
    """The named graph of the thesaurus."""
    return f"{ids.base}graph/vocab/{SCHEME}"


@dataclass(slots=True)
class _Relations:
    broader: set[tuple[str, str]]  # (narrower label, broader label)
    related: set[tuple[str, str]]  # (label, label), sorted
    unresolved: list[UnresolvedLink]


def _relations(terms: list[Term]) -> _Relations:
    by_key = {fold(t.label): t.label for t in terms}
    out = _Relations(set(), set(), [])
    for term in terms:
        stated = (
            ("broader", term.broader),
            ("narrower", term.narrower),
            ("related", term.related),
        )
        for relation, targets in stated:
            for target in targets:
                other = by_key.get(fold(target))
                if other is None:
                    out.unresolved.append(UnresolvedLink(term.label, relation, target))
                elif other == term.label:
                    continue
                elif relation == "broader":
                    out.broader.add((term.label, other))
                elif relation == "narrower":
                    out.broader.add((other, term.label))
                else:
                    a, b = sorted((term.label, other))
                    out.related.add((a, b))
    return out


def thesaurus_triples(
    terms: Iterable[Term], ids: Minter
) -> tuple[list[Triple], list[UnresolvedLink]]:
    """SKOS triples for the scheme and its terms, and the links that did not resolve."""
    terms = list(terms)
    scheme = ids.scheme(SCHEME)
    out = concept_scheme(scheme, SCHEME_LABELS)
    for term in terms:
        uri = concept_uri(ids, term.label)
        out += [
            (uri, RDF.type, SKOS.Concept),
            (uri, RDF.type, BF.Topic),
            (uri, SKOS.inScheme, scheme),
            (uri, SKOS.prefLabel, Lit(term.label, "zh-Hans")),
        ]
        if term.english:
            out.append((uri, SKOS.prefLabel, Lit(term.english, "en")))
        out.extend((uri, SKOS.altLabel, Lit(e, "en")) for e in term.english_variants)
        alts = dict.fromkeys(s for s in term.synonyms if s not in (term.label, term.english))
        out.extend((uri, SKOS.altLabel, Lit(s, "zh-Hans")) for s in alts)
        out.extend((uri, KG.clcClass, ids.klass("clc", n)) for n in term.categories)
    relations = _relations(terms)
    for narrower, broader in sorted(relations.broader):
        n, b = concept_uri(ids, narrower), concept_uri(ids, broader)
        out += [(n, SKOS.broader, b), (b, SKOS.narrower, n)]
    for one, other in sorted(relations.related):
        a, b = concept_uri(ids, one), concept_uri(ids, other)
        out += [(a, SKOS.related, b), (b, SKOS.related, a)]
    return out, relations.unresolved


def load_thesaurus(store: Store, ids: Minter, folder: Path) -> ThesaurusReport:
    """Replace the thesaurus graph with the terms of the vault in ``folder`` (one write)."""
    started = time.monotonic()
    terms = list(read_thesaurus(folder))
    triples, unresolved = thesaurus_triples(terms, ids)
    graph = thesaurus_graph(ids)
    quads: list[Quad] = [(s, p, o, graph) for s, p, o in triples]
    links, stale = heading_links(store, ids, SubjectIndex(terms, ids).match_subject)
    store.write([graph], quads + links, remove=stale)
    Counting(store, ids).rebuild()  # what counts roll up over has changed
    return ThesaurusReport(
        graph=graph,
        terms=len(terms),
        alt_labels=sum(1 for t in triples if t[1] == SKOS.altLabel),
        broader=sum(1 for t in triples if t[1] == SKOS.broader),
        related=sum(1 for t in triples if t[1] == SKOS.related) // 2,
        classes=len({t[2] for t in triples if t[1] == KG.clcClass}),
        unresolved=unresolved,
        quads=len(quads),
        headings_linked=len(links),
        links_removed=len(stale),
        seconds=time.monotonic() - started,
        folder=str(folder),
    )


class SubjectIndex:
    """Thesaurus concepts by folded label, built once: links subject headings by label.

    A heading matches when its folded label (:func:`kg.keys.fold`: traditional script
    folds to simplified) equals a term's prefLabel, English label or synonym. A
    prefLabel wins over another term's synonym; a synonym that two terms share matches
    neither. The rules are :class:`kg.labels.LabelIndex`'s, which a load uses on the
    thesaurus as stored.
    """

    def __init__(self, terms: Iterable[Term], ids: Minter) -> None:
        labels: list[tuple[str, str, bool]] = []
        for term in terms:
            uri = concept_uri(ids, term.label)
            labels.append((uri, term.label, True))
            english = (term.english, *term.english_variants) if term.english else ()
            labels.extend((uri, label, False) for label in (*term.synonyms, *english))
        self._index = LabelIndex(labels)
        self.ambiguous = self._index.ambiguous

    def __len__(self) -> int:
        return len(self._index)

    def match_subject(self, label: str) -> str | None:
        """The concept URI whose label folds like ``label``, or ``None``."""
        return self._index.match(label)


def heading_links(
    store: Store, ids: Minter, match: Callable[[str], str | None]
) -> tuple[list[Quad], list[Quad]]:
    """The skos:closeMatch statements from headings to terms to add and to remove so that
    every record graph links its headings as a record loaded after this thesaurus does
    (:meth:`kg.mapping.RecordMapper._matches`): a heading loaded before the thesaurus
    gets its link, one whose term is gone or changed loses it.

    The link goes into each record graph that names the heading, not into one graph of
    links: a work's subjects and their links are read within one graph
    (``count_graph_facts``), so that a record's graph says all the counts need of it.
    """
    graphs = Lit(ids.record_graphs())
    labels: dict[tuple[str, str], list[str]] = {}
    for row in store.select("heading_labels", recordGraphs=graphs, concepts=Lit(ids.concepts())):
        key = (str(row["g"]), str(row["concept"]))
        labels.setdefault(key, []).append(text_of(row["label"]))
    wanted: set[Quad] = set()
    for (g, concept), names in labels.items():
        label = minted_from(concept, names)
        term = match(label) if label is not None else None
        if term is not None:
            wanted.add((concept, SKOS.closeMatch, term, g))
    rows = store.select("term_links", recordGraphs=graphs, terms=Lit(ids.concepts(SCHEME)))
    stored = {(str(r["concept"]), SKOS.closeMatch, str(r["term"]), str(r["g"])) for r in rows}
    return sorted(wanted - stored), sorted(stored - wanted)


def subject_matcher(source: Path | Iterable[Term], ids: Minter) -> Callable[[str], str | None]:
    """``match_subject`` of a :class:`SubjectIndex` over a vault folder or its terms."""
    terms = read_thesaurus(source) if isinstance(source, Path) else source
    return SubjectIndex(terms, ids).match_subject

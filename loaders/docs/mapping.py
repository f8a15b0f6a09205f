"""A document as triples: BIBFRAME 2 work and instance, mentions, ``about`` scores, key
terms, subjects and theme memberships, all in the document's own named graph.

URIs, minted from identity (the supplying institution + the document's path key, see
:class:`DocumentIds`), never from content, so a changed file replaces its description:

=====================  ===========================================================
graph                  ``{base}graph/doc/{INST}/{digest(key)}``
record                 ``{base}record/{INST}/doc-{digest(key)}`` (bf:AdminMetadata)
instance, work         ``Minter.instance("doc:INST/key")``, ``Minter.work(…)``
mention, about, term   ``<record>#mention-N``, ``#about-N``, ``#term-N``
=====================  ===========================================================

``kg:Mention``: ``kg:entity``, ``kg:surface`` (as written), ``kg:offset`` (character
offsets into the cleaned text, the first 20), ``kg:count``. ``schema:about`` links the
work to each entity it is about; the ``kg:Aboutness`` node gives ``kg:score`` (share of
the document's mentions of institutions, alliances and places) and ``kg:count``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kg.ids import Minter, digest, segment
from kg.terms import Lit, Triple
from kg.themes import Theme, WorkFacts, memberships, place_id
from kg.vocab import BF, KG, LANGUAGES, PROV, RDF, RDFS, SCHEMA, XSD
from loaders.docs.analysis import Analysis
from loaders.docs.describe import Language, literal_tag

MAIN_PLACE = 0.1
"""An ``about`` place with at least this score is a geographic subject (``bf:subject``)
and what ``place`` theme rules see."""
KEY_TERMS_KEPT = 10
"""Key terms kept as ``kg:KeyTerm`` nodes besides those that are concepts."""


class DocumentIds:
    """URIs of one document of one institution, from its path key."""

    def __init__(self, ids: Minter, institution: str, key: str) -> None:
        self.ids = ids
        self.institution = institution
        self.key = key
        self.control = f"doc-{digest(institution, key)}"
        self.graph = f"{ids.base}graph/doc/{segment(institution)}/{digest(institution, key)}"
        self.record = ids.record(institution, self.control)
        self.instance = ids.instance(f"doc:{institution}/{key}")
        self.work = ids.work(f"doc:{institution}/{key}")

    @property
    def record_id(self) -> str:
        """``INSTITUTION/doc-…``: how theme include/exclude lists name the document."""
        return f"{self.institution}/{self.control}"


@dataclass(frozen=True, slots=True)
class Described:
    """What a document says about itself (:mod:`loaders.docs.describe`) and the file."""

    title: str
    title_source: str
    language: Language
    date: str | None
    summary: str | None
    format: str
    sha256: str
    chars: int


def document_triples(
    doc: DocumentIds,
    described: Described,
    analysis: Analysis,
    *,
    run: str,
    content_hash: str,
    themes: Sequence[Theme] = (),
) -> list[Triple]:
    """Everything the document's graph says."""
    ids, r, inst, work = doc.ids, doc.record, doc.instance, doc.work
    org = ids.institution(doc.institution)
    integer, decimal = XSD.integer, XSD.decimal
    out: list[Triple] = [
        (doc.graph, PROV.wasGeneratedBy, run),
        (doc.graph, PROV.wasDerivedFrom, ids.source(described.sha256)),
        (doc.graph, KG.institution, org),
        (r, RDF.type, BF.AdminMetadata),
        (r, BF.assigner, org),
        (r, KG.controlNumber, Lit(doc.control)),
        (r, KG.contentHash, Lit(content_hash)),
        (r, KG.sourcePath, Lit(doc.key)),
        (inst, RDF.type, BF.Instance),
        (inst, RDF.type, BF.Electronic),
        (inst, BF.instanceOf, work),
        (inst, BF.adminMetadata, r),
        (inst, KG.sha256, Lit(described.sha256)),
        (inst, KG.format, Lit(described.format)),
        (inst, KG.characters, Lit(str(described.chars), None, integer)),
        (work, RDF.type, BF.Work),
        (work, RDF.type, BF.Text),
        (work, BF.language, LANGUAGES.term(described.language.code)),
    ]
    if described.title:
        title = f"{r}#title"
        out += [
            (inst, BF.title, title),
            (title, RDF.type, BF.Title),
            (title, BF.mainTitle, Lit(described.title, literal_tag(described.title))),
            (title, KG.titleSource, Lit(described.title_source)),
            # the instance's label, as a MARC record's (245 $a): what lists and pages show
            (inst, RDFS.label, Lit(described.title, literal_tag(described.title))),
        ]
    if described.date:
        out.append((work, BF.originDate, Lit(described.date)))
    if described.summary:
        out += [
            (work, BF.summary, f"{r}#summary"),
            (f"{r}#summary", RDF.type, BF.Summary),
            (f"{r}#summary", RDFS.label, Lit(described.summary, literal_tag(described.summary))),
        ]
    for n, m in enumerate(analysis.mentions):
        node = f"{r}#mention-{n}"
        out += [
            (node, RDF.type, KG.Mention),
            (node, KG.work, work),
            (node, KG.entity, m.entity),
            (node, KG.surface, Lit(m.surface)),
            (node, KG.count, Lit(str(m.count), None, integer)),
        ]
        out.extend((node, KG.offset, Lit(str(o), None, integer)) for o in m.offsets)
    places: list[str] = []
    for n, about in enumerate(analysis.about):
        node = f"{r}#about-{n}"
        out += [
            (work, SCHEMA.about, about.entity),
            (node, RDF.type, KG.Aboutness),
            (node, KG.work, work),
            (node, KG.entity, about.entity),
            (node, KG.score, Lit(f"{about.score:.4f}", None, decimal)),
            (node, KG.count, Lit(str(about.count), None, integer)),
        ]
        if about.kind == "place" and about.score >= MAIN_PLACE:
            out.append((work, BF.subject, about.entity))
            places.append(about.entity)
    subjects: list[str] = []
    for n, term in enumerate(analysis.key_terms):
        if term.concept is None and n >= KEY_TERMS_KEPT:
            continue
        node = f"{r}#term-{n}"
        out += [
            (node, RDF.type, KG.KeyTerm),
            (node, KG.work, work),
            (node, RDFS.label, Lit(term.term)),
            (node, KG.score, Lit(f"{term.score:.4f}", None, decimal)),
        ]
        if term.concept:
            out += [(node, KG.concept, term.concept), (work, BF.subject, term.concept)]
            subjects.append(term.term)
    if themes:
        facts = WorkFacts(
            record_id=doc.record_id,
            subject_labels=subjects,
            texts=[t for t in (described.title, described.summary) if t],
            places=sorted({p for e in places if (p := place_id(ids, e))}),
            institution=doc.institution,
        )
        out.extend(memberships(themes, facts, ids, r, work))
    return out

"""Model → triples: one record's description as BIBFRAME 2, SKOS and ``kg:`` triples.

Each node gets its most specific class only (bf:Person, not also bf:Agent; bf:Publication,
not also bf:ProvisionActivity) and no inverse links (bf:itemOf without bf:hasItem): the
on-disk store pays about 15 µs per quad, and the ontology's subclass and inverse axioms
give the rest to any consumer that wants them.

Nested nodes (titles, contributions, identifiers...) are hash IRIs under the
record's URI, so two members' records about one merged instance never collide
and a record's triples can be replaced as a whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from kg.classes import deepest_class
from kg.ids import Minter, digest
from kg.keys import agent_key, fold, sort_title
from kg.model import (
    Agent,
    BibRecord,
    Classification,
    Contribution,
    Finding,
    Holding,
    Identifier,
    Provision,
    Subject,
    Text,
    Title,
)
from kg.terms import Lit, Triple
from kg.themes import Theme, facts_from_record, institution_code, memberships, place_id, record_id
from kg.vocab import BF, ISSUANCE, KG, LANGUAGES, OWL, RDF, RDFS, SKOS

_TITLE_CLASS = {
    "main": BF.Title,
    "variant": BF.VariantTitle,
    "parallel": BF.ParallelTitle,
    "key": BF.KeyTitle,
    "abbreviated": BF.AbbreviatedTitle,
    "uniform": BF.Title,
}
_CLASSIFICATION_CLASS = {
    "lcc": BF.ClassificationLcc,
    "ddc": BF.ClassificationDdc,
    "nlm": BF.ClassificationNlm,
    "udc": BF.ClassificationUdc,
}
_ISSUANCE = {
    "monograph": "mono",
    "serial": "serl",
    "integrating": "intg",
    "serial-component": "serl",
    "collection": "mono",
    "subunit": "mono",
}
_AGENT_CLASS = {
    "Person": BF.Person,
    "Organization": BF.Organization,
    "Meeting": BF.Meeting,
    "Family": BF.Family,
}
_SUBJECT_CLASS = {
    "Person": BF.Person,
    "Organization": BF.Organization,
    "Meeting": BF.Meeting,
    "Family": BF.Family,
    "Place": BF.Place,
    "Temporal": BF.Temporal,
    "GenreForm": BF.GenreForm,
    "Work": BF.Work,
    "Event": BF.Event,
    "Topic": BF.Topic,
}


_LANG_TAG = re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*")
_LANG_CODE = re.compile(r"[a-z]{3}")


Matcher = Callable[[str], str | None]


def lit(text: Text) -> Lit:
    """A :class:`Text` as a literal; a tag that is not well-formed BCP 47 is dropped."""
    if text.lang and not _LANG_TAG.fullmatch(text.lang):
        return Lit(text.value)
    return Lit(text.value, text.lang)


_IRI = re.compile(
    r"https?://(?P<host>[^\s/?#:<>\"{}|\\^`\[\]]+)(?::\d*)?"
    r"(?:[/?][^\s#<>\"{}|\\^`\[\]]*)?(?:#[^\s#<>\"{}|\\^`\[\]]*)?"
)
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def is_uri(value: str) -> bool:
    """True for an absolute http(s) IRI (RFC 3987) that a store will accept as is.

    >>> is_uri("http://id.loc.gov/authorities/names/n79021164"), is_uri("http://x/a%zz")
    (True, False)
    >>> is_uri("http://x/a#b#c"), is_uri("http://x:port/"), is_uri("(DLC)n 79021164")
    (False, False, False)
    """
    return _IRI.fullmatch(value) is not None and _BAD_ESCAPE.search(value) is None


@dataclass(slots=True)
class RecordContext:
    """Where one record's description goes: its URIs after merging."""

    record: str
    instance: str
    work: str
    institution: str
    items: list[str]
    new_work: bool


class RecordMapper:
    """Turns one :class:`BibRecord` into triples under a :class:`RecordContext`."""

    def __init__(
        self,
        ids: Minter,
        classes: Mapping[str, set[str]] | None = None,
        subject_match: Matcher | None = None,
        place_match: Matcher | None = None,
        themes: Sequence[Theme] | None = None,
    ) -> None:
        self.ids = ids
        self.subject_match = subject_match
        """Finds a loaded thesaurus concept by label (headings and their parts link to it)."""
        self.place_match = place_match
        """Finds a gazetteer place by name (geographic headings, $z, publication places)."""
        self.classes = classes or {}
        """Notations each loaded classification scheme defines (``clc`` → {"F124", ...})."""
        self.themes = list(themes or [])
        """Loaded themes (:mod:`kg.themes`): each record's work is evaluated against them."""
        self.unmatched: list[str] = []
        """Catalogued notations of a loaded scheme that match no class (since the last reset)."""

    def triples(self, rec: BibRecord, ctx: RecordContext) -> list[Triple]:
        """All triples one record contributes (bf:Work, bf:Instance, bf:Item, agents, concepts)."""
        out: list[Triple] = []
        add = out.append
        inst, work, r = ctx.instance, ctx.work, ctx.record
        add((inst, RDF.type, BF.Instance))
        add((inst, BF.instanceOf, work))
        add((inst, BF.adminMetadata, r))
        add((work, RDF.type, BF.Work))
        add((work, RDF.type, BF.term(rec.content_type)))
        if rec.issuance in _ISSUANCE:
            add((inst, BF.issuance, ISSUANCE.term(_ISSUANCE[rec.issuance])))
        for n, title in enumerate(rec.titles):
            self._title(out, work if title.kind == "uniform" else inst, f"{r}#title{n}", title)
        for n, contribution in enumerate(rec.contributions):
            self._contribution(out, work, f"{r}#contribution{n}", contribution)
        for text in rec.edition:
            add((inst, BF.editionStatement, lit(text)))
        for n, provision in enumerate(rec.provision):
            self._provision(out, inst, f"{r}#provision{n}", provision)
        if rec.date:
            add((inst, KG.year, Lit(rec.date)))
        for n, text in enumerate(rec.extent):
            add((inst, BF.extent, f"{r}#extent{n}"))
            add((f"{r}#extent{n}", RDFS.label, lit(text)))
        for text in rec.dimensions:
            add((inst, BF.dimensions, lit(text)))
        for series in rec.series:
            for text in series.title:
                label = f"{text.value} ; {series.volume}" if series.volume else text.value
                add((inst, BF.seriesStatement, lit(Text(label, text.lang))))
        for n, note in enumerate(rec.notes):
            node = f"{r}#note{n}"
            if note.kind == "responsibility":
                for text in note.text:
                    add((inst, BF.responsibilityStatement, lit(text)))
                continue
            add((inst, BF.note, node))
            add((node, BF.noteType, Lit(note.kind)))
            out.extend((node, RDFS.label, lit(t)) for t in note.text)
        for n, text in enumerate(rec.summaries):
            add((work, BF.summary, f"{r}#summary{n}"))
            add((f"{r}#summary{n}", RDF.type, BF.Summary))
            add((f"{r}#summary{n}", RDFS.label, lit(text)))
        for n, ident in enumerate(rec.identifiers):
            self._identifier(out, inst, f"{r}#id{n}", ident)
        for code in rec.languages:
            if _LANG_CODE.fullmatch(code):
                add((work, BF.language, LANGUAGES.term(code)))
        for subject in rec.subjects:
            add((work, BF.subject, self._subject(out, subject, work)))
        for n, classification in enumerate(rec.classifications):
            self._classification(out, work, f"{r}#class{n}", classification)
        for text in rec.unlinked:
            add((inst, KG.unlinkedParallel, lit(text)))
        for n, finding in enumerate(rec.findings):
            _finding(out, r, f"{r}#finding{n}", finding)
        if self.themes:
            self._themes(out, rec, ctx)
        return out

    # --- themes (topic knowledge bases) ------------------------------------------------
    def _themes(self, out: list[Triple], rec: BibRecord, ctx: RecordContext) -> None:
        """Memberships of the work in the loaded themes, in this record's graph.

        Places are the gazetteer places the triples above link to (publication places
        and geographic subjects), so themes see exactly what the graph says.
        """
        places = {
            pid
            for _, p, o in out
            if p in (KG.placeConcept, BF.subject)
            and isinstance(o, str)
            and (pid := place_id(self.ids, o)) is not None
        }
        facts = facts_from_record(
            rec,
            record_id(self.ids, ctx.record),
            institution_code(self.ids, ctx.institution),
            places,
        )
        out.extend(memberships(self.themes, facts, self.ids, ctx.record, ctx.work))

    # --- end of themes -----------------------------------------------------------------

    def items(self, rec: BibRecord, ctx: RecordContext) -> list[Triple]:
        """bf:Item per holding (at least one: the record's institution holds the instance)."""
        out: list[Triple] = []
        holdings = rec.holdings or [Holding()]
        for item, holding in zip(ctx.items, holdings, strict=False):
            out.append((item, RDF.type, BF.Item))
            out.append((item, BF.itemOf, ctx.instance))
            out.append((item, BF.heldBy, ctx.institution))
            self._holding(out, item, holding)
        return out

    def _holding(self, out: list[Triple], item: str, holding: Holding) -> None:
        if holding.shelf_mark:
            out.append((item, BF.shelfMark, f"{item}#shelfmark"))
            out.append((f"{item}#shelfmark", RDF.type, BF.ShelfMark))
            out.append((f"{item}#shelfmark", RDFS.label, Lit(holding.shelf_mark)))
        if holding.location:
            out.append((item, BF.physicalLocation, Lit(holding.location)))
        if holding.sublocation:
            out.append((item, BF.sublocation, f"{item}#sublocation"))
            out.append((f"{item}#sublocation", RDF.type, BF.Sublocation))
            out.append((f"{item}#sublocation", RDFS.label, Lit(holding.sublocation)))
        for n, barcode in enumerate(holding.barcodes):
            out.append((item, BF.identifiedBy, f"{item}#barcode{n}"))
            out.append((f"{item}#barcode{n}", RDF.type, BF.Barcode))
            out.append((f"{item}#barcode{n}", RDF.value, Lit(barcode)))
        if holding.copies is not None:
            out.append((item, KG.copies, Lit(str(holding.copies), None, XSD_INTEGER)))
        if holding.note:
            out.append((item, BF.note, f"{item}#note"))
            out.append((f"{item}#note", RDF.type, BF.Note))
            out.append((f"{item}#note", RDFS.label, Lit(holding.note)))

    def _title(self, out: list[Triple], owner: str, node: str, title: Title) -> None:
        """bf:title with bf:mainTitle, bf:subtitle, bf:partName (one literal per script)."""
        out.append((owner, BF.title, node))
        out.append((node, RDF.type, _TITLE_CLASS.get(title.kind, BF.Title)))
        for text in title.main:
            out.append((node, BF.mainTitle, lit(text)))
            if title.kind in ("main", "uniform"):
                out.append((owner, RDFS.label, lit(text)))
            if title.kind == "main":  # for lists sorted by title (pinyin order)
                out.append((owner, KG.sortTitle, Lit(sort_title(text.value))))
        for text in title.subtitle:
            out.append((node, BF.subtitle, lit(text)))
        for text in title.part:
            out.append((node, BF.partName, lit(text)))

    def _contribution(self, out: list[Triple], work: str, node: str, c: Contribution) -> None:
        """bf:contribution → bf:Contribution (bf:PrimaryContribution) with bf:agent, bf:role."""
        out.append((work, BF.contribution, node))
        out.append((node, RDF.type, BF.PrimaryContribution if c.primary else BF.Contribution))
        out.append((node, BF.agent, self.agent(out, c.agent)))
        for code in c.role_codes:
            if code.isalpha() and len(code) == 3:
                out.append((node, BF.role, f"http://id.loc.gov/vocabulary/relators/{code}"))
            else:
                out.append((node, KG.roleCode, Lit(code)))
        for role in c.roles:
            out.append((node, KG.roleLabel, Lit(role)))

    def agent(self, out: list[Triple], agent: Agent) -> str:
        """A bf:Agent node, shared by every record that names the same agent."""
        uri = self.ids.agent(agent.kind, agent_key(agent.names, agent.dates))
        out.append((uri, RDF.type, _AGENT_CLASS[agent.kind]))
        out.extend((uri, RDFS.label, lit(name)) for name in agent.names)
        if agent.dates:
            out.append((uri, KG.dates, Lit(agent.dates)))
        for ref in agent.uris:
            out.append((uri, OWL.sameAs, ref) if is_uri(ref) else (uri, KG.authorityId, Lit(ref)))
        return uri

    def _provision(self, out: list[Triple], inst: str, node: str, p: Provision) -> None:
        """bf:provisionActivity → bf:Publication etc. with bf:place, bf:agent, bf:date labels."""
        out.append((inst, BF.provisionActivity, node))
        out.append((node, RDF.type, BF.term(p.kind)))
        out.extend((node, BF.place, lit(t)) for t in p.places)
        if self.place_match is not None:
            for text in p.places:
                place = self.place_match(text.value)
                if place is not None:
                    out.append((node, KG.placeConcept, place))
        out.extend((node, BF.agent, lit(t)) for t in p.agents)
        out.extend((node, BF.date, lit(t)) for t in p.dates)

    def _identifier(self, out: list[Triple], inst: str, node: str, ident: Identifier) -> None:
        """bf:identifiedBy → bf:Isbn/bf:Issn/bf:Lccn/bf:OclcNumber/bf:Local."""
        out.append((inst, BF.identifiedBy, node))
        out.append((node, RDF.type, BF.term(ident.kind)))
        out.append((node, RDF.value, Lit(ident.value)))
        if ident.original and ident.original != ident.value:
            out.append((node, KG.original, Lit(ident.original)))
        if ident.qualifier:
            out.append((node, BF.qualifier, Lit(ident.qualifier)))
        if ident.source:
            out.append((node, BF.source, Lit(ident.source)))
        if ident.invalid:
            out.append((node, BF.status, "http://id.loc.gov/vocabulary/mstatus/cancinv"))

    def _subject(self, out: list[Triple], subject: Subject, work: str) -> str:
        """A subject heading as a skos:Concept, with its parts as concepts of their own.

        Heading and parts that a loaded thesaurus knows get skos:closeMatch to its term;
        geographic ones that the gazetteer knows get skos:closeMatch to the place, and
        the work gets the place as a bf:subject too.
        """
        scheme = self.ids.scheme(subject.scheme)
        first = subject.label[0].value
        uri = self.ids.concept(subject.scheme, fold(first) + "|" + subject.kind)
        out.append((uri, RDF.type, SKOS.Concept))
        out.append((uri, RDF.type, _SUBJECT_CLASS.get(subject.kind, BF.Topic)))
        out.append((uri, SKOS.inScheme, scheme))
        out.extend((uri, SKOS.prefLabel, lit(label)) for label in subject.label)
        for ref in subject.uris:
            out.append(
                (uri, SKOS.exactMatch, ref) if is_uri(ref) else (uri, KG.authorityId, Lit(ref))
            )
        self._matches(out, uri, first, subject.kind, work)
        if len(subject.parts) > 1:
            for part in subject.parts:
                part_uri = self.ids.concept(subject.scheme, fold(part.label) + "|" + part.kind)
                out.append((uri, KG.component, part_uri))
                out.append((part_uri, RDF.type, SKOS.Concept))
                out.append((part_uri, SKOS.inScheme, scheme))
                out.append((part_uri, SKOS.prefLabel, Lit(part.label)))
                self._matches(out, part_uri, part.label, part.kind, work)
        return uri

    def _matches(self, out: list[Triple], concept: str, label: str, kind: str, work: str) -> None:
        """skos:closeMatch to the thesaurus term (and the place) that ``label`` names: the
        label the concept's IRI is minted from (:func:`minted_from` finds it again)."""
        if self.subject_match is not None:
            term = self.subject_match(label)
            if term is not None:
                out.append((concept, SKOS.closeMatch, term))
        if kind == "Place" and self.place_match is not None:
            place = self.place_match(label)
            if place is not None:
                out.append((concept, SKOS.closeMatch, place))
                out.append((work, BF.subject, place))

    def _classification(self, out: list[Triple], work: str, node: str, c: Classification) -> None:
        """bf:classification with bf:classificationPortion (as catalogued), linked to its class.

        With the scheme's vocabulary loaded, the link goes to the deepest class of the
        table (``TQ174.1/23`` → TQ174.1, remainder ``/23``); a notation matching no class
        is listed in :attr:`unmatched` for the load report and keeps only its portion.
        Without a vocabulary, a class stub is minted from the notation itself.
        """
        out.append((work, BF.classification, node))
        out.append((node, RDF.type, _CLASSIFICATION_CLASS.get(c.scheme, BF.Classification)))
        out.append((node, BF.classificationPortion, Lit(c.notation)))
        if c.item:
            out.append((node, BF.itemPortion, Lit(c.item)))
        if c.edition:
            out.append((node, BF.edition, Lit(c.edition)))
        known = self.classes.get(c.scheme)
        if known:
            # a vocabulary is loaded: link the deepest class, keep what the table lacks
            klass, rest = deepest_class(c.notation, known)
            if klass is None:
                self.unmatched.append(f"{c.scheme} {c.notation}")
                return
            out.append((node, KG.classConcept, self.ids.klass(c.scheme, klass)))
            if rest:
                out.append((node, KG.notationRemainder, Lit(rest)))
            return
        klass = self.ids.klass(c.scheme, c.notation)
        out.append((node, KG.classConcept, klass))
        out.append((klass, RDF.type, SKOS.Concept))
        out.append((klass, SKOS.notation, Lit(c.notation)))
        out.append((klass, SKOS.inScheme, self.ids.scheme(c.scheme)))


XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def _finding(out: list[Triple], record: str, node: str, finding: Finding) -> None:
    """A load-time quality finding (kg:QualityFinding) about ``record``, in its graph, so a
    reload replaces it and a curator can query it per institution (docs/quality.md)."""
    out.append((node, RDF.type, KG.QualityFinding))
    out.append((node, KG.record, record))
    out.append((node, KG.check, Lit(finding.check)))
    out.append((node, KG.severity, Lit(finding.severity)))
    out.append((node, KG.message, Lit(finding.message, "en")))
    if finding.field:
        out.append((node, KG.field, Lit(finding.field)))


def minted_from(concept: str, labels: Iterable[str]) -> str | None:
    """The label of ``labels`` that the heading or heading part ``concept`` was minted from
    by :meth:`RecordMapper._subject` (the fold of its first label, and its kind), or
    ``None``: what a thesaurus loaded later matches, as a load after it would.

    >>> uri = Minter("http://e/").concept("local", fold("湿地") + "|Topic")
    >>> minted_from(uri, ["shi di", "濕地"]), minted_from(uri, ["shi di"])
    ('濕地', None)
    """
    digest_of = concept.rpartition("/")[2]
    for label in labels:
        folded = fold(label)
        if any(digest(f"{folded}|{kind}") == digest_of for kind in _SUBJECT_CLASS):
            return label
    return None

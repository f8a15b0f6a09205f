"""Plain model objects that loaders yield and the core maps to the graph.

The model follows BIBFRAME 2 (Work, Instance, Item) with SKOS concepts for
subjects and classes. It knows nothing about MARC: a MARC21 or CNMARC loader
fills the same objects, so both flavours meet in one graph.

>>> t = Text("鄱阳湖", "zh-Hani")
>>> t.value, t.lang
('鄱阳湖', 'zh-Hani')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True, slots=True)
class Text:
    """A literal with an optional BCP 47 language tag (``zh-Hani``, ``zh-Latn-pinyin``)."""

    value: str
    lang: str | None = None


@dataclass(slots=True)
class Title:
    """bf:Title and its subclasses (MARC21 245/246/240/130, CNMARC 200/5xx).

    ``kind`` is ``main`` (bf:Title), ``variant`` (bf:VariantTitle), ``parallel``
    (bf:ParallelTitle), ``key`` (bf:KeyTitle), ``abbreviated`` or ``uniform``
    (belongs to the Work).
    """

    kind: str
    main: list[Text]
    subtitle: list[Text] = field(default_factory=list)
    part: list[Text] = field(default_factory=list)


AgentKind = Literal["Person", "Organization", "Meeting", "Family"]


@dataclass(slots=True)
class Agent:
    """bf:Agent (bf:Person, bf:Organization, bf:Meeting, bf:Family)."""

    kind: AgentKind
    names: list[Text]
    dates: str | None = None
    uris: list[str] = field(default_factory=list)
    """Authority URIs or identifiers from $0/$1 (MARC21) or $3 (UNIMARC)."""


@dataclass(slots=True)
class Contribution:
    """bf:Contribution: an agent and its roles (relator terms from $e/$4)."""

    agent: Agent
    roles: list[str] = field(default_factory=list)
    role_codes: list[str] = field(default_factory=list)
    primary: bool = False


@dataclass(slots=True)
class Provision:
    """bf:ProvisionActivity (MARC21 260/264, CNMARC 210/214)."""

    kind: str  # Publication, Production, Distribution, Manufacture, Copyright
    places: list[Text] = field(default_factory=list)
    agents: list[Text] = field(default_factory=list)
    dates: list[Text] = field(default_factory=list)


@dataclass(slots=True)
class Identifier:
    """bf:Identifier subclass (``Isbn``, ``Issn``, ``Lccn``, ``OclcNumber``, ``Local``).

    ``value`` is normalised (ISBN-13 for ISBNs); ``original`` keeps the string
    as catalogued. ``invalid`` marks cancelled or invalid numbers ($z).
    """

    kind: str
    value: str
    original: str | None = None
    qualifier: str | None = None
    source: str | None = None
    invalid: bool = False


@dataclass(slots=True)
class SubjectPart:
    """One part of a pre-coordinated heading ($a, or a $v/$x/$y/$z subdivision)."""

    kind: str  # Topic, Place, Temporal, GenreForm, Person, Organization, Meeting, Work
    label: str


@dataclass(slots=True)
class Subject:
    """bf:subject as a skos:Concept (MARC21 6XX, CNMARC 600-607)."""

    kind: str
    label: list[Text]
    scheme: str
    parts: list[SubjectPart] = field(default_factory=list)
    uris: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Classification:
    """bf:Classification (MARC21 050/060/082/084/093, CNMARC 686/690)."""

    scheme: str  # lcc, nlm, ddc, clc, udc or a $2 code
    notation: str
    item: str | None = None
    edition: str | None = None


@dataclass(slots=True)
class Series:
    """bf:seriesStatement (MARC21 490/8XX, CNMARC 225/410)."""

    title: list[Text]
    volume: str | None = None
    issn: str | None = None


@dataclass(slots=True)
class Note:
    """bf:Note; ``kind`` names the MARC note (general, bibliography, contents...)."""

    kind: str
    text: list[Text]


@dataclass(slots=True)
class Holding:
    """What one institution holds of an instance (MARC21 852/9XX, CNMARC 905/906).

    Becomes a bf:Item held by (bf:heldBy) the loading institution.
    """

    shelf_mark: str | None = None
    location: str | None = None
    sublocation: str | None = None
    barcodes: list[str] = field(default_factory=list)
    copies: int | None = None
    note: str | None = None


Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Finding:
    """A quality finding on one record (``kg:QualityFinding`` in the record's graph).

    ``check`` names the check (``isbn-check-digit``), ``field`` the MARC tag it concerns;
    ``message`` is for a cataloguer, with the field and the value.
    """

    check: str
    severity: Severity
    message: str
    field: str | None = None


RecordStatus = Literal["new", "corrected", "deleted"]


@dataclass(slots=True)
class BibRecord:
    """Everything one bibliographic record says, whatever its MARC flavour.

    ``control_number`` (MARC 001) with the loading institution's code is the
    record's identity: the same record loaded again yields the same URIs.
    """

    control_number: str
    flavour: str  # marc21 | unimarc
    status: RecordStatus = "new"
    content_type: str = "Text"  # bf:Work subclass from leader/06
    issuance: str | None = None  # from leader/07
    control_source: str | None = None  # MARC21 003
    titles: list[Title] = field(default_factory=list)
    contributions: list[Contribution] = field(default_factory=list)
    edition: list[Text] = field(default_factory=list)
    provision: list[Provision] = field(default_factory=list)
    extent: list[Text] = field(default_factory=list)
    dimensions: list[Text] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    summaries: list[Text] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)  # ISO 639-2/B codes
    country: str | None = None
    date: str | None = None  # four-digit year from 008/07-10 or 100/09-12
    subjects: list[Subject] = field(default_factory=list)
    classifications: list[Classification] = field(default_factory=list)
    holdings: list[Holding] = field(default_factory=list)
    unlinked: list[Text] = field(default_factory=list)
    """Parallel-script text (880 or CNMARC) whose partner field was not found: kept, not dropped."""
    warnings: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    """Quality findings of the load-time checks (loaders.marc.checks), mapped into its graph."""

    def main_title(self) -> Title | None:
        """The first ``main`` title, if any."""
        return next((t for t in self.titles if t.kind == "main"), None)

    def isbns(self) -> list[str]:
        """Valid ISBN-13s, in catalogue order."""
        return [i.value for i in self.identifiers if i.kind == "Isbn" and not i.invalid]

    def issns(self) -> list[str]:
        """Valid ISSNs, in catalogue order."""
        return [i.value for i in self.identifiers if i.kind == "Issn" and not i.invalid]

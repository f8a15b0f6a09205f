"""Namespaces of the vocabularies the graph uses (DESIGN.md decision 6).

BIBFRAME 2 for works, instances and items; SKOS for subjects and classes;
W3C ORG for institutions; PROV-O for load runs; ``kg:`` for the few terms no
standard has (match keys, merge decisions).
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.terms import Lit, Triple


class Namespace:
    """An IRI prefix; attribute access appends a local name.

    Not a ``str`` subclass on purpose: ``BF.title`` must be an IRI, not ``str.title``.

    >>> BF.Instance, BF.title
    ('http://id.loc.gov/ontologies/bibframe/Instance', 'http://id.loc.gov/ontologies/bibframe/title')
    """

    def __init__(self, iri: str) -> None:
        self.iri = iri

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        value = self.iri + name
        setattr(self, name, value)  # later lookups are plain attribute reads
        return value

    def term(self, name: str) -> str:
        """The IRI for ``name`` (for local names that are not identifiers)."""
        return self.iri + name

    def __str__(self) -> str:
        return self.iri


BF = Namespace("http://id.loc.gov/ontologies/bibframe/")
BFLC = Namespace("http://id.loc.gov/ontologies/bflc/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SCHEMA = Namespace("http://schema.org/")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
KG = Namespace("https://w3id.org/regional-kg/vocab#")
LANGUAGES = Namespace("http://id.loc.gov/vocabulary/languages/")
COUNTRIES = Namespace("http://id.loc.gov/vocabulary/countries/")
RELATORS = Namespace("http://id.loc.gov/vocabulary/relators/")
ISSUANCE = Namespace("http://id.loc.gov/vocabulary/issuance/")

PREFIXES: dict[str, Namespace] = {
    "bf": BF,
    "bflc": BFLC,
    "skos": SKOS,
    "org": ORG,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "schema": SCHEMA,
    "owl": OWL,
    "dcterms": DCTERMS,
    "kg": KG,
}


def sparql_prefixes() -> str:
    """``PREFIX`` lines for every namespace above, for named queries."""
    return "".join(f"PREFIX {p}: <{ns.iri}>\n" for p, ns in PREFIXES.items())


def concept_scheme(iri: str, labels: Iterable[Lit]) -> list[Triple]:
    """A skos:ConceptScheme with its preferred labels (one per language)."""
    return [(iri, RDF.type, SKOS.ConceptScheme), *((iri, SKOS.prefLabel, x) for x in labels)]

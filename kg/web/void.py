"""``/.well-known/void``: a VoID description of the dataset (W3C Interest Group Note
"Describing Linked Datasets with the VoID Vocabulary", section 7.2 for the well-known
location; RFC 8615 for ``/.well-known/``).

The union catalogue ``{base}catalogue`` is a ``void:Dataset`` with its statement and entity
counts, class and property partitions, the vocabularies its properties come from, its
licence (``KG_LICENSE``), URI space, SPARQL endpoint and latest whole-graph dump. The
counts scan the store, so the description is cached for :data:`CACHE_SECONDS`.
"""

from __future__ import annotations

import time
from pathlib import Path

from kg.ids import Minter
from kg.store import Store
from kg.terms import Lit, Triple, text_of
from kg.vocab import DCTERMS, PREFIXES, RDF, XSD, Namespace

VOID = Namespace("http://rdfs.org/ns/void#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
CACHE_SECONDS = 300.0
DEFAULT_LICENSE = "http://creativecommons.org/publicdomain/zero/1.0/"


def _int(value: int) -> Lit:
    return Lit(str(value), None, XSD.integer)


def namespace_of(iri: str) -> str:
    """The namespace of a property IRI: up to its last ``#`` or ``/``."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


class VoidDescription:
    """Builds (and caches) the VoID triples of one store."""

    def __init__(self, store: Store, ids: Minter, license: str) -> None:
        self.store, self.ids, self.license = store, ids, license
        self._cached: tuple[float, list[Triple]] | None = None

    def triples(self, dumps: Path | None = None, dump_prefix: str = "") -> list[Triple]:
        """The description; ``dumps`` names the directory whose latest dump it points to."""
        now = time.monotonic()
        if self._cached is None or now - self._cached[0] > CACHE_SECONDS:
            self._cached = (now, self._build())
        out = list(self._cached[1])
        from kg.web.dumps import latest  # noqa: PLC0415 - avoids an import cycle

        dump = latest(dumps)
        if dump is not None:
            out.append((self.ids.catalogue(), VOID.dataDump, f"{dump_prefix}{dump['file']}"))
        return out

    def _build(self) -> list[Triple]:
        base, ds = self.ids.base, self.ids.catalogue()
        props = self.store.select("void_properties")
        classes = self.store.select("void_classes", base=Lit(base))
        totals = (self.store.select("void_entities", base=Lit(base)) or [{}])[0]
        out: list[Triple] = [
            (ds, RDF.type, VOID.Dataset),
            (ds, DCTERMS.title, Lit("区域图书馆联盟联合目录知识图谱", "zh-Hans")),
            (ds, DCTERMS.title, Lit("Regional library alliance union catalogue", "en")),
            (ds, DCTERMS.license, self.license),
            (ds, VOID.uriSpace, Lit(base)),
            (ds, VOID.sparqlEndpoint, f"{base}sparql"),
            (ds, VOID.rootResource, ds),
            (ds, VOID.triples, _int(sum(int(text_of(r["triples"])) for r in props))),
            (ds, VOID.entities, _int(int(text_of(totals.get("entities", Lit("0")))))),
            (ds, VOID.properties, _int(len(props))),
            (ds, VOID.classes, _int(len(classes))),
        ]
        if "modified" in totals:
            out.append((ds, DCTERMS.modified, totals["modified"]))
        for fmt in ("N-Quads", "Turtle", "JSON-LD", "N-Triples", "RDF_XML"):
            out.append((ds, VOID.feature, FORMATS.term(fmt)))
        used = {namespace_of(str(r["p"])) for r in props}
        known = {ns.iri for ns in PREFIXES.values()}
        out += [(ds, VOID.vocabulary, ns) for ns in sorted(used & known)]
        for n, row in enumerate(classes):
            part = f"{ds}#class-{n}"
            out += [
                (ds, VOID.classPartition, part),
                (part, VOID.term("class"), str(row["class"])),
                (part, VOID.entities, _int(int(text_of(row["entities"])))),
            ]
        for n, row in enumerate(props):
            part = f"{ds}#property-{n}"
            out += [
                (ds, VOID.propertyPartition, part),
                (part, VOID.property, str(row["p"])),
                (part, VOID.triples, _int(int(text_of(row["triples"])))),
            ]
        return out

"""Stable, deterministic URIs (DESIGN.md decision 3).

A URI is minted from the thing's identity, never from load order: a record
from institution + control number, a merged instance from its match key, a
class from scheme + notation, an agent or concept from its normalised label.
Loading the same file twice therefore yields the same URIs.

>>> ids = Minter("https://kg.example.org/")
>>> ids.record("JXUFE", "990002180740203961")
'https://kg.example.org/record/JXUFE/990002180740203961'
>>> ids.instance("isbn:9787503717444")
'https://kg.example.org/instance/isbn-9787503717444'
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

_UNSAFE = re.compile(r"[^A-Za-z0-9._~\-]")
_SAFE = re.compile(r"[A-Za-z0-9._~\-]+")


def digest(*parts: str) -> str:
    """A short, stable hash of ``parts`` (16 hex digits of SHA-1)."""
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def segment(value: str) -> str:
    """A URI path segment: unreserved characters kept, the rest percent-encoded."""
    value = value.strip()
    return value if _SAFE.fullmatch(value) else quote(value, safe="")


class Minter:
    """Mints every URI of the graph under one base (``KG_BASE``)."""

    def __init__(self, base: str) -> None:
        self.base = base if base.endswith("/") else base + "/"

    def record(self, institution: str, control_number: str) -> str:
        """The record (bf:AdminMetadata) an institution contributed."""
        return f"{self.base}record/{segment(institution)}/{segment(control_number)}"

    def record_graph(self, institution: str, control_number: str) -> str:
        """The named graph that holds everything one record says."""
        return f"{self.base}graph/record/{segment(institution)}/{segment(control_number)}"

    def record_graphs(self) -> str:
        """The IRI prefix of every record's named graph (:meth:`record_graph`)."""
        return f"{self.base}graph/record/"

    def concepts(self, scheme: str = "") -> str:
        """The IRI prefix of the concepts :meth:`concept` mints (of one scheme, if given)."""
        return f"{self.base}concept/{segment(scheme) + '/' if scheme else ''}"

    def instance(self, key: str) -> str:
        """A bf:Instance from its founding match key (``isbn:…``, ``issn:…``, ``t:…``)."""
        kind, _, value = key.partition(":")
        if kind in ("isbn", "issn") and not _UNSAFE.search(value):
            return f"{self.base}instance/{kind}-{value}"
        return f"{self.base}instance/{kind}-{digest(key)}"

    def work(self, key: str) -> str:
        """A bf:Work from its work key."""
        return f"{self.base}work/{digest(key)}"

    def item(self, institution: str, control_number: str, n: int) -> str:
        """The ``n``-th bf:Item an institution's record describes."""
        return f"{self.base}item/{segment(institution)}/{segment(control_number)}/{n}"

    def agent(self, kind: str, key: str) -> str:
        """A bf:Agent from its kind and normalised name (+ dates)."""
        return f"{self.base}agent/{digest(kind, key)}"

    def concept(self, scheme: str, key: str) -> str:
        """A skos:Concept from its scheme and normalised label."""
        return f"{self.base}concept/{segment(scheme)}/{digest(key)}"

    def scheme(self, scheme: str) -> str:
        """A skos:ConceptScheme (``lcsh``, ``clc``, ``local``)."""
        return f"{self.base}scheme/{segment(scheme)}"

    def klass(self, scheme: str, notation: str) -> str:
        """A class (skos:Concept) of a classification scheme, by notation."""
        return f"{self.base}class/{segment(scheme)}/{segment(notation)}"

    def institution(self, code: str) -> str:
        """A member institution (org:Organization) by its roster code."""
        return f"{self.base}org/{segment(code)}"

    def run(self, run_id: str) -> str:
        """A load run (prov:Activity); also the name of its graph."""
        return f"{self.base}run/{segment(run_id)}"

    def source(self, sha256: str) -> str:
        """A source file (prov:Entity) by its SHA-256."""
        return f"{self.base}source/{sha256}"

    def roster_graph(self) -> str:
        """The named graph of the alliance roster."""
        return f"{self.base}graph/roster"

    def catalogue(self) -> str:
        """The union catalogue as a whole (a void:Dataset; the scope of its own counts)."""
        return f"{self.base}catalogue"

    def count(self, scope: str, dimension: str, value: str = "") -> str:
        """A precomputed count (kg.counts.Key): works under a scope by a dimension."""
        return f"{self.base}count/{digest(scope, dimension, value)}"

    def order(self, scope: str, sort: str) -> str:
        """The first works of a theme or class in one portal order (kg.orders)."""
        return self.count(scope, "order", sort)

    def count_graph(self, count: str) -> str:
        """The named graph that holds one count (kg.counting)."""
        return f"{self.base}graph/{count.removeprefix(self.base)}"

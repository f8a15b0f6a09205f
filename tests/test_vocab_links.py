"""How a record's classes, subjects and places link to the vocabularies (issue 3, items 2–4),
asserted on the record graph of a loaded record, for MARC21 and CNMARC:

* CLC from MARC21 084 ``$2 clc`` and 093 link to the deepest class of the loaded table, the
  notation as written kept (``TQ174.1/23`` → TQ174.1, remainder ``/23``);
* a subject heading with ``$z`` subdivisions is a SKOS concept with each part a concept of
  its own (``kg:component``), its ``$0`` authority URI kept as ``skos:exactMatch``, and the
  same heading written otherwise (case, final period) is the same concept;
* geographic headings (651, CNMARC 607) and ``$z`` parts link to the gazetteer
  (``skos:closeMatch``), traditional forms (``鄱陽湖``) as simplified ones.
"""

from __future__ import annotations

from pathlib import Path

import pymarc
import pytest

from kg.backends.oxigraph import OxigraphStore
from kg.ids import Minter
from kg.store import Store
from kg.terms import Lit, Term, text_of
from kg.vocab import BF, KG, SKOS
from loaders.marc.loader import MarcLoader
from loaders.sample import load_vocabularies
from loaders.vocab.clc import load_clc
from tests.conftest import BASE, SHARED

LCSH = "http://id.loc.gov/authorities/subjects/sh85146223"


def marc21(control: str, *fields: pymarc.Field) -> pymarc.Record:
    rec = pymarc.Record(force_utf8=True)
    rec.leader = pymarc.Leader("00000nam a22000003i 4500")
    rec.add_field(pymarc.Field(tag="001", data=control))
    rec.add_field(pymarc.Field(tag="008", data="200101s2010    ch            000 0 chi d"))
    for field in fields:
        rec.add_field(field)
    return rec


def field(tag: str, ind: str, *subfields: str) -> pymarc.Field:
    codes, values = subfields[::2], subfields[1::2]
    pairs = [pymarc.Subfield(c, v) for c, v in zip(codes, values, strict=True)]
    return pymarc.Field(tag, list(ind), pairs)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, Minter]:
    store, ids = OxigraphStore(None), Minter(BASE)
    load_vocabularies(store, ids, echo=lambda _: None)
    load_clc(store, ids, SHARED / "vocab" / "clc" / "clc5.md", max_depth=5)
    tmp = tmp_path_factory.mktemp("vocab-links")
    first = marc21(
        "v1",
        field("084", "  ", "a", "TQ174.1/23", "2", "clc"),
        field("093", "  ", "a", "X171"),
        field("245", "00", "a", "鄱阳湖湿地研究"),
        field("650", " 0", "a", "Wetlands", "z", "China", "z", "Poyang Lake", "0", LCSH),
        field("651", " 0", "a", "鄱陽湖"),
    )
    second = marc21(  # the same heading, written otherwise
        "v2",
        field("245", "00", "a", "Poyang Lake wetlands"),
        field("650", " 0", "a", "wetlands", "z", "China", "z", "Poyang Lake."),
    )
    path = tmp / "jxufe.mrc"
    path.write_bytes(first.as_marc() + second.as_marc())
    assert MarcLoader(store, ids, "JXUFE").load(path).new == 2
    return store, ids


def facts(store: Store, graph: str, subject: str | None = None) -> set[tuple[str, str, Term]]:
    return {(s, p, o) for s, p, o, _ in store.quads(graph) if subject in (None, s)}


def objects(store: Store, graph: str, subject: str, predicate: str) -> set[Term]:
    return {o for s, p, o in facts(store, graph, subject) if p == predicate}


def test_clc_from_084_and_093_links_to_the_deepest_class_keeping_the_notation(
    loaded: tuple[Store, Minter],
) -> None:
    store, ids = loaded
    graph = ids.record_graph("JXUFE", "v1")
    nodes = {s for s, p, _ in facts(store, graph) if p == KG.classConcept}
    linked = {
        str(next(iter(objects(store, graph, n, KG.classConcept)))): {
            text_of(o) for o in objects(store, graph, n, BF.classificationPortion)
        }
        | {"remainder " + text_of(o) for o in objects(store, graph, n, KG.notationRemainder)}
        for n in nodes
    }
    assert linked == {
        f"{BASE}class/clc/TQ174.1": {"TQ174.1/23", "remainder /23"},
        f"{BASE}class/clc/X171": {"X171"},
    }


def _subjects(store: Store, ids: Minter, control: str) -> dict[str, str]:
    """The record's subjects by preferred label → IRI."""
    graph = ids.record_graph("JXUFE", control)
    work = next(s for s, p, _ in facts(store, graph) if p == BF.subject)
    out = {}
    for uri in objects(store, graph, work, BF.subject):
        labels = objects(store, graph, str(uri), SKOS.prefLabel)
        out[text_of(next(iter(labels))) if labels else str(uri)] = str(uri)
    return out


def test_a_heading_is_a_concept_of_concepts_with_its_authority_kept(
    loaded: tuple[Store, Minter],
) -> None:
    store, ids = loaded
    graph = ids.record_graph("JXUFE", "v1")
    heading = _subjects(store, ids, "v1")["Wetlands--China--Poyang Lake"]
    assert objects(store, graph, heading, SKOS.exactMatch) == {LCSH}
    parts = {
        text_of(next(iter(objects(store, graph, str(p), SKOS.prefLabel))))
        for p in objects(store, graph, heading, KG.component)
    }
    assert parts == {"Wetlands", "China", "Poyang Lake"}
    # the same heading in another record, in lower case and with a final period
    assert _subjects(store, ids, "v2")["wetlands--China--Poyang Lake"] == heading


def test_places_link_to_the_gazetteer_in_either_script(loaded: tuple[Store, Minter]) -> None:
    store, ids = loaded
    graph = ids.record_graph("JXUFE", "v1")
    lake = f"{BASE}place/poyang-lake"
    subjects = _subjects(store, ids, "v1")
    assert objects(store, graph, subjects["鄱陽湖"], SKOS.closeMatch) == {lake}  # 651, traditional
    heading = subjects["Wetlands--China--Poyang Lake"]
    z = [
        p
        for p in objects(store, graph, heading, KG.component)
        if Lit("Poyang Lake") in objects(store, graph, str(p), SKOS.prefLabel)
    ]
    assert len(z) == 1 and objects(store, graph, str(z[0]), SKOS.closeMatch) == {lake}  # $z


def test_a_cnmarc_607_links_to_the_gazetteer(loaded: tuple[Store, Minter], tmp_path: Path) -> None:
    store, ids = loaded
    rec = pymarc.Record(force_utf8=True)
    rec.leader = pymarc.Leader("00000nam0 2200000   450 ")
    rec.add_field(pymarc.Field(tag="001", data="c1"))
    rec.add_field(field("100", "  ", "a", "20100101d2010    em y0chiy0121    ea"))
    rec.add_field(field("101", "0 ", "a", "chi"))
    rec.add_field(field("200", "1 ", "a", "鄱阳湖区域研究"))
    rec.add_field(field("607", "  ", "a", "鄱阳湖", "x", "研究"))
    path = tmp_path / "cnmarc.mrc"
    path.write_bytes(rec.as_marc())
    assert MarcLoader(store, ids, "NCU").load(path).new == 1
    graph = ids.record_graph("NCU", "c1")
    matched = {o for s, p, o in facts(store, graph) if p == SKOS.closeMatch}
    assert f"{BASE}place/poyang-lake" in matched

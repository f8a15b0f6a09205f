"""The store contract, run against every backend in kg.backends (DESIGN.md decision 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.backends import open_store
from kg.store import Store, StoreError, UnknownQuery
from kg.terms import Lit
from kg.vocab import KG, RDF

G1, G2 = "http://kg.test/graph/1", "http://kg.test/graph/2"
S = "http://kg.test/s"


# The ``store`` fixture (tests/backends/conftest.py) runs each test on every backend.


def test_write_then_replace_a_graph_in_one_call(store: Store) -> None:
    store.write([], [(S, RDF.type, KG.Thing, G1), (S, KG.label, Lit("一", "zh-Hans"), G2)])
    assert sorted(store.graphs()) == [G1, G2]
    store.write([G1], [(S, KG.label, Lit("new"), G1)])
    assert list(store.quads(G1)) == [(S, KG.label, Lit("new"), G1)]
    assert list(store.quads(G2)) == [(S, KG.label, Lit("一", "zh-Hans"), G2)]


def test_write_removes_single_statements_before_adding(store: Store) -> None:
    count = Lit("41", None, "http://www.w3.org/2001/XMLSchema#integer")
    kept = (S, RDF.type, KG.Count, G1)
    store.write([], [kept, (S, KG.works, count, G1), (S, KG.works, count, G2)])
    new = Lit("42", None, "http://www.w3.org/2001/XMLSchema#integer")
    absent = (S, KG.works, Lit("7"), G1)
    store.write([], [(S, KG.works, new, G1)], remove=[(S, KG.works, count, G1), absent])
    assert sorted(store.quads(G1), key=str) == sorted([kept, (S, KG.works, new, G1)], key=str)
    assert list(store.quads(G2)) == [(S, KG.works, count, G2)]  # only the graph named
    store.write([G2], [], remove=[kept])
    assert list(store.quads()) == [(S, KG.works, new, G1)]


def test_bulk_write_adds_quads_and_refuses_a_bad_term_clearly(store: Store) -> None:
    quads = [(S, RDF.type, KG.Thing, G1), (S, KG.label, Lit("一", "zh-Hans"), G2)]
    store.write_bulk(quads)
    assert sorted(store.quads(), key=str) == sorted(quads, key=str)
    with pytest.raises(StoreError, match="rejected a batch write"):
        store.write_bulk([(S, KG.p, Lit("x"), G2), ("http://kg.test/has space", KG.p, S, G2)])


def test_a_failed_write_changes_nothing(store: Store) -> None:
    store.write([], [(S, RDF.type, KG.Thing, G1)])
    bad_iri = "http://kg.test/has space"
    with pytest.raises(StoreError, match="rejected a batch write"):
        store.write([G1], [(S, KG.p, Lit("x"), G2), (bad_iri, KG.p, Lit("y"), G2)])
    assert list(store.quads()) == [(S, RDF.type, KG.Thing, G1)]


def test_literals_keep_language_tags_datatypes_and_escapes(store: Store) -> None:
    text = 'line one\nline "two" \\ 三'
    quads = [
        (S, KG.a, Lit(text, "zh-Latn-pinyin"), G1),
        (S, KG.b, Lit("42", None, "http://www.w3.org/2001/XMLSchema#integer"), G1),
    ]
    store.write([], quads)
    assert sorted(store.quads(G1), key=str) == sorted(quads, key=str)


def test_named_query_with_list_parameter(store: Store) -> None:
    store.write([], [(S, KG.contentHash, Lit("abc"), G1)])
    rows = store.select("record_hashes", records=[S, "http://kg.test/other"])
    assert rows == [{"record": S, "hash": Lit("abc")}]


def test_unknown_query_and_missing_parameter_are_clear_errors(store: Store) -> None:
    with pytest.raises(UnknownQuery, match="No named query 'nope'"):
        store.select("nope")
    with pytest.raises(StoreError, match="parameter 'records' is missing"):
        store.select("record_hashes")


def test_unknown_store_scheme_names_the_choices() -> None:
    with pytest.raises(StoreError, match=r"no backend serves; use one of bolt:, .*file:, memory:"):
        open_store("ftp://example.org/store")


def test_disk_store_keeps_data_after_close(tmp_path: Path) -> None:
    s = open_store(str(tmp_path / "store"))
    s.write([], [(S, RDF.type, KG.Thing, G1)])
    s.close()
    again = open_store(str(tmp_path / "store"))
    assert list(again.quads()) == [(S, RDF.type, KG.Thing, G1)]
    again.close()

"""Neo4j-specific effects of a write that the contract tests cannot see: labels follow
``rdf:type`` statements, and nodes left without statements go (docs/neo4j.md)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kg.backends.neo4j import Neo4jStore
from kg.terms import Lit
from kg.vocab import KG, RDF, XSD
from tests.backends.conftest import needs_neo4j, open_neo4j

G1, G2 = "http://kg.test/graph/1", "http://kg.test/graph/2"
S = "http://kg.test/s"

pytestmark = needs_neo4j


@pytest.fixture
def neo() -> Iterator[Neo4jStore]:
    store = open_neo4j()
    yield store
    store.close()


def cypher(store: Neo4jStore, query: str) -> list[object]:
    return store._call(lambda s: s.run(query).value())


def test_removing_a_type_removes_the_label_only_when_no_graph_types_it(neo: Neo4jStore) -> None:
    neo.write([], [(S, RDF.type, KG.Count, G1), (S, RDF.type, KG.Count, G2)])
    neo.write([], [], remove=[(S, RDF.type, KG.Count, G1)])
    assert cypher(neo, "MATCH (n:kg_Count) RETURN n.uri") == [S]
    neo.write([], [], remove=[(S, RDF.type, KG.Count, G2)])
    assert cypher(neo, "MATCH (n:kg_Count) RETURN n.uri") == []
    assert cypher(neo, "MATCH (n:Resource) RETURN count(n)") == [0]  # neither s nor the class


def test_removing_many_values_leaves_no_orphan_literal(neo: Neo4jStore) -> None:
    subjects = [f"http://kg.test/count/{i}" for i in range(2000)]

    def n(v: int) -> Lit:
        return Lit(str(v), None, XSD.integer)

    neo.write([], [(s, KG.works, n(i), G1) for i, s in enumerate(subjects)])
    neo.write(
        [],
        [(s, KG.works, n(i + 1), G1) for i, s in enumerate(subjects)],
        remove=[(s, KG.works, n(i), G1) for i, s in enumerate(subjects)],
    )
    assert cypher(neo, "MATCH (l:Literal) RETURN count(l)") == [2000]
    assert sorted(neo.quads(G1)) == sorted(
        (s, KG.works, n(i + 1), G1) for i, s in enumerate(subjects)
    )
    neo.write([], [], remove=[(s, KG.works, n(i + 1), G1) for i, s in enumerate(subjects)])
    assert cypher(neo, "MATCH (n) WHERE NOT n:KgName AND NOT n:NamedGraph RETURN count(n)") == [0]


def test_removing_and_adding_the_same_statement_keeps_it(neo: Neo4jStore) -> None:
    quad = (S, KG.label, Lit("x", "en"), G1)
    neo.write([], [quad])
    neo.write([], [quad], remove=[quad, quad])
    assert list(neo.quads(G1)) == [quad]


def test_a_quad_written_again_is_stored_once_whether_its_graph_is_new_or_not(
    neo: Neo4jStore,
) -> None:
    typed, label = (S, RDF.type, KG.Thing, G1), (S, KG.label, Lit("x"), G1)
    neo.write([], [typed, label, typed, label])  # a new graph: CREATE, duplicates removed first
    neo.write([], [typed, label, (S, KG.label, Lit("y"), G1)])  # a stored graph: MERGE
    neo.write([G2], [(S, RDF.type, KG.Thing, G2)])  # dropped (absent) and written
    neo.write([G2], [(S, RDF.type, KG.Thing, G2)])  # dropped and written again
    assert sorted(neo.quads(), key=str) == sorted(
        [typed, label, (S, KG.label, Lit("y"), G1), (S, RDF.type, KG.Thing, G2)], key=str
    )
    assert cypher(neo, "MATCH (n:kg_Thing) RETURN n.uri") == [S]
    assert cypher(neo, "MATCH (ng:NamedGraph) RETURN ng.uri ORDER BY ng.uri") == [G1, G2]
    assert cypher(neo, f"MATCH (c:Resource {{uri: '{KG.Thing}'}}) RETURN c.label") == ["kg_Thing"]

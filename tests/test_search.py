"""Search (kg.search) over the bundled sample, loaded into an in-memory store.

Expectations are read from the records: ECJTU's copy of GWU's records carries 880
vernacular titles (中国外交六十年, and the Japanese 外交青書 and 環境白書 in traditional
forms), the dp2 CNMARC/UNIMARC records are the 中国发展报告 series (JXAU, five also at NCU),
and JXUFE's records are music scores with English titles.
"""

from __future__ import annotations

import base64
import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest
from lxml import etree

from kg.backends.oxigraph import OxigraphStore
from kg.ids import Minter
from kg.search import SearchError, SearchIndex, index_path_for
from kg.search.facet_table import FacetTable
from kg.search.index import _encode_cursor
from kg.store import Param, Row, Store, StoreError
from loaders.marc.loader import MarcLoader
from loaders.roster import load_roster
from loaders.vocab.clc import load_clc
from tests.conftest import BASE, SAMPLE

LOADS = [
    ("JXUFE", "jxufe-gwu.xml"),
    ("ECJTU", "ecjtu-gwu.mrc"),
    ("JXAU", "jxau-dp2-cnmarc.xml"),
    ("NCU", "ncu-dp2-unimarc.xml"),
    ("NCU", "ncu-dp2-marc21.xml"),
]
MARC = "http://www.loc.gov/MARC21/slim"


def _load_sample(store: Store, ids: Minter) -> None:
    load_roster(store, ids, SAMPLE / "roster.csv")
    load_clc(store, ids, SAMPLE / "clc-main.tsv")
    for code, name in LOADS:
        MarcLoader(store, ids, code).load(SAMPLE / name)


@pytest.fixture(scope="module")
def sample() -> Iterator[tuple[Store, SearchIndex]]:
    """The sample in a memory store, and its index built once (tests here only read)."""
    store = OxigraphStore(None)
    _load_sample(store, Minter(BASE))
    index = SearchIndex()
    index.rebuild(store)
    yield store, index
    index.close()
    store.close()


@pytest.fixture
def index(sample: tuple[Store, SearchIndex]) -> SearchIndex:
    return sample[1]


def labels(index: SearchIndex, text: str, **kwargs: object) -> list[str]:
    return [h.label for h in index.search(text, **kwargs).hits]  # type: ignore[arg-type]


def test_rebuild_indexes_every_work_agent_and_concept(sample: tuple[Store, SearchIndex]) -> None:
    store, index = sample
    works = len(store.select("search_all_works"))
    assert works == 91  # `kg stats`: works 91
    page = index.search("中国", first=1)
    assert {f.value for f in page.facets["kind"]} == {"work", "concept"}
    assert index.search("Beethoven", kinds=["agent"]).hits[0].label == "Beethoven, Ludwig van"
    assert not index.needs_rebuild


def test_the_number_of_entries_is_kept_through_rebuilds_and_refreshes(
    sample: tuple[Store, SearchIndex],
) -> None:
    store = sample[0]
    with SearchIndex() as index:
        for _ in range(2):  # the second rebuild replaces every row
            index.rebuild(store)
            counted = index._db.execute("SELECT count(*) FROM docs").fetchone()[0]
            assert len(index) == counted > 91
        index.write([], remove=[str(store.select("search_all_works")[0]["work"])])
        assert len(index) == counted - 1


def _tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of an index's tables (the full-text table's text too), in a fixed order."""
    with sqlite3.connect(path) as db:
        tables = db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        names = [t for (t,) in tables if not t.startswith("fts_")]  # FTS5's own tables
        rowid = {"fts": "rowid, "}  # the others keep their ids in their columns
        return {
            t: sorted(db.execute(f"SELECT {rowid.get(t, '')}* FROM {t}"), key=repr) for t in names
        }


def test_a_rebuild_read_by_threads_indexes_what_one_reader_does(
    sample: tuple[Store, SearchIndex], tmp_path: Path
) -> None:
    """Batches read ahead by several threads come back in order: the same rows, the same
    document ids, as one thread reading batch after batch. And the same store makes the
    same index, whatever order the store returns its rows in."""
    store = sample[0]
    for name, readers in (("1a", 1), ("1b", 1), ("3", 3)):
        with SearchIndex(tmp_path / f"{name}.sqlite") as index:
            assert index.rebuild(store, batch_size=7, readers=readers).updated > 91
    one, again, three = (_tables(tmp_path / f"{n}.sqlite") for n in ("1a", "1b", "3"))
    assert len(one["docs"]) > 91 and one["fts"] and one == again == three


class _FailsLate(OxigraphStore):
    """The sample's store, whose third read of works fails (a store going down mid-way)."""

    def __init__(self, store: Store) -> None:
        self.inner, self.reads = store, 0

    def select(self, name: str, **params: Param) -> list[Row]:
        self.reads += name == "search_works"
        if self.reads >= 3:
            raise StoreError("connection reset (the store went down)")
        return self.inner.select(name, **params)


def test_a_rebuild_that_fails_midway_keeps_the_index_it_had(
    sample: tuple[Store, SearchIndex], tmp_path: Path
) -> None:
    store = sample[0]
    with SearchIndex(tmp_path / "index.sqlite") as index:
        index.rebuild(store)
        before = len(index)
        with pytest.raises(StoreError, match="connection reset"):
            index.rebuild(cast(Store, _FailsLate(store)), batch_size=10)
        assert len(index) == before and index.search("Beethoven", kinds=["agent"]).hits


def test_simplified_query_finds_traditional_titles(index: SearchIndex) -> None:
    # ECJTU's 880s: 外交青書 and 環境白書 (Japanese titles in traditional forms)
    page = index.search("外交青书")
    assert [h.label for h in page.hits] == ["外交青書"]
    assert page.hits[0].snippet == "<mark>外交青書</mark>"
    assert labels(index, "环境白书") == ["環境白書"]


def test_traditional_query_finds_simplified_titles(index: SearchIndex) -> None:
    page = index.search("中國外交六十年")
    assert [h.label for h in page.hits] == ["中国外交六十年"]
    assert page.hits[0].snippet == "<mark>中国外交六十年</mark>"
    assert labels(index, "國家統計局", kinds=["agent"]) == ["国家统计局"]


@pytest.mark.parametrize(
    "query",
    [
        "zhongguowaijiaoliushinian",  # pinyin, run together
        "zhongguo waijiao liushinian",  # by words
        "zhong guo wai jiao liu shi nian",  # by syllables
        "Zhōngguó wàijiāo liùshí nián",  # with tones
        "zgwjlsn",  # initials
    ],
)
def test_pinyin_finds_the_chinese_title(index: SearchIndex, query: str) -> None:
    hits = index.search(query, kinds=["work"]).hits
    assert hits[0].label == "中国外交六十年"


def test_pinyin_marks_the_han_characters_it_spells(index: SearchIndex) -> None:
    hit = index.search("guojiatongjiju").hits[0]
    assert (hit.kind, hit.label, hit.snippet) == ("agent", "国家统计局", "<mark>国家统计局</mark>")


def test_english_query_finds_english_records(index: SearchIndex) -> None:
    page = index.search("eight symphonies")
    assert page.total == 1
    hit = page.hits[0]
    # the instance's title is the label, not the uniform title "Symphonies : op. 2"
    assert hit.label == "The eight symphonies"
    assert hit.snippet == "The <mark>eight</mark> <mark>symphonies</mark>"
    assert labels(index, "chopin") == ["Chopin, Frédéric", "Frédéric Chopin"]
    assert labels(index, "frederic chopin", kinds=["work"]) == ["Frédéric Chopin"]
    prefixed = labels(index, "sympho*", kinds=["work"])
    assert {
        "Symphonies 87 & 103",
        "Symphony no. 3 : Schumann-variations",
        "The eight symphonies",
    } <= set(prefixed)


def test_segmented_multi_word_chinese_queries(index: SearchIndex) -> None:
    # jieba: 中国 / 报告 need not be adjacent; 发展报告 is a substring of every title
    assert index.search("中国报告", kinds=["work"]).total == 7
    assert index.search("中国 报告", kinds=["work"]).total == 7
    assert index.search("发展报告", kinds=["work"]).total == 7
    # the words of 改革开放 (改革 + 开放) also meet a summary; the title match ranks first
    hits = index.search("改革开放").hits
    assert [h.label for h in hits] == [
        "改革开放与中华战略文化 : 纪念中国改革开放30周年",
        "中国外交新高地",
    ]
    assert hits[0].score > hits[1].score


def test_exact_title_match_comes_first(index: SearchIndex) -> None:
    hits = index.search("Piano trio in B no1", kinds=["work"]).hits
    assert hits[0].label.startswith("Piano trio in B no1")
    # an exact (folded) title beats a longer title with a better BM25 score
    assert labels(index, "Symphonies 87 & 103", kinds=["work"])[0] == "Symphonies 87 & 103"


def test_filters_and_facet_counts(index: SearchIndex) -> None:
    page = index.search("中国发展报告")
    assert page.total == 7
    facets = {name: {f.value: f.count for f in values} for name, values in page.facets.items()}
    assert facets == {
        "kind": {"work": 7},
        "institution": {"JXAU": 7, "NCU": 4},
        "language": {"chi": 7},
        "decade": {"1990": 7},
    }
    assert index.search("中国发展报告", filters={"institution": "NCU"}).total == 4
    assert index.search("中国发展报告", filters={"institution": ["NCU", "JXUFE"]}).total == 4
    assert index.search("中国发展报告", filters={"institution": "JXUFE"}).total == 0
    both = index.search("中国", filters={"decade": [1990, "2000"], "language": "chi"})
    assert both.total == 16
    assert {f.value: f.count for f in both.facets["decade"]} == {"1990": 8, "2000": 8}
    assert index.search("中国", kinds=["concept"]).total == sum(
        f.count for f in index.search("中国").facets["kind"] if f.value == "concept"
    )


def test_cursor_pages_are_stable_and_complete(index: SearchIndex) -> None:
    whole = index.search("piano", first=200)
    assert whole.total == len(whole.hits) > 10 and whole.end_cursor is None
    seen: list[str] = []
    after = None
    while True:
        page = index.search("piano", first=4, after=after)
        assert page.total == whole.total
        seen += [h.uri for h in page.hits]
        if not page.has_next_page:
            break
        again = index.search("piano", first=4, after=after)
        assert again.end_cursor == page.end_cursor  # same page, same cursor
        after = page.end_cursor
    assert seen == [h.uri for h in whole.hits]
    with pytest.raises(SearchError, match="another query"):
        index.search("violin", first=4, after=index.search("piano", first=4).end_cursor)
    with pytest.raises(SearchError, match="Not a search cursor"):
        index.search("piano", after="garbage!")


def _all_pages(index: SearchIndex, text: str, **kwargs: object) -> list[tuple[str, str]]:
    after, seen = None, []
    while True:
        page = index.search(text, first=3, after=after, **kwargs)  # type: ignore[arg-type]
        seen += [(h.uri, h.label) for h in page.hits]
        if not page.has_next_page:
            return seen
        after = page.end_cursor


def test_a_very_common_word_is_ordered_by_exact_title_then_label_length(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above RANK_ALL matches (10,000; 3 here) BM25 is not computed: exact titles first,
    then shorter labels; the same matches, totals and facets, every one reachable by
    paging exactly once, filters applied; a cursor of the other ranking is refused."""
    ranked = index.search("piano", first=200)
    bm25_cursor = index.search("piano", first=3).end_cursor
    monkeypatch.setattr("kg.search.index.RANK_ALL", 3)
    common = index.search("piano", first=200)
    assert (common.total, common.facets) == (ranked.total, ranked.facets)
    assert sorted(h.uri for h in common.hits) == sorted(h.uri for h in ranked.hits)
    lengths = [len(h.label) for h in common.hits]
    assert lengths == sorted(lengths) and common.hits != ranked.hits
    assert [h.score for h in common.hits] == [-n for n in lengths]
    assert _all_pages(index, "piano") == [(h.uri, h.label) for h in common.hits]
    # "Symphonies" is the exact title of one work: first, before shorter labels
    exact = index.search("Symphonies")
    assert exact.total > 3 and exact.hits[0].label == "Symphonies"
    assert "Franz Joseph Haydn" in [h.label for h in exact.hits]  # an agent, shorter label
    paged = _all_pages(index, "Symphonies")
    assert paged[0][1] == "Symphonies" and len(paged) == len(set(paged)) == exact.total
    filtered = index.search("中国", filters={"decade": [1990, "2000"], "language": "chi"})
    assert filtered.total == 16 < index.search("中国").total
    assert (
        len(_all_pages(index, "中国", filters={"decade": [1990, "2000"], "language": "chi"})) == 16
    )
    with pytest.raises(SearchError, match="ranked another way"):
        index.search("piano", first=3, after=bm25_cursor)


COMMON_QUERIES: list[tuple[str, dict[str, object]]] = [
    ("piano", {}),
    ("Symphonies", {}),
    ("中国", {}),
    ("中国", {"decade": [1990, "2000"], "language": "chi"}),
    ("中国", {"institution": "NCU"}),
]


def _with_score(cursor: str, score: float) -> str:
    """``cursor`` with another score (the length of the label after which the page starts)."""
    digest, exact, _, doc = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    return _encode_cursor(digest, exact, score, doc)


def test_a_cursor_with_a_score_that_is_not_a_finite_number_is_refused(
    index: SearchIndex,
) -> None:
    cursor = index.search("piano", first=2).end_cursor
    assert cursor is not None
    for score in (float("nan"), float("inf")):
        with pytest.raises(SearchError, match="Not a search cursor"):
            index.search("piano", first=2, after=_with_score(cursor, score))


def test_a_common_word_picked_in_memory_pages_as_the_index_walk_does(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the facet table in memory the shortest labels of a common word are picked
    from its matches by numpy (kg.search.facet_table.FacetTable.shortest); without it
    SQLite walks docs_by_length: the same hits, pages and cursors, filters applied."""
    monkeypatch.setattr("kg.search.index.RANK_ALL", 3)
    index._facet_cache.clear()
    picks = []
    shortest = FacetTable.shortest
    monkeypatch.setattr(
        FacetTable, "shortest", lambda *a, **k: picks.append(1) or shortest(*a, **k)
    )
    in_memory = [_all_pages(index, q, filters=f) for q, f in COMMON_QUERIES]
    # a cursor's length compared as SQLite compares it (a client may send any number)
    cursor = index.search("piano", first=2).end_cursor
    assert cursor is not None
    odd = [_with_score(cursor, score) for score in (10.5, -1, 1e9)]
    odd_pages = [labels(index, "piano", first=50, after=c) for c in odd]
    assert len(picks) > 20  # the in-memory path was the one taken
    monkeypatch.setattr(SearchIndex, "_facet_table", lambda self, version: None)
    index._facet_cache.clear()
    walked = [_all_pages(index, q, filters=f) for q, f in COMMON_QUERIES]
    assert in_memory == walked
    assert odd_pages == [labels(index, "piano", first=50, after=c) for c in odd]
    assert odd_pages[2] == [] and len(odd_pages[1]) >= len(odd_pages[0]) > 0
    assert min(len(label) for label in odd_pages[0]) == 11  # after 10.5: from 11 on
    assert [len(pages) for pages in walked] == [
        index.search(q, filters=f).total  # type: ignore[arg-type]
        for q, f in COMMON_QUERIES
    ]
    assert min(len(pages) for pages in walked) > 3  # every query pages past the first


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        "*",
        "piano*",
        "AND",
        "NOT piano",
        "piano OR",
        "NEAR(piano trio)",
        "a:b",
        "{title}: x",
        "^piano",
        "'",
        "(",
        "piano -trio",
        '中国"外交',
        "\x00",
        "   ",
        "-",
    ],
)
def test_user_text_never_reaches_sqlite_as_syntax(index: SearchIndex, query: str) -> None:
    page = index.search(query)
    assert page.total >= 0


def test_bad_arguments_are_search_errors(index: SearchIndex) -> None:
    with pytest.raises(SearchError, match="Unknown filter"):
        index.search("x", filters={"colour": "red"})
    with pytest.raises(SearchError, match="Unknown kind"):
        index.search("x", kinds=["book"])
    with pytest.raises(SearchError, match="first"):
        index.search("x", first=0)


FACET_QUERIES = ["中国", "piano", "symphonies", "trio", "zhongguo", "外交", "quartet", "1990"]
FACET_FILTERS: list[dict[str, object]] = [
    {},
    {"institution": "NCU"},
    {"decade": [1990, "2000"], "language": "chi"},
]


def _all_facets(index: SearchIndex) -> list[object]:
    return [
        (q, f, index.search(q, filters=f).facets)  # type: ignore[arg-type]
        for q in FACET_QUERIES
        for f in FACET_FILTERS
    ]


def test_facets_counted_in_memory_equal_those_counted_in_sql(
    sample: tuple[Store, SearchIndex], monkeypatch: pytest.MonkeyPatch
) -> None:
    """kg.search.facet_table counts what the SQL GROUP BY does, filters included."""
    store = sample[0]
    with SearchIndex() as index:
        index.rebuild(store)
        in_memory = _all_facets(index)
        assert index._table is not None  # the in-memory path was the one taken
        monkeypatch.setattr(SearchIndex, "_facet_table", lambda self, version: None)
        index._facet_cache.clear()
        in_sql = _all_facets(index)
    assert in_memory == in_sql
    assert sum(len(values) for _, _, facets in in_sql for values in facets.values()) > 60


def test_the_facet_table_of_a_file_is_read_beside_and_dropped_when_another_commits(
    sample: tuple[Store, SearchIndex], tmp_path: Path
) -> None:
    """A server's index (a file) reads the facets table in a thread; counts stay exact
    while it reads and after a loader (another connection) commits."""
    store = sample[0]
    path = tmp_path / "store.search.sqlite"
    with SearchIndex(path) as writer:
        writer.rebuild(store)
    with SearchIndex(path) as reader, SearchIndex(path) as writer:
        first = reader.search("中国")  # counted in SQL; the table is read beside
        for _ in range(200):
            if reader._table is not None:
                break
            time.sleep(0.05)
        assert reader._table is not None
        reader._facet_cache.clear()
        assert reader.search("中国").facets == first.facets  # counted in memory
        writer.write([], remove=[first.hits[0].uri])
        after = reader.search("中国")
        assert after.total == first.total - 1  # the table is stale: counted in SQL
        assert sum(f.count for f in after.facets["kind"]) == after.total


def test_a_loader_committing_during_a_search_changes_none_of_its_page(
    sample: tuple[Store, SearchIndex], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search reads one state of the file (one read transaction): a loader (another
    connection) that removes the page's first hit while the page is being picked in memory
    changes neither that page nor its total; the next search sees the removal."""
    monkeypatch.setattr("kg.search.index.RANK_ALL", 3)
    path = tmp_path / "store.search.sqlite"
    with SearchIndex(path) as writer:
        writer.rebuild(sample[0])
    with SearchIndex(path) as reader, SearchIndex(path) as loader:
        reader.read_facet_table()
        before = reader.search("piano")
        reader._facet_cache.clear()
        reader._last_matches = None
        shortest = FacetTable.shortest

        def pick_while_a_loader_commits(*args: object, **kwargs: object) -> object:
            loader.write([], remove=[before.hits[0].uri])
            return shortest(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(FacetTable, "shortest", pick_while_a_loader_commits)
        during = reader.search("piano")
        monkeypatch.setattr(FacetTable, "shortest", shortest)
        assert (during.total, during.hits) == (before.total, before.hits)
        after = reader.search("piano")
        assert after.total == before.total - 1
        assert before.hits[0].uri not in [h.uri for h in after.hits]


def test_a_server_reads_the_facet_table_of_its_file_in_the_background_at_start(
    sample: tuple[Store, SearchIndex], tmp_path: Path
) -> None:
    """``kg serve`` starts the read before the first search; searches meanwhile count in
    SQL, and once it is read the same facets come from memory."""
    path = tmp_path / "store.search.sqlite"
    with SearchIndex(path) as writer:
        writer.rebuild(sample[0])
    with SearchIndex(path) as server:
        reading = server.read_facet_table(background=True)
        assert reading is not None and reading.name == "facet-table"
        in_sql = server.search("中国")
        reading.join(timeout=60)
        assert server._table is not None and server._table[0] == server._version()
        server._facet_cache.clear()
        assert server.search("中国").facets == in_sql.facets
    with SearchIndex(None) as memory:
        assert memory.read_facet_table(background=True) is None  # read at once


def _edited(source: Path, control: str, target: Path, title: str | None) -> Path:
    """A copy of one MARCXML record: new 245 $a, or marked deleted (leader/05 d)."""
    tree = etree.parse(str(source))
    for rec in list(tree.iter(f"{{{MARC}}}record")):
        cn = rec.find(f"{{{MARC}}}controlfield[@tag='001']")
        if cn is None or cn.text != control:
            parent = rec.getparent()
            assert parent is not None
            parent.remove(rec)
            continue
        if title is None:
            leader = rec.find(f"{{{MARC}}}leader")
            assert leader is not None and leader.text is not None
            leader.text = leader.text[:5] + "d" + leader.text[6:]
        else:
            sub = rec.find(f"{{{MARC}}}datafield[@tag='245']/{{{MARC}}}subfield[@code='a']")
            assert sub is not None
            sub.text = title
    tree.write(str(target), xml_declaration=True, encoding="UTF-8")
    return target


def test_refresh_after_a_record_is_replaced_then_deleted(tmp_path: Path) -> None:
    ids = Minter(BASE)
    store = OxigraphStore(None)
    _load_sample(store, ids)
    index = SearchIndex(tmp_path / "store.search.sqlite")
    index.rebuild(store)
    old = index.search("eight symphonies").hits[0]
    record = ids.record("JXUFE", "7704213")

    # replaced: a new title (the work keeps its URI: its key is the uniform title 240)
    MarcLoader(store, ids, "JXUFE").load(
        _edited(SAMPLE / "jxufe-gwu.xml", "7704213", tmp_path / "r.xml", "Poyang wetland songs")
    )
    report = index.refresh(store, [record])
    assert old.uri in report.uris and report.removed == 0
    assert index.search("eight symphonies").total == 0
    hit = index.search("wetland").hits[0]
    assert (hit.label, hit.uri) == ("Poyang wetland songs", old.uri)

    # deleted: the work and whatever only that record said go
    MarcLoader(store, ids, "JXUFE").load(
        _edited(SAMPLE / "jxufe-gwu.xml", "7704213", tmp_path / "d.xml", None)
    )
    report = index.refresh(store, [record])
    assert old.uri not in report.uris and report.removed >= 1
    assert index.search("wetland").total == 0
    assert index.search("wetland", kinds=["work"]).hits == []
    # a refresh of what is unknown everywhere changes nothing
    assert index.refresh(store, ["http://kg.test/record/JXUFE/nope"]).removed == 0
    # the refreshed index equals one rebuilt from scratch
    fresh = SearchIndex()
    fresh.rebuild(store)
    for query in ("symphonies", "piano", "中国", "Beethoven"):
        assert [h.uri for h in index.search(query, first=100).hits] == [
            h.uri for h in fresh.search(query, first=100).hits
        ]
    index.close()
    store.close()


def test_index_survives_reopening_and_schema_changes(tmp_path: Path) -> None:
    path = tmp_path / "store.search.sqlite"
    store = OxigraphStore(None)
    _load_sample(store, Minter(BASE))
    with SearchIndex(path) as index:
        assert index.needs_rebuild
        index.rebuild(store)
        count = len(index)
    with SearchIndex(path) as index:
        assert not index.needs_rebuild and len(index) == count
        assert index.search("中國外交").total > 0
    # a reader in another connection (the API) sees a writer's (a loader's) commits,
    # facet counts and totals included (they are cached per query for the next pages)
    with SearchIndex(path) as reader, SearchIndex(path) as writer:
        before = reader.search("中國外交")
        assert reader.search("中國外交", after=None).total == before.total
        writer.write([], remove=[before.hits[0].uri])
        after = reader.search("中國外交")
        assert after.total == before.total - 1
        assert sum(f.count for f in after.facets["kind"]) == after.total
        # the number of entries (/health) is kept, not counted, and stays right
        assert len(reader) == len(writer) == count - 1
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM docs").fetchone()[0] == count - 1
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value='0' WHERE key='schema_version'")
    with SearchIndex(path) as index:
        assert index.needs_rebuild and len(index) == 0 and index.built is None
        index.mark_built("skipped")  # served without search: not rebuilt on opening
    with SearchIndex(path) as index:
        assert not index.needs_rebuild and len(index) == 0 and index.built == "skipped"
        index.refresh(store, [str(store.select("search_all_works")[0]["work"])])
        assert index.built == "skipped" and len(index) > 0  # still partial, and says so
    store.close()


def test_an_index_refreshed_before_any_rebuild_is_rebuilt_on_opening(tmp_path: Path) -> None:
    """A loader's refresh of a new index fills only what the batch touched: the index is
    not taken for built (a server would search a handful of works of the catalogue)."""
    path = tmp_path / "store.search.sqlite"
    store = OxigraphStore(None)
    _load_sample(store, Minter(BASE))
    work = str(store.select("search_all_works")[0]["work"])
    with SearchIndex(path) as index:
        assert index.refresh(store, [work]).updated >= 1
    with SearchIndex(path) as index:
        assert index.needs_rebuild and index.built is None
        index.rebuild(store)
    with SearchIndex(path) as index:
        assert not index.needs_rebuild and index.built == "rebuild" and len(index) > 91
    store.close()


class _ServerStore(Store):
    """A store that is neither embedded on disk nor in memory (as a Neo4j backend)."""

    def write(self, drop_graphs: object, quads: object, remove: object = ()) -> None:
        raise NotImplementedError

    def select(self, name: str, **params: object) -> list[dict[str, object]]:  # type: ignore[override]
        raise NotImplementedError

    def update(self, name: str, quads: object = (), **params: object) -> None:
        raise NotImplementedError

    def quads(self, graph: str | None = None) -> Iterator[tuple[str, str, str, str]]:
        raise NotImplementedError

    def graphs(self) -> list[str]:
        raise NotImplementedError

    def close(self) -> None:
        pass


def test_index_path_policy(tmp_path: Path) -> None:
    disk = OxigraphStore(tmp_path / "data" / "store")
    assert index_path_for(disk, env={}) == tmp_path / "data" / "store.search.sqlite"
    assert index_path_for(disk, env={"KG_SEARCH_INDEX": "/x/i.sqlite"}) == Path("/x/i.sqlite")
    disk.close()
    memory = OxigraphStore(None)
    assert index_path_for(memory, env={}) is None
    assert index_path_for(memory, env={"KG_SEARCH_INDEX": ":memory:"}) is None
    with pytest.raises(SearchError, match="KG_SEARCH_INDEX"):
        index_path_for(_ServerStore(), env={})
    memory.close()

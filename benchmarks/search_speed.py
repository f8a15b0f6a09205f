"""Search speed: kg.search over N generated works, beside references measured in the same run.

Index documents are generated directly (no MARC load: a million works would take an hour to
load): half the works have Chinese titles made of 2–5 of the 20,000 commonest words of jieba's
dictionary (drawn with Zipf weights)
(with a pinyin parallel title for half of those), half English titles from the word list of
``benchmarks/generate.py``; each has an agent, two subjects, one or two of the 22 roster
institutions, a language and a decade. Agents and concepts are indexed too (1 per 20 works).

Four query sets (Chinese words, their pinyin, English words, one or two terms each; and
``common``: single Han characters found in the most titles, the queries with most matches)
run through ``SearchIndex.search`` (ranked page of 20, total, four facets, snippets; each
query new, so its facets are counted, then ``search_again``: the same query, its facets
cached, as a portal's next page or a popular query) and three references over the same
SQLite file:

* ``fts5_plain``: the same MATCH expression, unranked, first 20 rowids (FTS5's floor);
* ``bm25_all``: the same expression, every match scored by BM25, best 20 rowids (what a
  query with more than ``RANK_ALL`` matches no longer computes);
* ``like_scan``: ``display LIKE '%word%'`` over the documents table, first 20 (no index);

and the two ways to take the page of a query with more than ``RANK_ALL`` matches (the 21
shortest labels of every match): ``length_walk``, SQLite walking ``docs_by_length`` against
the set of matches (what a search does while the facet table is not in memory), and
``length_pick``, the matches' ids read as one text and picked by numpy from the table in
memory (``FacetTable.shortest``, what a server's search does).

    python benchmarks/search_speed.py                    # 100,000 works
    python benchmarks/search_speed.py --works 1000000 --json
    python benchmarks/search_speed.py --smoke            # 2,000 works, few queries (CI)
    python benchmarks/search_speed.py --keep /var/tmp/i100k.sqlite   # again: not rebuilt
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.generate import WORDS  # noqa: E402
from kg.search import Document, SearchIndex  # noqa: E402
from kg.search.analysis import match_expression, query_terms  # noqa: E402
from kg.search.index import WEIGHTS  # noqa: E402

INSTITUTIONS = [
    "JXUFE", "ECJTU", "JXAU", "NCU", "JXNU", "NCHU", "JXPL", "JXUST", "GNNU", "JDZU",
    "JJU", "JGSU", "YCU", "SRNU", "PXU", "NCIT", "JXUTCM", "JXSTNU", "JXAS", "JXMU",
    "NCPL", "JJPL",
]  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余"
WEIGHTS_SQL = ", ".join(str(w) for w in WEIGHTS)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰文海燕红建国志"


def han_words(count: int) -> list[str]:
    """The ``count`` most frequent 2–4 character words of jieba's dictionary."""
    import jieba  # noqa: PLC0415

    path = Path(jieba.__file__).parent / "dict.txt"
    rows: list[tuple[int, str]] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            word, freq, *_ = line.split()
            if 2 <= len(word) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in word):
                rows.append((int(freq), word))
    rows.sort(reverse=True)
    return [w for _, w in rows[:count]]


def documents(n: int, vocabulary: list[str], seed: int = 7) -> Iterator[Document]:
    """``n`` works (and 1 agent and 1 concept per 20 works), deterministic from ``seed``."""
    from pypinyin import lazy_pinyin  # noqa: PLC0415

    rng = random.Random(seed)
    base = "http://bench.test/"
    # word frequencies fall off as in text (Zipf): common words are in many titles
    weights = list(itertools.accumulate(1 / (rank + 10) for rank in range(len(vocabulary))))
    for i in range(n):
        chinese = i % 2 == 0
        if chinese:
            words = rng.choices(vocabulary, cum_weights=weights, k=rng.randint(2, 5))
            title = "".join(words)
            titles = [title]
            if i % 4 == 0:
                titles.append(" ".join(lazy_pinyin(title)))
            agent = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.randint(1, 2)))
            subjects = rng.sample(vocabulary, 2)
        else:
            title = " ".join(rng.sample(WORDS, rng.randint(2, 6))).capitalize()
            titles = [title]
            agent = f"{rng.choice(WORDS).title()}, {rng.choice(WORDS).title()}"
            subjects = [" ".join(rng.sample(WORDS, 2)) for _ in range(2)]
        facets = {
            "institution": set(rng.sample(INSTITUTIONS, rng.randint(1, 2))),
            "language": {"chi" if chinese else "eng"},
            "decade": {str(rng.randrange(1950, 2030, 10))},
        }
        yield Document(
            f"{base}work/{i}",
            "work",
            title,
            titles,
            [agent, *subjects],
            facets,
            {f"{base}agent/{i // 20}"},
            {f"{base}instance/{i}"},
        )
        if i % 20 == 0:
            yield Document(f"{base}agent/{i // 20}", "agent", agent, [agent])
            yield Document(f"{base}concept/{i // 20}", "concept", subjects[0], [subjects[0]])


def queries(vocabulary: list[str], count: int, seed: int = 11) -> dict[str, list[str]]:
    """Chinese, pinyin and English query texts (one or two of the 300 commonest words)."""
    from pypinyin import lazy_pinyin  # noqa: PLC0415

    rng = random.Random(seed)
    common = vocabulary[:300]
    chinese = [
        " ".join(rng.sample(common, 1 + (k % 2))) if k % 3 else "".join(rng.sample(common, 2))
        for k in range(count)
    ]
    pinyin = ["".join(lazy_pinyin(q.replace(" ", ""))) for q in chinese]
    english = [" ".join(rng.sample(WORDS, 1 + (k % 2))) for k in range(count)]
    # the characters of the commonest words, most frequent first (as generated: Zipf)
    weight = Counter[str]()
    for rank, word in enumerate(vocabulary[:2000]):
        for char in set(word):
            weight[char] += 1 / (rank + 10)
    common = [c for c, _ in weight.most_common(max(1, count // 10))]
    return {"chinese": chinese, "pinyin": pinyin, "english": english, "common": common}


def _sql_ms(db: sqlite3.Connection, sql: str, param: str | None) -> float:
    """Milliseconds to run ``sql`` and fetch all its rows."""
    started = time.perf_counter()
    db.execute(sql, (param,)).fetchall()
    return (time.perf_counter() - started) * 1000


def _summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "p50_ms": round(statistics.median(ordered), 3),
        "p95_ms": round(p95, 3),
        "max_ms": round(ordered[-1], 3),
    }


def measure(n: int, count: int, path: Path) -> dict[str, Any]:
    """Build the index at ``path`` and time every query set on every side."""
    vocabulary = han_words(20_000)
    index = SearchIndex(path)
    started = time.perf_counter()
    batch: list[Document] = []
    written = len(index)  # an index kept by an earlier run (--keep) is measured again
    reused = written > 0
    if not reused:
        for doc in documents(n, vocabulary):
            batch.append(doc)
            if len(batch) >= 5000:
                written += index.write(batch)
                batch = []
        written += index.write(batch)
        index.mark_built(f"search_speed.py --works {n}")
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    index.read_facet_table()  # as a server has it after its first searches
    facet_table_s = time.perf_counter() - started
    assert index._table is not None
    table = index._table[1]
    db = index._db  # the references read the same SQLite file
    results: dict[str, Any] = {}
    totals: dict[str, list[int]] = {}
    for name, texts in queries(vocabulary, count).items():
        index.search(texts[0])  # warm up: jieba's dictionary, pypinyin's syllables
        side: dict[str, list[float]] = {
            "search": [],
            "search_again": [],
            "fts5_plain": [],
            "bm25_all": [],
            "like_scan": [],
            "length_walk": [],
            "length_pick": [],
        }
        found: list[int] = []
        for text in texts:
            for again in ("search", "search_again"):
                started = time.perf_counter()
                page = index.search(text)
                side[again].append((time.perf_counter() - started) * 1000)
            found.append(page.total)
            expression = match_expression(query_terms(text))
            plain = "SELECT rowid FROM fts WHERE fts MATCH ? LIMIT 20"
            side["fts5_plain"].append(_sql_ms(db, plain, expression))
            bm25 = (
                "SELECT rowid FROM fts WHERE fts MATCH ? "
                f"ORDER BY bm25(fts, {WEIGHTS_SQL}) LIMIT 20"
            )
            side["bm25_all"].append(_sql_ms(db, bm25, expression))
            like = "SELECT id FROM docs WHERE display LIKE ? LIMIT 20"
            side["like_scan"].append(_sql_ms(db, like, f"%{text.split()[0]}%"))
            walk = (
                "SELECT m.id, m.uri, m.label, m.display FROM docs m INDEXED BY docs_by_length"
                " WHERE m.id IN (SELECT rowid FROM fts WHERE fts MATCH ?)"
                " ORDER BY m.length, m.id LIMIT 21"
            )
            side["length_walk"].append(_sql_ms(db, walk, expression))
            index._last_matches = None  # the search above kept them: read them again
            started = time.perf_counter()
            index._shortest(table, expression or "", [], "", [], 21, None)
            side["length_pick"].append((time.perf_counter() - started) * 1000)
        results[name] = {k: _summary(v) for k, v in side.items()}
        totals[name] = found
    index.close()
    return {
        "works": n,
        "documents": written,
        "build_s": None if reused else round(build_s, 1),
        "docs_per_s": None if reused else round(written / build_s),
        "index_mb": round(path.stat().st_size / 1e6, 1),
        "facet_table_s": round(facet_table_s, 2),
        "queries_per_set": count,
        "median_total_hits": {k: statistics.median(v) for k, v in totals.items()},
        "queries_with_hits": {k: sum(1 for x in v if x) for k, v in totals.items()},
        "results": results,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--works", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200, help="queries per set")
    parser.add_argument("--smoke", action="store_true", help="2,000 works, 20 queries per set")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--keep", type=Path, help="build the index at this path and keep it")
    args = parser.parse_args(argv)
    n, count = (2_000, 20) if args.smoke else (args.works, args.queries)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "bench.search.sqlite"
        data = measure(n, count, path)
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    print(
        f"{data['works']:,} works ({data['documents']:,} documents) indexed in "
        f"{data['build_s'] or 'an earlier run'} s ({data['docs_per_s'] or '-'}/s), "
        f"{data['index_mb']} MB; "
        f"facets table read into memory in {data['facet_table_s']} s"
    )
    print(f"median hits per query: {data['median_total_hits']}")
    print(f"queries with hits: {data['queries_with_hits']} of {data['queries_per_set']} each")
    print(f"{'queries':10}{'side':14}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for name, sides in data["results"].items():
        for side, figures in sides.items():
            print(
                f"{name:10}{side:14}{figures['p50_ms']:>10}{figures['p95_ms']:>10}"
                f"{figures['max_ms']:>10}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Backends side by side (issue 5, item 8): the same load and the same portal queries on the
embedded Oxigraph store and on a Neo4j 5 server, in one run.

1. **Load**: N generated MARC records (3 members, every book with a CLC class, so classes
   and themes fill: as ``counts_speed.py``), with the vocabularies (not timed), loaded by
   :class:`~loaders.marc.loader.MarcLoader` (counts kept current, ``--batch-size`` records
   per transaction) into a fresh on-disk Oxigraph store and into the Neo4j server (emptied
   first); records/s each. The Oxigraph store is then compacted, as ``kg load marc`` does
   (timed apart).
2. **Portal queries**: the contract documents a portal sends (``tests/graphql/``:
   ``class_level``, ``theme_page``, ``holdings``), with their ids pointed at the generated
   data (the top class and the theme with most works, an instance held by two members),
   executed in this process through the GraphQL schema, ``schema.execute`` with a fresh
   :class:`~schema.context.Context` over each store per request, so both backends run the
   same resolvers and DataLoaders. ``--warmup`` untimed, then ``--requests`` timed rounds,
   alternating the backends within a round (same machine load); p50/p95 in ms and the
   ratio Neo4j ÷ Oxigraph. Both backends must give the same answer. Target: ratio ≤ 3 on
   every query.
3. **Named queries**: every store call a page makes (recorded once), replayed alone on each
   backend (p50), and its Cypher (``queries/cypher/NAME.cypher``) run under ``PROFILE``
   on Neo4j with the same parameters: db hits, rows, and every scan operator (a plan that
   reads all nodes, a whole label or a whole index instead of seeking). Target: no query
   scans every node for a count.

The Neo4j server is named by ``--neo4j URL`` or ``KG_TEST_NEO4J`` (``scripts/test`` sets it);
without one the run stops with a message and exit code 0. **The server's database is
emptied.** Credentials: ``KG_NEO4J_USER`` / ``KG_NEO4J_PASSWORD`` (kg.backends.neo4j).

    KG_NEO4J_PORT=7801 scripts/neo4j start --clean
    python benchmarks/backends_speed.py --records 100000 --neo4j bolt://127.0.0.1:7801
    python benchmarks/backends_speed.py --smoke --json      # CI: 300 records, KG_TEST_NEO4J
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast
from urllib.parse import urlparse

import neo4j

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import BASE, MEMBERS, clc_notations, echo, pct  # noqa: E402
from benchmarks.generate import generate  # noqa: E402
from kg.backends.neo4j import Neo4jStore, credentials  # noqa: E402
from kg.backends.neo4j_model import cypher_params  # noqa: E402
from kg.backends.oxigraph import OxigraphStore  # noqa: E402
from kg.ids import Minter  # noqa: E402
from kg.store import Param, Row, Store, query_text  # noqa: E402
from kg.terms import Quad, text_of  # noqa: E402
from loaders.marc.loader import MarcLoader  # noqa: E402
from loaders.sample import load_vocabularies  # noqa: E402
from schema import schema  # noqa: E402
from schema.context import Context  # noqa: E402

T = TypeVar("T")

BACKENDS = ("oxigraph", "neo4j")
DOCUMENTS = ("class_level", "theme_page", "holdings")
TARGET_RATIO = 3.0
# The ids the contract documents name in the bundled sample, replaced by generated ones.
SAMPLE_IDS = {
    "class_level": 'class(id: "F")',
    "theme_page": 'theme(id: "china-economic-development")',
    "holdings": 'instance(id: "http://kg.test/instance/isbn-9787503726231")',
}
# pages small enough for the API's cost limit (schema/cost.py: 39,202 fields of 50,000);
# 25 holdings is more than the roster's 22 members
HELD_BY_TWO = """{ class(id: "%s") { works(first: 100) { nodes { instances(first: 5) { nodes {
  id holdings(first: 25) { nodes { institution { code } } } } } } } } }"""
# Plan operators that read a whole store, label, relationship type or index (no seek).
SCANS = (
    "AllNodesScan",
    "NodeByLabelScan",
    "UnionNodeByLabelsScan",
    "IntersectionNodeByLabelsScan",
    "SubtractionNodeByLabelsScan",
    "NodeIndexScan",
    "DirectedAllRelationshipsScan",
    "UndirectedAllRelationshipsScan",
    "DirectedRelationshipTypeScan",
    "UndirectedRelationshipTypeScan",
    "DirectedRelationshipIndexScan",
    "UndirectedRelationshipIndexScan",
)


# --- 1. the load ------------------------------------------------------------------------


class TimingStore:
    """A store that adds up the seconds spent inside its reads and writes (the loader
    writes from a thread of its own, so a lock keeps the sums)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.path = store.path
        self.seconds = {"select": 0.0, "write": 0.0}
        self.calls = {"select": 0, "write": 0}
        self._lock = threading.Lock()

    def _timed(self, kind: str, run: Callable[[], T]) -> T:
        started = time.perf_counter()
        try:
            return run()
        finally:
            with self._lock:
                self.seconds[kind] += time.perf_counter() - started
                self.calls[kind] += 1

    def select(self, name: str, **params: Param) -> list[Row]:
        return self._timed("select", lambda: self.store.select(name, **params))

    def write(
        self, drop_graphs: Sequence[str], quads: Sequence[Quad], remove: Sequence[Quad] = ()
    ) -> None:
        self._timed("write", lambda: self.store.write(drop_graphs, quads, remove))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def load(store: Store, files: list[Path], batch_size: int) -> dict[str, Any]:
    """Vocabularies (not timed), then every member file; seconds, counts, and the seconds
    spent inside the store's writes and reads (named queries) during the load."""
    ids = Minter(BASE)
    load_vocabularies(store, ids, echo=lambda _: None)
    timing = TimingStore(store)
    started = time.perf_counter()
    read = new = merged = rejected = 0
    for code, path in zip(MEMBERS, files, strict=False):
        loader = MarcLoader(cast(Store, timing), ids, code, batch_size=batch_size)
        report = loader.load(path)
        read += report.read
        new += report.new
        merged += report.merged_count
        rejected += len(report.rejected)
        echo(f"  {code}: {report.read} records in {report.seconds:.1f} s")
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 1),
        "records_per_s": round(read / seconds, 1),
        "read": read,
        "new": new,
        "merged": merged,
        "rejected": rejected,
        "store_write_s": round(timing.seconds["write"], 1),
        "store_writes": timing.calls["write"],
        "store_select_s": round(timing.seconds["select"], 1),
        "store_selects": timing.calls["select"],
    }


# --- 2. portal queries ------------------------------------------------------------------


@dataclass
class Call:
    """One named query a page ran, with its parameters."""

    name: str
    params: dict[str, Param] = field(default_factory=dict)


class RecordingStore:
    """A store that records every ``select`` (the only read a resolver makes)."""

    def __init__(self, store: Store, calls: list[Call]) -> None:
        self.store, self.calls = store, calls
        self.path = store.path

    def select(self, name: str, **params: Param) -> list[Row]:
        self.calls.append(Call(name, params))
        return self.store.select(name, **params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def execute(loop: asyncio.AbstractEventLoop, store: Store, query: str) -> dict[str, Any]:
    """``query`` through the GraphQL schema over ``store``, as a request runs it."""
    result = loop.run_until_complete(
        schema.execute(query, context_value=Context(store, Minter(BASE)))
    )
    if result.errors:
        raise RuntimeError(f"GraphQL errors: {result.errors}")
    return cast(dict[str, Any], result.data)


def targets(store: Store, loop: asyncio.AbstractEventLoop) -> dict[str, Any]:
    """The top class and the theme with most works; an instance two members hold."""
    rollup = {
        str(r["scope"]): int(text_of(r["works"]))
        for r in store.select("counts_stored")
        if text_of(r["dimension"]) == "rollup" and not text_of(r["value"])
    }
    tops = {
        s: n for s, n in rollup.items() if "/class/clc/" in s and s.rsplit("/", 1)[-1].isalpha()
    }
    themes = {s: n for s, n in rollup.items() if "/theme/" in s}
    top = max(tops, key=lambda s: tops[s])
    theme = max(themes, key=lambda s: themes[s])
    notation = top.rsplit("/", 1)[-1]
    data = execute(loop, store, HELD_BY_TWO % notation)
    instances = [i for w in data["class"]["works"]["nodes"] for i in w["instances"]["nodes"]]
    instance = max(instances, key=lambda i: len(i["holdings"]["nodes"]))
    return {
        "class": notation,
        "class_works": tops[top],
        "theme": theme,
        "theme_works": themes[theme],
        "instance": instance["id"],
        "instance_holdings": len(instance["holdings"]["nodes"]),
    }


def documents(t: dict[str, Any]) -> dict[str, str]:
    """The contract documents with their sample ids replaced by the generated ones."""
    new = {
        "class_level": f'class(id: "{t["class"]}")',
        "theme_page": f'theme(id: "{t["theme"]}")',
        "holdings": f'instance(id: "{t["instance"]}")',
    }
    out = {}
    for name in DOCUMENTS:
        text = (ROOT / "tests" / "graphql" / f"{name}.graphql").read_text(encoding="utf-8")
        if SAMPLE_IDS[name] not in text:
            raise RuntimeError(f"tests/graphql/{name}.graphql no longer names {SAMPLE_IDS[name]}")
        out[name] = text.replace(SAMPLE_IDS[name], new[name])
    return out


def timed_ms(run: Any) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def portal(
    stores: dict[str, Store], docs: dict[str, str], n: int, warmup: int
) -> tuple[dict[str, Any], dict[str, list[Call]]]:
    """Per document: p50/p95 on each backend (alternating), the ratio, same answer."""
    out: dict[str, Any] = {}
    calls: dict[str, list[Call]] = {}
    loop = asyncio.new_event_loop()
    try:
        for name, query in docs.items():
            recorded: list[Call] = []
            answers = {
                b: execute(
                    loop, cast(Store, RecordingStore(s, recorded)) if b == "neo4j" else s, query
                )
                for b, s in stores.items()
            }
            calls[name] = recorded
            for _ in range(warmup):
                for store in stores.values():
                    execute(loop, store, query)
            times: dict[str, list[float]] = {b: [] for b in stores}
            for _ in range(n):
                for b, store in stores.items():
                    times[b].append(timed_ms(lambda s=store, q=query: execute(loop, s, q)))
            r: dict[str, Any] = {}
            for b in stores:
                r[f"{b}_p50_ms"] = round(pct(times[b], 0.5), 2)
                r[f"{b}_p95_ms"] = round(pct(times[b], 0.95), 2)
            r["ratio_p50"] = round(pct(times["neo4j"], 0.5) / pct(times["oxigraph"], 0.5), 2)
            r["ratio_p95"] = round(pct(times["neo4j"], 0.95) / pct(times["oxigraph"], 0.95), 2)
            r["meets"] = max(r["ratio_p50"], r["ratio_p95"]) <= TARGET_RATIO
            r["same_answer"] = answers["oxigraph"] == answers["neo4j"]
            r["calls"] = [c.name for c in recorded]
            out[name] = r
            echo(
                f"{name}: oxigraph p50 {r['oxigraph_p50_ms']} p95 {r['oxigraph_p95_ms']} ms, "
                f"neo4j p50 {r['neo4j_p50_ms']} p95 {r['neo4j_p95_ms']} ms, ×{r['ratio_p50']}"
            )
    finally:
        loop.close()
    return out, calls


# --- 3. the named queries: replayed alone, and profiled ---------------------------------


def _operator(plan: Any) -> str:
    return str(plan.get("operatorType", "")).split("@", 1)[0]


def _walk(plan: Any) -> list[Any]:
    out = [plan]
    for child in plan.get("children", ()):
        out.extend(_walk(child))
    return out


def profile(driver: neo4j.Driver, database: str | None, call: Call, nodes: int) -> dict[str, Any]:
    """``PROFILE`` of the call's Cypher with its parameters: db hits, rows, scans."""
    text = query_text("cypher", call.name)
    with driver.session(database=database) as session:
        result = session.run("PROFILE " + text, cypher_params(call.params))
        list(result)  # consume() alone discards, and some plans then have no profile to give
        summary = result.consume()
    plan = summary.profile or {}
    operators = _walk(plan)
    hits = sum(int(op.get("dbHits", 0)) for op in operators)
    scans = [
        {
            "operator": _operator(op),
            "details": str(op.get("args", {}).get("Details", ""))[:120],
            "rows": int(op.get("rows", 0)),
            "db_hits": int(op.get("dbHits", 0)),
        }
        for op in operators
        if _operator(op) in SCANS
    ]
    return {
        "db_hits": hits,
        "rows": int(plan.get("rows", 0)),
        "scans": scans,
        "all_nodes_scan": any(s["operator"] == "AllNodesScan" for s in scans),
        "touches_every_node": hits >= nodes,
    }


def named_queries(
    stores: dict[str, Store], calls: dict[str, list[Call]], neo4j_url: str, reps: int
) -> dict[str, Any]:
    """Each distinct call of each page: p50 alone on each backend, and its profile."""
    parsed = urlparse(neo4j_url)
    database = parsed.path.strip("/") or None
    out: dict[str, Any] = {}
    with neo4j.GraphDatabase.driver(
        f"{parsed.scheme}://{parsed.netloc}", auth=credentials(), notifications_min_severity="OFF"
    ) as driver:
        counted = driver.execute_query("MATCH (n) RETURN count(n) AS n", database_=database)
        nodes = int(counted.records[0]["n"])
        for page, recorded in calls.items():
            seen: set[str] = set()
            rows = []
            for call in recorded:
                key = call.name + repr(sorted(call.params.items()))
                if key in seen:
                    continue
                seen.add(key)
                times: dict[str, list[float]] = {b: [] for b in stores}
                for _ in range(reps):
                    for b, store in stores.items():
                        times[b].append(
                            timed_ms(lambda s=store, c=call: s.select(c.name, **c.params))
                        )
                row = {
                    "query": call.name,
                    **{f"{b}_p50_ms": round(pct(t, 0.5), 2) for b, t in times.items()},
                    **profile(driver, database, call, nodes),
                }
                rows.append(row)
            out[page] = rows
        out["nodes"] = nodes
    return out


# --- the run ----------------------------------------------------------------------------


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    load_before = os.getloadavg()
    started = time.perf_counter()
    files = generate(args.records, workdir / "marc", members=len(MEMBERS), clc=clc_notations())
    echo(f"generated {args.records} records in {time.perf_counter() - started:.1f} s")
    oxigraph = OxigraphStore(workdir / "store")
    graph = Neo4jStore(args.neo4j)
    stores: dict[str, Store] = {"oxigraph": oxigraph, "neo4j": graph}
    try:
        graph.clear()
        loads: dict[str, Any] = {}
        for name, store in stores.items():
            echo(f"loading into {name}…")
            loads[name] = load(store, files, args.batch_size)
            echo(f"  {name}: {loads[name]['records_per_s']} records/s")
        started = time.perf_counter()
        oxigraph.optimize()
        loads["oxigraph"]["compact_s"] = round(time.perf_counter() - started, 1)
        loop = asyncio.new_event_loop()
        try:
            chosen = targets(oxigraph, loop)
        finally:
            loop.close()
        docs = documents(chosen)
        pages, calls = portal(stores, docs, args.requests, args.warmup)
        load_during = os.getloadavg()
        queries = named_queries(stores, calls, args.neo4j, args.reps)
    finally:
        for store in stores.values():
            store.close()
    return {
        "records": args.records,
        "batch_size": args.batch_size,
        "neo4j": args.neo4j,
        "load": loads,
        "load_ratio": round(
            loads["oxigraph"]["records_per_s"] / loads["neo4j"]["records_per_s"], 2
        ),
        "targets": chosen,
        "requests": args.requests,
        "warmup": args.warmup,
        "portal": pages,
        "named_queries": queries,
        "target_ratio": TARGET_RATIO,
        "machine": {
            "cpus": os.cpu_count(),
            "loadavg_before": [round(x, 2) for x in load_before],
            "loadavg_during": [round(x, 2) for x in load_during],
        },
        "queries": docs,
    }


def table(out: dict[str, Any]) -> str:
    lo, t, m = out["load"], out["targets"], out["machine"]
    lines = [
        f"records {out['records']} (batch {out['batch_size']}), {m['cpus']} cpus, load average "
        f"{m['loadavg_before']} before, {m['loadavg_during']} during the queries",
        f"load  oxigraph {lo['oxigraph']['records_per_s']} records/s ({lo['oxigraph']['seconds']} s"
        f", compaction {lo['oxigraph']['compact_s']} s)   neo4j {lo['neo4j']['records_per_s']} "
        f"records/s ({lo['neo4j']['seconds']} s)   oxigraph ÷ neo4j ×{out['load_ratio']}",
        *(
            f"  {b}: inside store writes {lo[b]['store_write_s']} s ({lo[b]['store_writes']}), "
            f"named queries {lo[b]['store_select_s']} s ({lo[b]['store_selects']})"
            for b in BACKENDS
        ),
        f"class {t['class']} ({t['class_works']} works)   theme {t['theme']} "
        f"({t['theme_works']} works)   instance {t['instance']} "
        f"({t['instance_holdings']} holdings)",
        f"{'query':<12} {'oxigraph p50':>12} {'p95':>7} {'neo4j p50':>10} {'p95':>7} "
        f"{'×p50':>6} {'×p95':>6}  target ×{out['target_ratio']:g}",
    ]
    for name, r in out["portal"].items():
        lines.append(
            f"{name:<12} {r['oxigraph_p50_ms']:>12} {r['oxigraph_p95_ms']:>7} "
            f"{r['neo4j_p50_ms']:>10} {r['neo4j_p95_ms']:>7} {r['ratio_p50']:>6} "
            f"{r['ratio_p95']:>6}  {'met' if r['meets'] else 'MISSED'}"
            + ("" if r["same_answer"] else "  (ANSWERS DIFFER)")
        )
    nq = out["named_queries"]
    lines.append(f"named queries (p50 ms alone; PROFILE on neo4j, {nq['nodes']} nodes):")
    for page in out["portal"]:
        for q in nq[page]:
            scans = ", ".join(f"{s['operator']} {s['rows']} rows" for s in q["scans"]) or "-"
            lines.append(
                f"  {page:<12} {q['query']:<22} oxigraph {q['oxigraph_p50_ms']:>7}  "
                f"neo4j {q['neo4j_p50_ms']:>7}  db hits {q['db_hits']:>8}  rows {q['rows']:>5}"
                f"  scans: {scans}"
                + ("  EVERY NODE" if q["all_nodes_scan"] or q["touches_every_node"] else "")
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument(
        "--neo4j",
        default=os.environ.get("KG_TEST_NEO4J", ""),
        help="Neo4j server URL, emptied by the run (default: $KG_TEST_NEO4J)",
    )
    parser.add_argument("--requests", type=int, default=100, help="timed rounds per query")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--reps", type=int, default=20, help="replays of each named query")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--smoke", action="store_true", help="300 records, few requests (CI)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.smoke:
        args.records, args.requests, args.warmup, args.reps = 300, 10, 2, 3
    if not args.neo4j:
        print(
            "backends_speed: skipped: no Neo4j server (give --neo4j bolt://HOST:PORT or set "
            "KG_TEST_NEO4J; scripts/neo4j start runs one)",
            file=sys.stderr,
        )
        return 0
    workdir = Path(tempfile.mkdtemp(prefix="kg-backends-bench-"))
    try:
        out = run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(out, indent=2, ensure_ascii=False) if args.json else table(out))
    return 0 if all(r["same_answer"] for r in out["portal"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())

"""API speed (issue 4, item 13): portal queries over HTTP to a running ``kg serve``, beside
the bare store queries they run, measured in the same run.

1. **Store**: N generated MARC records (3 members, every book with a CLC class, so
   classes and themes fill) loaded with the vocabularies into an on-disk Oxigraph store,
   compacted, with its search index built beside it (``STORE.search.sqlite``). With
   ``--store DIR`` a store prepared earlier at DIR is reused (it is built there first if
   it is not), so a big store is built once.
2. **Server**: the real one, ``kg --store DIR serve --port P``, as a subprocess; every
   GraphQL request goes over HTTP on loopback (httpx, one keep-alive connection).
3. **Queries**: a classification level (the top class with most works: rolled-up counts
   of its narrower classes and its facets), a theme page (the theme with most works: its
   first 20 works, why each is there, their holdings, and the facets), a Chinese search
   (the one-character word of the generated Han titles with most hits; page, total,
   facets). p50/p95 over ``--requests`` sequential requests after a warm-up.
4. **Bare store**: each GraphQL query is first executed once in process with a
   :class:`~schema.context.Context` whose store and search index record every call (named
   query and parameters; ``SearchIndex.search`` arguments). Those exact calls are then
   replayed directly against the same store, opened read-only in this process
   (``pyoxigraph.Store.read_only``; the server only reads, so nothing changes under it),
   and the same search index — alternating one HTTP request, one replay, so both see the
   same machine load. ratio = GraphQL p50 over HTTP ÷ bare p50 (target ≤ 2). A third
   side, the same GraphQL query executed in this process (no HTTP), tells the cost of
   GraphQL execution from that of HTTP and the server.
5. **Throughput**: 10 and 50 concurrent clients (asyncio, httpx.AsyncClient, one
   keep-alive connection each) for ``--duration`` seconds each, cycling over the three
   queries; requests/s, latency p50/p95 and errors (non-200, or a GraphQL ``errors``).

Targets (at 1M works): p95 ≤ 25 ms (search ≤ 50 ms), ratio ≤ 2, 0 errors.

    python benchmarks/api_speed.py --records 100000 --store /tmp/kg-api-100k/store
    python benchmarks/api_speed.py --smoke --json        # CI: 300 records, 2 and 5 clients
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, cast

import httpx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import (  # noqa: E402
    BASE,
    MEMBERS,
    build_store,
    clc_notations,
    echo,
    pct,
    read_marker,
    write_marker,
)
from benchmarks.generate import HAN_WORDS, generate  # noqa: E402
from kg.backends.oxigraph import OxigraphStore  # noqa: E402
from kg.ids import Minter  # noqa: E402
from kg.search import SearchIndex  # noqa: E402
from kg.store import Param, Row, Store  # noqa: E402
from kg.terms import text_of  # noqa: E402
from schema import schema  # noqa: E402
from schema.context import Context  # noqa: E402

TARGET_P95_MS = 25.0
TARGET_SEARCH_P95_MS = 50.0
TARGET_RATIO = 2.0
FACETS = "facets { dimension values { value count } }"

CLASS_LEVEL = """{ class(id: "%s") { label workCount narrower { nodes { notation label workCount } }
  %s } }"""
THEME_PAGE = """{ theme(id: "%s") { total works(first: 20) { edges { node { rules
  work { label holdings { nodes { institution { code city } tier items } } } } } }
  %s } }"""
SEARCH = """{ search(query: "%s") { totalCount hits { label } %s } }"""


def index_path(store_dir: Path) -> Path:
    """The search index beside the store (where ``SearchIndex.for_store`` puts it)."""
    return store_dir.with_name(store_dir.name + ".search.sqlite")


def prepare(
    store_dir: Path, records: int, batch_size: int, search: bool = True, bulk: bool = False
) -> dict[str, Any]:
    """Build the store at ``store_dir`` (or reuse it if it was completed before, by this
    benchmark or by ``counts_speed.py --keep-store``), and its search index (without
    ``search``: an empty index marked built, so that ``kg serve`` does not rebuild it)."""
    info = read_marker(store_dir)
    reused = info is not None
    if info is None:
        shutil.rmtree(store_dir, ignore_errors=True)
        index_path(store_dir).unlink(missing_ok=True)
        marc = store_dir.with_name(store_dir.name + ".marc")
        started = time.perf_counter()
        files = generate(records, marc, members=len(MEMBERS), clc=clc_notations())
        echo(f"generated {records} records in {time.perf_counter() - started:.1f} s")
        info = build_store(store_dir, files, batch_size=batch_size, bulk=bulk)
        info["generate_s"] = round(time.perf_counter() - started - info["load_s"], 1)
        echo(f"loaded in {info['load_s']} s ({info['load_records_per_s']} records/s)")
        shutil.rmtree(marc, ignore_errors=True)
        write_marker(store_dir, info)
    elif info["records"] != records:
        echo(f"reusing {store_dir}: built with {info['records']} records, not {records}")
    with SearchIndex(index_path(store_dir)) as index:  # the index itself, not the marker
        if not search:
            if index.needs_rebuild:
                index.mark_built("skipped by api_speed.py --skip-search")
                info.pop("search_entries", None)
        elif index.needs_rebuild or "search_entries" not in info:
            started = time.perf_counter()
            with OxigraphStore(store_dir) as store:
                entries = index.rebuild(store).updated
            seconds = time.perf_counter() - started
            echo(f"search index: {entries} entries in {seconds:.1f} s")
            info.update(search_entries=entries, index_s=round(seconds, 1))
            write_marker(store_dir, info)
    return {**info, "reused": reused}


class ReadOnlyOxigraph(OxigraphStore):
    """The on-disk store opened read-only (beside the server, which holds its lock)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._unflushed = 0
        self._store = ox.Store.read_only(str(path))

    def close(self) -> None:
        self.__dict__.pop("_store", None)


# --- 2. the server ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def kg_command() -> list[str]:
    """The ``kg`` script of this interpreter's environment."""
    script = Path(sys.executable).parent / "kg"
    if not script.exists():
        script = ROOT / ".venv" / "bin" / "kg"
    return [str(script)]


@contextmanager
def server(store_dir: Path, port: int, log: Path) -> Iterator[str]:
    """``kg --store DIR serve --port P`` running; yields its base URL."""
    env = {**os.environ, "KG_SEARCH_INDEX": str(index_path(store_dir))}
    command = [*kg_command(), "--store", str(store_dir), "--base", BASE]
    command += ["serve", "--host", "127.0.0.1", "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
        try:
            started = time.perf_counter()
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"kg serve exited: {log.read_text(errors='replace')}")
                try:
                    if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.perf_counter() - started > 300:
                    raise RuntimeError("kg serve did not answer /health within 300 s")
                time.sleep(0.2)
            echo(f"server up in {time.perf_counter() - started:.1f} s at {url}")
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# --- 3./4. queries and their bare store calls --------------------------------------------


@dataclass
class Call:
    """One call a GraphQL query made: a named query, or a search of the index."""

    kind: str  # "select" or "search"
    name: str
    args: tuple[Any, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)


class RecordingStore:
    """A store that records every ``select`` (the only read a resolver makes)."""

    def __init__(self, store: Store, calls: list[Call]) -> None:
        self.store, self.calls = store, calls
        self.path = store.path

    def select(self, name: str, **params: Param) -> list[Row]:
        self.calls.append(Call("select", name, params=params))
        return self.store.select(name, **params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


class RecordingSearch:
    """A search index that records every ``search``."""

    def __init__(self, index: SearchIndex, calls: list[Call]) -> None:
        self.index, self.calls = index, calls

    def search(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append(Call("search", "search", args, kwargs))
        return self.index.search(*args, **kwargs)

    def __len__(self) -> int:
        return len(self.index)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.index, name)


def record(store: Store, index: SearchIndex, query: str) -> tuple[list[Call], dict[str, Any]]:
    """The calls ``query`` makes, executed once in process; and its answer."""
    calls: list[Call] = []
    context = Context(
        cast(Store, RecordingStore(store, calls)),
        Minter(BASE),
        cast(SearchIndex, RecordingSearch(index, calls)),
    )
    result = asyncio.run(schema.execute(query, context_value=context))
    if result.errors:
        raise RuntimeError(f"in-process execution failed: {result.errors}")
    return calls, cast(dict[str, Any], result.data)


def replay(store: Store, index: SearchIndex, calls: list[Call]) -> list[float]:
    """The bare calls, directly against the store and the index; ms each."""
    times = []
    for call in calls:
        started = time.perf_counter()
        if call.kind == "select":
            store.select(call.name, **call.params)
        else:
            index.search(*call.args, **call.params)
        times.append((time.perf_counter() - started) * 1000)
    return times


def targets(store: Store, index: SearchIndex, search: bool = True) -> dict[str, Any]:
    """The top class and the theme with most works, and the Chinese word with most hits."""
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
    hits = {w: index.search(w, first=1).total for w in HAN_WORDS[:24]} if search else {"": 0}
    word = max(hits, key=lambda w: hits[w])
    return {
        "class": top.rsplit("/", 1)[-1],
        "class_works": tops[top],
        "theme": theme,
        "theme_works": themes[theme],
        "word": word,
        "word_hits": hits[word],
    }


def documents(t: dict[str, Any]) -> dict[str, str]:
    docs = {
        "class_level": CLASS_LEVEL % (t["class"], FACETS),
        "theme_page": THEME_PAGE % (t["theme"], FACETS),
    }
    if t["word"]:
        docs["search_zh"] = SEARCH % (t["word"], FACETS)
    return docs


def post(client: httpx.Client, query: str) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    response = client.post("/graphql", json={"query": query})
    ms = (time.perf_counter() - started) * 1000
    body: dict[str, Any] = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise RuntimeError(f"HTTP {response.status_code}: {response.text[:500]}")
    return ms, body


def execute(loop: asyncio.AbstractEventLoop, store: Store, index: SearchIndex, query: str) -> None:
    """The GraphQL query executed in this process (no HTTP), as the server runs it."""
    result = loop.run_until_complete(
        schema.execute(query, context_value=Context(store, Minter(BASE), index))
    )
    if result.errors:
        raise RuntimeError(f"in-process execution failed: {result.errors}")


@contextmanager
def _closing(loop: asyncio.AbstractEventLoop) -> Iterator[None]:
    try:
        yield
    finally:
        loop.close()


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def latency(
    url: str, store: Store, index: SearchIndex, docs: dict[str, str], n: int, warmup: int
) -> dict[str, Any]:
    """Per query: p50/p95 over HTTP and of the bare calls, alternating."""
    out: dict[str, Any] = {}
    loop = asyncio.new_event_loop()
    with httpx.Client(base_url=url, timeout=60) as client, _closing(loop):
        for name, query in docs.items():
            calls, expected = record(store, index, query)
            _, answer = post(client, query)
            for _ in range(warmup):
                post(client, query)
                replay(store, index, calls)
            http: list[float] = []
            bare: list[float] = []
            each: list[list[float]] = []
            inproc: list[float] = []
            for _ in range(n):
                http.append(post(client, query)[0])
                each.append(replay(store, index, calls))
                bare.append(sum(each[-1]))
                inproc.append(timed(partial(execute, loop, store, index, query)))
            target = TARGET_SEARCH_P95_MS if name.startswith("search") else TARGET_P95_MS
            out[name] = {
                "http_p50_ms": round(pct(http, 0.5), 2),
                "http_p95_ms": round(pct(http, 0.95), 2),
                "bare_p50_ms": round(pct(bare, 0.5), 2),
                "bare_p95_ms": round(pct(bare, 0.95), 2),
                "inproc_p50_ms": round(pct(inproc, 0.5), 2),
                "inproc_p95_ms": round(pct(inproc, 0.95), 2),
                "ratio_p50": round(pct(http, 0.5) / pct(bare, 0.5), 2),
                "ratio_p95": round(pct(http, 0.95) / pct(bare, 0.95), 2),
                "calls": [c.name for c in calls],
                "call_p50_ms": [
                    [c.name, round(pct([t[i] for t in each], 0.5), 2)] for i, c in enumerate(calls)
                ],
                "same_answer": answer["data"] == expected,
                "target_p95_ms": target,
                "meets": pct(http, 0.95) <= target
                and pct(http, 0.5) / pct(bare, 0.5) <= TARGET_RATIO,
            }
            r = out[name]
            echo(
                f"{name}: http p50 {r['http_p50_ms']} p95 {r['http_p95_ms']} ms, "
                f"bare p50 {r['bare_p50_ms']} ms, ×{r['ratio_p50']}"
            )
    return out


# --- 5. throughput ----------------------------------------------------------------------


async def _clients(url: str, queries: list[str], clients: int, seconds: float) -> dict[str, Any]:
    times: list[float] = []
    errors: list[str] = []
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def worker(client: httpx.AsyncClient, offset: int) -> None:
        i = offset
        while time.perf_counter() < deadline:
            query = queries[i % len(queries)]
            i += 1
            started = time.perf_counter()
            try:
                response = await client.post("/graphql", json={"query": query})
                ok = response.status_code == 200 and not response.json().get("errors")
                if not ok:
                    errors.append(f"HTTP {response.status_code}: {response.text[:200]}")
            except httpx.HTTPError as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
                continue
            times.append((time.perf_counter() - started) * 1000)

    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client, k) for k in range(clients)))
        elapsed = time.perf_counter() - started
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": len(times) + len(errors),
        "requests_per_s": round((len(times) + len(errors)) / elapsed, 1),
        "p50_ms": round(pct(times, 0.5), 1) if times else None,
        "p95_ms": round(pct(times, 0.95), 1) if times else None,
        "errors": len(errors),
        "first_errors": errors[:3],
    }


def throughput(url: str, docs: dict[str, str], levels: list[int], seconds: float) -> list[Any]:
    out = []
    for clients in levels:
        result = asyncio.run(_clients(url, list(docs.values()), clients, seconds))
        echo(
            f"{clients} clients: {result['requests_per_s']} req/s, "
            f"p95 {result['p95_ms']} ms, {result['errors']} errors"
        )
        out.append(result)
    return out


# --- the run ----------------------------------------------------------------------------


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    store_dir = args.store or workdir / "store"
    load_before = os.getloadavg()
    started = time.perf_counter()
    prepared = prepare(store_dir, args.records, args.batch_size, not args.skip_search, args.bulk)
    prepared["seconds"] = round(time.perf_counter() - started, 1)
    echo(f"store ready in {prepared['seconds']} s ({'reused' if prepared['reused'] else 'built'})")
    log = workdir / "server.log"
    with server(store_dir, free_port(), log) as url:
        store = ReadOnlyOxigraph(store_dir)
        index = SearchIndex(index_path(store_dir))
        try:
            chosen = targets(store, index, not args.skip_search)
            docs = documents(chosen)
            latencies = latency(url, store, index, docs, args.requests, args.warmup)
            load_during = os.getloadavg()
            rates = throughput(url, docs, args.clients, args.duration)
        finally:
            index.close()
            store.close()
    return {
        "records": args.records,
        "store": prepared,
        "targets": chosen,
        "requests": args.requests,
        "warmup": args.warmup,
        "latency": latencies,
        "throughput": rates,
        "errors": sum(r["errors"] for r in rates),
        "machine": {
            "cpus": os.cpu_count(),
            "loadavg_before": [round(x, 2) for x in load_before],
            "loadavg_during": [round(x, 2) for x in load_during],
        },
        "queries": docs,
    }


def table(out: dict[str, Any]) -> str:
    st, t, m = out["store"], out["targets"], out["machine"]
    lines = [
        f"records {out['records']}: {st['works']} works, {st['instances']} instances, "
        f"{st.get('search_entries', 'no')} search entries  (store "
        f"{'reused' if st['reused'] else 'built'}: load {st['load_s']} s, "
        f"{st['load_records_per_s']} records/s, index {st.get('index_s', '-')} s)",
        *([f"search index: {st['search_index']}"] if "search_index" in st else []),
        f"class {t['class']} ({t['class_works']} works)   theme {t['theme']} "
        f"({t['theme_works']} works)   search {t['word']!r} ({t['word_hits']} hits)",
        f"{m['cpus']} cpus, load average {m['loadavg_before']} before, "
        f"{m['loadavg_during']} during",
        f"{'query':<12} {'http p50':>9} {'p95':>7} {'bare p50':>9} {'p95':>7} "
        f"{'in-proc p50':>11} {'p95':>7} {'ratio':>6} {'calls':>5}  target",
    ]
    for name, r in out["latency"].items():
        lines.append(
            f"{name:<12} {r['http_p50_ms']:>9} {r['http_p95_ms']:>7} {r['bare_p50_ms']:>9} "
            f"{r['bare_p95_ms']:>7} {r['inproc_p50_ms']:>11} {r['inproc_p95_ms']:>7} "
            f"{r['ratio_p50']:>6} {len(r['calls']):>5}  "
            f"p95 ≤ {r['target_p95_ms']:g} ms, ratio ≤ {TARGET_RATIO:g}: "
            f"{'met' if r['meets'] else 'MISSED'}"
            + ("" if r["same_answer"] else "  (ANSWERS DIFFER)")
        )
        lines.append(
            "    bare calls p50 ms: " + ", ".join(f"{n} {ms}" for n, ms in r["call_p50_ms"])
        )
    for r in out["throughput"]:
        lines.append(
            f"{r['clients']:>3} clients  {r['requests_per_s']:>7} req/s  "
            f"p50 {r['p50_ms']} ms  p95 {r['p95_ms']} ms  "
            f"{r['requests']} requests  {r['errors']} errors"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--store", type=Path, help="a store directory to build once and reuse")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per query")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--clients", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per client level")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument(
        "--skip-search", action="store_true", help="no search query (a store without index)"
    )
    parser.add_argument("--prepare-only", action="store_true", help="build the store, stop")
    parser.add_argument(
        "--bulk", action="store_true", help="build the store as `kg load marc --bulk` (1M: ~1 h)"
    )
    parser.add_argument("--smoke", action="store_true", help="300 records, few requests (CI)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.smoke:
        args.records, args.requests, args.warmup = 300, 20, 3
        args.clients, args.duration = [2, 5], 2.0
    workdir = Path(tempfile.mkdtemp(prefix="kg-api-bench-"))
    try:
        if args.prepare_only:
            out: dict[str, Any] = prepare(
                args.store or workdir / "store", args.records, args.batch_size, bulk=args.bulk
            )
            print(json.dumps(out, indent=2))
            return 0
        out = run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(out, indent=2, ensure_ascii=False) if args.json else table(out))
    return 0 if out["errors"] == 0 and all(r["same_answer"] for r in out["latency"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Counts benchmark (issue 3, item 8): what keeping the counts current costs a load, and
how fast a portal reads them, beside the same counts computed by a GROUP BY.

* ``load``: the same generated member files (every book with a CLC class, so classes
  and themes fill) loaded into two fresh on-disk stores, with the counts kept current
  (the default) and without (``MarcLoader(counts=False)``), alternating; medians.
  Target: overhead = with ÷ without − 1 ≤ 25 %.
* ``read``: on the store with counts, one classification level with its rolled-up
  counts (``class_children``) and one theme's facets (``scope_facets``), each beside
  its GROUP BY twin (``class_children_groupby``, ``theme_facets_groupby``), alternating,
  ``--reads`` times each; p50/p95 in ms. Target: p95 < 5 ms. Both sides must agree.

    python benchmarks/counts_speed.py --records 100000
    python benchmarks/counts_speed.py --smoke --json          # CI: 300 records
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import (  # noqa: E402
    BASE,
    MEMBERS,
    build_store,
    clc_notations,
    echo,
    pct,
    peak_rss_mb,
    write_marker,
)
from benchmarks.generate import generate  # noqa: E402
from kg.backends.oxigraph import OxigraphStore  # noqa: E402
from kg.ids import Minter  # noqa: E402
from kg.store import Store  # noqa: E402
from kg.terms import Lit, text_of  # noqa: E402

TARGET_OVERHEAD = 0.25
TARGET_P95_MS = 5.0


def load(files: list[Path], store_dir: Path, counts: bool, args: argparse.Namespace) -> float:
    """Seconds to load every member file into a fresh store (vocabularies not timed)."""
    shutil.rmtree(store_dir, ignore_errors=True)
    say = progress(args)
    info = build_store(
        store_dir, files, counts=counts, bulk=args.bulk, batch_size=args.batch_size, say=say
    )
    say(
        f"{'with' if counts else 'without'} counts: {info['load_s']} s, "
        f"{info['load_records_per_s']} records/s, {info['works']} works "
        f"(then compacted in {info['optimize_s']} s)"
    )
    if counts and args.keep_store:
        write_marker(store_dir, {**info, "built_by": "counts_speed.py"})
    return float(info["load_s"])


def progress(args: argparse.Namespace) -> Callable[[str], None]:
    """Where progress lines go: stderr, or nowhere with ``--quiet``."""
    return silent if args.quiet else echo


def silent(_: str) -> None:
    return None


def timed(run: Callable[[], list[dict[str, Any]]]) -> tuple[float, list[dict[str, Any]]]:
    started = time.perf_counter()
    rows = run()
    return (time.perf_counter() - started) * 1000, rows


def as_counts(rows: list[dict[str, Any]], *names: str) -> dict[tuple[str, ...], int]:
    return {
        tuple(text_of(r.get(n, "")) for n in names): int(text_of(r.get("works", Lit("0"))))
        for r in rows
    }


def reads(store: Store, ids: Minter, n: int, slow_n: int) -> dict[str, Any]:
    """p50/p95 of the precomputed reads (``n`` each) beside their GROUP BY twins (``slow_n``
    each: at 1M works one GROUP BY takes minutes), interleaved."""
    stored = {
        (str(r["scope"]), text_of(r["dimension"])): int(text_of(r["works"]))
        for r in store.select("counts_stored")
        if not text_of(r["value"])
    }
    # the widest level: the top class whose narrower classes hold most works
    tops = [
        s
        for (s, d) in stored
        if d == "rollup" and "/class/clc/" in s and s.rsplit("/", 1)[-1].isalpha()
    ]
    parent = max(tops, key=lambda s: stored[(s, "rollup")])
    themes = [s for (s, d) in stored if d == "rollup" and "/theme/" in s]
    theme = max(themes, key=lambda s: stored[(s, "rollup")])

    def groupby_facets() -> list[dict[str, Any]]:
        return store.select("theme_facets_groupby", theme=theme, classes=Lit(f"{ids.base}class/"))

    cases: dict[str, tuple[Callable[[], list[dict[str, Any]]], ...]] = {
        "class_level": (
            lambda: store.select("class_children", parent=parent),
            lambda: store.select("class_children_groupby", parent=parent),
        ),
        # every facet of the theme, the year timeline included
        "theme_facets": (lambda: store.select("scope_facets", scope=theme), groupby_facets),
        # the facets a portal's theme page shows (scope_facets_shown: all but the year)
        "theme_facets_shown": (
            lambda: store.select("scope_facets_shown", scope=theme),
            groupby_facets,
        ),
    }
    out: dict[str, Any] = {
        "class": parent,
        "class_works": stored[(parent, "rollup")],
        "theme": theme,
        "theme_works": stored[(theme, "rollup")],
    }
    every = max(1, n // max(1, slow_n))
    for name, (fast, slow) in cases.items():
        times: dict[str, list[float]] = {"stored": [], "group_by": []}
        results = {}
        for i in range(n):
            ms, results["stored"] = timed(fast)
            times["stored"].append(ms)
            if i % every == 0 and len(times["group_by"]) < slow_n:
                ms, results["group_by"] = timed(slow)
                times["group_by"].append(ms)
        names = ("class",) if name == "class_level" else ("dimension", "value")
        a, b = as_counts(results["stored"], *names), as_counts(results["group_by"], *names)
        b = {k: v for k, v in b.items() if v}  # a level's empty classes have no count
        a = {k: v for k, v in a.items() if v}
        if name == "theme_facets_shown":
            b = {k: v for k, v in b.items() if k[0] != "year"}
        out[name] = {
            "rows": len(results["stored"]),
            "agree": a == b,
            "reads": {side: len(t) for side, t in times.items()},
            **{
                f"{side}_p{q}_ms": round(pct(t, q / 100), 2)
                for side, t in times.items()
                for q in (50, 95)
            },
        }
        out[name]["speedup_p50"] = round(
            out[name]["group_by_p50_ms"] / out[name]["stored_p50_ms"], 1
        )
    return out


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    files = generate(args.records, workdir / "marc", members=len(MEMBERS), clc=clc_notations())
    progress(args)(f"generated {args.records} records")
    kept = args.keep_store
    with_dir = kept or workdir / "with_counts"
    without_dir = workdir / "without_counts"
    loads: dict[str, list[float]] = {"with_counts": [], "without_counts": []}
    load_before = os.getloadavg()
    for _ in range(args.repeat):
        if not args.with_counts_only:
            loads["without_counts"].append(load(files, without_dir, False, args))
            shutil.rmtree(without_dir, ignore_errors=True)  # only its time is kept (disk at 1M)
        loads["with_counts"].append(load(files, with_dir, True, args))
    load_during = os.getloadavg()
    rss_after_loads = peak_rss_mb()
    shutil.rmtree(workdir / "marc", ignore_errors=True)
    with_s = statistics.median(loads["with_counts"])
    without_s = statistics.median(loads["without_counts"]) if loads["without_counts"] else None
    store = OxigraphStore(with_dir)
    ids = Minter(BASE)
    works = int(text_of(store.select("totals")[0]["works"]))
    read_before = os.getloadavg()
    read = reads(store, ids, args.reads, args.group_by_reads or args.reads)
    out: dict[str, Any] = {
        "records": args.records,
        "works": works,
        "repeat": args.repeat,
        "bulk": args.bulk,
        "load": {
            "with_counts_s": round(with_s, 2),
            "without_counts_s": round(without_s, 2) if without_s else None,
            "with_counts_records_per_s": round(args.records / with_s),
            "without_counts_records_per_s": round(args.records / without_s) if without_s else None,
            "runs": loads,
            "overhead": round(with_s / without_s - 1, 3) if without_s else None,
            "target_overhead": TARGET_OVERHEAD,
        },
        "counts_stored": len(store.select("counts_stored")),
        "read": read,
        "target_p95_ms": TARGET_P95_MS,
        "peak_rss_mb": peak_rss_mb(),
        "peak_rss_after_loads_mb": rss_after_loads,
        "machine": {
            "cpus": os.cpu_count(),
            "loadavg_before_loads": [round(x, 2) for x in load_before],
            "loadavg_after_loads": [round(x, 2) for x in load_during],
            "loadavg_before_reads": [round(x, 2) for x in read_before],
            "loadavg_after_reads": [round(x, 2) for x in os.getloadavg()],
        },
    }
    store.close()
    return out


def table(out: dict[str, Any]) -> str:
    lo, m, r0 = out["load"], out["machine"], out["read"]
    lines = [
        f"records {out['records']}, works {out['works']}  (median of {out['repeat']}"
        f"{', --bulk' if out['bulk'] else ''})",
        f"load  with counts {lo['with_counts_s']} s ({lo['with_counts_records_per_s']} rec/s)   "
        + (
            f"without {lo['without_counts_s']} s ({lo['without_counts_records_per_s']} rec/s)   "
            f"overhead {lo['overhead']:+.1%}  (target ≤ {lo['target_overhead']:.0%})"
            if lo["overhead"] is not None
            else "without counts: not loaded (--with-counts-only): overhead not measured"
        ),
        f"counts stored {out['counts_stored']}   peak RSS {out['peak_rss_after_loads_mb']} MB "
        f"after the loads, {out['peak_rss_mb']} MB after the reads",
        f"class {r0['class']} ({r0['class_works']} works)   theme {r0['theme']} "
        f"({r0['theme_works']} works)",
        f"{m['cpus']} cpus, load average {m['loadavg_before_loads']} before the loads, "
        f"{m['loadavg_before_reads']} before the reads, {m['loadavg_after_reads']} after",
    ]
    for name in ("class_level", "theme_facets", "theme_facets_shown"):
        r = out["read"][name]
        met = r["stored_p95_ms"] < out["target_p95_ms"]
        lines.append(
            f"{name:<18} stored p50 {r['stored_p50_ms']} ms p95 {r['stored_p95_ms']} ms "
            f"({r['reads']['stored']} reads)   group-by p50 {r['group_by_p50_ms']} ms "
            f"p95 {r['group_by_p95_ms']} ms ({r['reads']['group_by']})   "
            f"×{r['speedup_p50']}  rows {r['rows']}  agree {r['agree']}  "
            f"p95 < {out['target_p95_ms']:g} ms: {'met' if met else 'MISSED'}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--reads", type=int, default=200)
    parser.add_argument(
        "--group-by-reads", type=int, default=0, help="GROUP BY reads each (default: --reads)"
    )
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument(
        "--bulk", action="store_true", help="both loads as `kg load marc --bulk` (first loads)"
    )
    parser.add_argument(
        "--keep-store",
        type=Path,
        help="build the store with counts here and keep it (api_speed.py --store reuses it)",
    )
    parser.add_argument(
        "--with-counts-only",
        action="store_true",
        help="only the load with counts (a big store to read; the overhead is not measured)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.add_argument("--smoke", action="store_true", help="300 records, 20 reads (CI)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.smoke:
        args.records, args.reads = 300, 20
    workdir = Path(tempfile.mkdtemp(prefix="kg-counts-bench-"))
    try:
        out = run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(out, indent=2) if args.json else table(out))
    agree = all(out["read"][n]["agree"] for n in ("class_level", "theme_facets"))
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())

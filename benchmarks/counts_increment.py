"""Counts benchmark on a big store (issue 3, item 8 at 1M works): what keeping the counts
current adds to loading members' new exports into a catalogue that already holds N works.

``counts_speed.py`` times two first loads from empty stores; two first loads of 1M
records take hours here. This one starts from a store built before (``counts_speed.py
--keep-store DIR``: 1M works, counts current), copies it, and loads the same new exports
(``--records`` generated records per round, 3 members, new seeds: new books, 30 % shared
between members) into the store, keeping the counts current, and into the copy, without
(``MarcLoader(counts=False)``): transactional loads, as ``kg load marc`` runs into a
store that is not empty. Rounds alternate which side loads first; the overhead is the
median over rounds of with ÷ without − 1 (target ≤ 25 %). Then the reads of
``counts_speed.py`` on the store with counts (still current: they agree with GROUP BY),
as the loads left it (``--compact`` first compacts it, as ``kg load marc`` does).

    python benchmarks/counts_speed.py --records 1176500 --bulk --with-counts-only \\
        --keep-store /var/tmp/kg1m/store
    python benchmarks/counts_increment.py --store /var/tmp/kg1m/store --records 10000
    python benchmarks/counts_increment.py --smoke --json      # CI: builds a small store first

The copy needs as much free disk as the store takes. The store keeps the new records.
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
    peak_rss_mb,
    read_marker,
    write_marker,
)
from benchmarks.counts_speed import TARGET_OVERHEAD, TARGET_P95_MS, reads  # noqa: E402
from benchmarks.generate import generate  # noqa: E402
from kg.backends.oxigraph import OxigraphStore  # noqa: E402
from kg.ids import Minter  # noqa: E402
from kg.terms import text_of  # noqa: E402
from loaders.marc.loader import MarcLoader  # noqa: E402

FIRST = 10**8  # the control numbers of round r start at r × FIRST (a base has fewer)
DONE = "increment_rounds"  # the marker's count of rounds loaded into the store before


def load_round(store_dir: Path, files: list[Path], counts: bool, batch_size: int) -> float:
    """Seconds to load the member ``files`` into the store at ``store_dir``."""
    with OxigraphStore(store_dir) as store:
        ids = Minter(BASE)
        started = time.perf_counter()
        for code, path in zip(MEMBERS, files, strict=False):
            report = MarcLoader(store, ids, code, batch_size=batch_size, counts=counts).load(path)
            if report.rejected:
                raise SystemExit(f"{path}: {len(report.rejected)} records rejected")
        seconds = time.perf_counter() - started
    echo(f"  {'with' if counts else 'without'} counts: {seconds:.1f} s")
    return seconds


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    store_dir: Path = args.store or workdir / "store"
    info = read_marker(store_dir)
    if info is None:
        if args.store:
            raise SystemExit(f"{store_dir}: no store built by counts_speed.py --keep-store")
        files = generate(
            args.base_records, workdir / "base", members=len(MEMBERS), clc=clc_notations()
        )
        info = build_store(store_dir, files, bulk=True, say=lambda _: None)
        write_marker(store_dir, info)
    with OxigraphStore(store_dir) as store:
        works_before = int(text_of(store.select("totals")[0]["works"]))
    copy = workdir / "without_counts"
    started = time.perf_counter()
    shutil.copytree(store_dir, copy)
    echo(f"store of {works_before} works copied in {time.perf_counter() - started:.0f} s")
    load_before = os.getloadavg()
    runs: dict[str, list[float]] = {"with_counts": [], "without_counts": []}
    done = info.get(DONE, 0)  # a run on a kept store loads rounds no run loaded before
    for round_ in range(args.rounds):
        files = generate(
            args.records,
            workdir / f"round-{round_}",
            members=len(MEMBERS),
            seed=1000 + done + round_,
            clc=clc_notations(),
            first=FIRST * (done + round_ + 1),  # new 001s: new records, not corrections
        )
        echo(f"round {round_ + 1}: {args.records} new records")
        sides = [(copy, False), (store_dir, True)]
        for target, counts in sides if round_ % 2 == 0 else reversed(sides):
            seconds = load_round(target, files, counts, args.batch_size)
            runs["with_counts" if counts else "without_counts"].append(seconds)
        shutil.rmtree(workdir / f"round-{round_}")
    load_after = os.getloadavg()
    shutil.rmtree(copy)
    pairs = zip(runs["with_counts"], runs["without_counts"], strict=True)
    overheads = [w / wo - 1 for w, wo in pairs]
    with OxigraphStore(store_dir) as store:
        if args.compact:  # as kg load marc does at its end (minutes at 1M works)
            store.optimize()
        works_after = int(text_of(store.select("totals")[0]["works"]))
        if works_after - works_before < args.rounds * args.records // 2:
            raise SystemExit(  # reloading records the store holds is no load at all
                f"{store_dir}: the rounds added {works_after - works_before} works for "
                f"{args.rounds * args.records} records: they were loaded before"
            )
        read = reads(store, Minter(BASE), args.reads, args.group_by_reads or args.reads)
    records = info["records"] + args.rounds * args.records
    write_marker(store_dir, {**info, "records": records, DONE: done + args.rounds})
    return {
        "works_before": works_before,
        "works_after": works_after,
        "records_per_round": args.records,
        "rounds": args.rounds,
        "load": {
            "runs": {side: [round(s, 1) for s in times] for side, times in runs.items()},
            "with_counts_s": round(statistics.median(runs["with_counts"]), 1),
            "without_counts_s": round(statistics.median(runs["without_counts"]), 1),
            "overheads": [round(o, 3) for o in overheads],
            "overhead": round(statistics.median(overheads), 3),
            "target_overhead": TARGET_OVERHEAD,
        },
        "read": read,
        "target_p95_ms": TARGET_P95_MS,
        "peak_rss_mb": peak_rss_mb(),
        "machine": {
            "cpus": os.cpu_count(),
            "loadavg_before_loads": [round(x, 2) for x in load_before],
            "loadavg_after_loads": [round(x, 2) for x in load_after],
        },
    }


def table(out: dict[str, Any]) -> str:
    lo = out["load"]
    lines = [
        f"{out['rounds']} rounds of {out['records_per_round']} new records into a store of "
        f"{out['works_before']} works ({out['works_after']} after)",
        f"load  with counts {lo['with_counts_s']} s   without {lo['without_counts_s']} s   "
        f"(runs {lo['runs']})",
        f"overhead {lo['overhead']:+.1%} (median of {lo['overheads']})   "
        f"target ≤ {lo['target_overhead']:.0%}: "
        f"{'met' if lo['overhead'] <= lo['target_overhead'] else 'MISSED'}",
        f"{out['machine']['cpus']} cpus, load average {out['machine']['loadavg_before_loads']} "
        f"before the loads, {out['machine']['loadavg_after_loads']} after",
    ]
    for name in ("class_level", "theme_facets", "theme_facets_shown"):
        r = out["read"][name]
        lines.append(
            f"{name:<18} stored p50 {r['stored_p50_ms']} ms p95 {r['stored_p95_ms']} ms   "
            f"group-by p50 {r['group_by_p50_ms']} ms   rows {r['rows']}  agree {r['agree']}  "
            f"p95 < {out['target_p95_ms']:g} ms: "
            f"{'met' if r['stored_p95_ms'] < out['target_p95_ms'] else 'MISSED'}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="a store kept by counts_speed.py")
    parser.add_argument("--records", type=int, default=10_000, help="new records per round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--reads", type=int, default=50)
    parser.add_argument("--group-by-reads", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--compact", action="store_true", help="compact the store before reading")
    parser.add_argument("--smoke", action="store_true", help="a 600-record store, 2×90 (CI)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    args.base_records = 600
    if args.smoke:
        args.records, args.reads, args.store = 90, 10, None
    workdir = Path(tempfile.mkdtemp(prefix="kg-counts-increment-"))
    try:
        out = run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(out, indent=2) if args.json else table(out))
    agree = all(out["read"][n]["agree"] for n in ("class_level", "theme_facets"))
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())

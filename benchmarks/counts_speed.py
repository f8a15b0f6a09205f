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

from benchmarks.generate import generate  # noqa: E402
from kg.backends.oxigraph import OxigraphStore  # noqa: E402
from kg.ids import Minter  # noqa: E402
from kg.store import Store  # noqa: E402
from kg.terms import Lit, text_of  # noqa: E402
from loaders.marc.loader import MarcLoader  # noqa: E402
from loaders.sample import SAMPLE, load_vocabularies  # noqa: E402

BASE = "http://localhost:8000/"
MEMBERS = ("JXUFE", "ECJTU", "NCU")
TARGET_OVERHEAD = 0.25
TARGET_P95_MS = 5.0


def clc_notations() -> list[str]:
    """The notations of the sample's CLC table (what generated books are classed under)."""
    lines = (SAMPLE / "clc-main.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return [line.split("\t")[0] for line in lines if line.strip()]


def load(files: list[Path], store_dir: Path, counts: bool, batch_size: int) -> float:
    """Seconds to load every member file into a fresh store (vocabularies not timed)."""
    shutil.rmtree(store_dir, ignore_errors=True)
    store = OxigraphStore(store_dir)
    ids = Minter(BASE)
    load_vocabularies(store, ids, echo=lambda _: None)
    started = time.perf_counter()
    for code, path in zip(MEMBERS, files, strict=False):
        MarcLoader(store, ids, code, batch_size=batch_size, counts=counts).load(path)
    store.close()
    return time.perf_counter() - started


def timed(run: Callable[[], list[dict[str, Any]]]) -> tuple[float, list[dict[str, Any]]]:
    started = time.perf_counter()
    rows = run()
    return (time.perf_counter() - started) * 1000, rows


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def as_counts(rows: list[dict[str, Any]], *names: str) -> dict[tuple[str, ...], int]:
    return {
        tuple(text_of(r.get(n, "")) for n in names): int(text_of(r.get("works", Lit("0"))))
        for r in rows
    }


def reads(store: Store, ids: Minter, n: int) -> dict[str, Any]:
    """p50/p95 of the precomputed reads beside their GROUP BY twins, alternating."""
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
    cases: dict[str, tuple[Callable[[], list[dict[str, Any]]], ...]] = {
        "class_level": (
            lambda: store.select("class_children", parent=parent),
            lambda: store.select("class_children_groupby", parent=parent),
        ),
        "theme_facets": (
            lambda: store.select("scope_facets", scope=theme),
            lambda: store.select(
                "theme_facets_groupby", theme=theme, classes=Lit(f"{ids.base}class/")
            ),
        ),
    }
    out: dict[str, Any] = {"class": parent, "theme": theme}
    for name, (fast, slow) in cases.items():
        times: dict[str, list[float]] = {"stored": [], "group_by": []}
        results = {}
        for _ in range(n):
            for side, run in (("stored", fast), ("group_by", slow)):
                ms, rows = timed(run)
                times[side].append(ms)
                results[side] = rows
        names = ("class",) if name == "class_level" else ("dimension", "value")
        a, b = as_counts(results["stored"], *names), as_counts(results["group_by"], *names)
        b = {k: v for k, v in b.items() if v}  # a level's empty classes have no count
        a = {k: v for k, v in a.items() if v}
        out[name] = {
            "rows": len(results["stored"]),
            "agree": a == b,
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
    loads: dict[str, list[float]] = {"with_counts": [], "without_counts": []}
    for _ in range(args.repeat):
        for side in ("without_counts", "with_counts"):
            seconds = load(files, workdir / side, side == "with_counts", args.batch_size)
            loads[side].append(seconds)
    with_s = statistics.median(loads["with_counts"])
    without_s = statistics.median(loads["without_counts"])
    store = OxigraphStore(workdir / "with_counts")
    ids = Minter(BASE)
    out: dict[str, Any] = {
        "records": args.records,
        "repeat": args.repeat,
        "load": {
            "with_counts_s": round(with_s, 2),
            "without_counts_s": round(without_s, 2),
            "overhead": round(with_s / without_s - 1, 3),
            "target_overhead": TARGET_OVERHEAD,
        },
        "counts_stored": len(store.select("counts_stored")),
        "read": reads(store, ids, args.reads),
        "target_p95_ms": TARGET_P95_MS,
    }
    store.close()
    return out


def table(out: dict[str, Any]) -> str:
    lo = out["load"]
    lines = [
        f"records {out['records']}  (median of {out['repeat']})",
        f"load  with counts {lo['with_counts_s']} s   without {lo['without_counts_s']} s   "
        f"overhead {lo['overhead']:+.1%}  (target ≤ {lo['target_overhead']:.0%})",
        f"counts stored {out['counts_stored']}",
    ]
    for name in ("class_level", "theme_facets"):
        r = out["read"][name]
        lines.append(
            f"{name:<13} stored p50 {r['stored_p50_ms']} ms p95 {r['stored_p95_ms']} ms   "
            f"group-by p50 {r['group_by_p50_ms']} ms p95 {r['group_by_p95_ms']} ms   "
            f"×{r['speedup_p50']}  rows {r['rows']}  agree {r['agree']}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--reads", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=500)
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

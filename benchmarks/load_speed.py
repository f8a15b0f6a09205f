"""Load speed: the full MARC load against bare pymarc parsing of the same file.

Each measurement runs in a fresh subprocess, so its peak RSS (``VmHWM``) is its
own, and imports and interpreter start-up are left out of the timings:

* ``parse``: pymarc alone reads every record (ISO 2709: ``MARCReader(to_unicode=True,
  force_utf8=True)``; MARCXML: ``map_xml``, which streams like the loader must);
* ``load``: the roster, then ``MarcLoader`` for each file (one member each) into a fresh
  on-disk Oxigraph store, then ``store.close()`` (flush). End to end, in one process.
* ``bulk``: the same with ``MarcLoader(bulk=True)`` (``kg load marc --bulk``: batches of
  new records through Oxigraph's bulk loader, counts stored at each file's end).

Each is repeated ``--repeat`` times, alternating, and the medians are reported: records/s,
peak RSS and ``ratio`` = load (or bulk) records/s ÷ parse records/s (target ≥ 0.33).

    python benchmarks/load_speed.py                      # 5,000 generated records, both formats
    python benchmarks/load_speed.py --records 100000 --formats iso2709 --json
    python benchmarks/load_speed.py --members 3          # 3 member files, merged counts
    python benchmarks/load_speed.py --file export.mrc    # an existing file
    python benchmarks/load_speed.py --smoke              # 200 records, 1 repeat (CI)
    python benchmarks/load_speed.py --profile            # cProfile one load, top functions
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ROSTER = ROOT / "sample" / "roster.csv"
BASE = "http://localhost:8000/"
TARGET_RATIO = 1 / 3
STEPS = ("parse", "load", "bulk")


# --- measurements, each in its own process ------------------------------------------------


def peak_rss_mb() -> float:
    """This process's peak resident set size (``VmHWM``), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:  # pragma: no cover - not Linux
        pass
    import resource  # noqa: PLC0415 - fallback only

    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1024**2


def bare_parse(files: list[Path], fmt: str) -> dict[str, Any]:
    """Read every record with pymarc and nothing else."""
    import pymarc  # noqa: PLC0415 - imported in the measuring child only

    count = 0
    none = 0
    started = time.perf_counter()
    for path in files:
        if fmt == "marcxml":

            def seen(_record: pymarc.Record) -> None:
                nonlocal count
                count += 1

            pymarc.map_xml(seen, str(path))  # type: ignore[no-untyped-call]
        else:
            with path.open("rb") as handle:
                for record in pymarc.MARCReader(handle, to_unicode=True, force_utf8=True):
                    count += 1
                    none += record is None
    seconds = time.perf_counter() - started
    return {"records": count, "seconds": seconds, "unparsed": none}


def member_codes() -> list[str]:
    """Institution codes of the sample roster, in order, each once."""
    from loaders.roster import read_roster  # noqa: PLC0415 - imported in the child only

    return list(dict.fromkeys(row["code"] for row in read_roster(ROSTER)))


def full_load(
    files: list[Path], fmt: str, batch_size: int, workdir: Path, bulk: bool = False
) -> dict[str, Any]:
    """The roster and every file into a fresh on-disk store, one member per file."""
    from kg.backends.oxigraph import OxigraphStore  # noqa: PLC0415 - child only
    from kg.ids import Minter  # noqa: PLC0415
    from loaders.marc.loader import MarcLoader  # noqa: PLC0415
    from loaders.roster import load_roster  # noqa: PLC0415

    codes = member_codes()
    if len(files) > len(codes):
        raise SystemExit(f"{len(files)} member files but only {len(codes)} roster codes")
    store_dir = workdir / "store"
    started = time.perf_counter()
    store = OxigraphStore(store_dir)
    ids = Minter(BASE)
    load_roster(store, ids, ROSTER)
    totals: dict[str, Any] = {
        "records": 0,
        "new": 0,
        "merged": 0,
        "rejected": 0,
        "warnings": 0,
        "loader_seconds": 0.0,
        "members": [],
    }
    for code, path in zip(codes, files, strict=False):
        loader = MarcLoader(store, ids, code, format=fmt, batch_size=batch_size, bulk=bulk)
        report = loader.load(path)
        member = {
            "institution": code,
            "file": str(path),
            "read": report.read,
            "new": report.new,
            "merged": report.merged_count,
            "rejected": len(report.rejected),
            "warnings": len(report.warnings),
            "seconds": report.seconds,
            "matched_on": dict(Counter(m.matched_on for m in report.merged)),
            "conflicts": sum(1 for m in report.merged if m.conflicts),
        }
        totals["members"].append(member)
        totals["records"] += report.read
        totals["loader_seconds"] += report.seconds
        for key in ("new", "merged", "rejected", "warnings"):
            totals[key] += member[key]
    store.close()
    totals["seconds"] = time.perf_counter() - started
    totals["store_mb"] = sum(p.stat().st_size for p in store_dir.rglob("*") if p.is_file()) / 1e6
    return totals


def child(step: str, fmt: str, files: list[Path], batch_size: int) -> None:
    """Run one measurement and print it as one JSON line."""
    if step == "parse":
        result = bare_parse(files, fmt)
    else:
        with tempfile.TemporaryDirectory(prefix="kg-bench-store-") as tmp:
            result = full_load(files, fmt, batch_size, Path(tmp), bulk=step == "bulk")
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


# --- the driver ---------------------------------------------------------------------------


@dataclass(slots=True)
class Summary:
    """Medians of one step over the repeats."""

    step: str
    format: str
    records: int
    seconds: float
    records_per_s: float
    peak_rss_mb: float
    runs: list[dict[str, Any]] = field(default_factory=list)


def measure(step: str, fmt: str, files: list[Path], batch_size: int) -> dict[str, Any]:
    """One measurement in a fresh interpreter."""
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        step,
        "--formats",
        fmt,
        "--batch-size",
        str(batch_size),
        *(f"--file={f}" for f in files),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"{step} ({fmt}) failed:\n{proc.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def summarise(step: str, fmt: str, runs: list[dict[str, Any]]) -> Summary:
    """Medians over the runs of one step."""
    rates = [r["records"] / r["seconds"] if r["seconds"] else 0.0 for r in runs]
    return Summary(
        step,
        fmt,
        runs[0]["records"],
        statistics.median(r["seconds"] for r in runs),
        statistics.median(rates),
        statistics.median(r["peak_rss_mb"] for r in runs),
        runs,
    )


def format_of(path: Path) -> str:
    """``marcxml`` for .xml/.marcxml/.mrx files, else ``iso2709``."""
    return "marcxml" if path.suffix.lower() in (".xml", ".marcxml", ".mrx") else "iso2709"


def _git(*args: str) -> bytes:
    return subprocess.run(["git", *args], capture_output=True, check=False, cwd=ROOT).stdout


def code_version() -> str:
    """The commit of the code under test, ``+dirty-<hash>`` if kg/, loaders/ or queries/
    have local changes (so results from a tree being edited can be told apart)."""
    paths = ("--", "kg", "loaders", "queries")
    try:
        commit = _git("rev-parse", "--short", "HEAD").decode().strip() or "unknown"
        dirty = _git("status", "--porcelain", *paths)
        diff = _git("diff", "HEAD", *paths)
    except OSError:
        return "unknown"
    if not dirty.strip():
        return commit
    return f"{commit}+dirty-{hashlib.sha1(diff + dirty).hexdigest()[:8]}"


def run_benchmark(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """Generate (or take) the files, measure every step of every format, return the results."""
    version = code_version()
    inputs: dict[str, list[Path]] = {}
    if args.file:
        for path in args.file:
            inputs.setdefault(format_of(path), []).append(path)
    else:
        from generate import generate, load_templates  # noqa: PLC0415 - sibling script

        templates = load_templates()
        for fmt in args.formats:
            started = time.perf_counter()
            inputs[fmt] = generate(
                args.records,
                workdir / fmt,
                members=args.members,
                fmt=fmt,
                seed=args.seed,
                templates=templates,
                standard_linkage=args.standard_linkage,
            )
            log(
                args,
                f"generated {args.records} {fmt} records in {len(inputs[fmt])} file(s) "
                f"({time.perf_counter() - started:.1f} s)",
            )
    results: dict[str, Any] = {}
    for fmt, files in inputs.items():
        runs: dict[str, list[dict[str, Any]]] = {s: [] for s in args.steps}
        for i in range(args.repeat):
            for step in args.steps:
                result = measure(step, fmt, files, args.batch_size)
                runs[step].append(result)
                log(
                    args,
                    f"{fmt} {step} #{i + 1}: {result['records']} records in "
                    f"{result['seconds']:.2f} s, peak RSS {result['peak_rss_mb']:.0f} MB",
                )
        summaries = {s: summarise(s, fmt, r) for s, r in runs.items()}
        entry: dict[str, Any] = {
            "files": [str(f) for f in files],
            "bytes": sum(f.stat().st_size for f in files),
            **{s: asdict(v) for s, v in summaries.items()},
        }
        for step, name in (("load", "ratio"), ("bulk", "bulk_ratio")):
            if "parse" in summaries and step in summaries:
                parse = summaries["parse"].records_per_s
                entry[name] = summaries[step].records_per_s / parse
                entry[f"{name}_runs"] = [
                    lo["records"] / lo["seconds"] / (pa["records"] / pa["seconds"])
                    for pa, lo in zip(runs["parse"], runs[step], strict=True)
                ]
        results[fmt] = entry
    version_after = code_version()
    if version_after != version:
        log(args, f"WARNING: the code changed during the run ({version} -> {version_after})")
    return {
        "code": version if version_after == version else f"{version} -> {version_after}",
        "records": args.records if not args.file else None,
        "members": len(next(iter(inputs.values()))) if inputs else 0,
        "repeat": args.repeat,
        "batch_size": args.batch_size,
        "target_ratio": TARGET_RATIO,
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "results": results,
    }


def table(out: dict[str, Any]) -> str:
    """The results as a small text table."""
    lines = [
        f"{'format':<8} {'step':<6} {'records':>9} {'median s':>9} {'records/s':>10} "
        f"{'peak RSS MB':>11} {'ratio':>6}  merged/new/rejected"
    ]
    for fmt, entry in out["results"].items():
        for step in STEPS:
            if step not in entry:
                continue
            s = entry[step]
            name = {"load": "ratio", "bulk": "bulk_ratio"}.get(step, "")
            ratio = f"{entry[name]:.2f}" if name in entry else ""
            counts = ""
            if step != "parse":
                last = s["runs"][-1]
                counts = f"{last['merged']}/{last['new']}/{last['rejected']}"
            lines.append(
                f"{fmt:<8} {step:<6} {s['records']:>9} {s['seconds']:>9.2f} "
                f"{s['records_per_s']:>10.0f} {s['peak_rss_mb']:>11.0f} {ratio:>6}  "
                f"{counts}"
            )
    lines.append(f"code {out['code']}, median of {out['repeat']}, batch size {out['batch_size']}")
    return "\n".join(lines)


def check(out: dict[str, Any]) -> list[str]:
    """Problems that make the benchmark itself fail (not slowness): lost or rejected records."""
    problems = []
    for fmt, entry in out["results"].items():
        for step in ("load", "bulk"):
            if "parse" in entry and step in entry:
                parsed, loaded = entry["parse"]["records"], entry[step]["records"]
                if parsed != loaded:
                    problems.append(f"{fmt}: pymarc read {parsed} records, {step} {loaded}")
            if step in entry:
                last = entry[step]["runs"][-1]
                if last["rejected"]:
                    problems.append(f"{fmt}: {step} rejected {last['rejected']} records")
    return problems


def profile(args: argparse.Namespace, workdir: Path) -> None:
    """cProfile one full load of the first format and print the top functions."""
    import cProfile  # noqa: PLC0415 - only for --profile
    import pstats  # noqa: PLC0415

    from generate import generate  # noqa: PLC0415 - sibling script

    fmt = args.formats[0]
    files = args.file or generate(
        args.records,
        workdir / fmt,
        members=args.members,
        fmt=fmt,
        seed=args.seed,
        standard_linkage=args.standard_linkage,
    )
    profiler = cProfile.Profile()
    profiler.enable()
    full_load(files, format_of(files[0]), args.batch_size, workdir)
    profiler.disable()
    if args.profile_out:
        profiler.dump_stats(args.profile_out)
    for order in ("cumulative", "tottime"):
        print(f"--- top {args.top} by {order} ---")
        pstats.Stats(profiler).sort_stats(order).print_stats(args.top)


def log(args: argparse.Namespace, message: str) -> None:
    """Progress on stderr (silenced by --quiet)."""
    if not args.quiet:
        print(message, file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--records",
        type=int,
        default=5000,
        help="records to generate, over all member files (default 5000)",
    )
    parser.add_argument(
        "--file",
        type=Path,
        action="append",
        help="measure this file instead (repeat for member files)",
    )
    parser.add_argument(
        "--formats",
        "--format",
        default="iso2709,marcxml",
        help="formats to generate and measure (default iso2709,marcxml)",
    )
    parser.add_argument(
        "--members", type=int, default=1, help="member files to generate and load one after another"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--steps", default="parse,load,bulk", help="parse, load, bulk")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--standard-linkage",
        action="store_true",
        help="generate with $6 'TAG-NN/r' rewritten as 'TAG-NN//r' (see generate.py)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="tiny run for CI: 200 records, 1 repeat; fails on lost records",
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile one full load (in this process) instead"
    )
    parser.add_argument("--profile-out", help="also write the profile (pstats) here")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--workdir", type=Path, help="keep generated files here")
    parser.add_argument("--child", choices=STEPS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    args.steps = [s.strip() for s in args.steps.split(",") if s.strip()]
    if any(f not in ("iso2709", "marcxml") for f in args.formats):
        parser.error("--formats: iso2709 and/or marcxml")
    if any(s not in STEPS for s in args.steps) or not args.steps:
        parser.error("--steps: parse, load and/or bulk")
    if args.smoke:
        args.records, args.repeat = 200, 1
    if args.repeat < 1 or args.records < 1 or args.members < 1:
        parser.error("--repeat, --records and --members must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    args = parse_args(argv)
    if args.child:
        child(args.child, args.formats[0], args.file or [], args.batch_size)
        return 0
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        if args.profile:
            profile(args, workdir)
            return 0
        out = run_benchmark(args, workdir)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(out, indent=2) if args.json else table(out))
    problems = check(out)
    for problem in problems:
        print("FAIL: " + problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

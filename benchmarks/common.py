"""What the store benchmarks share: the generated members, percentiles, and one on-disk
store built from generated member files, which a later benchmark can reuse.

A store built by :func:`build_store` is marked complete by ``STORE.prepared.json`` beside
it (how it was built: records, works, seconds); :func:`read_marker` finds it, so a big
store is built once (``counts_speed.py --keep-store DIR`` builds one that
``api_speed.py --store DIR`` then serves).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg.backends.oxigraph import OxigraphStore
from kg.ids import Minter
from kg.terms import text_of
from loaders.marc.loader import MarcLoader
from loaders.sample import SAMPLE, load_vocabularies

BASE = "http://localhost:8000/"
MEMBERS = ("JXUFE", "ECJTU", "NCU")


def echo(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def pct(values: list[float], q: float) -> float:
    """The ``q`` quantile (0–1) of ``values``, nearest rank.

    >>> pct([5.0, 1.0, 3.0, 2.0, 4.0], 0.5), pct([5.0, 1.0, 3.0, 2.0, 4.0], 0.95)
    (3.0, 5.0)
    """
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def clc_notations() -> list[str]:
    """The notations of the sample's CLC table (what generated books are classed under)."""
    lines = (SAMPLE / "clc-main.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return [line.split("\t")[0] for line in lines if line.strip()]


def peak_rss_mb() -> float:
    """This process's peak resident set so far, in MB (Linux: ru_maxrss is in KB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def marker_path(store_dir: Path) -> Path:
    """The file that says the store at ``store_dir`` is complete (and how it was built)."""
    return store_dir.with_name(store_dir.name + ".prepared.json")


def read_marker(store_dir: Path) -> dict[str, Any] | None:
    marker = marker_path(store_dir)
    if not marker.exists():
        return None
    info: dict[str, Any] = json.loads(marker.read_text(encoding="utf-8"))
    return info


def write_marker(store_dir: Path, info: dict[str, Any]) -> None:
    marker_path(store_dir).write_text(json.dumps(info, indent=2), encoding="utf-8")


def build_store(
    store_dir: Path,
    files: list[Path],
    *,
    counts: bool = True,
    bulk: bool = False,
    batch_size: int = 500,
    say: Callable[[str], None] = echo,
) -> dict[str, Any]:
    """Load the vocabularies (not timed), then every member file (timed), into a fresh
    on-disk store at ``store_dir``, then compact it (timed apart), as ``kg load marc
    [--bulk]`` would; return what the load did (records, works, seconds, records/s) and
    leave the store closed."""
    store = OxigraphStore(store_dir)
    ids = Minter(BASE)
    load_vocabularies(store, ids, echo=lambda _: None)
    records = 0
    started = time.perf_counter()
    for code, path in zip(MEMBERS, files, strict=False):
        report = MarcLoader(store, ids, code, batch_size=batch_size, counts=counts, bulk=bulk).load(
            path
        )
        records += report.read
        say(
            f"  {code}: read {report.read}, new {report.new}, merged {report.merged_count}, "
            f"rejected {len(report.rejected)} in {report.seconds:.1f} s"
        )
    seconds = time.perf_counter() - started
    store.optimize()  # kg load marc compacts the store when its files are loaded
    compacted = time.perf_counter()
    totals = store.select("totals")[0]
    store.close()
    return {
        "records": records,
        "works": int(text_of(totals["works"])),
        "instances": int(text_of(totals["instances"])),
        "counts": counts,
        "bulk": bulk,
        "load_s": round(seconds, 1),
        "load_records_per_s": round(records / seconds) if seconds else 0,
        "optimize_s": round(compacted - started - seconds, 1),
    }

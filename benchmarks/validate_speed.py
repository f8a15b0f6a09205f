"""SHACL validation benchmark (issue 7, item 5): the shapes of schema/shapes.ttl compiled to
SPARQL and run by the store (``kg validate``), against pySHACL over an rdflib copy of the
same graph (the reference), on the bundled sample and on generated member files.

For each size: load time (not part of validation), the SPARQL validation (every constraint
plus attributing offenders to records), the rdflib copy and pySHACL's validation; both
must find the same results. pySHACL is skipped above ``--pyshacl-max`` records (its cost
is extrapolated in docs/quality.md).

    python benchmarks/validate_speed.py --records 10000 100000
    python benchmarks/validate_speed.py --smoke --json        # the sample and 300 records
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import BASE, MEMBERS, clc_notations  # noqa: E402
from benchmarks.generate import generate  # noqa: E402
from kg.backends.oxigraph import OxigraphStore  # noqa: E402
from kg.ids import Minter  # noqa: E402
from kg.validate import (  # noqa: E402
    compile_shapes,
    load_shapes,
    pyshacl_keys,
    rdflib_graph,
    result_keys,
    validate,
)
from loaders.marc.loader import MarcLoader  # noqa: E402
from loaders.sample import load_sample, load_vocabularies  # noqa: E402


def loaded(records: int, workdir: Path) -> tuple[OxigraphStore, float]:
    """A store on disk with the sample (``records`` = 0) or generated member files."""
    store_dir = workdir / f"store-{records}"
    shutil.rmtree(store_dir, ignore_errors=True)
    store = OxigraphStore(store_dir)
    ids = Minter(BASE)
    started = time.perf_counter()
    if records == 0:
        load_sample(store, ids)
    else:
        load_vocabularies(store, ids, echo=lambda _: None)
        files = generate(records, workdir / f"marc-{records}", members=3, clc=clc_notations())
        for code, path in zip(MEMBERS, files, strict=False):
            MarcLoader(store, ids, code, counts=False).load(path)
    return store, time.perf_counter() - started


def measure(records: int, workdir: Path, pyshacl_max: int) -> dict[str, Any]:
    store, load_s = loaded(records, workdir)
    shapes = load_shapes()
    constraints = compile_shapes(shapes)
    works = int(store.sparql(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?w a <{BF_WORK}> }}")[0]["n"].value)
    quads = sum(1 for _ in store.quads())
    started = time.perf_counter()
    report = validate(store, constraints)
    sparql_s = time.perf_counter() - started
    row: dict[str, Any] = {
        "records": records or "sample",
        "works": works,
        "quads": quads,
        "load_s": round(load_s, 2),
        "sparql_s": round(sparql_s, 3),
        "violations": len(report.violations),
        "slowest": sorted(report.seconds.items(), key=lambda kv: -kv[1])[:3],
    }
    if records <= pyshacl_max:
        started = time.perf_counter()
        data = rdflib_graph(store.quads())
        row["rdflib_copy_s"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        reference = pyshacl_keys(data, shapes)
        row["pyshacl_s"] = round(time.perf_counter() - started, 2)
        row["agree"] = reference == result_keys(report)
        row["speedup"] = round((row["rdflib_copy_s"] + row["pyshacl_s"]) / sparql_s, 1)
    store.close()
    return row


BF_WORK = "http://id.loc.gov/ontologies/bibframe/Work"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="*", default=[10_000])
    parser.add_argument("--pyshacl-max", type=int, default=10_000)
    parser.add_argument("--smoke", action="store_true", help="the sample and 300 records")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sizes = [0, 300] if args.smoke else [0, *args.records]
    rows = []
    with tempfile.TemporaryDirectory(prefix="kg-validate-") as tmp:
        for n in sizes:
            rows.append(measure(n, Path(tmp), args.pyshacl_max))
            if not args.json:
                print(json.dumps(rows[-1]), flush=True)
    if args.json:
        print(json.dumps(rows, indent=2))
    if any(r.get("agree") is False for r in rows):
        sys.exit("SPARQL and pySHACL disagree")


if __name__ == "__main__":
    main()

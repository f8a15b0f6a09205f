"""Reader speed: `loaders.marc.reader.MarcFile` against bare pymarc on the same ISO 2709 file.

Measured in the same run, best of N, on a mix of real files (marc4j, qa-catalogue, traject,
pymarc test records). Prints records/s of both and the ratio (the reader's share of the
1/3-of-pymarc budget of the whole load).

    .venv/bin/python benchmarks/reader_speed.py [--repeat 5] [--copies 5]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pymarc

from loaders.marc.reader import MarcFile, RawRecord

MARC = Path(__file__).resolve().parents[2] / "shared" / "data" / "marc"
SOURCES = [
    MARC / "marc4j/test/resources/pride-and-prejudice-fixed.mrc",
    MARC / "qa-catalogue/src/test/resources/general/BooksAll.2014.part01-0001.mrc",
    MARC / "traject/test/test_support/test_data.utf8.mrc",
    MARC / "pymarc/test/marc.dat",
    MARC / "marc4j/test/resources/065001035.mrc",
]


def best(func: Callable[[], int], repeat: int) -> tuple[float, int]:
    """Best time of ``repeat`` runs, and the record count."""
    times, count = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        with contextlib.redirect_stderr(io.StringIO()):  # pymarc prints MARC-8 complaints
            count = func()
        times.append(time.perf_counter() - start)
    return min(times), count


def main() -> None:
    """Run the comparison and print both sides."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--copies", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mixed.mrc"
        path.write_bytes(b"".join(p.read_bytes() for p in SOURCES) * args.copies)

        def bare() -> int:
            with path.open("rb") as fh:
                reader = pymarc.MARCReader(fh, permissive=True, hide_utf8_warnings=True)
                return sum(1 for r in reader if r is not None)

        def ours() -> int:
            return sum(1 for r in MarcFile(path) if isinstance(r, RawRecord))

        bare_s, n_bare = best(bare, args.repeat)
        ours_s, n_ours = best(ours, args.repeat)
    print(f"records        pymarc {n_bare:,}   MarcFile {n_ours:,}")
    print(f"records/s      pymarc {n_bare / bare_s:,.0f}   MarcFile {n_ours / ours_s:,.0f}")
    print(
        f"ratio          {bare_s / ours_s:.2f} (MarcFile speed / pymarc speed, best of "
        f"{args.repeat})"
    )


if __name__ == "__main__":
    main()

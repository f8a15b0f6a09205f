"""Document speed: characters per second through extraction and linking.

The three papers of ``../shared/data/documents`` are repeated to ``--documents`` files
(1,000 by default) in a temporary folder. In one process, with the spaCy pipelines
built once (their build time is reported apart):

* ``extract``: the reference: read, decode and clean each file (what any loader must do);
* ``link``: the same, then describe (title, date, language) and analyse (segmentation,
  matching the graph's names, mentions, about scores, TextRank key terms, candidates);
* ``load``: ``DocumentLoader`` end to end into an in-memory Oxigraph store (mapping to
  triples and one write transaction per 50 documents included).

Characters are those of the cleaned text. Each side reports total characters/s and the
median of the per-document rates; ``ratio`` = link characters/s ÷ extract characters/s.
The graph holds the shipped gazetteer, roster, CLC outline and themes, and the Chinese
thesaurus from ``../shared/data`` when it is there.

    python benchmarks/docs_speed.py                 # 1,000 documents
    python benchmarks/docs_speed.py --smoke --json  # 9 documents (CI)
"""

from __future__ import annotations

import argparse
import json
import platform
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

from kg.backends.oxigraph import OxigraphStore  # noqa: E402
from kg.ids import Minter  # noqa: E402
from kg.store import Store  # noqa: E402
from loaders.docs.analysis import Analyser  # noqa: E402
from loaders.docs.clean import content_lines, join_broken_lines, normalise_width  # noqa: E402
from loaders.docs.describe import date_of, language_of, title_of  # noqa: E402
from loaders.docs.extract import extract  # noqa: E402
from loaders.docs.lexicon import Lexicon  # noqa: E402
from loaders.docs.loader import DocumentLoader  # noqa: E402
from loaders.docs.nlp import Pipelines  # noqa: E402
from loaders.roster import load_roster  # noqa: E402
from loaders.themes import load_themes  # noqa: E402
from loaders.vocab.clc import load_clc  # noqa: E402
from loaders.vocab.gazetteer import load_gazetteer  # noqa: E402
from loaders.vocab.thesaurus import load_thesaurus  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
PAPERS = sorted((SHARED / "documents").glob("*.txt"))
THESAURUS = SHARED / "vocab" / "chinese-thesaurus" / "abc202306_obsidian-vault"
BASE = "http://localhost:8000/"


def graph(ids: Minter) -> Store:
    """An in-memory store with what the product ships (and the thesaurus if present)."""
    store = OxigraphStore(None)
    load_gazetteer(store, ids, ROOT / "sample" / "gazetteer.csv")
    load_roster(store, ids, ROOT / "sample" / "roster.csv")
    load_clc(store, ids, ROOT / "sample" / "clc-main.tsv")
    if THESAURUS.exists():
        load_thesaurus(store, ids, THESAURUS)
    load_themes(store, ids, ROOT / "sample" / "themes.yaml")
    return store


def cleaned(path: Path) -> tuple[str, Any, list[str], list[str], str]:
    extracted = extract(path)
    normalised = normalise_width(extracted.text)
    lines = list(content_lines(normalised))
    paragraphs = join_broken_lines(lines)
    return "\n".join(paragraphs), extracted, lines, paragraphs, normalised


def side(files: list[Path], step: Callable[[Path], int]) -> dict[str, float | None]:
    """Run ``step`` (returns characters) over every file; totals and per-document median."""
    rates: list[float] = []
    chars = 0
    started = time.perf_counter()
    for path in files:
        t0 = time.perf_counter()
        n = step(path)
        rates.append(n / max(time.perf_counter() - t0, 1e-9))
        chars += n
    seconds = time.perf_counter() - started
    return {
        "documents": len(files),
        "chars": chars,
        "seconds": round(seconds, 3),
        "chars_per_s": round(chars / seconds),
        "median_doc_chars_per_s": round(statistics.median(rates)),
    }


def run(documents: int, repeat: int, workdir: Path) -> dict[str, Any]:
    files = []
    for n in range(documents):
        paper = PAPERS[n % len(PAPERS)]
        copy = workdir / f"{n:05d}-{paper.name}"
        shutil.copy(paper, copy)
        files.append(copy)
    ids = Minter(BASE)
    store = graph(ids)
    t0 = time.perf_counter()
    analyser = Analyser(Pipelines(Lexicon.from_store(store, ids)))
    build = time.perf_counter() - t0

    def reference(path: Path) -> int:
        return len(cleaned(path)[0])

    def link(path: Path) -> int:
        text, extracted, lines, paragraphs, normalised = cleaned(path)
        language = language_of(text)
        title_of(extracted, lines, paragraphs)
        date_of(extracted, normalised)
        analyser.analyse(text, language)
        return len(text)

    results: dict[str, list[dict[str, float | None]]] = {"extract": [], "link": [], "load": []}
    for _ in range(repeat):
        results["extract"].append(side(files, reference))
        results["link"].append(side(files, link))
        target = OxigraphStore(None)
        target.write([], list(store.quads()))  # the same vocabularies, fresh documents
        t0 = time.perf_counter()
        report = DocumentLoader(target, ids, "JXPL", analyser=analyser).load([workdir])
        seconds = time.perf_counter() - t0
        results["load"].append(
            {
                "documents": report.loaded,
                "chars": report.chars,
                "seconds": round(seconds, 3),
                "chars_per_s": round(report.chars / seconds),
                "median_doc_chars_per_s": None,  # one run over the folder: no per-file times
            }
        )
        target.close()
    medians = {
        name: {
            k: None if runs[0][k] is None else statistics.median(r[k] for r in runs)
            for k in runs[0]
        }
        for name, runs in results.items()
    }
    return {
        "documents": documents,
        "repeat": repeat,
        "pipeline_build_s": round(build, 2),
        "lexicon_patterns": len(analyser.pipelines.lexicon),
        "medians": medians,
        "ratio_link_to_extract": round(
            medians["link"]["chars_per_s"] / medians["extract"]["chars_per_s"], 4
        ),
        "ratio_load_to_extract": round(
            medians["load"]["chars_per_s"] / medians["extract"]["chars_per_s"], 4
        ),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }


def render(result: dict[str, Any]) -> str:
    lines = [
        f"{result['documents']:,} documents (the three papers repeated), "
        f"median of {result['repeat']} run(s); pipelines built once in "
        f"{result['pipeline_build_s']} s ({result['lexicon_patterns']:,} name patterns)",
        f"{'side':<9}{'chars':>12}{'seconds':>10}{'chars/s':>12}{'median/doc':>12}",
    ]
    for name, m in result["medians"].items():
        per_doc = m["median_doc_chars_per_s"]
        lines.append(
            f"{name:<9}{m['chars']:>12,.0f}{m['seconds']:>10.2f}{m['chars_per_s']:>12,.0f}"
            + (f"{per_doc:>12,.0f}" if per_doc is not None else f"{'-':>12}")
        )
    lines.append(
        f"ratio link/extract {result['ratio_link_to_extract']:.3f}, "
        f"load/extract {result['ratio_load_to_extract']:.3f}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--smoke", action="store_true", help="9 documents, 1 run (CI)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if args.smoke:
        args.documents, args.repeat = 9, 1
    with tempfile.TemporaryDirectory(prefix="kg-docs-bench-") as tmp:
        result = run(args.documents, args.repeat, Path(tmp))
    print(json.dumps(result, indent=2) if args.json else render(result))


if __name__ == "__main__":
    main()

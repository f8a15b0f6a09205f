"""DocumentLoader: a curator's files and folders of documents into the graph.

Each document is one named graph (:mod:`loaders.docs.mapping`), written with the drop of
its previous version in one transaction; the run is described with PROV-O in its own
graph (:func:`loaders.provenance.run_quads`) and uses one ``prov:Entity`` per file, by
SHA-256. A file whose content, loader version and linked vocabularies are unchanged is
skipped unread. A file that cannot be read is reported (file, reason) and the others
load.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from kg.counting import Counting
from kg.ids import Minter
from kg.search import SearchIndex
from kg.store import Store, StoreError, StoreUnavailable
from kg.terms import Lit, Quad, Triple
from kg.themes import Theme
from kg.vocab import KG, PROV, RDF, SCHEMA
from loaders.docs.analysis import Analyser
from loaders.docs.clean import content_lines, join_broken_lines, normalise_width
from loaders.docs.describe import date_of, language_of, summary_of, title_of
from loaders.docs.extract import FORMATS, MAX_BYTES, DocumentError, extract
from loaders.docs.lexicon import Lexicon
from loaders.docs.mapping import Described, DocumentIds, document_triples
from loaders.docs.nlp import Pipelines
from loaders.docs.report import DocumentReport, DocumentSummary
from loaders.provenance import LOADER_VERSION, new_run_id, now, run_quads, sha256_of
from loaders.report import RejectedRecord
from loaders.themes import themes_from_store

Progress = Callable[[DocumentReport], None]


class DocumentLoadError(ValueError):
    """A document load that cannot start (an unknown theme)."""


@dataclass(frozen=True, slots=True)
class Source:
    """A file to load and its key: the path relative to the folder it was found in
    (the file name for a file given by itself), ``/``-separated."""

    path: Path
    key: str


def sources(paths: Sequence[Path]) -> Iterator[Source]:
    """Files to load: each file given, and every document file under each folder given
    (recursively, in name order, hidden files and folders skipped)."""
    for path in paths:
        if not path.is_dir():
            yield Source(path, path.name)
            continue
        for found in sorted(path.rglob("*")):
            relative = found.relative_to(path)
            hidden = any(part.startswith(".") for part in relative.parts)
            if found.is_file() and not hidden and found.suffix.lower() in FORMATS:
                yield Source(found, relative.as_posix())


@dataclass(frozen=True, slots=True)
class _Pending:
    """A mapped document waiting for its batch's write."""

    source: Source
    doc: DocumentIds
    triples: list[Triple]
    status: str  # new | replaced


class DocumentLoader:
    """Loads documents for one institution into a store."""

    def __init__(
        self,
        store: Store,
        ids: Minter,
        institution: str,
        *,
        theme: str | None = None,
        batch_size: int = 50,
        max_bytes: int = MAX_BYTES,
        progress: Progress | None = None,
        analyser: Analyser | None = None,
        search: SearchIndex | None = None,
    ) -> None:
        self.store = store
        self.ids = ids
        self.institution = institution
        self.theme = theme
        self.batch_size = batch_size
        self.max_bytes = max_bytes
        self.progress = progress
        self._analyser = analyser
        self.search = search  # the full-text side index, refreshed after every batch
        self._counting = Counting(store, ids)  # documents are works: counted like MARC ones
        self._themes: list[Theme] = []
        self._fingerprint = ""
        self._report = DocumentReport("", institution, "", "")

    def load(self, paths: Sequence[Path]) -> DocumentReport:
        """Load every document under ``paths``; return the run's report.

        :raises DocumentLoadError: for an unknown ``theme``.
        :raises StoreUnavailable: when the store cannot be written at all.
        """
        clock = time.perf_counter()
        files = list(sources(paths))
        label = ", ".join(str(p) for p in paths)
        listing = hashlib.sha256("\n".join(s.key for s in files).encode()).hexdigest()
        started = now()
        run = self.ids.run(new_run_id(listing, started))
        report = DocumentReport(label, self.institution, run, listing, format="documents")
        first = Path(paths[0]) if paths else Path(".")
        self.store.write([], run_quads(self.ids, report, first, started, None))
        self._prepare()
        self._report = report
        batch: list[_Pending] = []
        used: list[Triple] = []
        hashes: list[str] = []
        for number, source in enumerate(files, start=1):
            report.read += 1
            loaded = self._document(number, source, report, hashes, used)
            if loaded is not None:
                batch.append(loaded)
            if len(batch) >= self.batch_size:
                self._write(batch, report)
                batch = []
            if self.progress:
                report.seconds = time.perf_counter() - clock
                self.progress(report)
        self._write(batch, report)
        report.sha256 = hashlib.sha256("\n".join(hashes).encode()).hexdigest()
        report.seconds = time.perf_counter() - clock
        quads = run_quads(self.ids, report, first, started, now())
        quads += [(s, p, o, run) for s, p, o in used]
        self.store.write([run], quads)
        return report

    @property
    def analyser(self) -> Analyser:
        """The pipelines over the store's names, built on first use (once per loader)."""
        if self._analyser is None:
            self._analyser = Analyser(Pipelines(Lexicon.from_store(self.store, self.ids)))
        return self._analyser

    def _prepare(self) -> None:
        themes = themes_from_store(self.store, self.ids)
        if self.theme is not None and self.theme not in {t.id for t in themes}:
            known = ", ".join(t.id for t in themes) or "none: run `kg load themes FILE` first"
            raise DocumentLoadError(f"Unknown theme {self.theme!r}. Known themes: {known}")
        self._themes = themes
        lexicon = self.analyser.pipelines.lexicon
        # what a document's graph depends on besides the file: a vocabulary or theme loaded
        # since its last load makes it "changed", so a reload relinks it
        state = (LOADER_VERSION, len(lexicon), repr(themes), self.theme)
        self._fingerprint = hashlib.sha1(repr(state).encode()).hexdigest()

    def _document(
        self,
        number: int,
        source: Source,
        report: DocumentReport,
        hashes: list[str],
        used: list[Triple],
    ) -> _Pending | None:
        """Read, analyse and map one file; None when it is unchanged or rejected."""
        name = str(source.path)
        try:
            size = source.path.stat().st_size
            if size > self.max_bytes:
                raise DocumentError(
                    "too-large",
                    f"{size:,} bytes, over the limit of {self.max_bytes:,} (--max-size)",
                )
            sha = sha256_of(source.path)
            doc = DocumentIds(self.ids, self.institution, source.key)
            digest = hashlib.sha1(f"{self._fingerprint}\x1e{sha}".encode()).hexdigest()
            hashes.append(f"{source.key}\t{sha}")
            used.extend(_source_triples(self.ids, report.run, source, sha))
            stored = self._stored_hash(doc.record)
            if stored == digest:
                report.unchanged += 1
                return None
            triples, summary = self._map(source, doc, sha, digest)
        except DocumentError as exc:
            report.rejected.append(RejectedRecord(name, number, None, None, exc.reason, exc.detail))
            return None
        except OSError as exc:
            report.rejected.append(RejectedRecord(name, number, None, None, "unreadable", str(exc)))
            return None
        except Exception as exc:
            detail = f"{type(exc).__name__}: {exc}"
            report.rejected.append(RejectedRecord(name, number, None, None, "failed", detail))
            return None
        summary.status = "replaced" if stored else "new"
        report.chars += summary.chars
        report.add_document(summary)
        return _Pending(source, doc, triples, summary.status)

    def _map(
        self, source: Source, doc: DocumentIds, sha: str, digest: str
    ) -> tuple[list[Triple], DocumentSummary]:
        extracted = extract(source.path, self.max_bytes)
        normalised = normalise_width(extracted.text)
        lines = list(content_lines(normalised))
        paragraphs = join_broken_lines(lines)
        text = "\n".join(paragraphs)
        if not text.strip():
            raise DocumentError("empty", "no text left once page furniture is removed")
        language = language_of(text)
        title, title_source = title_of(extracted, lines, paragraphs)
        analysis = self.analyser.analyse(text, language)
        described = Described(
            title=title,
            title_source=title_source,
            language=language,
            date=date_of(extracted, normalised),
            summary=summary_of(paragraphs),
            format=extracted.format,
            sha256=sha,
            chars=len(text),
        )
        themes = self._themes
        if self.theme is not None:  # the curator's --theme: an explicit inclusion
            themes = [
                replace(t, include=[*t.include, doc.record_id]) if t.id == self.theme else t
                for t in themes
            ]
        triples = document_triples(
            doc, described, analysis, run=self._report.run, content_hash=digest, themes=themes
        )
        for candidate in analysis.candidates:
            self._report.add_candidate(candidate.name, candidate.kind, candidate.count, source.key)
        summary = DocumentSummary(
            file=source.key,
            status="new",
            title=title,
            language=language.tag,
            chars=len(text),
            mentions=sum(m.count for m in analysis.mentions),
            about=[a.entity.rsplit("/", 1)[-1] for a in analysis.about],
        )
        return triples, summary

    def _stored_hash(self, record: str) -> str | None:
        rows = self.store.select("record_hashes", records=[record])
        return rows[0]["hash"].value if rows and isinstance(rows[0]["hash"], Lit) else None

    def _write(self, batch: list[_Pending], report: DocumentReport) -> None:
        """Write a batch in one transaction; if the store refuses it, document by document."""
        if not batch:
            return
        try:
            self._counting.write([p.doc.graph for p in batch], _quads(batch))
            written = batch
        except StoreUnavailable:
            raise
        except StoreError:
            written = []
            for pending in batch:
                try:
                    self._counting.write([pending.doc.graph], _quads([pending]))
                    written.append(pending)
                except StoreUnavailable:
                    raise
                except StoreError as exc:
                    report.rejected.append(
                        RejectedRecord(
                            str(pending.source.path), 0, None, None, "store-rejected", str(exc)
                        )
                    )
        if self.search is not None and written:
            self.search.refresh(self.store, [p.doc.work for p in written])
        for pending in written:
            if pending.status == "replaced":
                report.replaced += 1
            else:
                report.new += 1


def _quads(batch: list[_Pending]) -> list[Quad]:
    return [(s, p, o, pending.doc.graph) for pending in batch for s, p, o in pending.triples]


def _source_triples(ids: Minter, run: str, source: Source, sha: str) -> list[Triple]:
    """The file a run used (prov:Entity by SHA-256), for the run's graph."""
    entity = ids.source(sha)
    return [
        (run, PROV.used, entity),
        (entity, RDF.type, PROV.Entity),
        (entity, SCHEMA.name, Lit(source.path.name)),
        (entity, KG.sourcePath, Lit(source.key)),
        (entity, KG.sha256, Lit(sha)),
    ]

"""MarcLoader: one member's MARC export into the union catalogue.

Reads records robustly (:mod:`loaders.marc.reader`), maps each by its flavour
(MARC21 or CNMARC/UNIMARC), and hands batches to :class:`kg.union.UnionCatalogue`,
one transaction per batch. Bad records are skipped and reported; nothing
already loaded is lost. The run is described with PROV-O in its own graph.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pymarc

from kg.classes import class_notations
from kg.counting import Counting
from kg.ids import Minter
from kg.labels import LabelIndex
from kg.mapping import RecordMapper
from kg.model import BibRecord
from kg.search import SearchIndex
from kg.store import Store, StoreError, StoreUnavailable, write_new_graphs
from kg.terms import Quad
from kg.union import Incoming, Outcome, Prepared, UnionCatalogue, Write, last_per_record
from loaders.marc.checks import CheckContext, context_for, loaded_before, look_up_loaded, run_checks
from loaders.marc.errors import MappingError
from loaders.marc.holdings import Profile, mapper_for
from loaders.marc.reader import MarcFile, RawRecord, Rejection
from loaders.provenance import LOADER_VERSION, new_run_id, now, run_quads, sha256_of
from loaders.report import LoadReport, MergedRecord, RejectedRecord
from loaders.themes import themes_from_store
from loaders.vocab.gazetteer import matcher_from_store

Progress = Callable[[LoadReport], None]
Mapper = Callable[[pymarc.Record], BibRecord]


class MarcLoader:
    """Loads MARC files for one institution into a store."""

    def __init__(
        self,
        store: Store,
        ids: Minter,
        institution: str,
        *,
        format: str | None = None,
        flavour: str | None = None,
        batch_size: int = 500,
        progress: Progress | None = None,
        progress_every: int = 1000,
        holdings: Profile | None = None,
        counts: bool = True,
        search: SearchIndex | None = None,
        bulk: bool = False,
    ) -> None:
        self.store = store
        self.ids = ids
        self.institution = institution
        self.format = format
        self.flavour = flavour
        self.batch_size = batch_size
        self.progress = progress
        self.progress_every = progress_every
        self.holdings = holdings
        self.search = search  # the full-text side index, refreshed after every batch
        # A first load of a big export: batches of new graphs skip the transaction
        # (Store.write_bulk, ~4x faster on Oxigraph) and the counts are written at the end.
        self.bulk = bulk
        self._mapper = RecordMapper(ids)
        # precomputed counts (kg.counting), kept current per batch; off only to measure them
        self._counting = Counting(store, ids) if counts else None
        self._fingerprint = ""
        self._seen: dict[str, int] = {}  # control number → first record number, per file
        self._checks = CheckContext(institution)  # the quality checks' context, per file

    def load(self, path: Path) -> LoadReport:
        """Load one file; return its report. The run graph records the same counts."""
        started_clock = time.perf_counter()
        sha = sha256_of(path)
        started = now()
        run = self.ids.run(new_run_id(sha, started))
        report = LoadReport(str(path), self.institution, run, sha, size=path.stat().st_size)
        marc = MarcFile(path, format=self.format, flavour=self.flavour)
        report.format, report.flavour = marc.format, marc.flavour
        self.store.write([], run_quads(self.ids, report, path, started, None))
        self._mapper = self._record_mapper()
        self._seen = {}
        self._checks = context_for(self.institution, str(path), self._mapper.classes.get("clc"))
        union = UnionCatalogue(self.store, self.ids, run, self._mapper, self._write)
        mapper = mapper_for(marc.flavour, self.holdings)
        batch: list[Incoming] = []
        # One writer thread: Oxigraph releases the GIL while it writes, so batch N is
        # written while batch N+1 is read, mapped and merged (writes stay in order).
        try:
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-writer") as writer:
                inflight: _InFlight | None = None
                for item in marc:
                    report.read += 1
                    report.position = item.offset or report.position
                    incoming = self._incoming(item, mapper, report)
                    if incoming is not None:
                        batch.append(incoming)
                    if len(batch) >= self.batch_size:
                        self._complete(batch, report)
                        inflight = self._submit(union, writer, inflight, batch, report)
                        batch = []
                    if self.progress and report.read % self.progress_every == 0:
                        report.seconds = time.perf_counter() - started_clock
                        self.progress(report)
                self._complete(batch, report)
                inflight = self._submit(union, writer, inflight, batch, report)
                self._settle(inflight, report)
        finally:
            if self._counting and self.bulk:  # the counts of every batch that landed
                self._counting.flush()
        report.seconds = time.perf_counter() - started_clock
        self.store.write([run], run_quads(self.ids, report, path, started, now()))
        if self.progress:
            self.progress(report)
        return report

    def _incoming(
        self, item: RawRecord | Rejection, mapper: Mapper, report: LoadReport
    ) -> Incoming | None:
        if isinstance(item, Rejection):
            report.rejected.append(
                RejectedRecord(
                    item.file, item.number, item.offset, item.line, item.reason, item.detail
                )
            )
            return None
        try:
            rec = mapper(item.record)
        except MappingError as exc:
            control = item.record["001"].data if "001" in item.record else None
            report.rejected.append(
                RejectedRecord(
                    str(report.file),
                    item.number,
                    item.offset,
                    item.line,
                    exc.reason,
                    exc.detail,
                    control,
                )
            )
            return None
        for warning in item.warnings + rec.warnings:
            report.warn(f"record {item.number} ({rec.control_number}): {warning}")
        earlier = self._seen.setdefault(rec.control_number, item.number)
        if earlier != item.number:
            report.warn(
                f"record {item.number} ({rec.control_number}): duplicate control number; "
                f"it replaces record {earlier} of the same file"
            )
        # Quality checks (issue 7, loaders/marc/checks.py): the findings travel with the record
        # into its graph (kg:QualityFinding, kg/mapping.py) and are counted in the report;
        # the one that asks the store, and the content hash, come per batch (_complete).
        rec.findings = run_checks(item.record, rec, self._checks, item.warnings, item.number)
        return Incoming(rec, self.institution, "", item.number, item.offset)

    def _complete(self, batch: list[Incoming], report: LoadReport) -> None:
        """Finish a batch's records before it is prepared: the duplicate control number
        check against earlier loads (one store query per batch), the findings counted, the
        content hash taken (findings are part of what a record says)."""
        look_up_loaded(self.store, self.ids, self._checks, (i.rec.control_number for i in batch))
        for incoming in batch:
            incoming.rec.findings += loaded_before(incoming.rec, self._checks)
            report.count_findings(incoming.rec.findings)
            incoming.content_hash = content_hash(incoming.rec, self._fingerprint)

    @property
    def _write(self) -> Write:
        if self.bulk:
            return self._counting.write_bulk if self._counting else self._write_new
        return self._counting.write if self._counting else self.store.write

    def _write_prepared(self, prepared: Prepared) -> None:
        """Write a prepared batch, telling the counts which works it minted."""
        if self._counting is None:
            self._write(prepared.drop, prepared.quads)
        elif self.bulk:
            self._counting.write_bulk(prepared.drop, prepared.quads, prepared.new_works)
        else:
            self._counting.write(prepared.drop, prepared.quads, prepared.new_works)

    def _write_new(self, drop_graphs: Sequence[str], quads: Sequence[Quad]) -> None:
        write_new_graphs(self.store, drop_graphs, quads)

    def _record_mapper(self) -> RecordMapper:
        """A mapper that links to the vocabularies loaded in the store (read once per load)."""
        classes = {"clc": class_notations(self.store, self.ids.scheme("clc"))}
        thesaurus = LabelIndex.from_store(self.store, self.ids.scheme("cct"))
        places = matcher_from_store(self.store, self.ids)
        themes = themes_from_store(self.store, self.ids)  # topic knowledge bases (kg.themes)
        # What a record's graph depends on besides the record: a vocabulary loaded since its
        # last load makes it "changed", so a reload relinks it (classes, terms, places, themes).
        vocabularies = (len(classes["clc"]), len(thesaurus), len(places or ()), repr(themes))
        self._fingerprint = hashlib.sha1(repr(vocabularies).encode()).hexdigest()
        return RecordMapper(
            self.ids, classes, thesaurus.match if len(thesaurus) else None, places, themes
        )

    def _submit(
        self,
        union: UnionCatalogue,
        writer: ThreadPoolExecutor,
        inflight: _InFlight | None,
        batch: list[Incoming],
        report: LoadReport,
    ) -> _InFlight | None:
        """Prepare ``batch`` (while the previous write runs), then queue its write."""
        if not batch:
            return inflight
        try:
            prepared = union.prepare(batch)
        except BaseException:
            self._settle(inflight, report)  # a failed earlier write is not to be hidden
            raise
        if self._settle(inflight, report):
            # the previous batch was written record by record and some records refused:
            # this batch was prepared on the assumption that all of them would land
            union.forget_pending()
            prepared = union.prepare(batch)
        future = writer.submit(self._write_prepared, prepared)
        return _InFlight(batch, prepared, future)

    def _settle(self, inflight: _InFlight | None, report: LoadReport) -> bool:
        """Wait for a queued write; count its outcomes, or isolate the records it failed on.

        :returns: True when the batch had to be written record by record.
        """
        if inflight is None:
            return False
        isolated = False
        try:
            inflight.future.result()
            outcomes = inflight.prepared.outcomes
        except StoreUnavailable:
            raise
        except StoreError:
            outcomes = self._isolate(inflight.batch, report)
            isolated = True
        for outcome in outcomes:
            _count(report, outcome)
        if self.search is not None:
            changed = [o for o in outcomes if o.status in ("new", "replaced", "deleted")]
            self.search.refresh(
                self.store, [u for o in changed for u in (o.record, o.instance) if u]
            )
        return isolated

    def _isolate(self, batch: list[Incoming], report: LoadReport) -> list[Outcome]:
        """Write a rejected batch record by record; reject the records the store refuses.

        A store that is unavailable (:class:`StoreUnavailable`) fails every write: that
        error is raised (earlier batches stay committed) rather than records rejected.
        """
        union = UnionCatalogue(self.store, self.ids, report.run, self._mapper, self._write)
        outcomes: list[Outcome] = []
        for incoming in last_per_record(batch, self.ids):  # as prepare() does
            try:
                outcomes.extend(union.apply([incoming]))
            except StoreUnavailable:
                raise
            except StoreError as exc:
                report.rejected.append(
                    RejectedRecord(
                        report.file,
                        incoming.number,
                        incoming.offset,
                        None,
                        "store-rejected",
                        str(exc),
                        incoming.rec.control_number,
                    )
                )
        return outcomes


@dataclass(slots=True)
class _InFlight:
    """A batch whose write is queued or running."""

    batch: list[Incoming]
    prepared: Prepared
    future: Future[None]


def content_hash(rec: BibRecord, vocabularies: str = "") -> str:
    """A hash of what the record says, as mapped by this loader version against these
    vocabularies (a fingerprint of what was loaded)."""
    return hashlib.sha1(f"{LOADER_VERSION}\x1e{vocabularies}\x1e{rec!r}".encode()).hexdigest()


def _count(report: LoadReport, outcome: Outcome) -> None:
    if outcome.status == "new":
        report.new += 1
    elif outcome.status == "replaced":
        report.replaced += 1
    elif outcome.status == "unchanged":
        report.unchanged += 1
    elif outcome.status == "deleted":
        report.deleted += 1
    if outcome.status in ("new", "replaced"):
        report.holdings += outcome.items
        for notation in outcome.unknown_notations:
            report.unknown_notation(outcome.control_number, notation)
        if outcome.matched_on and outcome.instance and outcome.match_key:
            report.add_merge(
                MergedRecord(
                    outcome.control_number,
                    outcome.instance,
                    outcome.matched_on,
                    outcome.match_key,
                    outcome.merged_with,
                    outcome.conflicts,
                )
            )

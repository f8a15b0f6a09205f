"""PROV-O description of a load run, written into the run's own named graph.

A run (prov:Activity) used one source file (prov:Entity, with its SHA-256),
was associated with the loading institution, ran one loader version between
two times, and produced counts; its rejections are listed with their reasons.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from kg.ids import Minter
from kg.terms import Lit, Quad, Triple
from kg.vocab import KG, PROV, RDF, RDFS, SCHEMA, XSD
from loaders.report import LoadReport

LOADER_VERSION = "regional-kg/0.1.0"


def sha256_of(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


def new_run_id(sha256: str, started: datetime) -> str:
    """A run id: start time and a prefix of the source's hash."""
    return started.strftime("%Y%m%dT%H%M%S%fZ") + "-" + sha256[:12]


def run_quads(
    ids: Minter, report: LoadReport, path: Path, started: datetime, ended: datetime | None
) -> list[Quad]:
    """The run's description as quads in the run's graph."""
    run = report.run
    source = ids.source(report.sha256)
    dt = XSD.dateTime
    triples: list[Triple] = [
        (run, RDF.type, PROV.Activity),
        (run, RDF.type, KG.LoadRun),
        (run, PROV.used, source),
        (run, PROV.wasAssociatedWith, ids.institution(report.institution)),
        (run, PROV.startedAtTime, Lit(started.isoformat(), None, dt)),
        (run, KG.loaderVersion, Lit(LOADER_VERSION)),
        (source, RDF.type, PROV.Entity),
        (source, SCHEMA.name, Lit(path.name)),
        (source, KG.sha256, Lit(report.sha256)),
        (source, KG.format, Lit(report.format)),
        (source, KG.flavour, Lit(report.flavour)),
    ]
    if ended is not None:
        counts = {
            "recordsRead": report.read,
            "recordsNew": report.new,
            "recordsReplaced": report.replaced,
            "recordsUnchanged": report.unchanged,
            "recordsDeleted": report.deleted,
            "recordsMerged": report.merged_count,
            "recordsRejected": len(report.rejected),
            "holdingsAdded": report.holdings,
        }
        triples.append((run, PROV.endedAtTime, Lit(ended.isoformat(), None, dt)))
        integer = XSD.integer
        triples += [(run, KG.term(k), Lit(str(v), None, integer)) for k, v in counts.items()]
        for n, rej in enumerate(report.rejected):
            node = f"{run}#rejected{n}"
            triples += [
                (run, KG.rejected, node),
                (node, RDF.type, KG.Rejection),
                (node, KG.recordNumber, Lit(str(rej.number), None, integer)),
                (node, KG.reason, Lit(rej.reason)),
                (node, RDFS.comment, Lit(rej.detail)),
            ]
            if rej.offset is not None:
                triples.append((node, KG.byteOffset, Lit(str(rej.offset), None, integer)))
            if rej.control_number:
                triples.append((node, KG.controlNumber, Lit(rej.control_number)))
    return [(s, p, o, run) for s, p, o in triples]

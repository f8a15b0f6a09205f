"""The report of a document load: the MARC load report's counts (files read, loaded,
unchanged, rejected with file and reason) plus what each document became and the
candidate names a curator may add to the roster or gazetteer."""

from __future__ import annotations

from dataclasses import dataclass, field

from loaders.report import DETAIL_LIMIT, LoadReport


@dataclass(slots=True)
class DocumentSummary:
    """One loaded document: file, status (new / replaced), title, language, characters,
    mentions of graph entities, and the entities it is most about."""

    file: str
    status: str
    title: str
    language: str
    chars: int
    mentions: int
    about: list[str]


@dataclass(slots=True)
class CandidateName:
    """A name that looks like an institution or a place and is not in the graph."""

    name: str
    kind: str
    count: int = 0
    files: list[str] = field(default_factory=list)


@dataclass(slots=True)
class DocumentReport(LoadReport):
    """A :class:`~loaders.report.LoadReport` of documents (a record is a file)."""

    chars: int = 0
    documents: list[DocumentSummary] = field(default_factory=list)
    candidates: dict[str, CandidateName] = field(default_factory=dict)

    def add_document(self, summary: DocumentSummary) -> None:
        """Count a loaded document; keep its summary while under the detail limit."""
        if len(self.documents) < DETAIL_LIMIT:
            self.documents.append(summary)

    def add_candidate(self, name: str, kind: str, count: int, file: str) -> None:
        """Count a candidate name found ``count`` times in ``file``."""
        candidate = self.candidates.setdefault(f"{kind}:{name}", CandidateName(name, kind))
        candidate.count += count
        if file not in candidate.files and len(candidate.files) < 20:
            candidate.files.append(file)

    @property
    def chars_per_second(self) -> float:
        """Characters of cleaned text analysed per second."""
        return self.chars / self.seconds if self.seconds else 0.0

    def render(self, limit: int = 20) -> str:
        """The report as text for the terminal."""
        lines = [
            f"{self.file} → {self.institution} (documents)",
            f"  run         {self.run}",
            f"  read        {self.read:,} files in {self.seconds:.1f} s "
            f"({self.chars:,} characters, {self.chars_per_second:,.0f}/s)",
            f"  loaded      {self.loaded:,} ({self.new:,} new, {self.replaced:,} replaced)",
            f"  unchanged   {self.unchanged:,}",
            f"  rejected    {len(self.rejected):,}"
            + (f" {self.rejected_by_reason()}" if self.rejected else ""),
        ]
        for d in self.documents[:limit]:
            lines.append(f"    {d.status:<8} {d.file}: {d.title} [{d.language}, {d.chars:,} chars]")
            lines.append(f"             {d.mentions} mentions; about {', '.join(d.about[:8])}")
        lines.extend(
            f"    rejected {r.file}: {r.reason}: {r.detail}" for r in self.rejected[:limit]
        )
        if self.candidates:
            lines.append("  candidates (not in the graph: add to the roster or gazetteer?)")
            ranked = sorted(self.candidates.values(), key=lambda c: (-c.count, c.name))
            lines.extend(
                f"    {c.kind:<11} {c.name} ×{c.count} ({', '.join(c.files[:3])})"
                for c in ranked[:limit]
            )
        lines.extend(f"    warning {w}" for w in self.warnings[:limit])
        return "\n".join(lines)

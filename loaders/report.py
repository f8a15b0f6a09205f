"""The report a curator reads after a load: read, loaded, merged, rejected and why."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.model import Finding


@dataclass(slots=True)
class RejectedRecord:
    """A record that did not load: where it is in the file and why."""

    file: str
    number: int
    offset: int | None
    line: int | None
    reason: str
    detail: str
    control_number: str | None = None

    def __str__(self) -> str:
        where = f"record {self.number}"
        if self.control_number:
            where += f" ({self.control_number})"
        if self.offset is not None:
            where += f" at byte {self.offset}"
        elif self.line is not None:
            where += f" at line {self.line}"
        return f"{self.file}: {where}: {self.reason}: {self.detail}"


@dataclass(slots=True)
class MergedRecord:
    """A record that joined an instance another record had already described."""

    control_number: str
    instance: str
    matched_on: str
    match_key: str
    merged_with: list[str]
    conflicts: list[str]


DETAIL_LIMIT = 10_000


@dataclass(slots=True)
class LoadReport:
    """Counts and details of one load run of one file."""

    file: str
    institution: str
    run: str
    sha256: str
    format: str = ""
    flavour: str = ""
    read: int = 0
    new: int = 0
    replaced: int = 0
    unchanged: int = 0
    deleted: int = 0
    holdings: int = 0
    seconds: float = 0.0
    size: int = 0  # bytes in the file
    position: int = 0  # byte offset of the last record read (ISO 2709), for progress
    merged: list[MergedRecord] = field(default_factory=list)
    """The first :data:`DETAIL_LIMIT` merges in detail (:attr:`merged_count` counts all)."""
    rejected: list[RejectedRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """The first :data:`DETAIL_LIMIT` warnings (:attr:`warning_count` counts all)."""
    merged_count: int = 0
    warning_count: int = 0
    unknown_class_notations: int = 0
    findings: dict[str, int] = field(default_factory=dict)
    """Quality findings counted by ``check/severity`` (loaders.marc.checks, docs/quality.md)."""
    records_with_errors: int = 0

    def count_findings(self, findings: list[Finding]) -> None:
        """Count one record's quality findings by check and severity."""
        for f in findings:
            key = f"{f.check}/{f.severity}"
            self.findings[key] = self.findings.get(key, 0) + 1
        if any(f.severity == "error" for f in findings):
            self.records_with_errors += 1

    def add_merge(self, merge: MergedRecord) -> None:
        """Count a merge; keep its detail while under the limit (a 1M-record load stays small)."""
        self.merged_count += 1
        if len(self.merged) < DETAIL_LIMIT:
            self.merged.append(merge)

    def unknown_notation(self, control_number: str, notation: str) -> None:
        """Count a class number that matches no class of a loaded classification, and warn."""
        self.unknown_class_notations += 1
        self.warn(f"{control_number}: unknown class notation {notation}")

    def warn(self, text: str) -> None:
        """Count a warning; keep its text while under the limit."""
        self.warning_count += 1
        if len(self.warnings) < DETAIL_LIMIT:
            self.warnings.append(text)

    @property
    def loaded(self) -> int:
        """Records written (new or replacing an earlier version)."""
        return self.new + self.replaced

    @property
    def reuse_ratio(self) -> float:
        """Share of loaded records that matched an instance already in the catalogue."""
        return self.merged_count / self.loaded if self.loaded else 0.0

    @property
    def rate(self) -> float:
        """Records read per second."""
        return self.read / self.seconds if self.seconds else 0.0

    def unknown_notations(self) -> int:
        """Catalogued class numbers that match no class of a loaded classification."""
        return self.unknown_class_notations

    def rejected_by_reason(self) -> dict[str, int]:
        """Rejections counted by reason code."""
        return dict(Counter(r.reason for r in self.rejected).most_common())

    def to_json(self) -> str:
        """The whole report as JSON (for logs and tools)."""
        data = asdict(self)
        data.update(loaded=self.loaded, reuse_ratio=round(self.reuse_ratio, 4))
        return json.dumps(data, ensure_ascii=False, indent=2)

    def render(self, limit: int = 20) -> str:
        """The report as text for the terminal."""
        lines = [
            f"{self.file} → {self.institution} ({self.format}, {self.flavour})",
            f"  run         {self.run}",
            f"  read        {self.read:,} records in {self.seconds:.1f} s ({self.rate:,.0f}/s)",
            f"  loaded      {self.loaded:,} ({self.new:,} new, {self.replaced:,} replaced)",
            f"  unchanged   {self.unchanged:,}",
            f"  deleted     {self.deleted:,}",
            f"  merged      {self.merged_count:,} into existing instances "
            f"(record reuse ratio {self.reuse_ratio:.0%})",
            f"  holdings    {self.holdings:,} items added",
            f"  unknown class notations {self.unknown_notations():,}",
            f"  quality     {sum(self.findings.values()):,} findings, "
            f"{self.records_with_errors:,} records with errors"
            + (f" {dict(sorted(self.findings.items()))}" if self.findings else ""),
            f"  rejected    {len(self.rejected):,}"
            + (f" {self.rejected_by_reason()}" if self.rejected else ""),
        ]
        for m in self.merged[:limit]:
            doubt = f"  DOUBT: {'; '.join(m.conflicts)}" if m.conflicts else ""
            lines.append(f"    merged {m.control_number} → {m.instance} on {m.match_key}{doubt}")
        if self.merged_count > limit:
            lines.append(f"    … {self.merged_count - limit} more merges (see the JSON report)")
        lines.extend(f"    rejected {r}" for r in self.rejected[:limit])
        if len(self.rejected) > limit:
            lines.append(f"    … {len(self.rejected) - limit} more rejections (see --report-file)")
        lines.extend(f"    warning {w}" for w in self.warnings[:limit])
        if self.warning_count > limit:
            lines.append(f"    … {self.warning_count - limit} more warnings (see the JSON report)")
        return "\n".join(lines)

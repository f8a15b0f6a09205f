"""The curator's quality report per member (数据审校): records, findings by check, error rate
and the worst records, read from the ``kg:QualityFinding`` nodes the load-time checks put
in each record's graph (docs/quality.md).

Four named queries: ``institution_stats`` (records per member), ``quality_counts``
(findings per member, check and severity), ``quality_records`` (records with findings)
and ``quality_record_findings`` (the worst records' findings in full).
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from kg.store import Store
from kg.terms import text_of


@dataclass(slots=True)
class CheckCount:
    """Findings of one check and severity in one member's records."""

    check: str
    severity: str
    findings: int
    records: int


@dataclass(slots=True)
class FindingDetail:
    """One finding of a record, as the cataloguer reads it."""

    check: str
    severity: str
    field: str | None
    message: str


@dataclass(slots=True)
class RecordQuality:
    """A record with findings: its control number (MARC 001) and counts."""

    record: str
    control_number: str
    errors: int
    warnings: int
    findings: int
    details: list[FindingDetail] = field(default_factory=list)


@dataclass(slots=True)
class InstitutionQuality:
    """One member's quality report."""

    code: str
    records: int
    records_with_errors: int
    records_with_findings: int
    checks: list[CheckCount]
    worst: list[RecordQuality]

    @property
    def error_rate(self) -> float:
        """Share of the member's records with at least one error."""
        return self.records_with_errors / self.records if self.records else 0.0

    @property
    def errors(self) -> int:
        """Findings of severity ``error``."""
        return sum(c.findings for c in self.checks if c.severity == "error")


def quality_report(
    store: Store, institution: str | None = None, worst: int = 10
) -> list[InstitutionQuality]:
    """Every member with records (or one, by roster code), with its ``worst`` records:
    most errors first, then most warnings, then by control number."""
    records = {
        text_of(r["code"]): int(text_of(r["records"]))
        for r in store.select("institution_stats")
        if "records" in r
    }
    checks: dict[str, list[CheckCount]] = defaultdict(list)
    for r in store.select("quality_counts"):
        checks[text_of(r["code"])].append(
            CheckCount(
                text_of(r["check"]),
                text_of(r["severity"]),
                int(text_of(r["findings"])),
                int(text_of(r["records"])),
            )
        )
    flagged: dict[str, list[RecordQuality]] = defaultdict(list)
    for r in store.select("quality_records"):
        flagged[text_of(r["code"])].append(
            RecordQuality(
                str(r["record"]),
                text_of(r["control"]),
                int(text_of(r["errors"])),
                int(text_of(r["warnings"])),
                int(text_of(r["findings"])),
            )
        )
    codes = sorted(set(records) | set(checks))
    if institution is not None:
        codes = [c for c in codes if c == institution]
    out = []
    for code in codes:
        mine = flagged.get(code, [])
        mine.sort(key=lambda q: (-q.errors, -q.warnings, -q.findings, q.control_number))
        out.append(
            InstitutionQuality(
                code,
                records.get(code, 0),
                sum(1 for q in mine if q.errors),
                len(mine),
                sorted(checks.get(code, []), key=lambda c: (-c.findings, c.check, c.severity)),
                [q for q in mine[:worst] if q.errors or q.warnings],
            )
        )
    _details(store, [q for m in out for q in m.worst])
    return out


def _details(store: Store, worst: list[RecordQuality]) -> None:
    if not worst:
        return
    by_uri = {q.record: q for q in worst}
    for r in store.select("quality_record_findings", records=list(by_uri)):
        by_uri[str(r["record"])].details.append(
            FindingDetail(
                text_of(r["check"]),
                text_of(r["severity"]),
                text_of(r["field"]) if "field" in r else None,
                text_of(r["message"]),
            )
        )


# --- output ------------------------------------------------------------------------


def to_json(report: list[InstitutionQuality]) -> str:
    """The report as JSON: one object per member."""
    return json.dumps(
        [asdict(m) | {"error_rate": round(m.error_rate, 4), "errors": m.errors} for m in report],
        ensure_ascii=False,
        indent=2,
    )


CSV_COLUMNS = [
    "institution",
    "kind",
    "check",
    "severity",
    "findings",
    "records",
    "error_rate",
    "control_number",
    "record",
    "errors",
    "warnings",
    "message",
]


def to_csv(report: list[InstitutionQuality]) -> str:
    """The report as CSV: a ``member`` row per member, a ``check`` row per check and
    severity, a ``record`` row per finding of its worst records."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for m in report:
        writer.writerow(
            {
                "institution": m.code,
                "kind": "member",
                "findings": sum(c.findings for c in m.checks),
                "records": m.records,
                "error_rate": f"{m.error_rate:.4f}",
                "errors": m.records_with_errors,
            }
        )
        for c in m.checks:
            writer.writerow(
                {
                    "institution": m.code,
                    "kind": "check",
                    "check": c.check,
                    "severity": c.severity,
                    "findings": c.findings,
                    "records": c.records,
                }
            )
        for q in m.worst:
            for d in q.details:
                writer.writerow(
                    {
                        "institution": m.code,
                        "kind": "record",
                        "check": d.check,
                        "severity": d.severity,
                        "control_number": q.control_number,
                        "record": q.record,
                        "errors": q.errors,
                        "warnings": q.warnings,
                        "message": d.message,
                    }
                )
    return buffer.getvalue()


def render(report: list[InstitutionQuality], details: int = 3) -> str:
    """The report as text for the terminal."""
    if not report:
        return "No records loaded."
    lines = []
    for m in report:
        lines.append(
            f"{m.code}: {m.records:,} records, {m.records_with_errors:,} with errors "
            f"(error rate {m.error_rate:.1%}), {m.records_with_findings:,} with findings"
        )
        for c in m.checks:
            lines.append(
                f"  {c.check:<26}{c.severity:<9}{c.findings:>7,} findings in {c.records:,} records"
            )
        if m.worst:
            lines.append("  worst records:")
        for q in m.worst:
            lines.append(
                f"    {q.control_number}  {q.errors} errors, {q.warnings} warnings  {q.record}"
            )
            lines.extend(f"      {d.severity}: {d.message}" for d in q.details[:details])
            if len(q.details) > details:
                lines.append(f"      … {len(q.details) - details} more")
    return "\n".join(lines)

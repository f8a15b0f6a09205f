"""Quality reports (kg.quality): findings of the load-time MARC checks per member."""

from __future__ import annotations

import strawberry

from kg import quality


@strawberry.type
class CheckCount:
    """Findings of one check and severity in a member's records."""

    check: str
    severity: str
    findings: int
    records: int


@strawberry.type
class QualityFinding:
    """One finding of a record (kg:QualityFinding): check, severity, MARC field, message."""

    check: str
    severity: str
    field: str | None
    message: str


@strawberry.type
class RecordQuality:
    """A record with findings: its URI, control number (MARC 001) and counts."""

    record: strawberry.ID
    control_number: str
    errors: int
    warnings: int
    findings: list[QualityFinding]


@strawberry.type
class InstitutionQuality:
    """One member's quality report, for a portal's curator page."""

    code: str
    records: int
    records_with_errors: int
    records_with_findings: int
    error_rate: float
    """Share of the member's records with at least one error."""
    checks: list[CheckCount]
    worst_records: list[RecordQuality]


def from_report(m: quality.InstitutionQuality) -> InstitutionQuality:
    """The GraphQL view of one member's :class:`kg.quality.InstitutionQuality`."""
    return InstitutionQuality(
        code=m.code,
        records=m.records,
        records_with_errors=m.records_with_errors,
        records_with_findings=m.records_with_findings,
        error_rate=round(m.error_rate, 4),
        checks=[
            CheckCount(check=c.check, severity=c.severity, findings=c.findings, records=c.records)
            for c in m.checks
        ],
        worst_records=[
            RecordQuality(
                record=strawberry.ID(q.record),
                control_number=q.control_number,
                errors=q.errors,
                warnings=q.warnings,
                findings=[
                    QualityFinding(
                        check=d.check, severity=d.severity, field=d.field, message=d.message
                    )
                    for d in q.details
                ],
            )
            for q in m.worst
        ],
    )

"""Root fields of the quality domain."""

from __future__ import annotations

import strawberry

from kg.quality import quality_report
from kg.store import StoreUnavailable
from schema.context import Info
from schema.errors import BadArgument, NotFound
from schema.quality.types import InstitutionQuality, from_report


@strawberry.type
class QualityQuery:
    @strawberry.field
    def quality_report(
        self, info: Info, institution: str | None = None, worst: int = 10
    ) -> list[InstitutionQuality]:
        """Per-member report of the load-time MARC checks (every member, or one by roster
        code): records, findings by check, error rate and the ``worst`` records (at most 100)."""
        if not 0 <= worst <= 100:
            raise BadArgument(f"worst must be between 0 and 100, not {worst}")
        ctx = info.context
        ctx.round_trips += 4  # institution_stats, quality_counts, quality_records, details
        try:
            report = quality_report(ctx.store, institution, worst)
        except StoreUnavailable:
            if ctx.response is not None:
                ctx.response.status_code = 503
            raise
        if institution is not None and not report:
            raise NotFound(f"No member {institution!r} with records: pass a roster code (JXUFE)")
        return [from_report(m) for m in report]

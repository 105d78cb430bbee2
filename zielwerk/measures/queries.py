"""Reading measures: what the public may see, progress, and the latest released status."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from zielwerk.measures.models import Measure, StatusReport, WorkItem


def with_milestones(measures: QuerySet[Measure]) -> QuerySet[Measure]:
    """Measures with their milestones fetched, as progress_of() needs them."""
    return measures.prefetch_related(
        Prefetch(
            "work_items",
            queryset=WorkItem.objects.filter(kind=WorkItem.Kind.MILESTONE),
            to_attr="milestone_items",
        )
    )


def public_measures() -> QuerySet[Measure]:
    """Measures released by the strategy office, with what list pages show."""
    return with_milestones(
        Measure.objects.filter(is_public=True)
        .select_related("status", "responsible_unit")
        .prefetch_related(
            "operative_goals__strategic_goal__field",
            Prefetch(
                "status_reports",
                queryset=StatusReport.objects.filter(is_public=True),
                to_attr="public_reports",
            ),
        )
    )


@dataclass(frozen=True)
class Progress:
    percent: int
    # "percent" when staff entered it, "milestones" when counted from reached milestones.
    basis: str
    reached: int = 0
    total: int = 0


def progress_of(measure: Measure) -> Progress | None:
    """Progress as entered in percent, otherwise the share of milestones reached.

    Works on measures from public_measures() without further queries."""
    if measure.progress_percent is not None:
        return Progress(measure.progress_percent, "percent")
    milestones = getattr(measure, "milestone_items", None)
    if milestones is None:
        milestones = list(measure.work_items.filter(kind=WorkItem.Kind.MILESTONE))
    if not milestones:
        return None
    reached = sum(1 for item in milestones if item.done_on is not None)
    return Progress(round(100 * reached / len(milestones)), "milestones", reached, len(milestones))


def latest_public_report(measure: Measure) -> StatusReport | None:
    """The newest released status report (reports are ordered newest first)."""
    reports = getattr(measure, "public_reports", None)
    if reports is None:
        reports = list(measure.status_reports.filter(is_public=True)[:1])
    return reports[0] if reports else None

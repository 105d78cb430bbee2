"""Public statistics of cases: how many impulses, complaints and praise came in per year and
what became of them, and per category how many came in and how many were handled within the
service standard. Counts and shares only, so nothing in them can point to a person."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from zielwerk.cases.models import Case, CaseEvent, Category
from zielwerk.cases.servicelevel import period_bounds, service_level


@dataclass(frozen=True)
class KindCounts:
    kind: str
    received: int
    answered: int
    accepted: int
    implemented: int


@dataclass(frozen=True)
class YearCounts:
    year: int
    kinds: list[KindCounts]


@dataclass(frozen=True)
class CategoryCounts:
    """Cases of a category received in the period, and the service level of those completed
    in it (servicelevel.py): share within the completion standard and median working days."""

    category: Category
    received: int
    completed: int
    share_within: float | None
    median_days: int | None


def counts_by_year(year: int | None = None) -> list[YearCounts]:
    """Per year of receipt (newest first) and kind: cases received, of them answered, accepted
    and implemented. An implemented impulse stays counted as implemented after its answer."""
    implemented = CaseEvent.objects.filter(case=OuterRef("pk"), state=Case.State.IMPLEMENTED)
    cases = Case.objects.annotate(
        year=ExtractYear("received_at"), was_implemented=Exists(implemented)
    )
    if year is not None:
        cases = cases.filter(year=year)
    rows = (
        cases.values("year", "kind")
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=Q(completed_at__isnull=False)),
            accepted=Count("pk", filter=Q(decision=Case.Decision.ACCEPTED)),
            implemented=Count("pk", filter=Q(was_implemented=True)),
        )
        .order_by("-year", "kind")
    )
    found: dict[int, dict[str, KindCounts]] = {}
    for row in rows:
        found.setdefault(row["year"], {})[row["kind"]] = KindCounts(
            row["kind"], row["received"], row["answered"], row["accepted"], row["implemented"]
        )
    # Every kind in every year, so a reader sees a zero rather than a gap.
    return [
        YearCounts(
            year, [kinds.get(kind, KindCounts(kind, 0, 0, 0, 0)) for kind in Case.Kind.values]
        )
        for year, kinds in found.items()
    ]


def counts_by_category(
    year: int | None = None, today: datetime.date | None = None
) -> list[CategoryCounts]:
    """Per category (in the categories' order): cases received and the service level, in
    `year` or, without one, since the first case. Categories offered only to staff appear once
    they have cases."""
    today = today or timezone.localdate()
    if year is not None:
        start, end = period_bounds(year)
    else:
        first = Case.objects.order_by("received_at").values_list("received_at", flat=True).first()
        start, end = (timezone.localdate(first) if first else today), today
    received = Q(cases__received_at__year=year) if year is not None else Q()
    categories = [
        category
        for category in Category.objects.annotate(
            received=Count("cases", filter=received)
        ).order_by("order", "name")
        if category.is_public or category.received
    ]
    report = service_level(categories, start, end, today)
    return [
        CategoryCounts(category, category.received, row.completed, row.share_within, row.median)
        for category, row in zip(categories, report.rows, strict=True)
    ]

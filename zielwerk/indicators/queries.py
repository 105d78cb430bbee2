"""Reading indicators for pages and the API: only approved values are public."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Prefetch, QuerySet

from zielwerk.goals.models import OperativeGoal
from zielwerk.indicators.models import Indicator, Target, Value


def indicators_of(goal: OperativeGoal) -> QuerySet[Indicator]:
    return goal.indicators.select_related("owner").prefetch_related(
        Prefetch(
            "targets", queryset=Target.objects.filter(is_current=True), to_attr="current_targets"
        )
    )


def public_headline_values(indicators: list[Indicator]) -> dict[int, list[Value]]:
    """Approved values without disaggregation, oldest first, per indicator (one query)."""
    values: dict[int, list[Value]] = defaultdict(list)
    rows = Value.objects.filter(
        indicator__in=indicators, state=Value.State.APPROVED, disaggregation_key=""
    ).order_by("year", "month")
    for value in rows:
        values[value.indicator_id].append(value)
    return values

"""Indicators with approved values on the seed edition, for tests of stored evaluations."""

from __future__ import annotations

import datetime

from zielwerk.goals.models import Edition
from zielwerk.goals.queries import find_goal
from zielwerk.indicators.models import Indicator, Target, Value

DAY = datetime.date(2025, 3, 31)
LATER = datetime.date(2025, 6, 30)
# Kept (≤ 1,000) but rising: "Leicht bewölkt", slightly off track.
DEBT = [(2019, 780), (2020, 805), (2021, 842), (2022, 866), (2023, 901), (2024, 948)]
# Below the limit of 1 and falling: "Gewitter", critical.
LIQUIDITY = [(2019, 1.42), (2020, 1.31), (2021, 1.25), (2022, 1.12), (2023, 1.06), (2024, 0.97)]


def indicator(
    edition: Edition, code: str, goal: str, direction: str, values, limit: tuple | None = None
) -> Indicator:
    """An indicator of the goal with approved values and, optionally, a (comparator, value)
    limit to keep every year."""
    created = Indicator.objects.create(code=code, name=code.title(), direction=direction)
    created.operative_goals.add(find_goal(edition, goal))
    if limit:
        comparator, value = limit
        Target.objects.create(
            indicator=created, kind="fixed_limit", comparator=comparator, value=value
        )
    Value.objects.bulk_create(
        Value(indicator=created, year=year, value=value, state=Value.State.APPROVED)
        for year, value in values
    )
    return created


def debt_and_liquidity(edition: Edition) -> tuple[Indicator, Indicator]:
    debt = indicator(edition, "debt", "12.3.4", "decrease", DEBT, ("<=", 1000))
    liquidity = indicator(edition, "liquidity", "12.3.5", "increase", LIQUIDITY, (">=", 1))
    return debt, liquidity

"""Indicators on top of the demo organisation, shared by the tests of the indicators app.

Demo responsibilities: FB-FIN (editor "finanzen") is responsible for strategic goal 12.3, its
department FB-FIN-HH for 12.3.4; FB-BD (editor "buergerdienste") for 12.2."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model

from zielwerk.demo import DemoSummary
from zielwerk.goals.queries import find_goal
from zielwerk.indicators.models import Indicator, Value
from zielwerk.indicators.values import ValueRow, store_values
from zielwerk.org.models import OrgUnit

OPENSDG = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "opensdg"


@dataclass
class Indicators:
    debt: Indicator  # owner FB-FIN-HH, below the unit of "finanzen"
    revenue: Indicator  # no owner, measures 12.3.1: FB-FIN through strategic goal 12.3
    service: Indicator  # no owner, measures 12.2.1: FB-BD


def make_indicators(demo: DemoSummary) -> Indicators:
    def goal(code: str):
        return find_goal(demo.edition, code)

    debt = Indicator.objects.create(
        code="test-schulden",
        name="Verschuldung je Einwohner",
        unit="EUR",
        direction="decrease",
        owner=OrgUnit.objects.get(code="FB-FIN-HH"),
    )
    debt.operative_goals.set([goal("12.3.4")])
    revenue = Indicator.objects.create(code="test-ertraege", name="Erträge", direction="increase")
    revenue.operative_goals.set([goal("12.3.1")])
    service = Indicator.objects.create(
        code="test-service", name="Servicegrad", direction="increase"
    )
    service.operative_goals.set([goal("12.2.1")])
    return Indicators(debt, revenue, service)


def user(username: str):
    return get_user_model().objects.get(username=username)


def store(indicator: Indicator, *points: tuple, approve: bool = False, **options):
    """Store (year, value) or (year, value, flags) points of the headline series."""
    rows = [
        ValueRow(indicator=indicator, year=p[0], value=p[1], flags=p[2] if len(p) > 2 else "")
        for p in points
    ]
    return store_values(rows, source_name="Test", approve=approve, **options)


def value(indicator: Indicator, year: int, **lookup) -> Value:
    return Value.objects.get(indicator=indicator, year=year, **lookup)

"""Closed reporting years: their figures change only as recorded revisions."""

from zielwerk.indicators.models import ReportingPeriod


def closed_years() -> set[int]:
    return set(ReportingPeriod.objects.values_list("year", flat=True))


def is_closed(year: int) -> bool:
    return ReportingPeriod.objects.filter(year=year).exists()

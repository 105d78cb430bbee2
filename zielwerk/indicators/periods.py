"""Closed reporting years: their figures change only as recorded revisions.

Closing is final. A reopened year would let figures of an already published report change
silently again, which is what closing prevents; a year closed too early still takes every
correction, only each one needs a reason (see docs/closed-periods.md)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _

from zielwerk.indicators.models import ReportingPeriod

FIRST_YEAR = 1800


class PeriodError(ValueError):
    """A reporting year that cannot be closed; nothing was changed."""


def closed_years() -> set[int]:
    return set(ReportingPeriod.objects.values_list("year", flat=True))


def is_closed(year: int) -> bool:
    return ReportingPeriod.objects.filter(year=year).exists()


def closed_year_message(year: int) -> str:
    """The one wording for every refused change of a closed year."""
    return _(
        "Das Berichtsjahr %(year)d ist abgeschlossen. Eine Änderung ist nur als Berichtigung "
        "mit Begründung möglich."
    ) % {"year": year}


def closing_problem(year: int) -> str:
    """Why the year cannot be closed ("" when it can)."""
    current = timezone.localdate().year
    if not FIRST_YEAR <= year <= current:
        return _(
            "Abschließen lassen sich nur Berichtsjahre von %(first)d bis zum laufenden Jahr "
            "%(current)d, nicht %(year)d."
        ) % {"first": FIRST_YEAR, "current": current, "year": year}
    closed = ReportingPeriod.objects.filter(year=year).select_related("closed_by").first()
    if closed is None:
        return ""
    when = {"year": year, "date": timezone.localtime(closed.closed_at).strftime("%d.%m.%Y")}
    if closed.closed_by is None:
        return _("Das Berichtsjahr %(year)d ist bereits abgeschlossen (am %(date)s).") % when
    return _("Das Berichtsjahr %(year)d ist bereits abgeschlossen (am %(date)s von %(user)s).") % {
        **when,
        "user": closed.closed_by,
    }


def close_period(
    period: ReportingPeriod, user: AbstractBaseUser | AnonymousUser | None = None
) -> ReportingPeriod:
    """Close the (unsaved) reporting year. `user` is who closes it, checked against the
    permissions; None for the command line without a person."""
    if user is not None and not user.has_perm("indicators.add_reportingperiod"):
        raise PeriodError(_("Berichtsjahre abschließen darf nur die Strategiestelle."))
    problem = closing_problem(period.year)
    if problem:
        raise PeriodError(problem)
    period.closed_by = user if user is not None and user.is_authenticated else None
    period.save()
    return period

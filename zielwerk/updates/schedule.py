"""Update cycles as calendar periods and the duties they create; plain Python, no Django.

A cycle cuts the calendar into periods (months, quarters, half-years, years). The update for a
period is due a number of days after the period ends; an item owes an update for every period
that ended after tracking began and for which nothing was delivered."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Cycle(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"

    @property
    def months(self) -> int:
        return _MONTHS[self]


# Looked up for every period bound, so built once rather than per call.
_MONTHS = {Cycle.MONTHLY: 1, Cycle.QUARTERLY: 3, Cycle.HALF_YEARLY: 6, Cycle.YEARLY: 12}


class DutyState(StrEnum):
    DUE = "due"
    OVERDUE = "overdue"


@dataclass(frozen=True, order=True)
class Period:
    """One period of a cycle: index counts from 1 within the year (quarter 3, month 11...)."""

    year: int
    index: int
    cycle: Cycle

    @property
    def first_month(self) -> int:
        return (self.index - 1) * self.cycle.months + 1

    @property
    def last_month(self) -> int:
        return self.index * self.cycle.months

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.first_month, 1)

    @property
    def end(self) -> datetime.date:
        if self.last_month == 12:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, self.last_month + 1, 1) - datetime.timedelta(days=1)

    @property
    def label(self) -> str:
        """Short, language-neutral name: 2026, 2026-H1, 2026-Q3, 2026-07."""
        match self.cycle:
            case Cycle.YEARLY:
                return str(self.year)
            case Cycle.HALF_YEARLY:
                return f"{self.year}-H{self.index}"
            case Cycle.QUARTERLY:
                return f"{self.year}-Q{self.index}"
        return f"{self.year}-{self.index:02d}"

    def contains_month(self, year: int, month: int) -> bool:
        """Whether a figure for (year, month) belongs here; month 0 is a yearly figure and
        belongs to the period that closes the year."""
        if year != self.year:
            return False
        if month == 0:
            return self.last_month == 12
        return self.first_month <= month <= self.last_month

    def next(self) -> Period:
        if self.last_month == 12:
            return Period(self.year + 1, 1, self.cycle)
        return Period(self.year, self.index + 1, self.cycle)

    def previous(self) -> Period:
        if self.index == 1:
            return Period(self.year - 1, 12 // self.cycle.months, self.cycle)
        return Period(self.year, self.index - 1, self.cycle)


def period_containing(cycle: Cycle, day: datetime.date) -> Period:
    return Period(day.year, (day.month - 1) // cycle.months + 1, cycle)


def parse_period(label: str, cycle: Cycle) -> Period:
    """The period named by `label` (see Period.label); ValueError when it does not fit."""
    period = Period(int(label[:4]), 1, cycle)
    while period.label != label:
        period = period.next()
        if period.index == 1:
            raise ValueError(label)
    return period


@dataclass(frozen=True)
class Duty:
    period: Period
    due: datetime.date
    state: DutyState

    def days_late(self, today: datetime.date) -> int:
        return max((today - self.due).days, 0)

    def days_left(self, today: datetime.date) -> int:
        return max((self.due - today).days, 0)


def due_date(period: Period, due_days: int) -> datetime.date:
    return period.end + datetime.timedelta(days=due_days)


def open_duties(
    cycle: Cycle,
    *,
    since: datetime.date,
    today: datetime.date,
    due_days: int,
    delivered: Callable[[Period], bool],
) -> list[Duty]:
    """Periods that ended on or after `since` and before `today` without a delivery, oldest
    first. A duty is "due" until its due date and "overdue" afterwards."""
    duties = []
    period = period_containing(cycle, since)
    while period.end < today:
        if not delivered(period):
            due = due_date(period, due_days)
            state = DutyState.DUE if today <= due else DutyState.OVERDUE
            duties.append(Duty(period, due, state))
        period = period.next()
    return duties


def recent_periods(cycle: Cycle, today: datetime.date, count: int) -> list[Period]:
    """The current period and the `count - 1` before it, newest first (choices for a report)."""
    periods = [period_containing(cycle, today)]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return periods

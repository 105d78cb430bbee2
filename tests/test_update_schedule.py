"""Update cycles as calendar periods and the duties they create (zielwerk/updates/schedule.py)."""

import datetime

import pytest

from zielwerk.updates.schedule import (
    Cycle,
    Duty,
    DutyState,
    Period,
    due_date,
    open_duties,
    parse_period,
    period_containing,
    recent_periods,
)

D = datetime.date


def nothing(period: Period) -> bool:
    return False


@pytest.mark.parametrize(
    ("period", "start", "end", "label"),
    [
        (Period(2026, 1, Cycle.YEARLY), D(2026, 1, 1), D(2026, 12, 31), "2026"),
        (Period(2026, 1, Cycle.HALF_YEARLY), D(2026, 1, 1), D(2026, 6, 30), "2026-H1"),
        (Period(2026, 2, Cycle.HALF_YEARLY), D(2026, 7, 1), D(2026, 12, 31), "2026-H2"),
        (Period(2026, 1, Cycle.QUARTERLY), D(2026, 1, 1), D(2026, 3, 31), "2026-Q1"),
        (Period(2026, 3, Cycle.QUARTERLY), D(2026, 7, 1), D(2026, 9, 30), "2026-Q3"),
        (Period(2026, 4, Cycle.QUARTERLY), D(2026, 10, 1), D(2026, 12, 31), "2026-Q4"),
        (Period(2026, 7, Cycle.MONTHLY), D(2026, 7, 1), D(2026, 7, 31), "2026-07"),
        (Period(2026, 12, Cycle.MONTHLY), D(2026, 12, 1), D(2026, 12, 31), "2026-12"),
        # Leap years: February ends on the 29th in 2024 and 2000, not in 2025 or 2100.
        (Period(2024, 2, Cycle.MONTHLY), D(2024, 2, 1), D(2024, 2, 29), "2024-02"),
        (Period(2025, 2, Cycle.MONTHLY), D(2025, 2, 1), D(2025, 2, 28), "2025-02"),
        (Period(2000, 2, Cycle.MONTHLY), D(2000, 2, 1), D(2000, 2, 29), "2000-02"),
        (Period(2100, 2, Cycle.MONTHLY), D(2100, 2, 1), D(2100, 2, 28), "2100-02"),
    ],
)
def test_period_bounds_and_labels(period, start, end, label):
    assert (period.start, period.end, period.label) == (start, end, label)
    assert parse_period(label, period.cycle) == period
    assert period_containing(period.cycle, start) == period
    assert period_containing(period.cycle, end) == period
    assert period.next().start == end + datetime.timedelta(days=1)
    assert period.next().previous() == period


@pytest.mark.parametrize(
    ("label", "cycle"),
    [("2026-Q5", Cycle.QUARTERLY), ("2026-Q1", Cycle.YEARLY), ("2026-13", Cycle.MONTHLY)],
)
def test_a_label_of_another_cycle_is_refused(label, cycle):
    with pytest.raises(ValueError, match=label):
        parse_period(label, cycle)


def test_a_yearly_figure_belongs_to_the_period_that_closes_the_year():
    yearly_figure = 0
    assert Period(2025, 1, Cycle.YEARLY).contains_month(2025, yearly_figure)
    assert Period(2025, 4, Cycle.QUARTERLY).contains_month(2025, yearly_figure)
    assert Period(2025, 2, Cycle.HALF_YEARLY).contains_month(2025, yearly_figure)
    assert Period(2025, 12, Cycle.MONTHLY).contains_month(2025, yearly_figure)
    assert not Period(2025, 3, Cycle.QUARTERLY).contains_month(2025, yearly_figure)
    assert not Period(2025, 1, Cycle.HALF_YEARLY).contains_month(2025, yearly_figure)
    assert not Period(2024, 4, Cycle.QUARTERLY).contains_month(2025, yearly_figure)


def test_monthly_figures_belong_to_the_period_containing_their_month():
    q2 = Period(2025, 2, Cycle.QUARTERLY)
    assert [m for m in range(1, 13) if q2.contains_month(2025, m)] == [4, 5, 6]
    assert not q2.contains_month(2024, 5)
    assert Period(2025, 1, Cycle.YEARLY).contains_month(2025, 7)


def test_open_duties_are_due_until_the_due_date_and_overdue_after_it():
    def duties(today, delivered=()):
        return open_duties(
            Cycle.QUARTERLY,
            since=D(2026, 2, 15),
            today=today,
            due_days=30,
            delivered=lambda p: p.label in delivered,
        )

    q1 = Period(2026, 1, Cycle.QUARTERLY)
    # Tracking began inside Q1, so Q1 counts; it is owed only once it has ended.
    assert duties(D(2026, 3, 31)) == []
    assert duties(D(2026, 4, 1)) == [Duty(q1, D(2026, 4, 30), DutyState.DUE)]
    assert duties(D(2026, 4, 30)) == [Duty(q1, D(2026, 4, 30), DutyState.DUE)]
    assert duties(D(2026, 5, 1)) == [Duty(q1, D(2026, 4, 30), DutyState.OVERDUE)]
    assert [(d.period.label, d.state) for d in duties(D(2026, 7, 10))] == [
        ("2026-Q1", DutyState.OVERDUE),
        ("2026-Q2", DutyState.DUE),
    ]
    assert [d.period.label for d in duties(D(2026, 7, 10), delivered={"2026-Q1"})] == ["2026-Q2"]


def test_nothing_is_owed_for_periods_that_ended_before_tracking_began():
    duties = open_duties(
        Cycle.YEARLY, since=D(2026, 1, 1), today=D(2028, 3, 1), due_days=30, delivered=nothing
    )
    assert [(d.period.label, d.due, d.state) for d in duties] == [
        ("2026", D(2027, 1, 30), DutyState.OVERDUE),
        ("2027", D(2028, 1, 30), DutyState.OVERDUE),
    ]


def test_days_late_and_days_left():
    duty = Duty(Period(2026, 1, Cycle.QUARTERLY), D(2026, 4, 30), DutyState.DUE)
    assert (duty.days_left(D(2026, 4, 27)), duty.days_late(D(2026, 4, 27))) == (3, 0)
    assert (duty.days_left(D(2026, 5, 10)), duty.days_late(D(2026, 5, 10))) == (0, 10)


def test_due_dates_across_leap_days():
    february_2024 = Period(2024, 2, Cycle.MONTHLY)
    assert due_date(february_2024, 1) == D(2024, 3, 1)
    assert due_date(Period(2024, 1, Cycle.YEARLY), 60) == D(2025, 3, 1)
    assert due_date(Period(2023, 1, Cycle.YEARLY), 60) == D(2024, 2, 29)
    duties = open_duties(
        Cycle.MONTHLY, since=D(2024, 2, 29), today=D(2024, 3, 2), due_days=1, delivered=nothing
    )
    assert duties == [Duty(february_2024, D(2024, 3, 1), DutyState.OVERDUE)]


def test_recent_periods_go_back_across_the_year():
    labels = [p.label for p in recent_periods(Cycle.QUARTERLY, D(2026, 2, 1), 3)]
    assert labels == ["2026-Q1", "2025-Q4", "2025-Q3"]

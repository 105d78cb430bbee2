"""Working days in Baden-Württemberg: holidays, weekends, Easter, year boundaries."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from zielwerk.cases.workdays import (
    UnknownSubdivision,
    add_working_days,
    is_working_day,
    local_ordinals,
    working_days_between,
    working_days_between_ordinals,
)

D = datetime.date

BW_HOLIDAYS = {
    2025: [
        D(2025, 1, 1),
        D(2025, 1, 6),  # Heilige Drei Könige
        D(2025, 4, 18),  # Karfreitag
        D(2025, 4, 21),  # Ostermontag
        D(2025, 5, 1),
        D(2025, 5, 29),  # Christi Himmelfahrt
        D(2025, 6, 9),  # Pfingstmontag
        D(2025, 6, 19),  # Fronleichnam
        D(2025, 10, 3),
        D(2025, 11, 1),  # Allerheiligen (Saturday)
        D(2025, 12, 25),
        D(2025, 12, 26),
    ],
    2026: [
        D(2026, 1, 1),
        D(2026, 1, 6),
        D(2026, 4, 3),
        D(2026, 4, 6),
        D(2026, 5, 1),
        D(2026, 5, 14),
        D(2026, 5, 25),
        D(2026, 6, 4),
        D(2026, 10, 3),
        D(2026, 11, 1),
        D(2026, 12, 25),
        D(2026, 12, 26),
    ],
}


@pytest.mark.parametrize("year", [2025, 2026])
def test_bw_holidays_are_no_working_days_and_nothing_else_on_weekdays_is(year):
    day = D(year, 1, 1)
    free = []
    while day.year == year:
        if day.weekday() < 5 and not is_working_day(day):
            free.append(day)
        day += datetime.timedelta(days=1)
    assert free == [d for d in BW_HOLIDAYS[year] if d.weekday() < 5]


def test_weekends_do_not_count():
    assert not is_working_day(D(2026, 3, 7))  # Saturday
    assert not is_working_day(D(2026, 3, 8))  # Sunday
    # Friday → Monday: one working day; the day of receipt does not count.
    assert working_days_between(D(2026, 3, 6), D(2026, 3, 9)) == 1
    assert working_days_between(D(2026, 3, 6), D(2026, 3, 8)) == 0
    assert working_days_between(D(2026, 3, 6), D(2026, 3, 6)) == 0
    assert working_days_between(D(2026, 3, 2), D(2026, 3, 16)) == 10
    assert add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 9)
    assert add_working_days(D(2026, 3, 7), 1) == D(2026, 3, 9)
    assert add_working_days(D(2026, 3, 2), 5) == D(2026, 3, 9)


def test_received_on_the_friday_before_easter():
    # Thursday 2 April 2026 is a working day; Good Friday, the weekend and Easter Monday are not.
    good_friday = D(2026, 4, 3)
    assert add_working_days(good_friday, 1) == D(2026, 4, 7)
    assert add_working_days(good_friday, 5) == D(2026, 4, 13)
    assert working_days_between(good_friday, D(2026, 4, 6)) == 0
    assert working_days_between(good_friday, D(2026, 4, 7)) == 1
    assert add_working_days(D(2026, 4, 2), 1) == D(2026, 4, 7)
    # Easter 2025 moves the same days: 18 and 21 April.
    assert add_working_days(D(2025, 4, 17), 1) == D(2025, 4, 22)


def test_other_easter_dependent_days():
    assert add_working_days(D(2026, 5, 13), 1) == D(2026, 5, 15)  # Himmelfahrt 14.5.
    assert add_working_days(D(2026, 5, 22), 1) == D(2026, 5, 26)  # Pfingstmontag 25.5.
    assert add_working_days(D(2026, 6, 3), 1) == D(2026, 6, 5)  # Fronleichnam 4.6.
    assert add_working_days(D(2025, 6, 18), 1) == D(2025, 6, 20)  # Fronleichnam 19.6.


def test_year_boundaries():
    # 24 and 31 December are working days; 25/26 December, 1 and 6 January are not.
    assert working_days_between(D(2025, 12, 23), D(2026, 1, 7)) == 7
    assert add_working_days(D(2025, 12, 23), 3) == D(2025, 12, 30)
    assert add_working_days(D(2025, 12, 31), 2) == D(2026, 1, 5)
    assert add_working_days(D(2025, 12, 31), 3) == D(2026, 1, 7)
    assert working_days_between(D(2026, 1, 7), D(2025, 12, 23)) == -7


def test_add_and_between_agree_over_years():
    start = D(2024, 11, 29)
    for n in (0, 1, 5, 20, 250, 600):
        due = add_working_days(start, n)
        assert working_days_between(start, due) == n
        assert n == 0 or is_working_day(due)
        assert working_days_between(start, due + datetime.timedelta(days=1)) in (n, n + 1)


def test_far_dates_widen_the_table():
    assert working_days_between(D(1990, 1, 1), D(1990, 1, 31)) == 22
    assert add_working_days(D(2039, 12, 30), 300) > D(2041, 1, 1)


def test_columns_give_the_same_answers():
    starts = [D(2025, 12, 23), D(2026, 4, 3), D(2026, 3, 6)]
    ends = [D(2026, 1, 7), D(2026, 4, 7), D(2026, 3, 6)]
    result = working_days_between_ordinals(
        np.array([d.toordinal() for d in starts]), np.array([d.toordinal() for d in ends])
    )
    pairs = zip(starts, ends, strict=True)
    assert result.tolist() == [working_days_between(s, e) for s, e in pairs]
    assert result.tolist() == [7, 1, 0]


def test_other_land_and_unknown_land():
    # Heilige Drei Könige is no holiday in Nordrhein-Westfalen, Fronleichnam is.
    assert is_working_day(D(2026, 1, 6), "NW")
    assert not is_working_day(D(2026, 6, 4), "NW")
    assert not is_working_day(D(2026, 11, 18), "SN")  # Buß- und Bettag
    assert is_working_day(D(2026, 11, 18), "BW")
    with pytest.raises(UnknownSubdivision):
        is_working_day(D(2026, 1, 6), "XX")
    with pytest.raises(ValueError):
        add_working_days(D(2026, 1, 6), -1)


def test_local_dates_of_utc_instants_across_midnight_and_daylight_saving():
    berlin = ZoneInfo("Europe/Berlin")
    moments = [
        datetime.datetime(2026, 3, 6, 22, 30, tzinfo=datetime.UTC),  # 23:30 CET, 6 March
        datetime.datetime(2026, 3, 6, 23, 30, tzinfo=datetime.UTC),  # 00:30 CET, 7 March
        datetime.datetime(2026, 3, 28, 22, 59, tzinfo=datetime.UTC),  # 23:59 CET, 28 March
        datetime.datetime(2026, 3, 29, 0, 59, tzinfo=datetime.UTC),  # 01:59 CET, 29 March
        datetime.datetime(2026, 3, 29, 22, 30, tzinfo=datetime.UTC),  # 00:30 CEST, 30 March
        datetime.datetime(2026, 6, 30, 21, 59, tzinfo=datetime.UTC),  # 23:59 CEST, 30 June
        datetime.datetime(2026, 6, 30, 22, 0, tzinfo=datetime.UTC),  # 00:00 CEST, 1 July
        datetime.datetime(2026, 10, 24, 22, 0, tzinfo=datetime.UTC),  # 00:00 CEST, 25 October
        datetime.datetime(2026, 10, 25, 22, 59, tzinfo=datetime.UTC),  # 23:59 CET, 25 October
        datetime.datetime(2026, 10, 25, 23, 0, tzinfo=datetime.UTC),  # 00:00 CET, 26 October
    ]
    seconds = np.array([int(m.timestamp()) for m in moments])
    expected = [m.astimezone(berlin).date().toordinal() for m in moments]
    assert local_ordinals(seconds, berlin).tolist() == expected
    days = [datetime.date.fromordinal(o).day for o in expected]
    assert days == [6, 7, 28, 29, 30, 30, 1, 25, 25, 26]

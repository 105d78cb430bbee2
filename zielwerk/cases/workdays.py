"""Working days of a German Land for the deadlines of service standards (METHODS.md §6).

Pure Python and numpy, no Django: the subdivision (Land, "BW" for Baden-Württemberg) comes from
the caller. A working day is Monday to Friday and not a public holiday of that Land (the
`holidays` package knows them, Easter-dependent ones included).

Counting: the day of receipt does not count. `working_days_between(start, end)` is the number
of working days d with start < d <= end, so a case received on a Friday and answered on the
next Monday took 1 working day, one answered on the Saturday 0. For end before start it is the
negative count of the other direction. `add_working_days(start, n)` is the n-th working day
after start: the last day that is still within a standard of n working days, since
working_days_between(start, d) <= n exactly until then (a non-working day right after it counts
as within too, as no working time has passed).

Both read a table per subdivision, built once for a range of years and widened when a date
falls outside it: working days as a boolean array and their running count, so each answer is
two array lookups and a whole column of cases is answered at once
(`working_days_between_ordinals`, with `local_ordinals` turning stored UTC instants into local
dates without a Python call per row)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import holidays
import numpy as np

DEFAULT_SUBDIVISION = "BW"
# Built for at least this range, so that the usual dates never rebuild the table.
FIRST_YEAR = 2000
LAST_YEAR = 2040
EPOCH_ORDINAL = datetime.date(1970, 1, 1).toordinal()
DAY_SECONDS = 86_400
# Working days per year, at least: how far past the table's end an addition of n days may go.
MIN_WORKING_DAYS_PER_YEAR = 240


class UnknownSubdivision(ValueError):
    """The `holidays` package knows no Land of that code."""

    def __init__(self, subdiv: str) -> None:
        self.subdiv = subdiv
        super().__init__(subdiv)


@dataclass(frozen=True)
class WorkCalendar:
    subdiv: str
    first_year: int
    last_year: int
    # Ordinal (date.toordinal) of 1 January of first_year.
    base: int
    # cumulative[i]: working days among the days base … base + i − 1.
    cumulative: np.ndarray
    # Ordinals of the working days, ascending.
    working: np.ndarray

    def covers(self, first_year: int, last_year: int) -> bool:
        return self.first_year <= first_year and last_year <= self.last_year


def build_calendar(subdiv: str, first_year: int, last_year: int) -> WorkCalendar:
    try:
        public = holidays.country_holidays(
            "DE", subdiv=subdiv, years=range(first_year, last_year + 1)
        )
    except NotImplementedError as error:
        raise UnknownSubdivision(subdiv) from error
    base = datetime.date(first_year, 1, 1).toordinal()
    end = datetime.date(last_year, 12, 31).toordinal()
    ordinals = np.arange(base, end + 1)
    # date.toordinal() of 1 January of year 1 (a Monday) is 1, so (ordinal − 1) % 7 is the
    # weekday with Monday 0.
    is_working = (ordinals - 1) % 7 < 5
    is_working[[day.toordinal() - base for day in public]] = False
    cumulative = np.zeros(len(ordinals) + 1, dtype=np.int64)
    np.cumsum(is_working, out=cumulative[1:])
    return WorkCalendar(subdiv, first_year, last_year, base, cumulative, ordinals[is_working])


_calendars: dict[str, WorkCalendar] = {}


def calendar(subdiv: str, first_year: int, last_year: int) -> WorkCalendar:
    """The table of the subdivision covering at least the years given."""
    found = _calendars.get(subdiv)
    if found is None or not found.covers(first_year, last_year):
        low, high = min(first_year, FIRST_YEAR), max(last_year, LAST_YEAR)
        if found is not None:
            low, high = min(low, found.first_year), max(high, found.last_year)
        found = _calendars[subdiv] = build_calendar(subdiv, low, high)
    return found


def is_working_day(day: datetime.date, subdiv: str = DEFAULT_SUBDIVISION) -> bool:
    table = calendar(subdiv, day.year, day.year)
    index = day.toordinal() - table.base
    return bool(table.cumulative[index + 1] - table.cumulative[index])


def working_days_between(
    start: datetime.date, end: datetime.date, subdiv: str = DEFAULT_SUBDIVISION
) -> int:
    """Working days d with start < d <= end (see the module docstring)."""
    table = calendar(subdiv, min(start, end).year, max(start, end).year)
    cumulative = table.cumulative
    return int(
        cumulative[end.toordinal() + 1 - table.base]
        - cumulative[start.toordinal() + 1 - table.base]
    )


def add_working_days(
    start: datetime.date, n: int, subdiv: str = DEFAULT_SUBDIVISION
) -> datetime.date:
    """The n-th working day after start (start itself for n = 0)."""
    if n < 0:
        raise ValueError(n)
    if n == 0:
        return start
    table = calendar(subdiv, start.year, start.year + 1 + n // MIN_WORKING_DAYS_PER_YEAR)
    before = table.cumulative[start.toordinal() + 1 - table.base]
    return datetime.date.fromordinal(int(table.working[before + n - 1]))


def working_days_between_ordinals(
    starts: np.ndarray, ends: np.ndarray, subdiv: str = DEFAULT_SUBDIVISION
) -> np.ndarray:
    """working_days_between for whole columns of date ordinals (date.toordinal()) at once."""
    if len(starts) == 0:
        return np.zeros(0, dtype=np.int64)
    low = int(min(starts.min(), ends.min()))
    high = int(max(starts.max(), ends.max()))
    table = calendar(
        subdiv, datetime.date.fromordinal(low).year, datetime.date.fromordinal(high).year
    )
    offset = 1 - table.base
    return table.cumulative[ends + offset] - table.cumulative[starts + offset]


def local_ordinals(utc_seconds: np.ndarray, tz: datetime.tzinfo) -> np.ndarray:
    """The local dates (as ordinals) of UTC instants given as seconds since 1970.

    The offset of the time zone is looked up at the start and the end of each UTC day that
    occurs, and for the instants of a day whose offset changes (daylight saving time) one by
    one."""
    if len(utc_seconds) == 0:
        return np.zeros(0, dtype=np.int64)

    def offset(seconds: int) -> int:
        moment = datetime.datetime.fromtimestamp(seconds, tz)
        return int(moment.utcoffset().total_seconds())

    days, where = np.unique(utc_seconds // DAY_SECONDS, return_inverse=True)
    starts = np.array([offset(int(day) * DAY_SECONDS) for day in days], dtype=np.int64)
    ends = np.array([offset(int(day) * DAY_SECONDS + DAY_SECONDS - 1) for day in days])
    offsets = starts[where]
    changing = np.flatnonzero((starts != ends)[where])
    offsets[changing] = [offset(int(seconds)) for seconds in utc_seconds[changing]]
    return (utc_seconds + offsets) // DAY_SECONDS + EPOCH_ORDINAL

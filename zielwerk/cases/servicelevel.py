"""Deadlines, overdue cases and the service level of cases (METHODS.md §6, goal 12.2.1).

Definitions (working days as in workdays.py: the day of receipt does not count; the Land is
settings.ZIELWERK_HOLIDAY_SUBDIVISION):

- Dates are local dates (settings.TIME_ZONE) of received_at, first_answer_at and completed_at.
  A case is open while completed_at is empty. The completion is also a first answer, so a case
  completed without a recorded first answer was first answered on completion.
- Handling time: working days from receipt to completion. A case is within its completion
  standard when the handling time is at most the category's completion_days, and first answered
  within standard when the first answer took at most first_answer_days. The due date of a
  standard is add_working_days(received, days); a case becomes overdue on the first working day
  after it, so an answer on a weekend right after the due date is still within.
- Overdue: an open case whose completion standard has passed, or that has no first answer yet
  and whose first-answer standard has passed.
- The service level of a period counts the cases completed in it (by completion date), per
  category and in total over the categories asked for; cases without a category have no
  standard and are only counted apart. Shares are percentages of those cases. Median and 90th
  percentile of the handling time use the nearest-rank method: the P-th percentile is the
  smallest handling time that at least P percent of the cases do not exceed, i.e. the value at
  rank ceil(P/100 · n) of the sorted times. It is always a time that occurred; for an even n the
  median is the lower of the two middle values.
- "Open overdue" of a period counts the cases overdue at its end, or today while the period is
  running: received by then, not completed by then.

The report reads two columns sets with two queries (completed in the period, open at its end)
and computes everything with numpy, so 100,000 cases take well under two seconds
(bench/bench_service_level.py)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import BooleanField, CharField, ExpressionWrapper, F, Q
from django.db.models.functions import Cast, Coalesce, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from zielwerk.cases.models import Case, CaseReminder, Category
from zielwerk.cases.workdays import (
    UnknownSubdivision,
    add_working_days,
    local_ordinals,
    working_days_between,
    working_days_between_ordinals,
)
from zielwerk.evaluation.services import EvaluationSummary, evaluate_edition
from zielwerk.goals.models import Edition
from zielwerk.indicators.models import Indicator
from zielwerk.indicators.values import (
    PROVISIONAL,
    StoreSummary,
    ValueRow,
    ValuesError,
    store_values,
)

INDICATOR_CODE = "12-2-1-servicegrad"
GOAL_CODE = "12.2.1"
SOURCE = "Fallbearbeitung mit Servicestandards (zielwerk service-level)"
PERCENTILES = (50, 90)
FIRST_YEAR = 2000


class ServiceLevelError(ValueError):
    """A period or store request that cannot be served; nothing was changed."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


def subdivision() -> str:
    return settings.ZIELWERK_HOLIDAY_SUBDIVISION


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def period_bounds(year: int, quarter: int | None = None) -> tuple[datetime.date, datetime.date]:
    """First and last day of a calendar year or of one of its quarters."""
    problems = []
    if not FIRST_YEAR <= year <= 2200:
        problems.append(
            _("Jahr %(year)d: erlaubt sind die Jahre %(first)d bis 2200.")
            % {"year": year, "first": FIRST_YEAR}
        )
    if quarter is not None and not 1 <= quarter <= 4:
        problems.append(
            _("Quartal %(quarter)d: erlaubt sind die Quartale 1 bis 4.") % {"quarter": quarter}
        )
    if problems:
        raise ServiceLevelError(problems)
    if quarter is None:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    start = datetime.date(year, 3 * quarter - 2, 1)
    following = datetime.date(year + quarter // 4, 3 * quarter % 12 + 1, 1)
    return start, following - datetime.timedelta(days=1)


# --- one case ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadlines:
    first_answer: datetime.date
    completion: datetime.date


def deadlines(case: Case) -> Deadlines | None:
    """The due dates of the case's standards; None without a category."""
    category = case.category
    if category is None:
        return None
    received = timezone.localdate(case.received_at)
    return Deadlines(
        add_working_days(received, category.first_answer_days, subdivision()),
        add_working_days(received, category.completion_days, subdivision()),
    )


@dataclass(frozen=True)
class Overdue:
    """A passed deadline of an open case; `late` counts working days past the due date."""

    case: Case
    kind: CaseReminder.Kind
    due: datetime.date
    late: int


def overdue_cases(today: datetime.date, cases: Iterable[Case] | None = None) -> list[Overdue]:
    """Every passed deadline of the open cases (or of those given) as of `today`, one entry per
    case and kind, oldest due date first."""
    if cases is None:
        cases = Case.objects.filter(
            completed_at__isnull=True, category__isnull=False, received_at__lt=_start_of(today)
        ).select_related("category", "owner__user", "unit")
    found = []
    for case in cases:
        limits = deadlines(case)
        if limits is None or case.completed_at is not None:
            continue
        received = timezone.localdate(case.received_at)
        elapsed = working_days_between(received, today, subdivision())
        standards = [(CaseReminder.Kind.COMPLETION, case.category.completion_days)]
        if case.first_answer_at is None:
            standards.insert(0, (CaseReminder.Kind.FIRST_ANSWER, case.category.first_answer_days))
        for kind, days in standards:
            if elapsed > days:
                due = add_working_days(received, days, subdivision())
                found.append(Overdue(case, kind, due, elapsed - days))
    return sorted(found, key=lambda o: (o.due, o.case.number, o.kind))


# --- the service level of a period ------------------------------------------------------------


@dataclass(frozen=True)
class LevelRow:
    """The service level of one category, or of all (category None)."""

    category: Category | None
    completed: int
    within: int
    first_within: int
    median: int | None
    p90: int | None
    overdue: int

    @property
    def share_within(self) -> float | None:
        return 100 * self.within / self.completed if self.completed else None

    @property
    def share_first_within(self) -> float | None:
        return 100 * self.first_within / self.completed if self.completed else None


@dataclass(frozen=True)
class ServiceLevelReport:
    start: datetime.date
    end: datetime.date
    # The day the overdue counts refer to: the period's end, or today while it runs.
    reference: datetime.date
    rows: list[LevelRow]
    total: LevelRow
    # Cases completed in the period without a category (no standard, not in the rows).
    uncategorised: int = 0

    def row(self, category: Category) -> LevelRow | None:
        return next((r for r in self.rows if r.category == category), None)


def nearest_rank(sorted_values: np.ndarray, percent: int) -> int | None:
    """The nearest-rank percentile of ascending values (see the module docstring)."""
    count = len(sorted_values)
    if not count:
        return None
    rank = max(1, -(-percent * count // 100))
    return int(sorted_values[rank - 1])


def _utc_text(field: str | Coalesce) -> Substr:
    """A stored moment as text "YYYY-MM-DD HH:MM:SS" in UTC, the way both SQLite and
    PostgreSQL (whose connection Django sets to UTC) print it: numpy reads a column of them
    at once, where converting each value to a local date in Python took seconds for 100,000
    cases."""
    expression = F(field) if isinstance(field, str) else field
    return Substr(Cast(expression, CharField()), 1, 19)


def _local_dates(texts: Iterable[str]) -> np.ndarray:
    seconds = np.array(list(texts), dtype="datetime64[s]").astype(np.int64)
    return local_ordinals(seconds, timezone.get_current_timezone())


def _columns(rows: list[tuple], count: int) -> list[np.ndarray]:
    """The category ids and the local dates of each moment column of query rows as arrays."""
    columns = list(zip(*rows, strict=True)) if rows else [()] * count
    return [np.array(columns[0], dtype=np.int64)] + [_local_dates(c) for c in columns[1:]]


def service_level(
    categories: Iterable[Category],
    start: datetime.date,
    end: datetime.date,
    today: datetime.date | None = None,
) -> ServiceLevelReport:
    """The service level of the categories for the cases completed from start to end
    (inclusive), with the open overdue cases at the period's end."""
    categories = list(categories)
    today = today or timezone.localdate()
    reference = min(end, today)
    subdiv = subdivision()
    ids = np.array([c.pk for c in categories], dtype=np.int64)
    first_days = np.array([c.first_answer_days for c in categories], dtype=np.int64)
    completion_days = np.array([c.completion_days for c in categories], dtype=np.int64)
    order = np.argsort(ids)

    def positions(category_ids: np.ndarray) -> np.ndarray:
        return order[np.searchsorted(ids[order], category_ids)]

    after_end = _start_of(end + datetime.timedelta(days=1))
    done = Case.objects.filter(completed_at__gte=_start_of(start), completed_at__lt=after_end)
    uncategorised = done.filter(category__isnull=True).count()
    completed_rows = list(
        done.filter(category__in=ids.tolist())
        .annotate(
            received=_utc_text("received_at"),
            first=_utc_text(Coalesce("first_answer_at", "completed_at")),
            completed=_utc_text("completed_at"),
        )
        .values_list("category_id", "received", "first", "completed")
        .order_by()
    )
    category_of, received, first, completed = _columns(completed_rows, 4)
    where = positions(category_of)
    handling = working_days_between_ordinals(received, completed, subdiv)
    within = handling <= completion_days[where]
    first_within = working_days_between_ordinals(received, first, subdiv) <= first_days[where]

    after_reference = _start_of(reference + datetime.timedelta(days=1))
    open_rows = list(
        Case.objects.filter(category__in=ids.tolist(), received_at__lt=after_reference)
        .filter(Q(completed_at__isnull=True) | Q(completed_at__gte=after_reference))
        .annotate(
            received=_utc_text("received_at"),
            answered=ExpressionWrapper(
                Q(first_answer_at__lt=after_reference), output_field=BooleanField()
            ),
        )
        .values_list("category_id", "received", "answered")
        .order_by()
    )
    open_category, open_received = _columns([row[:2] for row in open_rows], 2)
    answered = np.array([bool(row[2]) for row in open_rows], dtype=bool)
    open_where = positions(open_category)
    elapsed = working_days_between_ordinals(
        open_received, np.full(len(open_rows), reference.toordinal(), dtype=np.int64), subdiv
    )
    overdue = (elapsed > completion_days[open_where]) | (
        ~answered & (elapsed > first_days[open_where])
    )

    def level(category: Category | None, chosen: np.ndarray, open_chosen: np.ndarray) -> LevelRow:
        times = np.sort(handling[chosen])
        median, p90 = (nearest_rank(times, p) for p in PERCENTILES)
        return LevelRow(
            category=category,
            completed=len(times),
            within=int(within[chosen].sum()),
            first_within=int(first_within[chosen].sum()),
            median=median,
            p90=p90,
            overdue=int(overdue[open_chosen].sum()),
        )

    rows = [
        level(category, where == index, open_where == index)
        for index, category in enumerate(categories)
    ]
    total = level(None, np.ones(len(where), dtype=bool), np.ones(len(open_where), dtype=bool))
    return ServiceLevelReport(start, end, reference, rows, total, uncategorised)


def check_subdivision() -> None:
    """A ServiceLevelError when the configured Land is unknown to the holidays package."""
    try:
        working_days_between(datetime.date(2025, 1, 1), datetime.date(2025, 1, 2), subdivision())
    except UnknownSubdivision as error:
        raise ServiceLevelError(
            [
                _(
                    "ZIELWERK_HOLIDAY_SUBDIVISION: „%(code)s“ ist kein Land, dessen Feiertage "
                    "bekannt sind (z. B. BW, BY, NW)."
                )
                % {"code": error.subdiv}
            ]
        ) from error


# --- indicator values -------------------------------------------------------------------------


@dataclass
class StoreResult:
    report: ServiceLevelReport
    rows: list[ValueRow]
    summary: StoreSummary | None = None
    evaluation: EvaluationSummary | None = None
    notes: list[str] = field(default_factory=list)


def _note(row: LevelRow) -> str:
    return _("%(within)d von %(completed)d Fällen fristgerecht erledigt") % {
        "within": row.within,
        "completed": row.completed,
    }


def value_rows(
    report: ServiceLevelReport, total_indicator: Indicator, year: int, today: datetime.date
) -> tuple[list[ValueRow], list[str]]:
    """The values of a year's report: the share of all categories for the 12.2.1 indicator,
    each category's own share for its indicator; and notes on what was left out."""
    flags = PROVISIONAL if year == today.year else ""
    candidates = [(total_indicator, report.total)]
    candidates += [(row.category.indicator, row) for row in report.rows if row.category.indicator]
    rows, notes = [], []
    for indicator, row in candidates:
        name = row.category.name if row.category else _("alle Kategorien")
        if row.category and indicator.pk == total_indicator.pk:
            notes.append(
                _(
                    "Kategorie „%(name)s“: ihr Indikator %(code)s erhält den Anteil aller "
                    "Kategorien, nicht ihren eigenen."
                )
                % {"name": name, "code": indicator.code}
            )
        elif row.share_within is None:
            notes.append(
                _("%(name)s: %(year)d wurde kein Fall erledigt, kein Wert für %(code)s.")
                % {"name": name, "year": year, "code": indicator.code}
            )
        else:
            rows.append(
                ValueRow(
                    indicator=indicator,
                    year=year,
                    value=row.share_within,
                    flags=flags,
                    source=SOURCE,
                    note=_note(row),
                )
            )
    return rows, notes


def record_service_level(
    year: int,
    today: datetime.date,
    *,
    revision_reason: str = "",
    dry_run: bool = False,
    evaluate: bool = True,
    user: AbstractBaseUser | None = None,
) -> StoreResult:
    """Store the yearly share within standard as approved values (see value_rows), the current
    year as provisional ("p"), and evaluate the current edition again so that the goals'
    status follows. A closed reporting year changes only with `revision_reason`. A dry run
    rolls everything back. Raises ServiceLevelError (nothing stored) for a bad year, a missing
    indicator or a refused value."""
    check_subdivision()
    start, end = period_bounds(year)
    if year > today.year:
        raise ServiceLevelError(
            [
                _("Jahr %(year)d: gespeichert werden nur Jahre bis zum laufenden Jahr %(current)d.")
                % {"year": year, "current": today.year}
            ]
        )
    indicator = Indicator.objects.filter(code=INDICATOR_CODE).first()
    if indicator is None:
        raise ServiceLevelError(
            [
                _(
                    "Es gibt keinen Indikator mit der Kennung „%(code)s“. Legen Sie ihn für das "
                    "operative Ziel %(goal)s an, bevor der Servicelevel gespeichert wird."
                )
                % {"code": INDICATOR_CODE, "goal": GOAL_CODE}
            ]
        )
    categories = Category.objects.select_related("indicator")
    report = service_level(categories, start, end, today)
    rows, notes = value_rows(report, indicator, year, today)
    result = StoreResult(report, rows, notes=notes)
    if not rows:
        return result
    edition = Edition.objects.filter(is_current=True).first()
    try:
        with transaction.atomic():
            result.summary = store_values(
                rows,
                source_name=_("Servicelevel der Fälle"),
                user=user,
                approve=True,
                reason=_("Servicelevel der Fälle neu berechnet"),
                revision_reason=revision_reason,
            )
            if evaluate and edition is not None:
                result.evaluation = evaluate_edition(edition, today, user)
            if dry_run:
                transaction.set_rollback(True)
    except ValuesError as error:
        raise ServiceLevelError(error.errors) from error
    return result

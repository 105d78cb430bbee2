"""Reading measures and the coverage of the goals for the public pages.

Everything here shows released content only: released measures, released status reports,
milestones of measures (never their internal tasks) and approved indicator values."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import groupby
from urllib.parse import urlencode

from django.db.models import Count, F, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zielwerk.evaluation.queries import latest_run
from zielwerk.goals.models import Edition, Field, OperativeGoal, StrategicGoal
from zielwerk.indicators.values import public_values
from zielwerk.measures.models import Measure, MeasureStatus, StatusReport
from zielwerk.measures.queries import (
    Progress,
    latest_public_report,
    progress_of,
    public_measures,
    read_measure_filter,
)
from zielwerk.org.models import OrgUnit

# --- measures of a goal and the list of measures ----------------------------------------------


@dataclass(frozen=True)
class MeasureRow:
    """A released measure with what lists show of it."""

    measure: Measure
    progress: Progress | None
    report: StatusReport | None


def rows_of(measures: Iterable[Measure]) -> list[MeasureRow]:
    """Rows of measures from public_measures(), without further queries."""
    return [MeasureRow(m, progress_of(m), latest_public_report(m)) for m in measures]


def measures_of_goal(goal: OperativeGoal) -> list[MeasureRow]:
    return rows_of(public_measures().filter(operative_goals=goal))


# Sort keys of the list; the end date puts measures without an end last.
SORTS: dict[str, tuple[Promise, tuple]] = {
    "number": (gettext_lazy("Nummer"), ("number",)),
    "title": (gettext_lazy("Titel"), ("title", "number")),
    "end": (gettext_lazy("Ende"), (F("end").asc(nulls_last=True), "number")),
}
FILTER_LABELS: dict[str, Promise] = {
    "field": gettext_lazy("Handlungsfeld"),
    "status": gettext_lazy("Status"),
    "unit": gettext_lazy("verantwortliche Einheit"),
    "priority": gettext_lazy("Priorität"),
}


@dataclass(frozen=True)
class FilterSelect:
    """One select of the filter form: its options as (value, label) and the chosen value."""

    name: str
    label: str
    options: list[tuple[str, str]]
    selected: str


@dataclass(frozen=True)
class SortLink:
    key: str
    label: str
    url: str
    is_active: bool


@dataclass
class MeasureListing:
    rows: list[MeasureRow]
    selects: list[FilterSelect]
    sort: str
    sort_links: dict[str, SortLink]
    # Why a filter or the sort order in the address was not applied.
    notes: list[str] = field(default_factory=list)
    is_filtered: bool = False


def _filter_options(edition: Edition | None) -> dict[str, list[tuple[str, str]]]:
    fields = edition.fields.all() if edition is not None else Field.objects.none()
    # Only units that answer for a released measure: the others would always list nothing.
    units = OrgUnit.objects.filter(measures__is_public=True).distinct().order_by("name")
    return {
        "field": [(str(f.number), f"{f.number} {f.title}") for f in fields],
        "status": [(s.key, s.label) for s in MeasureStatus.objects.all()],
        "unit": [(u.code, u.name) for u in units],
        "priority": [(str(value), str(label)) for value, label in Measure.Priority.choices],
    }


def measure_listing(params: Mapping[str, str], edition: Edition | None) -> MeasureListing:
    """Released measures filtered by Handlungsfeld (of `edition`), status, responsible unit
    and priority, and sorted as the address asks; what cannot be applied is ignored with a
    note instead of failing."""
    given = {name: params.get(name, "").strip() for name in FILTER_LABELS}
    measure_filter, errors = read_measure_filter(given, edition)
    chosen = {name: value for name, value in given.items() if value and name not in errors}
    notes = [
        _("Filter nicht angewendet: %(reason)s") % {"reason": error} for error in errors.values()
    ]
    sort = params.get("sort") or "number"
    if sort not in SORTS:
        notes.append(
            _("Die Sortierung „%(value)s“ gibt es nicht; sortiert wird nach Nummer.")
            % {"value": sort}
        )
        sort = "number"
    measures = measure_filter.apply(public_measures()).order_by(*SORTS[sort][1])
    options = _filter_options(edition)
    selects = [
        FilterSelect(name, str(label), options[name], chosen.get(name, ""))
        for name, label in FILTER_LABELS.items()
    ]
    sort_links = {
        key: SortLink(key, str(label), "?" + urlencode({**chosen, "sort": key}), key == sort)
        for key, (label, _order) in SORTS.items()
    }
    return MeasureListing(rows_of(measures), selects, sort, sort_links, notes, bool(chosen))


# --- timeline of one measure --------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """A phase gate, milestone or released status report at the date it is placed at: when
    it was passed or reached, otherwise when it is planned; a report at its period's end."""

    kind: str  # "gate", "milestone" or "report"
    date: datetime.date
    title: str
    planned: datetime.date | None = None
    done: datetime.date | None = None
    is_overdue: bool = False
    report: StatusReport | None = None

    @property
    def is_late(self) -> bool:
        return self.done is not None and self.planned is not None and self.done > self.planned


KIND_ORDER = {"gate": 0, "milestone": 1, "report": 2}


def timeline_of(measure: Measure, today: datetime.date) -> list[TimelineEntry]:
    """Gates, milestones and released reports of a measure from measure_details(), oldest
    first."""
    entries = [
        TimelineEntry(
            "gate",
            gate.passed_on or gate.planned_on,
            gate.get_phase_display(),
            gate.planned_on,
            gate.passed_on,
            gate.passed_on is None and gate.planned_on < today,
        )
        for gate in measure.gates.all()
    ]
    entries += [
        TimelineEntry(
            "milestone",
            item.done_on or item.due_on,
            item.title,
            item.due_on,
            item.done_on,
            item.done_on is None and item.due_on < today,
        )
        for item in measure.milestone_items
    ]
    entries += [
        TimelineEntry("report", report.period_end, report.period, report=report)
        for report in measure.public_reports
    ]
    return sorted(entries, key=lambda entry: (entry.date, KIND_ORDER[entry.kind]))


# --- coverage of the operative goals --------------------------------------------------------------

# A value counts as current when its period ended at most this many years before the
# reference date: municipal statistics usually arrive one to two years late, so three years
# leave room for that, while older figures no longer describe the present.
CURRENT_YEARS = 3


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def current_values_q(since: datetime.date) -> Q:
    """Values whose period (a year, or a month of it) ends on `since` or later."""
    return (
        Q(year__gt=since.year)
        | Q(year=since.year, month=0)
        | Q(year=since.year, month__gte=since.month)
    )


@dataclass(frozen=True)
class GoalCoverage:
    goal: OperativeGoal
    indicators: int
    current_indicators: int
    milestones: int
    measures: int

    @property
    def lacks_current_data(self) -> bool:
        """Measured by indicators, but none of them has a current approved value."""
        return self.indicators > 0 and self.current_indicators == 0

    @property
    def is_unmeasured(self) -> bool:
        return self.indicators == 0 and self.milestones == 0


@dataclass
class CoverageCounts:
    goals: int = 0
    without_indicator: int = 0
    without_current_data: int = 0
    unmeasured: int = 0
    without_measure: int = 0

    def add(self, row: GoalCoverage) -> None:
        self.goals += 1
        self.without_indicator += row.indicators == 0
        self.without_current_data += row.lacks_current_data
        self.unmeasured += row.is_unmeasured
        self.without_measure += row.measures == 0


@dataclass
class StrategicCoverage:
    goal: StrategicGoal
    rows: list[GoalCoverage]


@dataclass
class FieldCoverage:
    field: Field
    counts: CoverageCounts
    strategic_goals: list[StrategicCoverage]


@dataclass
class Coverage:
    # The date "current" is measured from: the latest evaluation, without one today.
    reference_date: datetime.date
    is_evaluation_date: bool
    current_since: datetime.date
    counts: CoverageCounts
    fields: list[FieldCoverage]


def _goal_coverage(edition: Edition, since: datetime.date) -> QuerySet[OperativeGoal]:
    current = public_values().filter(current_values_q(since)).values("indicator")
    return (
        OperativeGoal.objects.filter(strategic_goal__field__edition=edition)
        .select_related("strategic_goal__field")
        .annotate(
            indicator_count=Count("indicators", distinct=True),
            current_indicator_count=Count(
                "indicators", filter=Q(indicators__in=current), distinct=True
            ),
            milestone_count=Count("milestones", distinct=True),
            measure_count=Count("measures", filter=Q(measures__is_public=True), distinct=True),
        )
        .order_by("strategic_goal__field__number", "strategic_goal__number", "number")
    )


def coverage_of(edition: Edition, today: datetime.date) -> Coverage:
    """Per operative goal: indicators, of those with current approved values, milestones and
    released measures; counted up per Handlungsfeld and for the edition (one query for the
    goals, one for the latest evaluation)."""
    run = latest_run(edition)
    reference = run.evaluated_on if run is not None else today
    since = years_before(reference, CURRENT_YEARS)
    total = CoverageCounts()
    fields = []
    goals = _goal_coverage(edition, since)
    for field_obj, in_field in groupby(goals, key=lambda g: g.strategic_goal.field):
        counts = CoverageCounts()
        strategic = []
        for sg, in_goal in groupby(in_field, key=lambda g: g.strategic_goal):
            rows = [
                GoalCoverage(
                    g,
                    g.indicator_count,
                    g.current_indicator_count,
                    g.milestone_count,
                    g.measure_count,
                )
                for g in in_goal
            ]
            for row in rows:
                counts.add(row)
                total.add(row)
            strategic.append(StrategicCoverage(sg, rows))
        fields.append(FieldCoverage(field_obj, counts, strategic))
    return Coverage(reference, run is not None, since, total, fields)

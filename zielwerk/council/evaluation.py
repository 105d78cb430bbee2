"""Annual evaluation of the SEK-Check: for one calendar year (of the paper date), how many
papers affected each operative goal, how the ratings −2 … +2 spread over the Handlungsfelder
and the leading departments, which goals were hindered most often, and how many
Beschlussvorlagen were checked, exempt or still open.

Ratings come from approved checks ("checked") of papers not deleted in the source, rating goals
of the given edition; the public sees published checks only (public_only). The shares of
checked, exempt and open papers are counts over all Beschlussvorlagen of the year, the same
figures as the coverage indicator (coverage.py), and reveal nothing of an unpublished check.

Every function reads the ratings of a year in one query and the goal tree in another, whatever
the number of goals."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear

from zielwerk.council.coverage import Counts, coverage_report
from zielwerk.council.models import Check, Rating
from zielwerk.goals.models import Edition, Field, OperativeGoal

SCORES = (-2, -1, 0, 1, 2)
# How many of the most often hindered goals the evaluation names.
HINDERED_TOP = 5


@dataclass
class ScoreCounts:
    """How often each rating −2 … +2 was given."""

    counts: Counter = field(default_factory=Counter)

    def add(self, score: int, times: int = 1) -> None:
        self.counts[score] += times

    @property
    def cells(self) -> list[int]:
        """The counts in the order of SCORES (−2 first)."""
        return [self.counts[score] for score in SCORES]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def hindering(self) -> int:
        return self.counts[-1] + self.counts[-2]

    @property
    def supporting(self) -> int:
        return self.counts[1] + self.counts[2]


@dataclass
class GoalRatings:
    goal: OperativeGoal
    # One rating per paper and goal, so the total is the number of papers affecting the goal.
    scores: ScoreCounts = field(default_factory=ScoreCounts)


@dataclass
class GroupRatings:
    """Ratings of one Handlungsfeld (field set) or one leading department (field None; label
    empty for papers without one)."""

    label: str
    scores: ScoreCounts = field(default_factory=ScoreCounts)
    field: Field | None = None


@dataclass
class AnnualEvaluation:
    year: int
    edition: Edition
    public_only: bool
    # Approved (and, for the public, published) checks of the year.
    checks: int
    # Of those, checks that found no goal affected.
    checks_without_ratings: int
    goals: list[GoalRatings]
    fields: list[GroupRatings]
    departments: list[GroupRatings]
    hindered: list[GoalRatings]
    # Beschlussvorlagen of the year since the start of the SEK-Check; None before it.
    papers: Counts | None

    @property
    def ratings(self) -> int:
        return sum(row.scores.total for row in self.goals)

    @property
    def is_empty(self) -> bool:
        return not self.checks and self.papers is None


def approved_checks(edition: Edition, public_only: bool) -> QuerySet[Check]:
    """Approved checks rating goals of the edition, of papers not deleted in the source."""
    checks = Check.objects.filter(
        edition=edition, state=Check.State.CHECKED, paper__deleted=False, paper__date__isnull=False
    )
    return checks.filter(is_public=True) if public_only else checks


def _ratings(edition: Edition, public_only: bool) -> QuerySet[Rating]:
    return Rating.objects.filter(
        check_ref__in=approved_checks(edition, public_only),
        goal__strategic_goal__field__edition=edition,
    )


def _goal_tree(edition: Edition) -> list[OperativeGoal]:
    return list(
        OperativeGoal.objects.filter(strategic_goal__field__edition=edition)
        .select_related("strategic_goal__field")
        .order_by("strategic_goal__field__number", "strategic_goal__number", "number")
    )


def annual_evaluation(edition: Edition, year: int, *, public_only: bool = True) -> AnnualEvaluation:
    """The evaluation of one calendar year (see the module docstring)."""
    checks = approved_checks(edition, public_only).filter(paper__date__year=year)
    counted = checks.aggregate(
        checks=Count("id", distinct=True), rated=Count("ratings__check_ref", distinct=True)
    )
    rows = (
        _ratings(edition, public_only)
        .filter(check_ref__paper__date__year=year)
        .values_list(
            "goal_id", "score", "check_ref__paper__unit__name", "check_ref__paper__department"
        )
    )
    goals = {goal.pk: GoalRatings(goal) for goal in _goal_tree(edition)}
    fields: dict[int, GroupRatings] = {}
    departments: dict[str, GroupRatings] = {}
    for goal_id, score, unit_name, department in rows:
        row = goals[goal_id]
        row.scores.add(score)
        field_ = row.goal.strategic_goal.field
        group = fields.setdefault(
            field_.pk, GroupRatings(f"{field_.number} {field_.title}", field=field_)
        )
        group.scores.add(score)
        # Empty where the paper names no department; pages say so in their language.
        label = unit_name or department or ""
        departments.setdefault(label, GroupRatings(label)).scores.add(score)
    rated = [row for row in goals.values() if row.scores.total]
    hindered = sorted(
        (row for row in rated if row.scores.hindering),
        key=lambda row: (-row.scores.hindering, -row.scores.counts[-2]),
    )[:HINDERED_TOP]
    found = coverage_report().year(year)
    return AnnualEvaluation(
        year=year,
        edition=edition,
        public_only=public_only,
        checks=counted["checks"],
        checks_without_ratings=counted["checks"] - counted["rated"],
        goals=rated,
        fields=sorted(fields.values(), key=lambda group: group.field.number),
        departments=sorted(departments.values(), key=lambda g: (-g.scores.total, g.label)),
        hindered=hindered,
        papers=found.counts if found is not None else None,
    )


def evaluation_years(edition: Edition, *, public_only: bool = True) -> list[int]:
    """Years with approved (published) checks or with Beschlussvorlagen since the start of the
    SEK-Check, newest first."""
    years = set(
        approved_checks(edition, public_only)
        .annotate(year=ExtractYear("paper__date"))
        .values_list("year", flat=True)
        .order_by()
        .distinct()
    )
    years |= {row.year for row in coverage_report().years}
    return sorted(years, reverse=True)


@dataclass
class YearStatistics:
    year: int
    papers: Counts | None
    cumulative: Counts | None
    checks: int
    scores: ScoreCounts


def statistics_by_year(edition: Edition, *, public_only: bool = True) -> list[YearStatistics]:
    """Per year, newest first: the coverage counts and the distribution of the ratings of the
    approved (published) checks, in three queries for all years."""
    report = coverage_report()
    checks = dict(
        approved_checks(edition, public_only)
        .annotate(year=ExtractYear("paper__date"))
        .values("year")
        .annotate(count=Count("id"))
        .values_list("year", "count")
        .order_by()
    )
    scores: dict[int, ScoreCounts] = defaultdict(ScoreCounts)
    for year, score, count in (
        _ratings(edition, public_only)
        .annotate(year=ExtractYear("check_ref__paper__date"))
        .values("year", "score")
        .annotate(count=Count("id"))
        .values_list("year", "score", "count")
        .order_by()
    ):
        scores[year].add(score, count)
    years = sorted(set(checks) | {row.year for row in report.years}, reverse=True)
    result = []
    for year in years:
        coverage = report.year(year)
        result.append(
            YearStatistics(
                year=year,
                papers=coverage.counts if coverage else None,
                cumulative=coverage.cumulative if coverage else None,
                checks=checks.get(year, 0),
                scores=scores[year],
            )
        )
    return result

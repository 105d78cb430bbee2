"""Reading measures: what the public may see, progress, and the latest released status."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext as _

from zielwerk.council.models import Paper
from zielwerk.council.queries import published_checks
from zielwerk.goals.models import Edition, Field, OperativeGoal
from zielwerk.goals.queries import find_goal
from zielwerk.indicators.models import Indicator
from zielwerk.measures.models import Measure, MeasureStatus, StatusReport, WorkItem
from zielwerk.org.models import OrgUnit


def with_milestones(measures: QuerySet[Measure]) -> QuerySet[Measure]:
    """Measures with their milestones fetched, as progress_of() needs them."""
    return measures.prefetch_related(
        Prefetch(
            "work_items",
            queryset=WorkItem.objects.filter(kind=WorkItem.Kind.MILESTONE),
            to_attr="milestone_items",
        )
    )


def released_reports() -> Prefetch:
    """The released status reports as `public_reports`, newest first (latest_public_report)."""
    return Prefetch(
        "status_reports",
        queryset=StatusReport.objects.filter(is_public=True),
        to_attr="public_reports",
    )


def public_measures() -> QuerySet[Measure]:
    """Measures released by the strategy office, with what list pages show."""
    return with_milestones(
        Measure.objects.filter(is_public=True)
        .select_related("status", "responsible_unit")
        .prefetch_related(
            "operative_goals__strategic_goal__field",
            released_reports(),
        )
    )


@dataclass(frozen=True)
class Progress:
    percent: int
    # "percent" when staff entered it, "milestones" when counted from reached milestones.
    basis: str
    reached: int = 0
    total: int = 0


def progress_of(measure: Measure) -> Progress | None:
    """Progress as entered in percent, otherwise the share of milestones reached.

    Works on measures from public_measures() without further queries."""
    if measure.progress_percent is not None:
        return Progress(measure.progress_percent, "percent")
    milestones = getattr(measure, "milestone_items", None)
    if milestones is None:
        milestones = list(measure.work_items.filter(kind=WorkItem.Kind.MILESTONE))
    if not milestones:
        return None
    reached = sum(1 for item in milestones if item.done_on is not None)
    return Progress(round(100 * reached / len(milestones)), "milestones", reached, len(milestones))


def latest_public_report(measure: Measure) -> StatusReport | None:
    """The newest released status report (reports are ordered newest first)."""
    reports = getattr(measure, "public_reports", None)
    if reports is None:
        reports = list(measure.status_reports.filter(is_public=True)[:1])
    return reports[0] if reports else None


def sees_unreleased_measures(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Staff with a role read measures and status reports before they are released."""
    return user.has_perm("measures.view_measure")


def measure_details(*, released_only: bool = True) -> QuerySet[Measure]:
    """Measures with every part a measure page or API record shows, in a fixed number of
    queries: goals, indicators with their goals, funding, gates, milestones, status reports.

    released_only (the public): released measures, released reports and goals of published
    editions only; otherwise (staff) everything. `visible_reports` holds the reports the
    reader may see, `public_reports` the released ones for latest_public_report()."""
    measures = Measure.objects.all()
    reports = StatusReport.objects.all()
    goals = OperativeGoal.objects.select_related("strategic_goal__field__edition")
    if released_only:
        measures = measures.filter(is_public=True)
        reports = reports.filter(is_public=True)
        goals = goals.filter(strategic_goal__field__edition__is_published=True)
    indicators = Indicator.objects.prefetch_related(Prefetch("operative_goals", queryset=goals))
    return with_milestones(
        measures.select_related("status", "responsible_unit").prefetch_related(
            "participating_units",
            "funding_sources",
            "gates",
            Prefetch("operative_goals", queryset=goals),
            Prefetch("indicators", queryset=indicators),
            released_reports(),
            Prefetch("status_reports", queryset=reports, to_attr="visible_reports"),
            Prefetch("papers", queryset=_linked_papers()),
        )
    )


def _linked_papers() -> QuerySet[Paper]:
    # A council paper's number and title are public record; its SEK-Check only once published.
    checked = published_checks().filter(paper=OuterRef("pk"))
    return (
        Paper.objects.filter(deleted=False)
        .annotate(has_public_check=Exists(checked))
        .order_by("-date", "reference")
    )


@dataclass(frozen=True)
class MeasureFilter:
    """Filters of a list of measures; None filters nothing."""

    field: Field | None = None
    goal: OperativeGoal | None = None
    status: MeasureStatus | None = None
    unit: OrgUnit | None = None
    priority: int | None = None

    def apply(self, measures: QuerySet[Measure]) -> QuerySet[Measure]:
        if self.status is not None:
            measures = measures.filter(status=self.status)
        if self.unit is not None:
            measures = measures.filter(responsible_unit=self.unit)
        if self.priority is not None:
            measures = measures.filter(priority=self.priority)
        if self.field is None and self.goal is None:
            return measures
        goals = OperativeGoal.objects.all()
        if self.field is not None:
            goals = goals.filter(strategic_goal__field=self.field)
        if self.goal is not None:
            goals = goals.filter(pk=self.goal.pk)
        # A subquery rather than a join, so that a measure serving two matching goals
        # appears once.
        return measures.filter(
            pk__in=Measure.objects.filter(operative_goals__in=goals).values("pk")
        )


def read_measure_filter(
    params: Mapping[str, str], edition: Edition | None
) -> tuple[MeasureFilter, dict[str, str]]:
    """The filters named in params (field, goal, status, unit, priority), looked up in
    `edition` where they name goals. Empty values filter nothing; a value that names nothing
    is left out and explained, by parameter, in the returned messages."""
    found: dict[str, object] = {}
    errors: dict[str, str] = {}
    edition_name = edition.name if edition is not None else "–"

    def given(name: str) -> str:
        return (params.get(name) or "").strip()

    if value := given("field"):
        field = None
        if value.isdigit() and edition is not None:
            field = edition.fields.filter(number=int(value)).first()
        if field is None:
            errors["field"] = _(
                "Die Ausgabe „%(edition)s“ hat kein Handlungsfeld mit der Nummer „%(value)s“."
            ) % {"edition": edition_name, "value": value}
        found["field"] = field
    if value := given("goal"):
        goal = find_goal(edition, value) if edition is not None else None
        if not isinstance(goal, OperativeGoal):
            errors["goal"] = _(
                "Die Ausgabe „%(edition)s“ hat kein operatives Ziel mit der Nummer „%(value)s“."
            ) % {"edition": edition_name, "value": value}
            goal = None
        found["goal"] = goal
    if value := given("status"):
        found["status"] = MeasureStatus.objects.filter(key=value).first()
        if found["status"] is None:
            errors["status"] = _("Es gibt keinen Maßnahmenstatus mit der Kennung „%(value)s“.") % {
                "value": value
            }
    if value := given("unit"):
        found["unit"] = OrgUnit.objects.filter(code=value).first()
        if found["unit"] is None:
            errors["unit"] = _("Es gibt keine Organisationseinheit mit dem Kürzel „%(value)s“.") % {
                "value": value
            }
    if value := given("priority"):
        if value.isdigit() and int(value) in Measure.Priority.values:
            found["priority"] = int(value)
        else:
            allowed = ", ".join(f"{key} ({label})" for key, label in Measure.Priority.choices)
            errors["priority"] = _(
                "Die Priorität „%(value)s“ gibt es nicht; erlaubt sind %(allowed)s."
            ) % {"value": value, "allowed": allowed}
    return MeasureFilter(**found), errors

"""Reading indicators and milestones for their public pages: where an indicator belongs, its
approved values as table and chart, its status now and in earlier evaluations, the revisions
of closed years; the milestones of an edition by Handlungsfeld.

Only published editions and approved values reach these pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.db.models import F, Q
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zielwerk.evaluation.models import EvaluationRun, StatusRecord
from zielwerk.evaluation.queries import latest_run
from zielwerk.evaluation.services import engine_direction, headline_series, rate_indicator
from zielwerk.goals.models import Edition, Field, OperativeGoal
from zielwerk.goals.queries import current_edition
from zielwerk.indicators.models import Indicator, Milestone, Target, Value, ValueRevision
from zielwerk.indicators.values import YEARS, public_values
from zielwerk.report.charts import Band, Chart, Limit, Mark, Projection, TargetPoint, render_svg
from zielwerk.report.templatetags.content_tags import content_text
from zielwerk.report.templatetags.status_tags import number
from zielwerk.status import (
    Comparator,
    ProgressResult,
    Relative,
    Series,
    WeatherResult,
)
from zielwerk.status.weather import WeatherRule, to_absolute

LAST_YEAR = YEARS[-1]


# --- which indicator, in which edition -----------------------------------------------------


def public_goals(indicator: Indicator, edition: Edition) -> list[OperativeGoal]:
    """The operative goals the indicator measures in published editions and in `edition`
    (which staff may see unpublished), newest edition first."""
    return list(
        indicator.operative_goals.filter(
            Q(strategic_goal__field__edition__is_published=True)
            | Q(strategic_goal__field__edition=edition)
        )
        .select_related("strategic_goal__field__edition")
        .order_by(
            "-strategic_goal__field__edition__is_current",
            "-strategic_goal__field__edition__created_at",
            "strategic_goal__field__number",
            "strategic_goal__number",
            "number",
        )
    )


def indicator_in_edition(code: str, edition: Edition | None) -> tuple[Indicator, Edition] | None:
    """The indicator with this code and the edition its page speaks of.

    With an edition (an edition-qualified address) the indicator must measure a goal of it.
    Without one it is the current edition when the indicator measures one of its goals, else
    the newest published edition where it does; an indicator outside every published edition
    has no public page."""
    indicator = Indicator.objects.select_related("owner").filter(code=code).first()
    if indicator is None:
        return None
    editions = Edition.objects.filter(
        fields__strategic_goals__operative_goals__indicators=indicator
    ).distinct()
    if edition is not None:
        return (indicator, edition) if editions.filter(pk=edition.pk).exists() else None
    current = current_edition()
    if current is not None and editions.filter(pk=current.pk).exists():
        return indicator, current
    found = editions.filter(is_published=True).order_by("-created_at").first()
    return (indicator, found) if found is not None else None


# --- the page ------------------------------------------------------------------------------


@dataclass
class IndicatorPage:
    indicator: Indicator
    edition: Edition
    goals: list[OperativeGoal]
    targets: list[Target]
    values: list[Value]
    run: EvaluationRun | None
    record: StatusRecord | None
    history: list[StatusRecord]
    revisions: list[ValueRevision]
    chart: SafeString
    # Which optional columns the table of values needs.
    breakdowns: bool = field(init=False)
    flags: bool = field(init=False)
    sources: bool = field(init=False)

    def __post_init__(self) -> None:
        self.breakdowns = any(v.disaggregation_key for v in self.values)
        self.flags = any(v.flags for v in self.values)
        self.sources = any(v.source for v in self.values)

    @property
    def goals_of_edition(self) -> list[OperativeGoal]:
        return [g for g in self.goals if g.strategic_goal.field.edition_id == self.edition.pk]


def indicator_page(indicator: Indicator, edition: Edition) -> IndicatorPage:
    targets = list(indicator.targets.filter(is_current=True))
    run = latest_run(edition)
    record = (
        StatusRecord.objects.filter(
            run=run, subject=StatusRecord.Subject.INDICATOR, indicator=indicator
        ).first()
        if run is not None
        else None
    )
    return IndicatorPage(
        indicator=indicator,
        edition=edition,
        goals=public_goals(indicator, edition),
        targets=targets,
        values=list(
            public_values().filter(indicator=indicator).order_by("disaggregation_key", "year")
        ),
        run=run,
        record=record,
        history=status_history(indicator, edition),
        revisions=public_revisions(indicator),
        chart=indicator_chart(indicator, targets, run),
    )


def status_history(indicator: Indicator, edition: Edition) -> list[StatusRecord]:
    """The indicator's status per evaluation date, newest first: of each edition and date only
    the latest run counts (a later run of the same day replaced the earlier one)."""
    records = (
        StatusRecord.objects.filter(subject=StatusRecord.Subject.INDICATOR, indicator=indicator)
        .filter(Q(run__edition__is_published=True) | Q(run__edition=edition))
        .select_related("run__edition")
        .order_by("-run__evaluated_on", "-run__created_at")
    )
    seen: set[tuple[int, object]] = set()
    history = []
    for record in records:
        key = (record.run.edition_id, record.run.evaluated_on)
        if key not in seen:
            seen.add(key)
            history.append(record)
    return history


def public_revisions(indicator: Indicator) -> list[ValueRevision]:
    """Revisions of closed years whose new figure is the approved, public one; a revision still
    waiting for approval would show a number the public may not see yet."""
    return list(
        ValueRevision.objects.filter(
            indicator=indicator,
            value__state=Value.State.APPROVED,
            value__value=F("new_value"),
        ).order_by("-revised_at")
    )


# --- the chart -----------------------------------------------------------------------------


def _absolute(value: float, base_year: int | None, series: Series) -> float | None:
    """A target value as an absolute number; a value relative to a base year without a value
    in that year has none."""
    if base_year is None:
        return value
    try:
        return to_absolute(Relative(base_year, value), series)
    except ValueError:
        return None


def target_marks(indicator: Indicator, targets: Iterable[Target], series: Series) -> list[Mark]:
    """What the chart draws of the current targets: a point for a value in a target year, a
    line for a limit, a band for a range; "only a direction" has nothing to draw."""
    digits = indicator.decimals
    marks: list[Mark] = []
    for target in targets:
        if target.kind == Target.Kind.INTERVAL:
            words = {"low": number(target.low, digits), "high": number(target.high, digits)}
            if target.target_year:
                label = _("Zielkorridor %(year)s: %(low)s–%(high)s") % {
                    **words,
                    "year": target.target_year,
                }
            else:
                label = _("Zielkorridor %(low)s–%(high)s") % words
            marks.append(Band(target.low, target.high, label))
            continue
        if target.kind not in (Target.Kind.VALUE_BY_YEAR, Target.Kind.FIXED_LIMIT):
            continue
        value = _absolute(target.value, target.base_year, series)
        if value is None:
            continue
        if target.kind == Target.Kind.VALUE_BY_YEAR:
            label = _("Ziel %(year)s: %(value)s") % {
                "year": target.target_year,
                "value": number(value, digits),
            }
            marks.append(TargetPoint(target.target_year, value, label))
        else:
            comparator = (
                Comparator(target.comparator)
                if target.comparator
                else Comparator.default_for(engine_direction(indicator))
            )
            label = _("Grenzwert %(comparator)s %(value)s") % {
                "comparator": comparator.symbol,
                "value": number(value, digits),
            }
            marks.append(Limit(value, label))
    return marks


def projection_of(result: WeatherResult | ProgressResult) -> Projection | None:
    """The development the status was derived from, carried on to the target year, when the
    method projects one (labelled by the caller).

    Weather symbols (METHODS.md §1(a)): the average change a of the rating window, linearly
    from the report year on. Progress measure (§2, method 2): the observed compound annual
    growth rate from the current value on. Limits, directions and reached targets project
    nothing."""
    if isinstance(result, ProgressResult):
        current, until = result.current, result.options.target_year
        if (
            result.cagr is None
            or result.target is None
            or result.target_achieved
            or current is None
            or until <= current.period
        ):
            return None
        return Projection(tuple(current), until, result.cagr, "", compound=True)
    for part in result.parts or (result,):
        window, req = part.window, part.requirement
        if (
            part.rule is WeatherRule.TARGET_YEAR
            and window is not None
            and req is not None
            and req.year is not None
            and part.average_change is not None
            and req.year > window.end.period
        ):
            return Projection(tuple(window.end), req.year, part.average_change, "")
    return None


def indicator_chart(
    indicator: Indicator, targets: list[Target], run: EvaluationRun | None
) -> SafeString:
    """The chart of the approved headline series with targets and projection, as SVG.

    The projection comes from the status engine run on the values up to the year of the latest
    evaluation, as the evaluation saw them, so that chart and status tell the same story."""
    series = headline_series([indicator], LAST_YEAR)[indicator.pk]
    marks = target_marks(indicator, targets, series)
    up_to = run.evaluated_on.year if run is not None else timezone.localdate().year
    rated = headline_series([indicator], up_to)[indicator.pk]
    projection = projection_of(rate_indicator(indicator, rated, targets)) if rated else None
    if projection is not None:
        year, value = projection.end
        projection = replace(
            projection,
            label=_("Projektion %(year)s: %(value)s")
            % {"year": period_text(year), "value": number(value, indicator.decimals)},
        )
    # render_svg escapes every text it writes.
    return mark_safe(
        render_svg(
            Chart(
                ident=f"chart-{indicator.pk}",
                title=_("Entwicklung: %(name)s") % {"name": content_text(indicator, "name")},
                description=chart_description(indicator, series, marks, projection),
                points=list(series.points),
                series_label=_("freigegebene Werte"),
                format_number=number,
                unit=content_text(indicator, "unit"),
                marks=marks,
                projection=projection,
                empty_text=_("Noch keine freigegebenen Werte."),
            )
        )
    )


def period_text(period: float) -> str:
    """2023 for a year, 2023-07 for a month (periods are float years, see values.period_of)."""
    year = int(period)
    month = round((period - year) * 12) + 1
    return str(year) if period == year else f"{year}-{month:02d}"


def chart_description(
    indicator: Indicator, series: Series, marks: list[Mark], projection: Projection | None
) -> str:
    """The text alternative of the chart: what a sighted reader takes from it."""
    if not series:
        return _("Für diesen Indikator gibt es noch keine freigegebenen Werte.")
    digits = indicator.decimals
    points = series.points
    first, last = points[0], points[-1]
    low = min(points, key=lambda p: p.value)
    high = max(points, key=lambda p: p.value)
    sentences = [
        ngettext(
            "Liniendiagramm mit %(count)d freigegebenen Wert (%(first)s).",
            "Liniendiagramm mit %(count)d freigegebenen Werten von %(first)s bis %(last)s.",
            len(points),
        )
        % {
            "count": len(points),
            "first": period_text(first.period),
            "last": period_text(last.period),
        },
        _("Letzter Wert: %(value)s (%(period)s).")
        % {
            "value": f"{number(last.value, digits)} {content_text(indicator, 'unit')}".strip(),
            "period": period_text(last.period),
        },
    ]
    if len(points) > 1:
        sentences.append(
            _(
                "Niedrigster Wert %(low)s (%(low_period)s), "
                "höchster Wert %(high)s (%(high_period)s)."
            )
            % {
                "low": number(low.value, digits),
                "low_period": period_text(low.period),
                "high": number(high.value, digits),
                "high_period": period_text(high.period),
            }
        )
    sentences += [f"{mark.label}." for mark in marks]
    if projection is not None:
        sentences.append(
            _("Gestrichelt: Fortsetzung der bisherigen Entwicklung, %(label)s.")
            % {"label": projection.label}
        )
    sentences.append(_("Alle Werte stehen auch in der Tabelle."))
    return " ".join(sentences)


# --- milestones ----------------------------------------------------------------------------


def milestones_by_field(edition: Edition) -> list[tuple[Field, list[Milestone]]]:
    """Every milestone of the edition's operative goals, by Handlungsfeld, in goal order and
    by deadline."""
    milestones = (
        Milestone.objects.filter(operative_goal__strategic_goal__field__edition=edition)
        .select_related("operative_goal__strategic_goal__field", "owner")
        .order_by(
            "operative_goal__strategic_goal__field__number",
            "operative_goal__strategic_goal__number",
            "operative_goal__number",
            "deadline",
            "pk",
        )
    )
    groups: list[tuple[Field, list[Milestone]]] = []
    for milestone in milestones:
        field_ = milestone.operative_goal.strategic_goal.field
        if not groups or groups[-1][0].pk != field_.pk:
            groups.append((field_, []))
        groups[-1][1].append(milestone)
    return groups

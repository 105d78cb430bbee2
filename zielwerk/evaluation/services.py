"""Evaluating an edition: the stored indicators, targets and milestones go through the status
engine (zielwerk.status), the results are rolled up the goal tree and stored per evaluation date
with a checksum of the data they came from.

Which targets the engine gets:
- the current targets of an indicator; several current "value in a target year" targets are
  stages of one target (the nearest target year still ahead counts), all other targets apply
  at the same time (the worst result counts);
- an indicator without a current target is rated by its desired direction alone (§1(c));
- the CAGR method (§2) takes the base year and natural limit of the indicator and, when there
  is one, the target value and target year of a current "value in a target year" target.
Only approved values of the headline series (no disaggregation, or the only series there is)
up to the year of the evaluation date count.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Prefetch

from zielwerk.evaluation.models import EvaluationRun, StatusRecord
from zielwerk.goals.models import Edition, Field, OperativeGoal, StrategicGoal
from zielwerk.indicators.models import Indicator, Milestone, Target, Value
from zielwerk.status import (
    Comparator,
    Direction,
    DirectionOnly,
    FixedLimit,
    Interval,
    Node,
    ProgressOptions,
    ProgressResult,
    Relative,
    RollUp,
    Series,
    Stages,
    ValueByYear,
    WeatherResult,
    rate_milestone,
    rate_progress,
    rate_weather,
    roll_up,
)
from zielwerk.status import Milestone as MilestoneInput
from zielwerk.status.milestones import Assessment, MilestoneResult
from zielwerk.status.progress import DEFAULT_TARGET_YEAR

IndicatorResult = WeatherResult | ProgressResult


@dataclass
class EvaluationSummary:
    run: EvaluationRun
    created: bool
    indicators: int
    milestones: int
    fields: list[tuple[Field, StatusRecord]]


# --- inputs --------------------------------------------------------------------------------


def headline_series(indicators: list[Indicator], up_to_year: int) -> dict[int, Series]:
    """Approved values of each indicator's headline series in one query, as engine series.

    The headline series is the one without disaggregation; an indicator whose values all carry
    the same breakdown (an Open SDG file with a Units column, say) has that one series."""
    points: dict[int, dict[str, list[tuple[float, float]]]] = defaultdict(lambda: defaultdict(list))
    rows = Value.objects.filter(
        indicator__in=indicators, state=Value.State.APPROVED, year__lte=up_to_year
    ).values_list("indicator_id", "disaggregation_key", "year", "month", "value")
    for indicator_id, key, year, month, value in rows:
        points[indicator_id][key].append((year + (month - 1) / 12 if month else year, value))
    series = {}
    for indicator in indicators:
        by_key = points[indicator.pk]
        headline = by_key.get("") or (next(iter(by_key.values())) if len(by_key) == 1 else [])
        series[indicator.pk] = Series.of(sorted(headline))
    return series


def engine_direction(indicator: Indicator) -> Direction:
    return Direction.INCREASE if indicator.direction == "increase" else Direction.DECREASE


def _target_value(target: Target) -> float | Relative:
    if target.base_year is not None:
        return Relative(target.base_year, target.value)
    return target.value


def engine_targets(indicator: Indicator, targets: list[Target]):
    """The indicator's current targets in the engine's terms (see module docstring)."""
    direction = engine_direction(indicator)
    by_year = [
        ValueByYear(direction, _target_value(t), t.target_year)
        for t in targets
        if t.kind == Target.Kind.VALUE_BY_YEAR
    ]
    others: list[Any] = []
    for t in targets:
        if t.kind == Target.Kind.FIXED_LIMIT:
            others.append(FixedLimit(direction, _target_value(t), Comparator(t.comparator)))
        elif t.kind == Target.Kind.DIRECTION_ONLY:
            others.append(DirectionOnly(direction))
        elif t.kind == Target.Kind.INTERVAL:
            others.append(Interval(direction, (t.low, t.high), t.target_year))
    if len(by_year) == 1:
        others.append(by_year[0])
    elif by_year:
        others.append(Stages(tuple(sorted(by_year, key=lambda s: s.year))))
    return others or [DirectionOnly(direction)]


def progress_options(indicator: Indicator, targets: list[Target]) -> ProgressOptions:
    by_year = [t for t in targets if t.kind == Target.Kind.VALUE_BY_YEAR and t.base_year is None]
    target = min(by_year, key=lambda t: t.target_year) if by_year else None
    return ProgressOptions(
        direction=engine_direction(indicator),
        base_year=indicator.base_year,
        target_year=target.target_year if target else DEFAULT_TARGET_YEAR,
        target=target.value if target else None,
        limit=indicator.natural_limit,
    )


def rate_indicator(indicator: Indicator, series: Series, targets: list[Target]) -> IndicatorResult:
    if indicator.method == Indicator.Method.CAGR:
        return rate_progress(series, progress_options(indicator, targets))
    return rate_weather(series, engine_targets(indicator, targets), None, indicator.series_starts)


def milestone_input(milestone: Milestone) -> MilestoneInput:
    return MilestoneInput(
        deadline=milestone.deadline,
        reached_on=milestone.reached_on,
        evidence=milestone.evidence or milestone.evidence_url,
        assessment=Assessment(milestone.assessment) if milestone.assessment else None,
        assessed_on=milestone.assessed_on,
    )


# --- checksums -----------------------------------------------------------------------------


def _digest(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def indicator_fingerprint(indicator: Indicator, series: Series, targets: list[Target]) -> str:
    return _digest(
        {
            "indicator": [
                indicator.code,
                indicator.direction,
                indicator.method,
                indicator.series_starts,
                indicator.base_year,
                indicator.natural_limit,
            ],
            "series": [list(p) for p in series.points],
            "targets": [
                [t.kind, t.value, t.base_year, t.target_year, t.comparator, t.low, t.high]
                for t in targets
            ],
        }
    )


def milestone_fingerprint(milestone: Milestone) -> str:
    return _digest(
        [
            milestone.pk,
            milestone.deadline,
            milestone.reached_on,
            bool(milestone.evidence or milestone.evidence_url),
            milestone.assessment,
            milestone.assessed_on,
        ]
    )


# --- details stored with a result ----------------------------------------------------------


def result_details(result: IndicatorResult | MilestoneResult) -> dict[str, Any]:
    if isinstance(result, WeatherResult):
        return {
            "method": "weather",
            "rule": result.rule.value,
            "average_change": result.average_change,
            "last_change": result.last_change,
            "projection": result.projection,
            "shortfall": result.shortfall,
            "gap": result.gap,
            "report_period": result.window.end.period if result.window else None,
        }
    if isinstance(result, ProgressResult):
        return {
            "method": "cagr",
            "progress_value": result.progress_value,
            "score": result.score,
            "base": list(result.base) if result.base else None,
            "current": list(result.current) if result.current else None,
            "target": result.target,
        }
    return {"method": "milestone", "deadline": result.milestone.deadline.isoformat()}


def method_status(result: IndicatorResult | MilestoneResult) -> str:
    if isinstance(result, WeatherResult):
        return result.weather.value
    return result.status.value


def _record(subject: str, result, **subject_fk) -> StatusRecord:
    return StatusRecord(
        subject=subject,
        level=result.level.value,
        method_status=method_status(result),
        explanation_de=result.explanation.de,
        explanation_en=result.explanation.en,
        details=result_details(result),
        **subject_fk,
    )


def _rollup_record(subject: str, rollup: RollUp, **subject_fk) -> StatusRecord:
    return StatusRecord(
        subject=subject,
        level=rollup.level.value,
        method_status=rollup.rule.value,
        explanation_de=rollup.explanation.de,
        explanation_en=rollup.explanation.en,
        distribution={level.value: count for level, count in rollup.distribution.items()},
        **subject_fk,
    )


# --- the evaluation ------------------------------------------------------------------------


def _goal_tree(edition: Edition) -> list[Field]:
    return list(
        edition.fields.prefetch_related(
            Prefetch(
                "strategic_goals",
                queryset=StrategicGoal.objects.prefetch_related(
                    Prefetch(
                        "operative_goals",
                        queryset=OperativeGoal.objects.prefetch_related(
                            Prefetch(
                                "indicators",
                                queryset=Indicator.objects.prefetch_related(
                                    Prefetch(
                                        "targets", queryset=Target.objects.filter(is_current=True)
                                    )
                                ),
                            ),
                            "milestones",
                        ),
                    )
                ),
            )
        )
    )


def evaluate_edition(
    edition: Edition, on: datetime.date, user: AbstractBaseUser | None = None
) -> EvaluationSummary:
    """Evaluate every indicator, milestone and goal of the edition as of `on`.

    When the latest run for the same date used exactly the same data, it is returned instead
    of storing an identical copy."""
    fields = _goal_tree(edition)
    indicators: dict[int, Indicator] = {}
    for f in fields:
        for sg in f.strategic_goals.all():
            for og in sg.operative_goals.all():
                for indicator in og.indicators.all():
                    indicators[indicator.pk] = indicator
    series = headline_series(list(indicators.values()), on.year)
    indicator_results: dict[int, IndicatorResult] = {}
    fingerprints: dict[str, str] = {}
    for pk, indicator in indicators.items():
        targets = list(indicator.targets.all())
        indicator_results[pk] = rate_indicator(indicator, series[pk], targets)
        fingerprints[f"i{pk}"] = indicator_fingerprint(indicator, series[pk], targets)

    milestone_results: dict[int, MilestoneResult] = {}
    field_nodes = []
    for f in fields:
        sg_nodes = []
        for sg in f.strategic_goals.all():
            og_nodes = []
            for og in sg.operative_goals.all():
                results: list[Any] = [indicator_results[i.pk] for i in og.indicators.all()]
                for milestone in og.milestones.all():
                    milestone_results[milestone.pk] = rate_milestone(milestone_input(milestone), on)
                    fingerprints[f"m{milestone.pk}"] = milestone_fingerprint(milestone)
                    results.append(milestone_results[milestone.pk])
                og_nodes.append(Node(f"o{og.pk}", tuple(results)))
            sg_nodes.append(Node(f"s{sg.pk}", children=tuple(og_nodes)))
        field_nodes.append(Node(f"f{f.pk}", children=tuple(sg_nodes)))

    data_version = _digest([on.isoformat(), sorted(fingerprints.items())])
    latest = (
        EvaluationRun.objects.filter(edition=edition, evaluated_on=on)
        .order_by("-created_at")
        .first()
    )
    if latest is not None and latest.data_version == data_version:
        return EvaluationSummary(
            latest, False, len(indicators), len(milestone_results), _field_records(latest, fields)
        )

    records: list[StatusRecord] = []
    for pk, result in indicator_results.items():
        record = _record(StatusRecord.Subject.INDICATOR, result, indicator_id=pk)
        record.data_version = fingerprints[f"i{pk}"]
        records.append(record)
    for pk, result in milestone_results.items():
        record = _record(StatusRecord.Subject.MILESTONE, result, milestone_id=pk)
        record.data_version = fingerprints[f"m{pk}"]
        records.append(record)
    for f, node in zip(fields, field_nodes, strict=True):
        rolled = roll_up(node)
        records.append(_rollup_record(StatusRecord.Subject.FIELD, rolled, field=f))
        for sg, sg_rolled in zip(f.strategic_goals.all(), rolled.children, strict=True):
            records.append(
                _rollup_record(StatusRecord.Subject.STRATEGIC, sg_rolled, strategic_goal=sg)
            )
            for og, og_rolled in zip(sg.operative_goals.all(), sg_rolled.children, strict=True):
                records.append(
                    _rollup_record(StatusRecord.Subject.OPERATIVE, og_rolled, operative_goal=og)
                )
    with transaction.atomic():
        run = EvaluationRun.objects.create(
            edition=edition, evaluated_on=on, created_by=user, data_version=data_version
        )
        for record in records:
            record.run = run
        StatusRecord.objects.bulk_create(records)
    return EvaluationSummary(
        run, True, len(indicators), len(milestone_results), _field_records(run, fields)
    )


def _field_records(run: EvaluationRun, fields: list[Field]) -> list[tuple[Field, StatusRecord]]:
    by_field = {r.field_id: r for r in run.records.filter(subject=StatusRecord.Subject.FIELD)}
    return [(f, by_field[f.pk]) for f in fields]

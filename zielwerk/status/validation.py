"""Holding the engine against officially published results (`zielwerk check-method CASES.json`).

Reads a case file in one of the two formats of `../shared/fixtures/status/` (README there):
Destatis weather symbols (method A) or Open SDG progress (method B), runs the engine over
every case and compares its result with the published one.

Counting: M is the number of cases evaluated, without the items the file lists as skipped
(published without a rating) and without the cases it flags as known exceptions (published
results that the published method does not reproduce from the data, with the reason). Known
exceptions are evaluated and reported separately, with the result on the data as they were
when the rating was published (`publication.series`) where the file has them; they never
make the check fail. N is the number of the M cases where every published status agrees (for
Open SDG also progress value and score of every series and the indicator score, within 1e-6).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from zielwerk.status.progress import (
    IndicatorProgress,
    ProgressOptions,
    ProgressResult,
    aggregate_indicator,
    rate_progress,
)
from zielwerk.status.series import Comparator, Direction, Series
from zielwerk.status.weather import (
    DirectionOnly,
    FixedLimit,
    Target,
    ValueByYear,
    Weather,
    WeatherResult,
    rate_weather,
    worst,
)

TOLERANCE = 1e-6


class FixtureFormat(Enum):
    DNS_WEATHER = "Destatis weather symbols (method A)"
    OPEN_SDG_PROGRESS = "Open SDG progress measure (method B)"


@dataclass(frozen=True)
class CaseOutcome:
    case_id: str
    expected: str
    got: str
    agrees: bool
    explanation: str
    known_exception: str | None = None
    on_publication_series: str | None = None
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckReport:
    path: Path
    format: FixtureFormat
    outcomes: tuple[CaseOutcome, ...]
    skipped: int

    @property
    def counted(self) -> tuple[CaseOutcome, ...]:
        return tuple(o for o in self.outcomes if o.known_exception is None)

    @property
    def agreeing(self) -> tuple[CaseOutcome, ...]:
        return tuple(o for o in self.counted if o.agrees)

    @property
    def disagreements(self) -> tuple[CaseOutcome, ...]:
        return tuple(o for o in self.counted if not o.agrees)

    @property
    def known_exceptions(self) -> tuple[CaseOutcome, ...]:
        return tuple(o for o in self.outcomes if o.known_exception is not None)

    @property
    def ok(self) -> bool:
        return not self.disagreements

    def lines(self) -> list[str]:
        """The report as printed by `zielwerk check-method`; the last line is the count."""
        lines = [
            f"{self.path.name}: {self.format.value}, {len(self.outcomes)} cases, "
            f"{self.skipped} skipped items (published without a rating) not evaluated."
        ]
        for outcome in self.disagreements:
            lines.append(
                f"DISAGREES {outcome.case_id}: expected {outcome.expected}, got {outcome.got}. "
                f"{outcome.explanation}"
            )
            lines.extend(f"  {detail}" for detail in outcome.details)
        if self.known_exceptions:
            lines.append(
                f"Known exceptions ({len(self.known_exceptions)}, flagged in the case file; "
                "evaluated but not counted in N or M, they never fail the check):"
            )
        for outcome in self.known_exceptions:
            verdict = "agrees" if outcome.agrees else "differs"
            publication = (
                ""
                if outcome.on_publication_series is None
                else f"; on the data as published: {outcome.on_publication_series}"
            )
            lines.append(
                f"  {outcome.case_id}: expected {outcome.expected}, got {outcome.got} "
                f"({verdict}){publication}. Reason given: {outcome.known_exception}"
            )
        lines.append(f"{len(self.agreeing)} of {len(self.counted)} cases agree")
        return lines


def check_cases(path: Path) -> CheckReport:
    """Run the engine over every case of a fixture file and compare with the published
    results. Raises ValueError for a file in neither format."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    cases = data.get("cases") if isinstance(data, dict) else None
    if not isinstance(cases, list) or not cases:
        raise ValueError(f"{path}: no list of cases found")
    fixture_format = detect_format(cases)
    check = _check_dns_case if fixture_format is FixtureFormat.DNS_WEATHER else _check_sdg_case
    outcomes = []
    for case in cases:
        try:
            outcomes.append(check(case))
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{path}: case {case.get('id', '?')} is malformed: {error}") from error
    return CheckReport(Path(path), fixture_format, tuple(outcomes), len(data.get("skipped", [])))


def detect_format(cases: Sequence[Mapping[str, Any]]) -> FixtureFormat:
    if all("series_cases" in case for case in cases):
        return FixtureFormat.OPEN_SDG_PROGRESS
    if all("target" in case and "report_year" in case for case in cases):
        return FixtureFormat.DNS_WEATHER
    raise ValueError("The cases are neither DNS weather cases nor Open SDG progress cases")


# --- method A ------------------------------------------------------------------------------


def dns_target(spec: Mapping[str, Any]) -> Target:
    """A target of the DNS case format (`target.kind`, `direction`, `comparator`, `value`,
    `year`); relative targets are already converted to the absolute value Destatis uses."""
    direction = Direction.INCREASE if spec["direction"] == "increase" else Direction.DECREASE
    kind = spec["kind"]
    if kind == "direction_only":
        return DirectionOnly(direction)
    comparator = Comparator(spec["comparator"])
    if kind == "fixed_limit":
        return FixedLimit(direction, float(spec["value"]), comparator)
    if kind == "value_by_year":
        return ValueByYear(direction, float(spec["value"]), float(spec["year"]), comparator)
    raise ValueError(f"unknown target kind {kind!r}")


def rate_dns_case(
    case: Mapping[str, Any], series: Sequence[Sequence[float]] | None = None
) -> WeatherResult:
    """The weather symbol of a DNS case; `series` replaces the case's own series (used for
    the data as they were when the rating was published)."""
    target = case["target"]
    report_year = float(case["report_year"])
    if target["kind"] == "combined":
        return worst(
            [
                rate_weather(Series.of(part["series"]), dns_target(part["target"]), report_year)
                for part in target["components"]
            ]
        )
    return rate_weather(
        Series.of(case["series"] if series is None else series),
        dns_target(target),
        report_year,
        target.get("series_starts"),
    )


def _check_dns_case(case: Mapping[str, Any]) -> CaseOutcome:
    label = case["expected"]["status"]
    expected = Weather.from_label(label)
    result = rate_dns_case(case)
    details: list[str] = []
    for part, component in zip(result.parts, case["target"].get("components", []), strict=False):
        published = Weather.from_label(component["published_component_status"])
        if part.weather is not published:
            details.append(
                f"component {component['part']}: expected {published.value}, got "
                f"{part.weather.value}"
            )
    publication = case.get("publication", {}).get("series")
    on_publication = None if publication is None else rate_dns_case(case, publication).weather
    return CaseOutcome(
        case_id=case["id"],
        expected=expected.value
        if label == expected.value
        else f"{expected.value} (published as {label})",
        got=result.weather.value,
        agrees=result.weather is expected and not details,
        explanation=result.explanation.en,
        known_exception=case.get("expected_exception"),
        on_publication_series=None
        if on_publication is None
        else f"{on_publication.value} ({'agrees' if on_publication is expected else 'differs'})",
        details=tuple(details),
    )


# --- method B ------------------------------------------------------------------------------


def rate_sdg_case(case: Mapping[str, Any]) -> IndicatorProgress:
    """The progress of an Open SDG indicator case: every series with its configured options
    (Open SDG's defaults filled in by `ProgressOptions.from_open_sdg`), then the indicator."""
    return aggregate_indicator(
        [
            rate_progress(Series.of(s["series"]), ProgressOptions.from_open_sdg(s["options"]))
            for s in case["series_cases"]
        ]
    )


def _check_sdg_case(case: Mapping[str, Any]) -> CaseOutcome:
    indicator = rate_sdg_case(case)
    details = [
        detail
        for spec, result in zip(case["series_cases"], indicator.series, strict=True)
        if (detail := _series_difference(spec, result))
    ]
    expected = case["expected"]
    agrees = (
        indicator.status.value == expected["progress_status"]
        and _close(indicator.score, expected["score"])
        and not details
    )
    return CaseOutcome(
        case_id=case["id"],
        expected=_describe(expected["progress_status"], expected["score"]),
        got=_describe(indicator.status.value, indicator.score),
        agrees=agrees,
        explanation=indicator.explanation.en,
        known_exception=case.get("expected_exception"),
        details=tuple(details),
    )


def _series_difference(spec: Mapping[str, Any], result: ProgressResult) -> str:
    expected = spec["expected"]
    if (
        result.status.value == expected["status"]
        and _close(result.progress_value, expected["progress_value"])
        and _close(result.score, expected["score"])
    ):
        return ""
    return (
        f"series {spec['series_id']}: expected {expected['status']} (value "
        f"{expected['progress_value']}, score {expected['score']}), got {result.status.value} "
        f"(value {result.progress_value}, score {result.score}). {result.explanation.en}"
    )


def _close(got: float | None, expected: float | None) -> bool:
    if got is None or expected is None:
        return got is None and expected is None
    return abs(got - expected) <= TOLERANCE


def _describe(status: str, score: float | None) -> str:
    return status if score is None else f"{status} (score {score:.6f})"

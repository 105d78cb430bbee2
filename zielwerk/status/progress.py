"""Method B: the Open SDG / Statistics Canada progress measure (CAGR method, METHODS.md §2).

The functions follow METHODS.md §2 in its order and reproduce sdg-build's `SeriesProgress` and
`IndicatorProgress` (sdg/ProgressMeasure.py), including the order of its checks, because users
compare our numbers with the published ones; `rate_progress` chains them:

1. `base_and_current`: the current year is the last year with data, the base year moves to
   the first year with data at or after the configured one.
2. `value_sign`, `limit_coefficient`, `thresholds`: the sign of the base value and the
   thresholds of method 1 or 2 (method 1 scaled near a natural limit).
3. `is_target_achieved`.
4. `cagr`, `progress_value_no_target` (method 1) and `progress_value_with_target` (method 2),
   after `replace_zero` for base value and target and the checks that make a value computable.
5. `status_from_value` and `score_no_target` / `score_with_target`.
6. `aggregate_indicator`: the mean score of an indicator's series, banded by
   `status_from_score`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

import numpy as np

from zielwerk.status import text
from zielwerk.status.scale import Level
from zielwerk.status.series import Direction, Point, Series
from zielwerk.status.text import Explanation, Lang, both

DEFAULT_BASE_YEAR = 2015.0
DEFAULT_TARGET_YEAR = 2030.0
ZERO_REPLACEMENT = 0.001
LIMIT_EXPONENT = 4.44
MIN_SCORE = -5.0
MAX_SCORE = 5.0


class ProgressStatus(Enum):
    """The Open SDG status vocabulary."""

    SUBSTANTIAL = "substantial_progress"
    MODERATE = "moderate_progress"
    LIMITED = "limited_progress"
    DETERIORATION = "deterioration"
    TARGET_ACHIEVED = "target_achieved"
    NOT_AVAILABLE = "not_available"

    @property
    def level(self) -> Level:
        return _LEVELS[self]

    @property
    def code(self) -> int:
        """The code of the batch functions (`zielwerk.status.batch`)."""
        return _CODES[self]

    @classmethod
    def from_code(cls, code: int) -> ProgressStatus:
        return _BY_CODE[code]

    def label(self, lang: Lang) -> str:
        return _LABELS[self][0 if lang is Lang.DE else 1]


_CODES = {
    ProgressStatus.NOT_AVAILABLE: 0,
    ProgressStatus.DETERIORATION: 1,
    ProgressStatus.LIMITED: 2,
    ProgressStatus.MODERATE: 3,
    ProgressStatus.SUBSTANTIAL: 4,
    ProgressStatus.TARGET_ACHIEVED: 5,
}
_BY_CODE = {code: status for status, code in _CODES.items()}
_LEVELS = {
    ProgressStatus.SUBSTANTIAL: Level.ON_TRACK,
    ProgressStatus.TARGET_ACHIEVED: Level.ON_TRACK,
    ProgressStatus.MODERATE: Level.SLIGHTLY_OFF_TRACK,
    ProgressStatus.LIMITED: Level.OFF_TRACK,
    ProgressStatus.DETERIORATION: Level.CRITICAL,
    ProgressStatus.NOT_AVAILABLE: Level.NO_EVALUATION,
}
_LABELS = {
    ProgressStatus.SUBSTANTIAL: ("deutlicher Fortschritt", "substantial progress"),
    ProgressStatus.MODERATE: ("mäßiger Fortschritt", "moderate progress"),
    ProgressStatus.LIMITED: ("geringer Fortschritt", "limited progress"),
    ProgressStatus.DETERIORATION: ("Verschlechterung", "deterioration"),
    ProgressStatus.TARGET_ACHIEVED: ("Ziel erreicht", "target achieved"),
    ProgressStatus.NOT_AVAILABLE: ("nicht verfügbar", "not available"),
}


@dataclass(frozen=True)
class ProgressOptions:
    """Open SDG's `progress_calculation_options` of one series, with its defaults."""

    direction: Direction = Direction.DECREASE
    base_year: float = DEFAULT_BASE_YEAR
    target_year: float = DEFAULT_TARGET_YEAR
    target: float | None = None
    limit: float | None = None

    @classmethod
    def from_open_sdg(cls, options: Mapping[str, Any]) -> ProgressOptions:
        """Read the metadata entry as Open SDG does: direction "positive" means higher is
        better, anything else lower; keys that do not concern the calculation are ignored."""
        direction = (
            Direction.INCREASE if options.get("direction") == "positive" else Direction.DECREASE
        )
        return cls(
            direction=direction,
            base_year=_float(options.get("base_year"), DEFAULT_BASE_YEAR),
            target_year=_float(options.get("target_year"), DEFAULT_TARGET_YEAR),
            target=_optional_float(options.get("target")),
            limit=_optional_float(options.get("limit")),
        )


def _float(value: Any, default: float) -> float:
    return default if value is None else float(value)


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class Thresholds:
    high: float
    med: float
    low: float
    coefficient: float = 1.0


METHOD_1_THRESHOLDS = Thresholds(0.015, 0.005, 0.0)
METHOD_2_THRESHOLDS = Thresholds(0.95, 0.6, 0.0)


class Unavailable(Enum):
    """Why no progress value could be computed."""

    NO_DATA = "no_data"
    NO_DATA_FROM_BASE_YEAR = "no_data_from_base_year"
    LESS_THAN_ONE_YEAR = "less_than_one_year"
    OPPOSITE_SIGNS = "opposite_signs"
    REQUIRED_GROWTH_UNDEFINED = "required_growth_undefined"


@dataclass(frozen=True)
class ProgressResult:
    """The progress of one series with every number the status came from."""

    status: ProgressStatus
    progress_value: float | None
    score: float | None
    explanation: Explanation
    options: ProgressOptions
    method: int
    thresholds: Thresholds
    target: float | None = None
    base: Point | None = None
    current: Point | None = None
    sign: int | None = None
    cagr: float | None = None
    required_cagr: float | None = None
    target_achieved: bool = False
    unavailable: Unavailable | None = None

    @property
    def level(self) -> Level:
        return self.status.level


# --- the chain -----------------------------------------------------------------------------


def replace_zero(value: float) -> float:
    """§2 "A target of 0 and a base value of 0 are replaced by 0.001" (a growth rate from or
    towards zero is undefined)."""
    return ZERO_REPLACEMENT if value == 0 else value


def base_and_current(series: Series, base_year: float) -> tuple[Point, Point] | None:
    """§2 "The base year moves to the first year with data": the current point is the last
    one; the base point is the configured base year or, when it has no value, the first year
    after it with one. None when there is no value from the base year on."""
    if not series.points:
        return None
    current = series.points[-1]
    base = next((p for p in series.points if p.period >= base_year), None)
    if base is None:
        return None
    return base, current


def value_sign(base_value: float) -> int:
    """§2 "sign = −1 when the base value is negative, otherwise +1"."""
    return -1 if base_value < 0 else 1


def limit_coefficient(base_value: float, limit: float | None) -> float:
    """§2 method 1 "Optional natural limit L … scales the thresholds by c": with b = |x_0| and
    l = |L|, c = 1 if b ≥ 2l, 1 − (b/l)^4.44 if b ≤ l, else 1 − ((2l − b)/l)^4.44.

    Computed from the base value before a zero is replaced, as sdg-build does.
    """
    if limit is None:
        return 1.0
    b, lim = abs(base_value), abs(limit)
    if b >= 2 * lim:
        return 1.0
    if b <= lim:
        return 1 - float((b / lim) ** LIMIT_EXPONENT)
    return 1 - float(((2 * lim - b) / lim) ** LIMIT_EXPONENT)


def thresholds(method: int, coefficient: float = 1.0) -> Thresholds:
    """§2 "Thresholds high 0.015, med 0.005, low 0" (method 1, scaled by c) and "0.95, 0.6, 0"
    (method 2, never scaled: sdg-build ignores a limit when a target is given)."""
    if method == 2:
        return METHOD_2_THRESHOLDS
    base = METHOD_1_THRESHOLDS
    return Thresholds(
        base.high * coefficient, base.med * coefficient, base.low * coefficient, coefficient
    )


def is_target_achieved(current_value: float, target: float | None, direction: Direction) -> bool:
    """§2 method 2 "Target already reached": the current value is at or beyond the target in
    the desired direction."""
    if target is None:
        return False
    if direction is Direction.DECREASE:
        return current_value <= target
    return current_value >= target


def cagr(base: Point, current: Point) -> float:
    """§2 "CAGR between base (x_0, t_0) and current (x_t, t): (x_t / x_0)^(1/(t − t_0)) − 1"."""
    return float((current.value / base.value) ** (1 / (current.period - base.period))) - 1


def progress_value_no_target(observed_cagr: float, sign: int, direction: Direction) -> float:
    """§2 method 1 "v = sign · dir · CAGR"."""
    return sign * direction.sign * observed_cagr


def required_cagr(base: Point, target: float, target_year: float) -> float | None:
    """§2 method 2 "CAGR_req = (Z / x_0)^(1/(T − t_0)) − 1"; None where it has no real value
    (target year equal to the base year, or target and base value on opposite sides of zero,
    where sdg-build's arithmetic gives no number either). A result of 0 (target equal to the
    base value) cannot divide the observed growth: the caller treats it as undefined too."""
    if target_year == base.period or (target / base.value) < 0:
        return None
    return float((target / base.value) ** (1 / (target_year - base.period))) - 1


def progress_value_with_target(
    observed_cagr: float, needed_cagr: float, sign: int, direction: Direction
) -> float:
    """§2 method 2 "v = sign · dir · CAGR / |CAGR_req|"."""
    return sign * direction.sign * observed_cagr / abs(needed_cagr)


def status_from_value(
    value: float | None, limits: Thresholds, target_achieved: bool
) -> ProgressStatus:
    """§2 "Status: v ≥ high → substantial_progress; ≥ med → moderate_progress; ≥ low →
    limited_progress; < low → deterioration; not computable → not_available"; a reached
    target wins over everything."""
    if target_achieved:
        return ProgressStatus.TARGET_ACHIEVED
    if value is None:
        return ProgressStatus.NOT_AVAILABLE
    if value >= limits.high:
        return ProgressStatus.SUBSTANTIAL
    if value >= limits.med:
        return ProgressStatus.MODERATE
    if value >= limits.low:
        return ProgressStatus.LIMITED
    return ProgressStatus.DETERIORATION


def score_no_target(value: float, limits: Thresholds) -> float:
    """§2 scores, method 1: v < low → max(125v − 2.5, −5); low ≤ v < med → 500v/c − 2.5;
    med ≤ v < high → 250v/c − 1.25; v ≥ high → min(500v/c − 5, 5). With c = 0 (base value at
    the limit) any v ≥ low scores 5, as in sdg-build."""
    c = limits.coefficient
    if value < limits.low:
        return max(125 * value - 2.5, MIN_SCORE)
    if c == 0:
        return MAX_SCORE
    if value >= limits.high:
        return min(500 * value / c - 5, MAX_SCORE)
    if value >= limits.med:
        return 250 * value / c - 1.25
    return 500 * value / c - 2.5


def score_with_target(value: float, limits: Thresholds) -> float:
    """§2 scores, method 2: v < 0.6 → max(4.1667v − 2.5, −5); v ≥ 0.6 → min(7.1429v − 4.2857, 5)."""
    if value >= limits.med:
        return min(7.1429 * value - 4.2857, MAX_SCORE)
    return max(4.1667 * value - 2.5, MIN_SCORE)


def series_score(
    value: float | None, limits: Thresholds, method: int, target_achieved: bool
) -> float | None:
    """§2 "Target achieved → 5"; otherwise the score of method 1 or 2, None without a value."""
    if target_achieved:
        return MAX_SCORE
    if value is None:
        return None
    return score_no_target(value, limits) if method == 1 else score_with_target(value, limits)


def rate_progress(series: Series, options: ProgressOptions | None = None) -> ProgressResult:
    """The progress status, value and score of one series (METHODS.md §2, sdg-build's
    `SeriesProgress`), in sdg-build's order of steps; each early return is a value that
    cannot be computed."""
    options = options or ProgressOptions()
    target = None if options.target is None else replace_zero(options.target)
    method = 1 if target is None else 2
    draft = ProgressResult(
        ProgressStatus.NOT_AVAILABLE,
        None,
        None,
        _NO_TEXT,
        options,
        method,
        thresholds(method),
        target,
    )
    points = base_and_current(series, options.base_year)
    if points is None:
        current = series.points[-1] if series.points else None
        reached = current is not None and is_target_achieved(
            current.value, target, options.direction
        )
        reason = Unavailable.NO_DATA if current is None else Unavailable.NO_DATA_FROM_BASE_YEAR
        return _finish(replace(draft, current=current, target_achieved=reached, unavailable=reason))
    base, current = points
    # Sign and limit coefficient come from the base value as it is, before a zero is replaced.
    sign = value_sign(base.value)
    limits = thresholds(method, limit_coefficient(base.value, options.limit))
    base = Point(base.period, replace_zero(base.value))
    draft = replace(
        draft,
        base=base,
        current=current,
        sign=sign,
        thresholds=limits,
        target_achieved=is_target_achieved(current.value, target, options.direction),
    )
    if (base.value > 0 and current.value < 0) or (base.value < 0 and current.value > 0):
        return _finish(replace(draft, unavailable=Unavailable.OPPOSITE_SIGNS))
    if current.period - base.period < 1:
        return _finish(replace(draft, unavailable=Unavailable.LESS_THAN_ONE_YEAR))
    observed = cagr(base, current)
    if target is None:
        value = progress_value_no_target(observed, sign, options.direction)
        return _finish(replace(draft, cagr=observed, progress_value=value))
    needed = required_cagr(base, target, options.target_year)
    if needed is None or needed == 0:
        return _finish(
            replace(draft, cagr=observed, unavailable=Unavailable.REQUIRED_GROWTH_UNDEFINED)
        )
    value = progress_value_with_target(observed, needed, sign, options.direction)
    return _finish(replace(draft, cagr=observed, required_cagr=needed, progress_value=value))


_NO_TEXT = Explanation("", "")


def _finish(draft: ProgressResult) -> ProgressResult:
    """Status, score and explanation from the numbers gathered so far (§2 "Status", "Scores")."""
    result = replace(
        draft,
        status=status_from_value(draft.progress_value, draft.thresholds, draft.target_achieved),
        score=series_score(
            draft.progress_value, draft.thresholds, draft.method, draft.target_achieved
        ),
    )
    return replace(result, explanation=both(lambda lang: _text_series(result, lang)))


# --- indicator level -----------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorProgress:
    """The progress of an indicator measured by several series (sdg-build's
    `IndicatorProgress`)."""

    status: ProgressStatus
    score: float | None
    series: tuple[ProgressResult, ...]
    explanation: Explanation

    @property
    def level(self) -> Level:
        return self.status.level


def status_from_score(score: float | None, target_achieved: bool) -> ProgressStatus:
    """§2 "banded [2.5, 5] substantial, [0, 2.5) moderate, [−2.5, 0) limited, < −2.5
    deterioration; target_achieved only when all its series are"."""
    if target_achieved:
        return ProgressStatus.TARGET_ACHIEVED
    if score is None:
        return ProgressStatus.NOT_AVAILABLE
    if score >= 2.5:
        return ProgressStatus.SUBSTANTIAL
    if score >= 0:
        return ProgressStatus.MODERATE
    if score >= -2.5:
        return ProgressStatus.LIMITED
    return ProgressStatus.DETERIORATION


def aggregate_indicator(results: Sequence[ProgressResult]) -> IndicatorProgress:
    """§2 "An indicator with several series: mean score …": the mean over the series that
    have a score (numpy's mean, as sdg-build computes it); target_achieved only when every
    scored series achieved its target; not_available when no series has a score."""
    scored = [r for r in results if r.score is not None]
    score = float(np.mean([r.score for r in scored])) if scored else None
    achieved = bool(scored) and all(r.target_achieved for r in scored)
    status = status_from_score(score, achieved)
    return IndicatorProgress(
        status,
        score,
        tuple(results),
        both(lambda lang: _text_indicator(len(results), len(scored), score, status, lang)),
    )


# --- explanations --------------------------------------------------------------------------


def _value(x: float, lang: Lang) -> str:
    return text.number(x, lang, significant=6)


def _score(x: float, lang: Lang) -> str:
    return text.fixed(x, lang, decimals=2)


def _at(point: Point, lang: Lang) -> str:
    return f"{text.period(point.period, lang)} ({_value(point.value, lang)})"


def _text_series(r: ProgressResult, lang: Lang) -> str:
    de = lang is Lang.DE
    if r.status is ProgressStatus.TARGET_ACHIEVED:
        assert r.current is not None and r.target is not None
        cmp = "≤" if r.options.direction is Direction.DECREASE else "≥"
        if de:
            return (
                f"Das Ziel ({cmp} {_value(r.target, lang)}) ist mit dem Wert "
                f"{_value(r.current.value, lang)} im Jahr {text.period(r.current.period, lang)} "
                f"erreicht. Status: Ziel erreicht, Punktwert 5 (Skala −5 bis +5)."
            )
        return (
            f"The target ({cmp} {_value(r.target, lang)}) is achieved with the value "
            f"{_value(r.current.value, lang)} in {text.period(r.current.period, lang)}. "
            "Status: target achieved, score 5 (scale −5 to +5)."
        )
    if r.unavailable is not None:
        return _text_unavailable(r, lang)
    assert r.base is not None and r.current is not None and r.cagr is not None
    assert r.progress_value is not None and r.score is not None
    closing = (
        f"Status: {r.status.label(lang)}, Punktwert {_score(r.score, lang)} (Skala −5 bis +5)."
        if de
        else f"Status: {r.status.label(lang)}, score {_score(r.score, lang)} (scale −5 to +5)."
    )
    observed = text.percent(r.cagr, lang, decimals=2, signed=True)
    if r.method == 1:
        return _text_method_1(r, observed, lang) + " " + closing
    return _text_method_2(r, observed, lang) + " " + closing


def _text_method_1(r: ProgressResult, observed: str, lang: Lang) -> str:
    assert r.base is not None and r.current is not None and r.progress_value is not None
    limits = r.thresholds
    cut = (limits.high, limits.med, limits.low)
    v = text.percent(r.progress_value, lang, decimals=2, signed=True, thresholds=cut)
    high = text.percent(limits.high, lang, decimals=2)
    med = text.percent(limits.med, lang, decimals=2)
    wanted = r.options.direction.label(lang)
    if lang is Lang.DE:
        negative = ", bei negativen Werten umgekehrt gerechnet" if r.sign == -1 else ""
        scaled = (
            ""
            if r.options.limit is None
            else f" (wegen der natürlichen Grenze {_value(r.options.limit, lang)} mit dem Faktor "
            f"{text.number(limits.coefficient, lang, significant=3)} verkleinert)"
        )
        return (
            f"Von {_at(r.base, lang)} bis {_at(r.current, lang)} veränderte sich der Wert im "
            f"Mittel um {observed} pro Jahr. Gewünscht ist ein {wanted}{negative}; das ergibt "
            f"einen Fortschrittswert von {v} pro Jahr. Schwellen: ab {high} deutlicher, ab "
            f"{med} mäßiger, ab 0 % geringer Fortschritt, darunter Verschlechterung{scaled}."
        )
    negative = ", counted the other way round for negative values" if r.sign == -1 else ""
    scaled = (
        ""
        if r.options.limit is None
        else f" (reduced by the factor {text.number(limits.coefficient, lang, significant=3)} "
        f"because of the natural limit {_value(r.options.limit, lang)})"
    )
    return (
        f"From {_at(r.base, lang)} to {_at(r.current, lang)} the value changed by {observed} "
        f"per year on average. {wanted.capitalize()} is desired{negative}; this gives a "
        f"progress value of {v} per year. Thresholds: from {high} substantial, from {med} "
        f"moderate, from 0 % limited progress, below that deterioration{scaled}."
    )


def _text_method_2(r: ProgressResult, observed: str, lang: Lang) -> str:
    assert r.base is not None and r.current is not None and r.target is not None
    assert r.progress_value is not None and r.required_cagr is not None
    cut = (r.thresholds.high, r.thresholds.med, r.thresholds.low)
    needed = text.percent(r.required_cagr, lang, decimals=2, signed=True)
    share = text.percent(r.progress_value, lang, thresholds=cut)
    target = _value(r.target, lang)
    year = text.period(r.options.target_year, lang)
    if lang is Lang.DE:
        return (
            f"Um das Ziel {target} bis {year} zu erreichen, wäre ab {_at(r.base, lang)} eine "
            f"Veränderung um im Mittel {needed} pro Jahr nötig; bis {_at(r.current, lang)} "
            f"waren es {observed} pro Jahr. Das sind {share} des nötigen Tempos in die "
            "gewünschte Richtung (Fortschrittswert "
            f"{text.number(r.progress_value, lang, significant=4)}). Schwellen: ab 95 % "
            "deutlicher, ab 60 % mäßiger, ab 0 % geringer Fortschritt, darunter "
            "Verschlechterung."
        )
    return (
        f"To reach the target {target} by {year}, a change of {needed} per year on average "
        f"from {_at(r.base, lang)} would be needed; up to {_at(r.current, lang)} it was "
        f"{observed} per year. That is {share} of the required pace in the desired direction "
        f"(progress value {text.number(r.progress_value, lang, significant=4)}). Thresholds: "
        "from 95 % substantial, from 60 % moderate, from 0 % limited progress, below that "
        "deterioration."
    )


def _text_unavailable(r: ProgressResult, lang: Lang) -> str:
    de = lang is Lang.DE
    prefix = "Nicht verfügbar: " if de else "Not available: "
    base_year = text.period(r.options.base_year, lang)
    if r.unavailable is Unavailable.NO_DATA:
        return prefix + ("Die Reihe enthält keine Werte." if de else "the series has no values.")
    if r.unavailable is Unavailable.NO_DATA_FROM_BASE_YEAR:
        return prefix + (
            f"Es gibt keine Werte ab dem Basisjahr {base_year}."
            if de
            else f"there are no values from the base year {base_year} on."
        )
    assert r.base is not None and r.current is not None
    if r.unavailable is Unavailable.LESS_THAN_ONE_YEAR:
        if r.base == r.current:
            found = (
                f"gibt es nur den Wert {_at(r.current, lang)}"
                if de
                else f"there is only the value {_at(r.current, lang)}"
            )
        else:
            found = (
                f"gibt es nur Werte von {_at(r.base, lang)} bis {_at(r.current, lang)}"
                if de
                else f"there are only values from {_at(r.base, lang)} to {_at(r.current, lang)}"
            )
        return prefix + (
            f"Ab dem Basisjahr {base_year} {found}; für eine Entwicklung braucht es Werte, die "
            "mindestens ein Jahr auseinanderliegen."
            if de
            else f"from the base year {base_year} on {found}; a development needs values at "
            "least one year apart."
        )
    if r.unavailable is Unavailable.OPPOSITE_SIGNS:
        return prefix + (
            f"Der Basiswert {_at(r.base, lang)} und der aktuelle Wert {_at(r.current, lang)} "
            "haben verschiedene Vorzeichen; eine jährliche Wachstumsrate lässt sich nicht "
            "berechnen."
            if de
            else f"the base value {_at(r.base, lang)} and the current value "
            f"{_at(r.current, lang)} have opposite signs; no annual growth rate can be computed."
        )
    assert r.target is not None
    target = f"{_value(r.target, lang)} ({text.period(r.options.target_year, lang)})"
    return prefix + (
        f"Aus dem Basiswert {_at(r.base, lang)} und dem Ziel {target} lässt sich keine nötige "
        "jährliche Veränderung berechnen."
        if de
        else f"no required annual change can be computed from the base value "
        f"{_at(r.base, lang)} and the target {target}."
    )


def _text_indicator(
    total: int, scored: int, score: float | None, status: ProgressStatus, lang: Lang
) -> str:
    if score is None:
        return (
            f"Nicht verfügbar: Keine der {total} Reihen hat einen Punktwert."
            if lang is Lang.DE
            else f"Not available: none of the {total} series has a score."
        )
    if lang is Lang.DE:
        achieved = (
            " Alle bewerteten Reihen haben ihr Ziel erreicht."
            if status is ProgressStatus.TARGET_ACHIEVED
            else ""
        )
        return (
            f"Mittelwert der Punktwerte von {scored} der {total} Reihen: {_score(score, lang)} "
            f"(ab 2,5 deutlicher, ab 0 mäßiger, ab −2,5 geringer Fortschritt).{achieved} "
            f"Status: {status.label(lang)}."
        )
    achieved = (
        " Every scored series has achieved its target."
        if status is ProgressStatus.TARGET_ACHIEVED
        else ""
    )
    return (
        f"Mean score of {scored} of {total} series: {_score(score, lang)} (from 2.5 "
        f"substantial, from 0 moderate, from −2.5 limited progress).{achieved} "
        f"Status: {status.label(lang)}."
    )

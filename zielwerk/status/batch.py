"""Both methods over many series at once, vectorised with numpy.

Recomputing every indicator of a city for every past evaluation date means hundreds of
thousands of series; the scalar functions spend most of their time on Python objects and
texts. These functions apply the same rules as `weather.rate_weather` and
`progress.rate_progress` to arrays and return status codes and numbers, without explanations:
the scalar functions remain the source of every text that is shown. Tests hold both to the
same statuses on every fixture case and on random series.

Missing values are NaN. Codes: `Weather.code` / `Weather.from_code` and `ProgressStatus.code`
/ `ProgressStatus.from_code`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from zielwerk.status.progress import (
    LIMIT_EXPONENT,
    MAX_SCORE,
    METHOD_1_THRESHOLDS,
    METHOD_2_THRESHOLDS,
    MIN_SCORE,
    ZERO_REPLACEMENT,
    ProgressStatus,
)
from zielwerk.status.series import Comparator
from zielwerk.status.weather import (
    MIN_POINTS,
    PARTLY_SHORTFALL,
    SUN_SHORTFALL,
    WINDOW_POINTS,
    Requirement,
    Weather,
    WeatherRule,
    Window,
)

Floats = NDArray[np.float64]
Codes = NDArray[np.int8]

KIND_CODES = {WeatherRule.TARGET_YEAR: 0, WeatherRule.LIMIT: 1, WeatherRule.DIRECTION: 2}
COMPARATOR_CODES = {Comparator.GT: 0, Comparator.GE: 1, Comparator.LT: 2, Comparator.LE: 3}


@dataclass(frozen=True)
class WeatherArrays:
    """n rating windows with one resolved requirement each (see `weather.requirement`).

    `periods` and `values` have shape (n, 6): the last six points up to the report year, with
    fewer points padded by NaN on the left. `kind` and `comparator` hold KIND_CODES and
    COMPARATOR_CODES, `direction` +1 or −1; `target_value` and `target_year` are NaN where
    the requirement has none.
    """

    periods: Floats
    values: Floats
    kind: Codes
    direction: Codes
    comparator: Codes
    target_value: Floats
    target_year: Floats

    @classmethod
    def of(
        cls, windows: Sequence[Window | None], requirements: Sequence[Requirement | None]
    ) -> WeatherArrays:
        """Arrays from scalar windows and requirements (None where a series has too few
        points: it becomes a row of NaN)."""
        n = len(windows)
        periods = np.full((n, WINDOW_POINTS), np.nan)
        values = np.full((n, WINDOW_POINTS), np.nan)
        kind = np.zeros(n, np.int8)
        direction = np.ones(n, np.int8)
        comparator = np.zeros(n, np.int8)
        target_value = np.full(n, np.nan)
        target_year = np.full(n, np.nan)
        for i, (window, req) in enumerate(zip(windows, requirements, strict=True)):
            if window is None or req is None:
                continue
            k = len(window.points)
            periods[i, WINDOW_POINTS - k :] = [p.period for p in window.points]
            values[i, WINDOW_POINTS - k :] = [p.value for p in window.points]
            kind[i] = KIND_CODES[req.rule]
            direction[i] = req.direction.sign
            if req.comparator is not None:
                comparator[i] = COMPARATOR_CODES[req.comparator]
            if req.value is not None:
                target_value[i] = req.value
            if req.year is not None:
                target_year[i] = req.year
        return cls(periods, values, kind, direction, comparator, target_value, target_year)


def weather_batch(arrays: WeatherArrays) -> Codes:
    """Weather codes for every window, by the rules of `weather.rate_weather` (METHODS.md
    §1): too few points, then (c) direction only, (b) limit, (a) target year with its switch
    to (b) when the target is already met or the target year has come."""
    p, x = arrays.periods, arrays.values
    n = x.shape[0]
    rows = np.arange(n)
    count = (~np.isnan(x)).sum(axis=1)
    first = np.minimum(WINDOW_POINTS - count, WINDOW_POINTS - 1)
    s, x_s = p[rows, first], x[rows, first]
    t, x_t = p[:, -1], x[:, -1]
    sign = arrays.direction.astype(np.float64)
    z, year = arrays.target_value, arrays.target_year
    with np.errstate(invalid="ignore", divide="ignore"):
        a = (x_t - x_s) / (t - s)
        towards = a * sign
        last_right = (x[:, -1] - x[:, -2]) * sign > 0
        met = _compare(x_t, z, arrays.comparator)
        projection = x_t + a * (year - t)
        shortfall = np.maximum(0.0, (z - projection) * sign)
        gap = np.abs(z - x_t)

    direction_code = np.where(towards > 0, np.where(last_right, 4, 3), np.where(last_right, 2, 1))
    limit_code = np.where(met, np.where(towards >= 0, 4, 3), np.where(towards > 0, 2, 1))
    band = np.where(
        (shortfall == 0) | (shortfall < SUN_SHORTFALL * gap),
        4,
        np.where(shortfall <= PARTLY_SHORTFALL * gap, 3, 2),
    )
    target_year_code = np.where(met | (year <= t), limit_code, np.where(towards <= 0, 1, band))
    code = np.select(
        [
            arrays.kind == KIND_CODES[WeatherRule.DIRECTION],
            arrays.kind == KIND_CODES[WeatherRule.LIMIT],
        ],
        [direction_code, limit_code],
        target_year_code,
    )
    return np.where(count >= MIN_POINTS, code, Weather.NONE.code).astype(np.int8)


def _compare(value: Floats, target: Floats, comparator: Codes) -> NDArray[np.bool_]:
    return np.select(
        [
            comparator == COMPARATOR_CODES[Comparator.GT],
            comparator == COMPARATOR_CODES[Comparator.GE],
            comparator == COMPARATOR_CODES[Comparator.LT],
        ],
        [value > target, value >= target, value < target],
        value <= target,
    )


@dataclass(frozen=True)
class ProgressArrays:
    """n series on one common axis of periods, with their options.

    `values` has shape (n, m) for `periods` of shape (m,), NaN where a series has no value.
    `direction` is +1 (higher is better) or −1; `target` and `limit` are NaN where not set.
    """

    periods: Floats
    values: Floats
    direction: Codes
    base_year: Floats
    target_year: Floats
    target: Floats
    limit: Floats


@dataclass(frozen=True)
class ProgressBatch:
    status: Codes
    progress_value: Floats
    score: Floats


def progress_batch(arrays: ProgressArrays) -> ProgressBatch:
    """Status codes, progress values and scores for every series, by the rules of
    `progress.rate_progress` (METHODS.md §2, sdg-build's `SeriesProgress`); NaN where a value
    or score is not available."""
    periods, x = arrays.periods, arrays.values
    n, m = x.shape
    rows = np.arange(n)
    valid = ~np.isnan(x)
    has_data = valid.any(axis=1)
    current_index = m - 1 - np.argmax(valid[:, ::-1], axis=1)
    current, t = x[rows, current_index], periods[current_index]
    from_base = valid & (periods[None, :] >= arrays.base_year[:, None])
    has_base = from_base.any(axis=1)
    base_index = np.argmax(from_base, axis=1)
    base_original, t0 = x[rows, base_index], periods[base_index]

    has_target = ~np.isnan(arrays.target)
    target = np.where(arrays.target == 0, ZERO_REPLACEMENT, arrays.target)
    direction = arrays.direction.astype(np.float64)
    achieved = has_data & has_target & np.where(direction < 0, current <= target, current >= target)
    sign = np.where(base_original < 0, -1.0, 1.0)
    c = _limit_coefficient(base_original, arrays.limit)
    base = np.where(base_original == 0, ZERO_REPLACEMENT, base_original)
    opposite = ((base > 0) & (current < 0)) | ((base < 0) & (current > 0))
    computable = has_data & has_base & ~opposite & ~(t - t0 < 1)

    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        observed = (current / base) ** (1 / (t - t0)) - 1
        ratio = target / base
        defined = (arrays.target_year != t0) & (ratio >= 0)
        needed = np.where(defined, ratio, np.nan) ** (1 / (arrays.target_year - t0)) - 1
        value_1 = sign * direction * observed
        value_2 = sign * direction * observed / np.abs(needed)
    value_2 = np.where(defined & (needed != 0), value_2, np.nan)
    value = np.where(computable, np.where(has_target, value_2, value_1), np.nan)

    high = np.where(has_target, METHOD_2_THRESHOLDS.high, METHOD_1_THRESHOLDS.high * c)
    med = np.where(has_target, METHOD_2_THRESHOLDS.med, METHOD_1_THRESHOLDS.med * c)
    low = np.where(has_target, METHOD_2_THRESHOLDS.low, METHOD_1_THRESHOLDS.low * c)
    status = np.select(
        [achieved, np.isnan(value), value >= high, value >= med, value >= low],
        [
            ProgressStatus.TARGET_ACHIEVED.code,
            ProgressStatus.NOT_AVAILABLE.code,
            ProgressStatus.SUBSTANTIAL.code,
            ProgressStatus.MODERATE.code,
            ProgressStatus.LIMITED.code,
        ],
        ProgressStatus.DETERIORATION.code,
    ).astype(np.int8)

    with np.errstate(invalid="ignore", divide="ignore"):
        score_1 = np.select(
            [value < low, c == 0, value >= high, value >= med],
            [
                np.maximum(125 * value - 2.5, MIN_SCORE),
                MAX_SCORE,
                np.minimum(500 * value / c - 5, MAX_SCORE),
                250 * value / c - 1.25,
            ],
            500 * value / c - 2.5,
        )
    score_2 = np.where(
        value >= med,
        np.minimum(7.1429 * value - 4.2857, MAX_SCORE),
        np.maximum(4.1667 * value - 2.5, MIN_SCORE),
    )
    score = np.where(achieved, MAX_SCORE, np.where(has_target, score_2, score_1))
    score = np.where(achieved | ~np.isnan(value), score, np.nan)
    return ProgressBatch(status, value, score)


def _limit_coefficient(base_value: Floats, limit: Floats) -> Floats:
    """`progress.limit_coefficient` on arrays: 1 without a limit."""
    b, lim = np.abs(base_value), np.abs(limit)
    with np.errstate(invalid="ignore", divide="ignore"):
        near = np.where(
            b <= lim, 1 - (b / lim) ** LIMIT_EXPONENT, 1 - ((2 * lim - b) / lim) ** LIMIT_EXPONENT
        )
    return np.where(np.isnan(limit) | (b >= 2 * lim), 1.0, near)

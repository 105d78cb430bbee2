"""Series per second of the status engine, scalar and batch, on one core.

Run: .venv/bin/python bench/bench_status_engine.py

Scalar: `rate_weather` / `rate_progress` on `Series` objects, explanations included (the path
used for what is shown). Batch: `weather_batch` / `progress_batch` on prepared numpy arrays
(the path for recomputing many series at once). Each figure is the median of 5 runs.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from zielwerk.status.batch import (
    COMPARATOR_CODES,
    KIND_CODES,
    ProgressArrays,
    WeatherArrays,
    progress_batch,
    weather_batch,
)
from zielwerk.status.progress import ProgressOptions, rate_progress
from zielwerk.status.series import Comparator, Direction, Series
from zielwerk.status.weather import (
    DirectionOnly,
    FixedLimit,
    Target,
    ValueByYear,
    WeatherRule,
    rate_weather,
)

RUNS = 5
SCALAR_SERIES = 20_000
BATCH_SERIES = 1_000_000
YEARS = np.arange(2010, 2025, dtype=np.float64)


def median_rate(count: int, run: Callable[[], object]) -> float:
    durations = []
    for _ in range(RUNS):
        start = time.perf_counter()
        run()
        durations.append(time.perf_counter() - start)
    return count / statistics.median(durations)


def random_values(rng: np.random.Generator, n: int) -> np.ndarray:
    trend = rng.uniform(-2, 2, size=(n, 1))
    return 50 + trend * np.arange(len(YEARS)) + rng.normal(0, 3, size=(n, len(YEARS)))


def weather_inputs(n: int, seed: int) -> tuple[list[Series], list[Target], WeatherArrays]:
    rng = np.random.default_rng(seed)
    values = random_values(rng, n)
    kinds = rng.integers(0, 3, size=n)
    signs = rng.choice([-1, 1], size=n)
    goals = rng.uniform(20, 80, size=n)
    targets: list[Target] = []
    series = []
    for row in range(min(n, SCALAR_SERIES)):
        direction = Direction(int(signs[row]))
        series.append(Series.of(zip(YEARS, values[row], strict=True)))
        targets.append(
            [
                ValueByYear(direction, float(goals[row]), 2030.0),
                FixedLimit(direction, float(goals[row])),
                DirectionOnly(direction),
            ][kinds[row]]
        )
    code_of_kind = np.array(
        [
            KIND_CODES[WeatherRule.TARGET_YEAR],
            KIND_CODES[WeatherRule.LIMIT],
            KIND_CODES[WeatherRule.DIRECTION],
        ]
    )
    comparator = np.where(
        signs > 0, COMPARATOR_CODES[Comparator.GE], COMPARATOR_CODES[Comparator.LE]
    )
    arrays = WeatherArrays(
        periods=np.broadcast_to(YEARS[-6:], (n, 6)),
        values=values[:, -6:],
        kind=code_of_kind[kinds].astype(np.int8),
        direction=signs.astype(np.int8),
        comparator=comparator.astype(np.int8),
        target_value=np.where(kinds == 2, np.nan, goals),
        target_year=np.where(kinds == 0, 2030.0, np.nan),
    )
    return series, targets, arrays


def progress_inputs(
    n: int, seed: int
) -> tuple[list[Series], list[ProgressOptions], ProgressArrays]:
    rng = np.random.default_rng(seed)
    values = random_values(rng, n)
    signs = rng.choice([-1, 1], size=n)
    targets = np.where(rng.random(n) < 0.5, rng.uniform(20, 80, size=n), np.nan)
    series, options = [], []
    for row in range(min(n, SCALAR_SERIES)):
        series.append(Series.of(zip(YEARS, values[row], strict=True)))
        target = None if np.isnan(targets[row]) else float(targets[row])
        options.append(ProgressOptions(direction=Direction(int(signs[row])), target=target))
    arrays = ProgressArrays(
        periods=YEARS,
        values=values,
        direction=signs.astype(np.int8),
        base_year=np.full(n, 2015.0),
        target_year=np.full(n, 2030.0),
        target=targets,
        limit=np.full(n, np.nan),
    )
    return series, options, arrays


def processor() -> str:
    """The CPU model: platform.processor() is empty on many Linux systems."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown processor"


def main() -> None:
    print(f"Machine: {platform.machine()}, {processor()}")
    print(f"System: {platform.platform()}, os.cpu_count() = {os.cpu_count()}")
    print(f"Python {platform.python_version()}, numpy {np.__version__}; one process, one thread")
    print(f"Median of {RUNS} runs; {len(YEARS)} yearly values per series.\n")

    series, targets, weather_arrays = weather_inputs(BATCH_SERIES, seed=1)
    scalar = median_rate(
        len(series), lambda: [rate_weather(s, t) for s, t in zip(series, targets, strict=True)]
    )
    batch = median_rate(BATCH_SERIES, lambda: weather_batch(weather_arrays))
    print(f"weather symbols (method A)  scalar {scalar:>12,.0f} series/s")
    print(f"weather symbols (method A)  batch  {batch:>12,.0f} series/s")

    series, options, progress_arrays = progress_inputs(BATCH_SERIES, seed=2)
    scalar = median_rate(
        len(series), lambda: [rate_progress(s, o) for s, o in zip(series, options, strict=True)]
    )
    batch = median_rate(BATCH_SERIES, lambda: progress_batch(progress_arrays))
    print(f"Open SDG progress (method B) scalar {scalar:>12,.0f} series/s")
    print(f"Open SDG progress (method B) batch  {batch:>12,.0f} series/s")


if __name__ == "__main__":
    main()

"""The inputs every method shares: a time series, the desired direction, a comparison.

Periods are float years so that sub-annual data keep their place on the time axis (2023.5 is
the second half of 2023); both published methods measure change per year.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

from zielwerk.status.text import Lang


class Point(NamedTuple):
    period: float
    value: float


@dataclass(frozen=True)
class Series:
    """Observed values of one indicator series, ordered by period, one value per period."""

    points: tuple[Point, ...]

    def __post_init__(self) -> None:
        for point in self.points:
            if not (math.isfinite(point.period) and math.isfinite(point.value)):
                raise ValueError(f"Series point {point} is not a finite number")
        for before, after in zip(self.points, self.points[1:], strict=False):
            if after.period <= before.period:
                raise ValueError(
                    f"Series periods must be unique and ascending: {before.period} then "
                    f"{after.period}"
                )

    @classmethod
    def of(cls, pairs: Iterable[Sequence[float]]) -> Series:
        """Build a series from (period, value) pairs in any order (e.g. rows of a CSV file)."""
        points = sorted(Point(float(p), float(v)) for p, v in pairs)
        return cls(tuple(points))

    def __len__(self) -> int:
        return len(self.points)

    def value_at(self, period: float) -> float | None:
        for point in self.points:
            if point.period == period:
                return point.value
        return None

    def between(self, start: float | None = None, end: float | None = None) -> Series:
        """The points from `start` to `end` inclusive; None leaves that side open."""
        return Series(
            tuple(
                p
                for p in self.points
                if (start is None or p.period >= start) and (end is None or p.period <= end)
            )
        )


class Direction(Enum):
    """Which way the value should move; `sign` is +1 when higher is better."""

    INCREASE = 1
    DECREASE = -1

    @property
    def sign(self) -> int:
        return self.value

    def label(self, lang: Lang) -> str:
        if lang is Lang.DE:
            return "steigender Wert" if self is Direction.INCREASE else "sinkender Wert"
        return "a rising value" if self is Direction.INCREASE else "a falling value"


class Comparator(Enum):
    """How the current value is compared with a target value to decide whether it is met."""

    GT = ">"
    GE = ">="
    LT = "<"
    LE = "<="

    @classmethod
    def default_for(cls, direction: Direction) -> Comparator:
        """A target is met when it is reached or passed in the desired direction."""
        return cls.GE if direction is Direction.INCREASE else cls.LE

    def holds(self, value: float, target: float) -> bool:
        return _COMPARISONS[self](value, target)

    @property
    def symbol(self) -> str:
        return {">": ">", ">=": "≥", "<": "<", "<=": "≤"}[self.value]


_COMPARISONS: dict[Comparator, Callable[[float, float], bool]] = {
    Comparator.GT: operator.gt,
    Comparator.GE: operator.ge,
    Comparator.LT: operator.lt,
    Comparator.LE: operator.le,
}

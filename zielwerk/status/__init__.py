"""The status engine: published methods that turn indicator values into statuses (C3).

Plain Python: imports nothing from Django or the other zielwerk apps, so that the methods can
be read, tested and audited on their own (METHODS.md §1–4).

- `weather`: Destatis weather symbols (§1), `rate_weather`.
- `progress`: Open SDG / Statistics Canada progress measure (§2), `rate_progress`,
  `aggregate_indicator`.
- `milestones`: qualitative targets (§3), `rate_milestone`.
- `scale` and `rollup`: one comparable scale and the roll-up of a goal tree (§4), `roll_up`.
- `batch`: both methods vectorised over many series (numpy), same statuses as the scalar ones.
- `validation`: the engine against published cases, `check_cases`.

Every result carries an `explanation` in German and English built from the numbers the status
came from; `DISCLAIMER` is the sentence that goes with every symbol shown (§1).
"""

from zielwerk.status.milestones import (
    Assessment,
    Milestone,
    MilestoneResult,
    MilestoneStatus,
    rate_milestone,
)
from zielwerk.status.progress import (
    IndicatorProgress,
    ProgressOptions,
    ProgressResult,
    ProgressStatus,
    aggregate_indicator,
    rate_progress,
)
from zielwerk.status.rollup import Node, RollUp, RollUpRule, roll_up
from zielwerk.status.scale import Level
from zielwerk.status.series import Comparator, Direction, Point, Series
from zielwerk.status.text import DISCLAIMER, Explanation
from zielwerk.status.weather import (
    DirectionOnly,
    FixedLimit,
    Interval,
    Relative,
    Stages,
    Target,
    ValueByYear,
    Weather,
    WeatherResult,
    rate_weather,
)

__all__ = [
    "DISCLAIMER",
    "Assessment",
    "Comparator",
    "Direction",
    "DirectionOnly",
    "Explanation",
    "FixedLimit",
    "IndicatorProgress",
    "Interval",
    "Level",
    "Milestone",
    "MilestoneResult",
    "MilestoneStatus",
    "Node",
    "Point",
    "ProgressOptions",
    "ProgressResult",
    "ProgressStatus",
    "Relative",
    "RollUp",
    "RollUpRule",
    "Series",
    "Stages",
    "Target",
    "ValueByYear",
    "Weather",
    "WeatherResult",
    "aggregate_indicator",
    "rate_milestone",
    "rate_progress",
    "rate_weather",
    "roll_up",
]

"""One comparable status scale for weather symbols, CAGR statuses and milestones (METHODS.md §4).

A goal can be measured by a weather symbol (method A), by the Open SDG progress measure
(method B) and by milestones at the same time. To count and summarise them together, every
status is placed on one scale of four ordered levels plus two levels without a rating:

| level | weather symbol (§1) | Open SDG status (§2) | milestone (§3) |
|---|---|---|---|
| 4 on track | Sonne | substantial_progress, target_achieved | reached, on_track |
| 3 slightly off track | Leicht bewölkt | moderate_progress | |
| 2 off track | Wolke | limited_progress | at_risk |
| 1 critical | Gewitter | deterioration | overdue |
| no evaluation | no evaluation possible | not_available | |
| not measured | (a goal with no indicator and no milestone at all) | | |

Why these rows: both published methods have four ratings that run from "the target will be
reached at this pace" down to "the value moves away from the target", so they map one to one.
Limited progress (right direction, too slow) matches Wolke (right direction, the target missed
by more than 20 % of the gap); deterioration matches Gewitter (wrong direction). A milestone
its owner expects to miss is "off track", and one whose deadline has passed without it being
reached is "critical"; a milestone is reached or on track on level 4. Milestones have no
counterpart of level 3: the owner's assessment knows only "on track" or "at risk".

The two levels without a rank are never taken as good: they are counted and shown, but a
summary only looks at the ranked levels, and a node without any ranked status below it shows
"no evaluation" or "not measured" instead of a symbol.
"""

from __future__ import annotations

from enum import Enum

from zielwerk.status.text import Lang


class Level(Enum):
    ON_TRACK = "on_track"
    SLIGHTLY_OFF_TRACK = "slightly_off_track"
    OFF_TRACK = "off_track"
    CRITICAL = "critical"
    NO_EVALUATION = "no_evaluation"
    NOT_MEASURED = "not_measured"

    @property
    def rank(self) -> int | None:
        """4 (best) to 1 (worst); None for the levels that carry no rating."""
        return _RANKS.get(self)

    def label(self, lang: Lang) -> str:
        return _LABELS[self][0 if lang is Lang.DE else 1]


_RANKS = {
    Level.ON_TRACK: 4,
    Level.SLIGHTLY_OFF_TRACK: 3,
    Level.OFF_TRACK: 2,
    Level.CRITICAL: 1,
}

_LABELS = {
    Level.ON_TRACK: ("auf Kurs", "on track"),
    Level.SLIGHTLY_OFF_TRACK: ("leicht abweichend", "slightly off track"),
    Level.OFF_TRACK: ("deutlich abweichend", "off track"),
    Level.CRITICAL: ("kritisch", "critical"),
    Level.NO_EVALUATION: ("keine Bewertung möglich", "no evaluation possible"),
    Level.NOT_MEASURED: ("nicht gemessen", "not measured"),
}

# Best first, as Destatis lists its symbols: the order in which distributions are shown.
SCALE_ORDER = (
    Level.ON_TRACK,
    Level.SLIGHTLY_OFF_TRACK,
    Level.OFF_TRACK,
    Level.CRITICAL,
    Level.NO_EVALUATION,
    Level.NOT_MEASURED,
)

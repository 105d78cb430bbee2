"""Roll-up: indicator → operative goal → strategic goal → Handlungsfeld (METHODS.md §4).

Every node of the goal tree shows the *distribution* of the statuses below it and one
*summary* status, on the common scale of `zielwerk.status.scale` (weather symbols, Open SDG
statuses and milestones counted together).

Distribution: every indicator and milestone result at or below the node, counted by level,
plus, as "not measured", the number of goals at the lowest level at or below the node that
have no indicator and no milestone.

Summary, read on the page as:

1. **The indicators and milestones of one goal: worst of.** A goal's own results are summed
   up by the worst rated result among them, as Destatis shows the worst single result when
   several targets apply to one indicator. One thunderstorm is not averaged away.
2. **Goals with sub-goals: lower median.** Above the lowest level, each sub-goal counts once
   with its own summary (and the goal's own indicators and milestones, if it has any, count as
   one more part, summed up by rule 1). The summary is the median of these parts' levels; with
   an even number of parts the worse of the two middle ones. Why not worst-of here too: with
   dozens of indicators below a Handlungsfeld, one poor indicator would make every field
   critical and the summary would no longer tell fields apart; the distribution shown next to
   it still names every critical result.
3. **No rating is never good.** Results without a rating (too few data points, not
   available) and sub-goals without a rating take no part in a summary but are counted in the
   distribution. A node where no part has a rating shows "no evaluation possible"; a node
   without any indicator or milestone at or below it shows "not measured".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from zielwerk.status.scale import SCALE_ORDER, Level
from zielwerk.status.text import Explanation, Lang, both


class Rated(Protocol):
    """Anything with a place on the common scale: the results of all methods."""

    @property
    def level(self) -> Level: ...


@dataclass(frozen=True)
class Node:
    """A goal (or Handlungsfeld) with its own indicator and milestone results and sub-goals."""

    key: str
    results: tuple[Rated | Level, ...] = ()
    children: tuple[Node, ...] = ()


class RollUpRule(Enum):
    WORST_OF = "worst_of"
    LOWER_MEDIAN = "lower_median"
    NO_EVALUATION = "no_evaluation"
    NOT_MEASURED = "not_measured"


@dataclass(frozen=True)
class RollUp:
    key: str
    level: Level
    rule: RollUpRule
    distribution: dict[Level, int]
    children: tuple[RollUp, ...]
    explanation: Explanation


def level_of(result: Rated | Level) -> Level:
    return result if isinstance(result, Level) else result.level


def worst_of(levels: Iterable[Level]) -> Level | None:
    """§4 rule 1: the worst rated level; None when nothing is rated."""
    ranked = [level for level in levels if level.rank is not None]
    return min(ranked, key=_rank) if ranked else None


def lower_median(levels: Iterable[Level]) -> Level | None:
    """§4 rule 2: the median of the rated levels, the worse middle one for an even count."""
    ranked = sorted((level for level in levels if level.rank is not None), key=_rank)
    return ranked[(len(ranked) - 1) // 2] if ranked else None


def _rank(level: Level) -> int:
    assert level.rank is not None
    return level.rank


def distribution(levels: Iterable[Level]) -> dict[Level, int]:
    counts = dict.fromkeys(SCALE_ORDER, 0)
    for level in levels:
        counts[level] += 1
    return counts


def roll_up(node: Node) -> RollUp:
    """The distribution and summary status of a node and, recursively, of its sub-goals."""
    children = tuple(roll_up(child) for child in node.children)
    own = [level_of(result) for result in node.results]
    below = distribution(own)
    for child in children:
        for level, count in child.distribution.items():
            below[level] += count
    if not node.children and not own:
        below[Level.NOT_MEASURED] += 1
    own_summary = worst_of(own)
    if not children:
        summary, rule, parts = own_summary, RollUpRule.WORST_OF, len(own)
    else:
        items = [child.level for child in children]
        if own_summary is not None:
            items.append(own_summary)
        rated = [item for item in items if item.rank is not None]
        summary, rule, parts = lower_median(rated), RollUpRule.LOWER_MEDIAN, len(rated)
    if summary is None:
        has_results = any(
            count for level, count in below.items() if level is not Level.NOT_MEASURED
        )
        summary = Level.NO_EVALUATION if has_results else Level.NOT_MEASURED
        rule = RollUpRule.NO_EVALUATION if has_results else RollUpRule.NOT_MEASURED
    return RollUp(
        node.key,
        summary,
        rule,
        below,
        children,
        both(lambda lang: _text(summary, rule, below, parts, own_summary is not None, lang)),
    )


def _text(
    summary: Level,
    rule: RollUpRule,
    below: dict[Level, int],
    parts: int,
    has_own: bool,
    lang: Lang,
) -> str:
    de = lang is Lang.DE
    counts = _distribution_text(below, lang)
    if rule is RollUpRule.NOT_MEASURED:
        return (
            "Nicht gemessen: Für dieses Ziel gibt es keinen Indikator und keinen Meilenstein."
            if de
            else "Not measured: there is no indicator and no milestone for this goal."
        )
    if rule is RollUpRule.NO_EVALUATION:
        return (
            f"Keine Bewertung möglich: Keiner der Indikatoren und Meilensteine hat eine "
            f"Bewertung ({counts})."
            if de
            else f"No evaluation possible: none of the indicators and milestones has a rating "
            f"({counts})."
        )
    if rule is RollUpRule.WORST_OF:
        return (
            f"Zusammenfassung: schlechtester Status der Indikatoren und Meilensteine dieses "
            f"Ziels: {summary.label(lang)} ({counts})."
            if de
            else f"Summary: the worst status of this goal's indicators and milestones: "
            f"{summary.label(lang)} ({counts})."
        )
    own_de = ", die eigenen Indikatoren und Meilensteine als ein Teil" if has_own else ""
    own_en = ", the goal's own indicators and milestones counting as one part" if has_own else ""
    if de:
        return (
            f"Zusammenfassung: mittlerer Status der {parts} bewerteten Teile (Unterziele"
            f"{own_de}; bei gerader Zahl der schlechtere der beiden mittleren): "
            f"{summary.label(lang)}. Darunter: {counts}."
        )
    return (
        f"Summary: the middle status of the {parts} rated parts (sub-goals{own_en}; with an "
        f"even number the worse of the two middle ones): {summary.label(lang)}. Below: "
        f"{counts}."
    )


def _distribution_text(below: dict[Level, int], lang: Lang) -> str:
    return ", ".join(_count(level, count, lang) for level, count in below.items() if count)


def _count(level: Level, count: int, lang: Lang) -> str:
    if level is Level.NOT_MEASURED:
        if lang is Lang.DE:
            return f"{count} {'Ziel' if count == 1 else 'Ziele'} nicht gemessen"
        return f"{count} {'goal' if count == 1 else 'goals'} not measured"
    return f"{count} {level.label(lang)}"

"""Milestones: qualitative targets with a deadline and evidence (METHODS.md §3).

Example: operative goal 12.5.1 "bis 2024 Leitlinien … verabschiedet". The status is decided
as of an evaluation date, so that an evaluation stored for a past date can be reproduced: a
reaching or an assessment recorded after that date does not count yet. `rate_milestone` checks,
in this order, `is_reached`, `is_overdue` and the owner's assessment (`status_before_deadline`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import Enum

from zielwerk.status import text
from zielwerk.status.scale import Level
from zielwerk.status.text import Explanation, Lang, both


class MilestoneStatus(Enum):
    REACHED = "reached"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"

    @property
    def level(self) -> Level:
        return _LEVELS[self]

    def label(self, lang: Lang) -> str:
        return _LABELS[self][0 if lang is Lang.DE else 1]


_LEVELS = {
    MilestoneStatus.REACHED: Level.ON_TRACK,
    MilestoneStatus.ON_TRACK: Level.ON_TRACK,
    MilestoneStatus.AT_RISK: Level.OFF_TRACK,
    MilestoneStatus.OVERDUE: Level.CRITICAL,
}
_LABELS = {
    MilestoneStatus.REACHED: ("erreicht", "reached"),
    MilestoneStatus.ON_TRACK: ("auf gutem Weg", "on track"),
    MilestoneStatus.AT_RISK: ("gefährdet", "at risk"),
    MilestoneStatus.OVERDUE: ("überfällig", "overdue"),
}


class Assessment(Enum):
    """What the responsible unit says about a milestone whose deadline is still ahead."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"


@dataclass(frozen=True)
class Milestone:
    deadline: datetime.date
    reached_on: datetime.date | None = None
    evidence: str = ""
    assessment: Assessment | None = None
    assessed_on: datetime.date | None = None


@dataclass(frozen=True)
class MilestoneResult:
    status: MilestoneStatus
    milestone: Milestone
    evaluated_on: datetime.date
    explanation: Explanation

    @property
    def level(self) -> Level:
        return self.status.level


def is_reached(milestone: Milestone, evaluated_on: datetime.date) -> bool:
    """§3 "reached (with date and evidence)": a reaching without evidence is not shown as
    reached, and neither is one dated after the evaluation date."""
    return (
        milestone.reached_on is not None
        and milestone.reached_on <= evaluated_on
        and bool(milestone.evidence.strip())
    )


def is_overdue(milestone: Milestone, evaluated_on: datetime.date) -> bool:
    """§3 "overdue (deadline passed, not reached)": the deadline day itself still counts as
    in time."""
    return milestone.deadline < evaluated_on


def status_before_deadline(milestone: Milestone, evaluated_on: datetime.date) -> MilestoneStatus:
    """§3 "on track (deadline ahead, owner's assessment), at risk": the owner's assessment
    as of the evaluation date. Without one the milestone is shown as at risk, because nobody
    has said it is on track."""
    assessment = _assessment_as_of(milestone, evaluated_on)
    if assessment is Assessment.ON_TRACK:
        return MilestoneStatus.ON_TRACK
    return MilestoneStatus.AT_RISK


def _assessment_as_of(milestone: Milestone, evaluated_on: datetime.date) -> Assessment | None:
    if milestone.assessed_on is not None and milestone.assessed_on > evaluated_on:
        return None
    return milestone.assessment


def rate_milestone(milestone: Milestone, evaluated_on: datetime.date) -> MilestoneResult:
    """The status of a milestone on the evaluation date (METHODS.md §3)."""
    if is_reached(milestone, evaluated_on):
        status = MilestoneStatus.REACHED
    elif is_overdue(milestone, evaluated_on):
        status = MilestoneStatus.OVERDUE
    else:
        status = status_before_deadline(milestone, evaluated_on)
    return MilestoneResult(
        status,
        milestone,
        evaluated_on,
        both(lambda lang: _text(milestone, status, evaluated_on, lang)),
    )


def _text(
    milestone: Milestone, status: MilestoneStatus, evaluated_on: datetime.date, lang: Lang
) -> str:
    de = lang is Lang.DE
    deadline = text.date(milestone.deadline, lang)
    if status is MilestoneStatus.REACHED:
        assert milestone.reached_on is not None
        late = milestone.reached_on > milestone.deadline
        if de:
            after = f", nach der Frist {deadline}" if late else f", Frist {deadline}"
            return (
                f"Erreicht am {text.date(milestone.reached_on, lang)}{after}. Nachweis: "
                f"{milestone.evidence.strip()}"
            )
        after = f", after the deadline {deadline}" if late else f", deadline {deadline}"
        return (
            f"Reached on {text.date(milestone.reached_on, lang)}{after}. Evidence: "
            f"{milestone.evidence.strip()}"
        )
    unproven = _unproven_note(milestone, evaluated_on, lang)
    if status is MilestoneStatus.OVERDUE:
        return (
            f"Überfällig: Die Frist {deadline} ist verstrichen, der Meilenstein ist nicht "
            f"erreicht.{unproven}"
            if de
            else f"Overdue: the deadline {deadline} has passed and the milestone is not "
            f"reached.{unproven}"
        )
    assessment = _assessment_as_of(milestone, evaluated_on)
    if assessment is None:
        return (
            f"Gefährdet: Die Frist {deadline} liegt noch vor uns, aber die zuständige Stelle hat "
            f"nicht eingeschätzt, ob sie gehalten wird; ohne Einschätzung wird der Meilenstein "
            f"nicht als auf gutem Weg gezeigt.{unproven}"
            if de
            else f"At risk: the deadline {deadline} is still ahead, but the responsible unit has "
            "not assessed whether it will be met; without an assessment the milestone is not "
            f"shown as on track.{unproven}"
        )
    when = "" if milestone.assessed_on is None else text.date(milestone.assessed_on, lang)
    label = status.label(lang)
    label = label[0].upper() + label[1:]
    if de:
        said = f" (Einschätzung vom {when})" if when else ""
        return (
            f"{label}: Die Frist {deadline} liegt noch vor uns; so "
            f"schätzt die zuständige Stelle den Meilenstein ein{said}.{unproven}"
        )
    said = f" (assessment of {when})" if when else ""
    return (
        f"{label}: the deadline {deadline} is still ahead; this is "
        f"how the responsible unit assesses the milestone{said}.{unproven}"
    )


def _unproven_note(milestone: Milestone, evaluated_on: datetime.date, lang: Lang) -> str:
    reported = milestone.reached_on is not None and milestone.reached_on <= evaluated_on
    if not reported or milestone.evidence.strip():
        return ""
    return (
        " Als erreicht gemeldet, aber ohne Nachweis."
        if lang is Lang.DE
        else " Reported as reached, but without evidence."
    )

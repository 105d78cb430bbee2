"""What changed between the two latest evaluations of an edition: the goals and indicators whose
status level moved, for the overview on the start page."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from zielwerk.evaluation.models import EvaluationRun, Level, StatusRecord
from zielwerk.evaluation.queries import SUBJECT_KEYS
from zielwerk.goals.models import Edition, Field, OperativeGoal, StrategicGoal
from zielwerk.indicators.models import Indicator

# The scale of the rated levels, best first; "no evaluation" and "not measured" are not on it.
SCALE = [Level.ON_TRACK, Level.SLIGHTLY_OFF_TRACK, Level.OFF_TRACK, Level.CRITICAL]
# Goals from the top of the tree down, then the indicators that measure them.
SUBJECT_ORDER = [
    StatusRecord.Subject.FIELD,
    StatusRecord.Subject.STRATEGIC,
    StatusRecord.Subject.OPERATIVE,
    StatusRecord.Subject.INDICATOR,
]


class Direction(StrEnum):
    BETTER = "better"
    WORSE = "worse"
    # Into or out of "no evaluation" / "not measured", or newly rated: no step on the scale,
    # so it is neither better nor worse.
    OTHER = "other"


DIRECTION_ORDER = [Direction.WORSE, Direction.BETTER, Direction.OTHER]


@dataclass(frozen=True)
class StatusChange:
    subject: str
    item: Field | StrategicGoal | OperativeGoal | Indicator
    before: StatusRecord | None
    """None when the subject was not part of the previous evaluation."""
    after: StatusRecord
    direction: Direction

    @property
    def is_indicator(self) -> bool:
        return self.subject == StatusRecord.Subject.INDICATOR

    @property
    def text_field(self) -> str:
        """The item's field that names it."""
        return "name" if self.is_indicator else "title"


@dataclass(frozen=True)
class ChangeReport:
    latest: EvaluationRun
    previous: EvaluationRun
    changes: list[StatusChange]

    @property
    def better(self) -> int:
        return sum(change.direction == Direction.BETTER for change in self.changes)

    @property
    def worse(self) -> int:
        return sum(change.direction == Direction.WORSE for change in self.changes)


def direction_of(before: str | None, after: str) -> Direction:
    if before not in SCALE or after not in SCALE:
        return Direction.OTHER
    return Direction.BETTER if SCALE.index(after) < SCALE.index(before) else Direction.WORSE


def _records(run: EvaluationRun) -> dict[tuple[str, int], StatusRecord]:
    """The goal and indicator records of a run, with the objects they rate."""
    records = run.records.filter(subject__in=SUBJECT_ORDER).select_related(
        "field", "strategic_goal__field", "operative_goal__strategic_goal__field", "indicator"
    )
    return {(r.subject, getattr(r, SUBJECT_KEYS[r.subject])): r for r in records}


def _rated(record: StatusRecord) -> Field | StrategicGoal | OperativeGoal | Indicator:
    return record.field or record.strategic_goal or record.operative_goal or record.indicator


def _sort_key(change: StatusChange) -> tuple:
    code = change.item.code
    return (
        DIRECTION_ORDER.index(change.direction),
        SUBJECT_ORDER.index(change.subject),
        code if change.is_indicator else tuple(int(part) for part in code.split(".")),
    )


def status_changes(edition: Edition) -> ChangeReport | None:
    """Goals and indicators whose level differs between the latest evaluation of the edition
    and the one before it, worse ones first; None while there are fewer than two evaluations.

    A subject that the latest evaluation rates for the first time (an indicator added since)
    counts as changed; one that is no longer part of the edition is left out."""
    runs = list(edition.evaluations.order_by("-evaluated_on", "-created_at")[:2])
    if len(runs) < 2:
        return None
    latest, previous = runs
    before = _records(previous)
    changes = [
        StatusChange(
            subject=record.subject,
            item=_rated(record),
            before=before.get(key),
            after=record,
            direction=direction_of(before[key].level if key in before else None, record.level),
        )
        for key, record in _records(latest).items()
        if key not in before or before[key].level != record.level
    ]
    return ChangeReport(latest, previous, sorted(changes, key=_sort_key))

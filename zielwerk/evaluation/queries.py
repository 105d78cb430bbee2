"""Reading stored evaluations for pages and the API."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from zielwerk.evaluation.models import EvaluationRun, StatusRecord
from zielwerk.goals.models import Edition


def latest_run(edition: Edition) -> EvaluationRun | None:
    return edition.evaluations.order_by("-evaluated_on", "-created_at").first()


@dataclass
class StatusIndex:
    """The records of one run, by subject and object id, read in one query."""

    run: EvaluationRun | None
    by_subject: dict[str, dict[int, StatusRecord]] = field(
        default_factory=lambda: defaultdict(dict)
    )

    def of(self, subject: str, pk: int) -> StatusRecord | None:
        return self.by_subject[subject].get(pk)


SUBJECT_KEYS = {
    StatusRecord.Subject.INDICATOR: "indicator_id",
    StatusRecord.Subject.MILESTONE: "milestone_id",
    StatusRecord.Subject.OPERATIVE: "operative_goal_id",
    StatusRecord.Subject.STRATEGIC: "strategic_goal_id",
    StatusRecord.Subject.FIELD: "field_id",
}


# Within shared_status_indexes() (batch jobs rendering many pages, e.g. the static export) one
# index per evaluation run serves every page instead of being read again for each.
_shared: ContextVar[dict[int, StatusIndex] | None] = ContextVar("status_indexes", default=None)


@contextmanager
def shared_status_indexes() -> Iterator[None]:
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def status_index(edition: Edition) -> StatusIndex:
    run = latest_run(edition)
    shared = _shared.get()
    if shared is not None and run is not None and run.pk in shared:
        return shared[run.pk]
    index = StatusIndex(run)
    if run is not None:
        for record in run.records.all():
            index.by_subject[record.subject][getattr(record, SUBJECT_KEYS[record.subject])] = record
        if shared is not None:
            shared[run.pk] = index
    return index

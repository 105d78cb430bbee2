"""The start page's overview of the latest evaluation: how the ratings below each Handlungsfeld
are distributed over all levels, zeros included, so that the fields can be compared."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from zielwerk.evaluation.models import Level, StatusRecord
from zielwerk.evaluation.queries import StatusIndex
from zielwerk.goals.models import Field


@dataclass(frozen=True)
class FieldRow:
    field: Field
    counts: list[int]
    """One count per level, in the order of Level.choices."""

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Distribution:
    levels: list[tuple[str, str]]
    rows: list[FieldRow]

    @property
    def totals(self) -> list[int]:
        return [sum(column) for column in zip(*(row.counts for row in self.rows), strict=True)]

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)


def field_distribution(fields: Iterable[Field], index: StatusIndex) -> Distribution | None:
    """The rows of the fields the latest evaluation rated; None before the first evaluation."""
    if index.run is None:
        return None
    rows = []
    for field in fields:
        record = index.of(StatusRecord.Subject.FIELD, field.pk)
        if record is not None:
            counts = [record.distribution.get(level, 0) for level in Level.values]
            rows.append(FieldRow(field, counts))
    return Distribution(list(Level.choices), rows)

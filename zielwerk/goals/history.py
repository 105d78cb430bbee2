"""The change history of goal-system records, as entries a person can read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import models

from zielwerk.org.models import OrgUnit


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    kind: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)


KIND_LABELS = {"+": "angelegt", "~": "geändert", "-": "gelöscht"}


def _display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        # Many-to-many changes come as lists of through-rows ({"orgunit": pk, ...}).
        pks = [row.get("orgunit") for row in value if isinstance(row, dict)]
        return ", ".join(OrgUnit.objects.filter(pk__in=pks).values_list("code", flat=True))
    if isinstance(value, bool):
        return "ja" if value else "nein"
    return str(value)


def change_log(obj: models.Model) -> list[HistoryEntry]:
    """Every version of obj, newest first, with what changed against the version before."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-pk"))
    model = type(obj)
    entries = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        user = record.history_user
        entry = HistoryEntry(
            when=record.history_date,
            who=(user.get_full_name() or user.get_username()) if user else "System",
            kind=KIND_LABELS.get(record.history_type, record.history_type),
            reason=record.history_change_reason or "",
        )
        if previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                label = str(model._meta.get_field(change.field).verbose_name)
                entry.changes.append(
                    FieldChange(
                        label=label,
                        old=_display(change.old),
                        new=_display(change.new),
                    )
                )
        entries.append(entry)
    return entries

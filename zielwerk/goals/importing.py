"""Storing chapters of an SEK as an edition, all or nothing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import ProtectedError

from zielwerk.goals.models import (
    CrossReference,
    Edition,
    FeedbackItem,
    Field,
    OperativeGoal,
    StrategicGoal,
)
from zielwerk.goals.sek_parser import FieldText, parse_chapter, read_chapter_file
from zielwerk.org.models import OrgUnit


class GoalImportError(ValueError):
    """The data cannot be stored as it is; nothing was changed."""


@dataclass
class ImportSummary:
    edition: Edition
    created_edition: bool
    fields: list[Field]
    strategic_goals: int
    operative_goals: int


def default_edition_title(name: str) -> str:
    return f"Stadtentwicklungskonzept – Ausgabe {name}"


def import_sek_file(
    path: str | Path, edition_name: str, *, edition_title: str = "", replace: bool = False
) -> ImportSummary:
    """Parse an SEK chapter file and store it in the named edition (created when missing)."""
    fields = parse_chapter(read_chapter_file(path))
    return store_fields(
        fields,
        edition_name,
        edition_title=edition_title,
        replace=replace,
        reason=f"Import aus {Path(path).name}",
    )


def store_fields(
    fields: list[FieldText],
    edition_name: str,
    *,
    edition_title: str = "",
    edition_city: str = "",
    edition_description: str = "",
    replace: bool = False,
    reason: str = "Import",
) -> ImportSummary:
    """Store parsed Handlungsfelder in one transaction; on any error nothing is stored."""
    units = _units_by_code(fields)
    with transaction.atomic():
        edition = Edition.objects.filter(name=edition_name).first()
        created = edition is None
        if created:
            edition = Edition(
                name=edition_name,
                title=edition_title or default_edition_title(edition_name),
                city=edition_city,
                description=edition_description,
                is_current=not Edition.objects.filter(is_current=True).exists(),
            )
            edition._change_reason = reason
            edition.save()
        stored = []
        for parsed in fields:
            existing = edition.fields.filter(number=parsed.number).first()
            if existing is not None:
                if not replace:
                    raise GoalImportError(
                        f"Die Ausgabe „{edition.name}“ enthält Handlungsfeld {parsed.number} "
                        "schon. Mit --replace wird es ersetzt, mit --edition NAME entsteht eine "
                        "neue Ausgabe."
                    )
                _delete_replaced(existing)
            stored.append(_store_field(edition, parsed, units, reason))
    return ImportSummary(
        edition=edition,
        created_edition=created,
        fields=stored,
        strategic_goals=sum(len(f.strategic_goals) for f in fields),
        operative_goals=sum(len(f.operative_goals()) for f in fields),
    )


def _delete_replaced(field: Field) -> None:
    # Records of domain modules (e.g. the ratings of SEK-Checks) protect the goals they judged:
    # replacing the goals would silently rewrite what a council paper was checked against.
    try:
        field.delete()
    except ProtectedError as error:
        users = Counter(obj._meta.verbose_name_plural for obj in error.protected_objects)
        listed = ", ".join(f"{count} {name}" for name, count in sorted(users.items()))
        raise GoalImportError(
            f"Handlungsfeld {field.number} kann nicht ersetzt werden, weil andere Daten auf "
            f"seine Ziele verweisen ({listed}). Legen Sie mit --edition NAME eine neue Ausgabe "
            "an; die bisherige bleibt dann mit diesen Daten erhalten."
        ) from error


def _units_by_code(fields: list[FieldText]) -> dict[str, OrgUnit]:
    codes = set()
    for f in fields:
        codes.update(f.responsible_units)
        for sg in f.strategic_goals:
            codes.update(sg.responsible_units)
            for og in sg.operative_goals:
                codes.update(og.responsible_units)
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    missing = sorted(codes - units.keys())
    if missing:
        raise GoalImportError(f"Unbekannte Organisationseinheiten: {', '.join(missing)}.")
    return units


def _save(obj, reason: str):
    obj._change_reason = reason
    obj.save()
    return obj


def _store_field(
    edition: Edition, parsed: FieldText, units: dict[str, OrgUnit], reason: str
) -> Field:
    field = _save(
        Field(
            edition=edition,
            number=parsed.number,
            title=parsed.title,
            title_changed=parsed.title_changed,
            former_title=parsed.former_title,
            structure_changed=parsed.structure_changed,
            structure_change_note=parsed.structure_change_note,
            leitsatz=parsed.leitsatz,
        ),
        reason,
    )
    field.responsible_units.set([units[c] for c in parsed.responsible_units])
    for position, text in enumerate(parsed.feedback, start=1):
        _save(FeedbackItem(field=field, position=position, text=text), reason)
    for psg in parsed.strategic_goals:
        sg = _save(
            StrategicGoal(field=field, number=psg.number, title=psg.title, text=psg.text), reason
        )
        sg.responsible_units.set([units[c] for c in psg.responsible_units])
        for position, ref in enumerate(psg.cross_references, start=1):
            _save(
                CrossReference(
                    strategic_goal=sg,
                    position=position,
                    text=ref.text,
                    target_field_number=ref.target_field_number,
                    target_goal_number=ref.target_goal_number,
                ),
                reason,
            )
        for pog in psg.operative_goals:
            og = _save(
                OperativeGoal(strategic_goal=sg, number=pog.number, title=pog.title, text=pog.text),
                reason,
            )
            og.responsible_units.set([units[c] for c in pog.responsible_units])
    return field

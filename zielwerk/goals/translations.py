"""English translations of content. German is the source language of every text; a model with
English content has a field `<name>_en` beside each translated German field `<name>`, left empty
while there is no translation (the public pages then show the German text, marked as such).

Translations of a goal system come as a mapping from codes to English texts, in a file (see
zielwerk/goals/data/ludwigsburg-hf12-en.yaml) or from the *_en keys of the exchange format:

    "12":     {title, leitsatz}
    "12.3":   {title, text, cross_references: [text of the first, of the second, …]}
    "12.3.4": {title, text}

store_translations() checks the whole mapping first and reports every problem with its code;
only a clean mapping is stored, in one transaction."""

from __future__ import annotations

from functools import reduce
from operator import or_
from pathlib import Path
from typing import Any

import yaml
from django.db import models, transaction
from django.db.models import Q

from zielwerk.goals.models import CrossReference, Edition, Field, OperativeGoal, StrategicGoal

ENGLISH = "_en"
CROSS_REFERENCES = "cross_references"

Goal = Field | StrategicGoal | OperativeGoal


class TranslationError(ValueError):
    """Translations that cannot be stored as they are; nothing was changed. Holds every
    problem."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


def english_fields(model: type[models.Model]) -> list[str]:
    """The German fields of model that have an English counterpart, in model order."""
    names = [f.name for f in model._meta.concrete_fields]
    return [
        name.removesuffix(ENGLISH)
        for name in names
        if name.endswith(ENGLISH) and name.removesuffix(ENGLISH) in names
    ]


def missing_english(model: type[models.Model]) -> Q:
    """Rows with a German text whose English counterpart is still empty."""
    return reduce(
        or_, (Q(**{f"{name}{ENGLISH}": ""}) & ~Q(**{name: ""}) for name in english_fields(model))
    )


def load_translations(edition: Edition, path: str | Path) -> int:
    """Store the English texts of a translation file (YAML, UTF-8) in the edition, all or
    nothing; returns how many goals and cross references changed."""
    path = Path(path)
    try:
        # BaseLoader keeps every key a string: an unquoted 12.1 would otherwise become a number.
        data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=yaml.BaseLoader)
    except OSError as error:
        raise TranslationError([f"{path.name}: Datei nicht lesbar ({error.strerror})."]) from error
    except UnicodeDecodeError as error:
        raise TranslationError(
            [f"{path.name}: nicht UTF-8-kodiert (ungültiges Byte an Position {error.start})."]
        ) from error
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f", Zeile {mark.line + 1}, Spalte {mark.column + 1}" if mark else ""
        raise TranslationError(
            [f"{path.name}{where}: kein gültiges YAML – {error.problem or error.context}."]
        ) from error
    if not isinstance(data, dict):
        raise TranslationError(
            [f"{path.name}: erwartet werden Nummern von Zielen mit ihren englischen Texten."]
        )
    try:
        return store_translations(edition, data, reason=f"Übersetzung aus {path.name}")
    except TranslationError as error:
        raise TranslationError([f"{path.name}: {e}" for e in error.errors]) from error


def store_translations(
    edition: Edition, translations: dict[str, Any], reason: str = "Übersetzung"
) -> int:
    """Set the English texts of the goals named by code; empty texts remove a translation.
    Returns how many goals and cross references changed."""
    goals = _goals_by_code(edition)
    errors: list[str] = []
    changes: list[tuple[models.Model, dict[str, str]]] = []
    for code, entry in translations.items():
        goal = goals.get(str(code))
        if goal is None:
            errors.append(
                f"{code}: kein Handlungsfeld und kein Ziel mit dieser Nummer in der Ausgabe "
                f"„{edition.name}“."
            )
            continue
        if not isinstance(entry, dict):
            errors.append(f"{code}: erwartet werden englische Texte wie title und text.")
            continue
        allowed = english_fields(type(goal))
        if isinstance(goal, StrategicGoal):
            allowed.append(CROSS_REFERENCES)
        texts: dict[str, str] = {}
        for key, value in entry.items():
            if key not in allowed:
                errors.append(
                    f"{code}.{key}: unbekannter Schlüssel (erlaubt: {', '.join(allowed)})."
                )
            elif key == CROSS_REFERENCES:
                errors += _cross_reference_changes(goal, code, value, changes)
            else:
                errors += _text_errors(type(goal), f"{code}.{key}", key, value)
                texts[key] = value
        changes.append((goal, texts))
    if errors:
        raise TranslationError(errors)
    changed = 0
    with transaction.atomic():
        for obj, texts in changes:
            changed += _save_english(obj, texts, reason)
    return changed


def _goals_by_code(edition: Edition) -> dict[str, Goal]:
    goals: dict[str, Goal] = {}
    fields = edition.fields.prefetch_related(
        "strategic_goals__operative_goals", "strategic_goals__cross_references"
    )
    for field in fields:
        goals[f"{field.number}"] = field
        for sg in field.strategic_goals.all():
            goals[f"{field.number}.{sg.number}"] = sg
            for og in sg.operative_goals.all():
                goals[f"{field.number}.{sg.number}.{og.number}"] = og
    return goals


def _text_errors(model: type[models.Model], where: str, name: str, value: Any) -> list[str]:
    if not isinstance(value, str):
        return [f"{where}: erwartet Text."]
    limit = model._meta.get_field(name).max_length
    if limit is not None and len(value) > limit:
        return [f"{where}: ist zu lang ({len(value)} Zeichen, höchstens {limit})."]
    return []


def _cross_reference_changes(
    goal: StrategicGoal,
    code: str,
    value: Any,
    changes: list[tuple[models.Model, dict[str, str]]],
) -> list[str]:
    where = f"{code}.{CROSS_REFERENCES}"
    references = list(goal.cross_references.all())
    if not isinstance(value, list):
        return [f"{where}: erwartet eine Liste von Texten, einer je Querverweis."]
    if len(value) > len(references):
        return [
            f"{where}: {len(value)} Texte, das Ziel hat aber nur {len(references)} Querverweise."
        ]
    errors = []
    for position, (reference, text) in enumerate(zip(references, value, strict=False)):
        problems = _text_errors(CrossReference, f"{where}[{position}]", "text", text)
        errors += problems
        if not problems:
            changes.append((reference, {"text": text}))
    return errors


def _save_english(obj: models.Model, texts: dict[str, str], reason: str) -> int:
    changed = {
        f"{name}{ENGLISH}": text
        for name, text in texts.items()
        if getattr(obj, f"{name}{ENGLISH}") != text
    }
    if not changed:
        return 0
    for attribute, text in changed.items():
        setattr(obj, attribute, text)
    obj._change_reason = reason
    obj.save()
    return 1

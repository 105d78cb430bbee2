"""Indicator definitions as a file: indicators with their goals, targets, milestones and
(optionally) values, as in zielwerk/indicators/data/hf12-indicators.yaml.

The whole file is checked first and every problem reported with its place in the file; only a
clean file is stored, in one transaction."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from zielwerk.goals.models import Edition, OperativeGoal
from zielwerk.goals.queries import find_goal
from zielwerk.indicators.models import Direction, Indicator, Milestone, Target, Value
from zielwerk.indicators.values import ValueRow, store_values
from zielwerk.org.models import OrgUnit, Person
from zielwerk.updates.schedule import Cycle

INDICATOR_KEYS = {
    "code", "goals", "name", "definition", "unit", "source", "source_url", "direction", "owner",
    "decimals", "method", "series_starts", "base_year", "natural_limit", "targets", "values",
    "milestones", "update",
}  # fmt: skip
TARGET_KEYS = {
    "kind", "value", "base_year", "target_year", "comparator", "low", "high", "wording",
    "decided_by", "is_current",
}  # fmt: skip
MILESTONE_KEYS = {
    "title", "description", "deadline", "reached_on", "evidence", "evidence_url", "assessment",
    "assessed_on", "owner",
}  # fmt: skip
# update: {cycle, due_days, since, owner} -> fields of the update schedule (owner: a username)
UPDATE_FIELDS = {"cycle": "update_cycle", "due_days": "update_due_days", "since": "updates_since"}
CYCLES = [cycle.value for cycle in Cycle]
STATES = {"a": Value.State.APPROVED, "e": Value.State.ENTERED}


class DefinitionsError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class DefinitionsSummary:
    indicators: list[Indicator] = field(default_factory=list)
    targets: int = 0
    milestones: int = 0
    values: int = 0


@dataclass
class _Checked:
    data: dict[str, Any]
    goals: list[OperativeGoal]
    owner: OrgUnit | None
    milestone_owners: list[OrgUnit | None]
    update_owner: Person | None


def read_definitions(path: str | Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise DefinitionsError([f"{Path(path).name}: kein gültiges YAML ({error})."]) from error
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise DefinitionsError([f"{Path(path).name}: erwartet wird eine Liste „indicators“."])
    return data


def _unit(code: Any, units: dict[str, OrgUnit], where: str, errors: list[str]) -> OrgUnit | None:
    if code is None:
        return None
    if code not in units:
        errors.append(f"{where}: unbekannte Organisationseinheit „{code}“.")
    return units.get(code)


def _unknown_keys(data: dict, allowed: set[str], where: str, errors: list[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        errors.append(f"{where}: unbekannte Angaben {', '.join(sorted(unknown))}.")


def _check_target(target: Any, where: str, errors: list[str]) -> None:
    if not isinstance(target, dict):
        errors.append(f"{where}: erwartet wird ein Objekt.")
        return
    _unknown_keys(target, TARGET_KEYS, where, errors)
    if target.get("kind") not in Target.Kind.values:
        errors.append(f"{where}.kind: erlaubt sind {', '.join(Target.Kind.values)}.")
        return
    required = {
        Target.Kind.VALUE_BY_YEAR: ("value", "target_year"),
        Target.Kind.FIXED_LIMIT: ("value", "comparator"),
        Target.Kind.INTERVAL: ("low", "high"),
        Target.Kind.DIRECTION_ONLY: (),
    }[target["kind"]]
    errors.extend(f"{where}.{name}: fehlt." for name in required if target.get(name) is None)
    if "comparator" in target and target["comparator"] not in Target.Comparator.values:
        errors.append(f"{where}.comparator: erlaubt sind {', '.join(Target.Comparator.values)}.")


def _check_value(row: Any, where: str, errors: list[str]) -> None:
    if not (isinstance(row, list) and 3 <= len(row) <= 4):
        errors.append(
            f"{where}: erwartet wird [Jahr, Wert, Status] oder [Jahr, Wert, Status, Kennzeichen]."
        )
        return
    year, value, state = row[:3]
    if not isinstance(year, int) or not 1800 <= year <= 2200:
        errors.append(f"{where}: „{year}“ ist kein Jahr.")
    if not isinstance(value, int | float) or isinstance(value, bool):
        errors.append(f"{where}: „{value}“ ist keine Zahl.")
    if state not in STATES:
        errors.append(f"{where}: Status „{state}“ unbekannt (a = freigegeben, e = eingegeben).")


def _check_update(
    update: Any, where: str, people: dict[str, Person], errors: list[str]
) -> Person | None:
    """The update schedule `{cycle, due_days, owner, since}`; returns the owner."""
    if update is None:
        return None
    if not isinstance(update, dict):
        errors.append(f"{where}: erwartet wird ein Objekt mit cycle, due_days, owner, since.")
        return None
    _unknown_keys(update, {*UPDATE_FIELDS, "owner"}, where, errors)
    if update.get("cycle", Cycle.YEARLY) not in CYCLES:
        errors.append(f"{where}.cycle: erlaubt sind {', '.join(CYCLES)}.")
    due_days = update.get("due_days", 0)
    if not isinstance(due_days, int) or isinstance(due_days, bool) or not 0 <= due_days <= 32767:
        errors.append(f"{where}.due_days: erwartet wird eine Zahl von Tagen (0 bis 32767).")
    if "since" in update and not isinstance(update["since"], datetime.date):
        errors.append(f"{where}.since: erwartet wird ein Datum JJJJ-MM-TT.")
    owner = update.get("owner")
    if owner is not None and owner not in people:
        errors.append(f"{where}.owner: keine Person mit dem Benutzernamen „{owner}“.")
    return people.get(owner)


def _check_indicator(
    entry: Any,
    where: str,
    edition: Edition,
    units: dict[str, OrgUnit],
    people: dict[str, Person],
    errors: list[str],
) -> _Checked | None:
    if not isinstance(entry, dict):
        errors.append(f"{where}: erwartet wird ein Objekt.")
        return None
    _unknown_keys(entry, INDICATOR_KEYS, where, errors)
    for key in ("code", "name", "direction"):
        if not entry.get(key):
            errors.append(f"{where}.{key}: fehlt.")
    if entry.get("direction") and entry["direction"] not in Direction.values:
        errors.append(f"{where}.direction: erlaubt sind {', '.join(Direction.values)}.")
    if entry.get("method", Indicator.Method.WEATHER) not in Indicator.Method.values:
        errors.append(f"{where}.method: erlaubt sind {', '.join(Indicator.Method.values)}.")
    goals = []
    for i, code in enumerate(entry.get("goals") or []):
        goal = find_goal(edition, str(code))
        if isinstance(goal, OperativeGoal):
            goals.append(goal)
        else:
            errors.append(
                f"{where}.goals[{i}]: kein operatives Ziel „{code}“ in Ausgabe „{edition.name}“."
            )
    for i, target in enumerate(entry.get("targets") or []):
        _check_target(target, f"{where}.targets[{i}]", errors)
    for i, row in enumerate(entry.get("values") or []):
        _check_value(row, f"{where}.values[{i}]", errors)
    milestone_owners = []
    for i, milestone in enumerate(entry.get("milestones") or []):
        mwhere = f"{where}.milestones[{i}]"
        if not isinstance(milestone, dict) or not milestone.get("title"):
            errors.append(f"{mwhere}: Titel fehlt.")
            continue
        _unknown_keys(milestone, MILESTONE_KEYS, mwhere, errors)
        if not isinstance(milestone.get("deadline"), datetime.date):
            errors.append(f"{mwhere}.deadline: erwartet wird ein Datum JJJJ-MM-TT.")
        if milestone.get("assessment") not in (None, *Milestone.Assessment.values):
            errors.append(
                f"{mwhere}.assessment: erlaubt sind {', '.join(Milestone.Assessment.values)}."
            )
        milestone_owners.append(
            _unit(milestone.get("owner", entry.get("owner")), units, mwhere, errors)
        )
    if entry.get("milestones") and not goals:
        errors.append(f"{where}.milestones: Meilensteine brauchen ein operatives Ziel unter goals.")
    owner = _unit(entry.get("owner"), units, f"{where}.owner", errors)
    update_owner = _check_update(entry.get("update"), f"{where}.update", people, errors)
    return _Checked(entry, goals, owner, milestone_owners, update_owner)


def load_definitions(
    data: dict[str, Any],
    edition: Edition,
    *,
    user: AbstractBaseUser | None = None,
    source_name: str = "Indikatordefinitionen",
) -> DefinitionsSummary:
    """Create the indicators of the file (codes must be new), all or nothing."""
    units = {u.code: u for u in OrgUnit.objects.all()}
    people = {p.user.username: p for p in Person.objects.select_related("user")}
    errors: list[str] = []
    checked = []
    codes = [e.get("code") for e in data["indicators"] if isinstance(e, dict)]
    existing = set(Indicator.objects.filter(code__in=codes).values_list("code", flat=True))
    for i, entry in enumerate(data["indicators"]):
        where = f"indicators[{i}]"
        result = _check_indicator(entry, where, edition, units, people, errors)
        if result is None:
            continue
        if result.data.get("code") in existing:
            errors.append(f"{where}.code: den Indikator „{result.data['code']}“ gibt es schon.")
        if codes.count(result.data.get("code")) > 1:
            errors.append(f"{where}.code: „{result.data['code']}“ steht mehrmals in der Datei.")
        checked.append(result)
    if errors:
        raise DefinitionsError(errors)
    sample = bool(data.get("sample"))
    summary = DefinitionsSummary()
    with transaction.atomic():
        for item in checked:
            summary.indicators.append(_store(item, sample, summary))
        rows = [
            ValueRow(
                indicator=indicator,
                year=row[0],
                value=float(row[1]),
                flags=row[3] if len(row) == 4 else "",
                state=STATES[row[2]],
            )
            for indicator, item in zip(summary.indicators, checked, strict=True)
            for row in item.data.get("values") or []
        ]
        if rows:
            summary.values = store_values(rows, source_name=source_name, user=user).created
    return summary


def _store(item: _Checked, sample: bool, summary: DefinitionsSummary) -> Indicator:
    entry = item.data
    schedule = {UPDATE_FIELDS[k]: v for k, v in (entry.get("update") or {}).items() if k != "owner"}
    indicator = Indicator(
        code=entry["code"],
        name=entry["name"],
        definition=entry.get("definition", ""),
        unit=entry.get("unit", ""),
        source=entry.get("source", ""),
        source_url=entry.get("source_url", ""),
        direction=entry["direction"],
        method=entry.get("method", Indicator.Method.WEATHER),
        decimals=entry.get("decimals", 1),
        series_starts=entry.get("series_starts"),
        base_year=entry.get("base_year", 2015),
        natural_limit=entry.get("natural_limit"),
        owner=item.owner,
        is_sample=sample,
        update_owner=item.update_owner,
        **schedule,
    )
    indicator._change_reason = "Indikatordefinitionen"
    indicator.save()
    indicator.operative_goals.set(item.goals)
    for target in entry.get("targets") or []:
        Target.objects.create(indicator=indicator, **target)
        summary.targets += 1
    # A milestone belongs to the first goal of its indicator (the validation ensures one).
    for milestone, owner in zip(entry.get("milestones") or [], item.milestone_owners, strict=True):
        Milestone.objects.create(
            operative_goal=item.goals[0],
            owner=owner,
            is_sample=sample,
            **{k: v for k, v in milestone.items() if k != "owner"},
        )
        summary.milestones += 1
    return indicator

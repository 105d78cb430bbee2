"""Default categories with their service standards (data/categories.yaml) and sample cases for
the demo (data/sample-cases.yaml, Beispieldaten).

Each sample case goes through the same services as a real one (intake.create_case, then the
steps of workflow.py, taken by the demo login the sample names) and is then dated back to the
sample's days, counted from `today`, so every day's demo has cases within and beyond their
standard, overdue ones, and released impulses for "Sie haben gesagt – wir haben getan"."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from zielwerk.cases import workflow
from zielwerk.cases.intake import ContactData, create_case
from zielwerk.cases.models import Case, CaseEvent, Category, Contact
from zielwerk.goals.models import Edition
from zielwerk.goals.queries import find_goal
from zielwerk.indicators.models import Indicator
from zielwerk.measures.models import Measure
from zielwerk.org.models import OrgUnit

DATA = Path(__file__).parent / "data"
CATEGORIES_FILE = DATA / "categories.yaml"
SAMPLE_FILE = DATA / "sample-cases.yaml"
OFFICE = "strategie"
# The keys a sample case and each of its parts may have; anything else is a slip in the file
# (in YAML, an unquoted comma inside {…} starts a new key).
SAMPLE_KEYS = {
    "": {"kind", "category", "channel", "language", "days", "text", "contact", "by"}
    | {"first_answer", "evaluate", "decide", "implement", "answer", "public"},
    "contact": {"name", "email", "phone", "notify"},
    "evaluate": {"days", "fits", "reason"},
    "decide": {"days", "decision", "reason"},
    "implement": {"days", "measure"},
    "answer": {"days", "text"},
    "public": {"title", "summary"},
}
# Local hours of the sample steps: in the morning it came in, in the afternoon staff acted.
RECEIVED_HOUR = 9
STEP_HOUR = 14


def _read(path: Path) -> Any:
    # libyaml's loader when PyYAML has it: the pure-Python one would add a noticeable part to
    # every loading of the demo, which many tests do.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)


@transaction.atomic
def load_categories(edition: Edition, path: Path = CATEGORIES_FILE) -> list[Category]:
    """Create the categories of the file that do not exist yet (by key); existing ones keep
    what staff changed. Units, goals (in `edition`) and indicators are looked up by code; a
    code that names nothing is a ValueError naming the category and stores nothing."""
    data = _read(path)
    categories = []
    for order, item in enumerate(data["categories"], start=1):
        category, created = Category.objects.get_or_create(
            key=item["key"],
            defaults={
                "name": item["name"],
                "name_en": item.get("name_en", ""),
                "unit": _lookup(OrgUnit, item, "unit"),
                "first_answer_days": item["first_answer"],
                "completion_days": item["completion"],
                "indicator": _lookup(Indicator, item, "indicator"),
                "is_public": item.get("public", True),
                "order": order * 10,
            },
        )
        if created:
            goals = [find_goal(edition, code) for code in item.get("goals", [])]
            if None in goals:
                raise ValueError(
                    f"{path.name}, Kategorie „{item['key']}“: nicht jedes der Ziele "
                    f"{', '.join(item['goals'])} gibt es in der Ausgabe „{edition.name}“."
                )
            category.operative_goals.set(goals)
        categories.append(category)
    return categories


def _lookup(model: type[OrgUnit] | type[Indicator], item: dict[str, Any], name: str) -> Any:
    code = item.get(name)
    if code is None:
        return None
    found = model.objects.filter(code=code).first()
    if found is None:
        raise ValueError(
            f"{CATEGORIES_FILE.name}, Kategorie „{item['key']}“: {name} „{code}“ gibt es nicht."
        )
    return found


@transaction.atomic
def load_sample_cases(edition: Edition, today: datetime.date | None = None) -> list[Case]:
    """Load the default categories and the sample cases, dated relative to `today`."""
    today = today or timezone.localdate()
    categories = {category.key: category for category in load_categories(edition)}
    users = {user.username: user for user in get_user_model().objects.all()}
    data = _read(SAMPLE_FILE)

    def at(days: int, hour: int = STEP_HOUR) -> datetime.datetime:
        day = today + datetime.timedelta(days=days)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    cases = []
    wants_mail = []
    # Oldest first, so that the numbers follow the dates of receipt.
    check_sample_keys(data["cases"])
    for item in sorted(data["cases"], key=lambda item: item["days"]):
        user = users[item["by"]]
        category = categories[item["category"]]
        contact = item.get("contact")
        case = create_case(
            kind=item["kind"],
            text=item["text"],
            channel=item["channel"],
            category=category,
            # No mails for steps the demo dates back: the wish is set once they are committed.
            contact=ContactData(
                name=contact.get("name", ""),
                email=contact.get("email", ""),
                phone=contact.get("phone", ""),
                consent=True,
            )
            if contact
            else None,
            user=None if item["channel"] == Case.Channel.WEB else user,
            language=item.get("language", "de"),
            received_at=at(item["days"], RECEIVED_HOUR),
        )
        if contact:
            # Consent was given with the sending, not when the demo was loaded.
            Contact.objects.filter(case=case).update(consent_at=case.received_at)
            if contact.get("notify"):
                wants_mail.append(case.pk)
        _take_steps(case, item, edition, user, users[OFFICE], at)
        cases.append(case)
    transaction.on_commit(partial(_enable_notifications, wants_mail))
    return cases


def check_sample_keys(items: list[dict[str, Any]]) -> None:
    """A ValueError naming the case and the key for any key the sample format does not know."""
    for number, item in enumerate(items, start=1):
        for part, allowed in SAMPLE_KEYS.items():
            given = item if not part else item.get(part)
            unknown = set(given) - allowed if isinstance(given, dict) else set()
            if unknown:
                where = f"Fall {number}" + (f", {part}" if part else "")
                raise ValueError(
                    f"{SAMPLE_FILE.name}, {where}: unbekannte Angabe "
                    f"„{', '.join(sorted(map(str, unknown)))}“; erlaubt sind: "
                    f"{', '.join(sorted(allowed))}."
                )


def _take_steps(
    case: Case,
    item: dict[str, Any],
    edition: Edition,
    user: Any,
    office: Any,
    at: Callable[[int], datetime.datetime],
) -> None:
    goals = list(case.category.operative_goals.all())
    if "first_answer" in item:
        _dated(case, at(item["first_answer"]), workflow.record_first_answer, case, user)
    if step := item.get("evaluate"):
        _dated(
            case,
            at(step["days"]),
            partial(workflow.evaluate, goals=goals),
            case,
            step["fits"],
            step["reason"],
            user,
        )
    if step := item.get("decide"):
        _dated(
            case, at(step["days"]), workflow.decide, case, step["decision"], step["reason"], user
        )
    if step := item.get("implement"):
        measure = Measure.objects.get(number=step["measure"]) if "measure" in step else None
        _dated(
            case,
            at(step["days"]),
            partial(workflow.implement, measure=measure, goals=[] if measure else goals),
            case,
            user,
        )
    if step := item.get("answer"):
        _dated(case, at(step["days"]), workflow.answer, case, step["text"], user)
        if public := item.get("public"):
            _dated(
                case,
                at(step["days"]),
                workflow.release,
                case,
                public["title"],
                public["summary"],
                office,
            )


def _dated(case: Case, when: datetime.datetime, step: Callable[..., Any], *args: Any) -> None:
    """Take a workflow step and move what it dated now (its history entries, the first answer,
    the completion) to `when`."""
    before = {"first_answer_at": case.first_answer_at, "completed_at": case.completed_at}
    last_event = case.events.order_by("-pk").values_list("pk", flat=True).first() or 0
    step(*args)
    CaseEvent.objects.filter(case=case, pk__gt=last_event).update(at=when)
    moved = {name: when for name, old in before.items() if getattr(case, name) != old}
    if moved:
        Case.objects.filter(pk=case.pk).update(**moved)
        for name, value in moved.items():
            setattr(case, name, value)


def _enable_notifications(case_ids: list[int]) -> None:
    Contact.objects.filter(case_id__in=case_ids).update(notify=True)

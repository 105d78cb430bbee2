"""Demo data for `make run`: the seed chapter, sample organisation units, staff logins, the
proposed indicators of Handlungsfeld 12 with sample values, a first evaluation, and sample
measures whose update schedules (relative to the day of loading) leave some updates up to date,
some due and some overdue; then sample council papers, the default case categories with their
service standards and sample impulses, complaints and praise (cases/demo.py).

The organisation units, responsibilities and indicator values are Beispieldaten invented for
the demo, not the organisation chart or figures of any city."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from zielwerk.cases.demo import load_sample_cases
from zielwerk.council.demo import load_sample_papers
from zielwerk.council.suggestions import load_keywords
from zielwerk.evaluation.services import evaluate_edition
from zielwerk.goals.importing import import_sek_file
from zielwerk.goals.models import Edition
from zielwerk.goals.queries import find_goal
from zielwerk.goals.translations import load_translations
from zielwerk.indicators.definitions import load_definitions, read_definitions
from zielwerk.indicators.models import Indicator
from zielwerk.measures.models import Measure, WorkItem
from zielwerk.measures.services import load_sample_measures
from zielwerk.org.models import OrgUnit, Person
from zielwerk.updates.schedule import period_containing

SEED_FILE = Path(__file__).parent / "goals" / "data" / "ludwigsburg-hf12.txt"
INDICATORS_FILE = Path(__file__).parent / "indicators" / "data" / "hf12-indicators.yaml"
# Unofficial English texts of the seed chapter (Beispieldaten), see the file's header.
TRANSLATIONS_FILE = Path(__file__).parent / "goals" / "data" / "ludwigsburg-hf12-en.yaml"
KEYWORDS_FILE = Path(__file__).parent / "council" / "data" / "hf12-keywords.yaml"
DEMO_EDITION = "ludwigsburg"
DEMO_EDITION_TITLE = "Stadtentwicklungskonzept Ludwigsburg"
DEMO_PASSWORD = "zielwerk-demo"
REASON = "Beispieldaten"

# (code, name, kind, parent code)
UNITS = [
    ("D1", "Dezernat I (Beispieldaten)", OrgUnit.Kind.DEZERNAT, None),
    ("REF-NSE", "Referat Nachhaltige Stadtentwicklung", OrgUnit.Kind.REFERAT, "D1"),
    ("REF-BET", "Referat Bürgerbeteiligung", OrgUnit.Kind.REFERAT, "D1"),
    ("FB-PO", "Fachbereich Personal und Organisation", OrgUnit.Kind.FACHBEREICH, "D1"),
    ("D2", "Dezernat II (Beispieldaten)", OrgUnit.Kind.DEZERNAT, None),
    ("FB-FIN", "Fachbereich Finanzen", OrgUnit.Kind.FACHBEREICH, "D2"),
    ("FB-FIN-HH", "Abteilung Haushalt und Controlling", OrgUnit.Kind.ABTEILUNG, "FB-FIN"),
    ("FB-BD", "Fachbereich Bürgerdienste", OrgUnit.Kind.FACHBEREICH, "D2"),
]

# goal code -> responsible unit codes
RESPONSIBILITIES = {
    "12": ["REF-NSE"],
    "12.1": ["FB-PO"],
    "12.2": ["FB-BD"],
    "12.3": ["FB-FIN"],
    "12.3.4": ["FB-FIN-HH"],
    "12.3.5": ["FB-FIN-HH"],
    "12.4": ["REF-NSE"],
    "12.5": ["REF-BET"],
}

# (username, first name, last name, role, unit code); e-mail addresses end in .invalid, a
# domain that never exists, so no reminder of the demo is ever delivered.
EMAIL_DOMAIN = "beispiel.invalid"
PEOPLE = [
    ("strategie", "Sabine", "Strategie", Person.Role.ADMIN, "REF-NSE"),
    ("finanzen", "Fritz", "Finanzen", Person.Role.EDITOR, "FB-FIN"),
    ("buergerdienste", "Berta", "Bürgerdienste", Person.Role.EDITOR, "FB-BD"),
    ("lesen", "Lena", "Lesend", Person.Role.VIEWER, None),
]


@dataclass
class DemoSummary:
    edition: Edition
    imported_seed: bool
    logins: list[tuple[str, str]]
    indicators: int = 0
    values: int = 0
    measures: int = 0
    papers: int = 0
    cases: int = 0


@transaction.atomic
def load_demo() -> DemoSummary:
    """Load the demo once; running it again changes nothing that is already there."""
    units = {}
    for code, name, kind, parent in UNITS:
        units[code], _ = OrgUnit.objects.get_or_create(
            code=code,
            defaults={"name": name, "kind": kind, "parent": units.get(parent), "is_sample": True},
        )
    # People first: the indicator definitions name some of them as update owners.
    logins = _load_people(units)
    edition = Edition.objects.filter(name=DEMO_EDITION).first()
    imported = edition is None
    if imported:
        edition = import_sek_file(SEED_FILE, DEMO_EDITION, edition_title=DEMO_EDITION_TITLE).edition
        edition.city = "Ludwigsburg"
        edition.save()
        for code, unit_codes in RESPONSIBILITIES.items():
            find_goal(edition, code).responsible_units.set([units[c] for c in unit_codes])
    summary = DemoSummary(edition=edition, imported_seed=imported, logins=logins)
    if imported:
        loaded = load_definitions(
            read_definitions(INDICATORS_FILE),
            edition,
            source_name=f"{INDICATORS_FILE.name} ({REASON})",
        )
        summary.indicators, summary.values = len(loaded.indicators), loaded.values
        summary.measures = len(load_sample_measures(edition))
        load_keywords(KEYWORDS_FILE, edition)
        # Their coverage adds values to the 12.4.4 indicator, so evaluate after them.
        summary.papers = len(load_sample_papers(edition, evaluate=False))
        summary.cases = len(load_sample_cases(edition))
        evaluate_edition(edition, datetime.date.today())
        _schedule_sample_updates(datetime.date.today())
        load_translations(edition, TRANSLATIONS_FILE)
    return summary


def _load_people(units: dict[str, OrgUnit]) -> list[tuple[str, str]]:
    user_model = get_user_model()
    logins = []
    for username, first, last, role, unit in PEOPLE:
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@{EMAIL_DOMAIN}",
                "is_staff": True,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            Person.objects.create(user=user, role=role, unit=units.get(unit))
        logins.append((username, Person.Role(role).label))
    return logins


def _schedule_sample_updates(today: datetime.date) -> None:
    """Update owners and tracking dates of the sample measures and indicators, counted back
    from today so that every day's demo shows updates up to date, due and overdue:
    - M-12-01 (FB-PO, no one responsible) tracked since two quarters ago,
    - M-12-03 owned by the strategy office, its last quarter due in three days,
    - M-12-04 with the strategy office as contact, tracked for a year,
    - M-12-06 (half-yearly, editors of FB-FIN) tracked for two half-years, overdue,
    - M-12-05 and the indicators of other units tracked from today on: nothing owed yet,
    - indicators of 12.2 and 12.3 tracked since the start of last year, whose figures the
      sample data do not have yet (due or overdue by their due days)."""
    strategy = Person.objects.get(user__username="strategie")
    finance = Person.objects.get(user__username="finanzen")
    measures = {m.number: m for m in Measure.objects.filter(is_sample=True)}

    def track(number: str, periods_back: int, **changes) -> Measure:
        measure = measures[number]
        period = period_containing(measure.cycle, today)
        for _ in range(periods_back):
            period = period.previous()
        measure.updates_since = period.start
        for name, value in changes.items():
            setattr(measure, name, value)
        measure._change_reason = REASON
        measure.save()
        return measure

    track("M-12-01", 2)
    last_quarter = period_containing(measures["M-12-03"].cycle, today).previous()
    track(
        "M-12-03",
        1,
        update_owner=strategy,
        update_due_days=(today - last_quarter.end).days + 3,
    )
    track("M-12-04", 4, contact=strategy)
    track("M-12-06", 2)
    WorkItem.objects.filter(
        measure=measures["M-12-04"], kind=WorkItem.Kind.TASK, assignee=None
    ).update(assignee=strategy)
    WorkItem.objects.create(
        measure=measures["M-12-06"],
        kind=WorkItem.Kind.TASK,
        title="Kriterienkatalog mit der Zentralen Vergabestelle abstimmen",
        due_on=today - datetime.timedelta(days=14),
        assignee=finance,
    )
    for indicator in Indicator.objects.filter(is_sample=True, code__regex=r"^12-[23]-"):
        indicator.updates_since = datetime.date(today.year - 1, 1, 1)
        indicator._change_reason = REASON
        indicator.save()

"""Demo data for `make run`: the seed chapter, sample organisation units, staff logins, the
proposed indicators of Handlungsfeld 12 with sample values, and a first evaluation.

The organisation units, responsibilities and indicator values are Beispieldaten invented for
the demo, not the organisation chart or figures of any city."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from zielwerk.evaluation.services import evaluate_edition
from zielwerk.goals.importing import import_sek_file
from zielwerk.goals.models import Edition
from zielwerk.goals.queries import find_goal
from zielwerk.indicators.definitions import load_definitions, read_definitions
from zielwerk.measures.services import load_sample_measures
from zielwerk.org.models import OrgUnit, Person

SEED_FILE = Path(__file__).parent / "goals" / "data" / "ludwigsburg-hf12.txt"
INDICATORS_FILE = Path(__file__).parent / "indicators" / "data" / "hf12-indicators.yaml"
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

# (username, first name, last name, role, unit code)
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


@transaction.atomic
def load_demo() -> DemoSummary:
    """Load the demo once; running it again changes nothing that is already there."""
    units = {}
    for code, name, kind, parent in UNITS:
        units[code], _ = OrgUnit.objects.get_or_create(
            code=code,
            defaults={"name": name, "kind": kind, "parent": units.get(parent), "is_sample": True},
        )
    edition = Edition.objects.filter(name=DEMO_EDITION).first()
    imported = edition is None
    if imported:
        edition = import_sek_file(SEED_FILE, DEMO_EDITION, edition_title=DEMO_EDITION_TITLE).edition
        edition.city = "Ludwigsburg"
        edition.save()
        for code, unit_codes in RESPONSIBILITIES.items():
            find_goal(edition, code).responsible_units.set([units[c] for c in unit_codes])
    summary = DemoSummary(edition=edition, imported_seed=imported, logins=[])
    if imported:
        loaded = load_definitions(
            read_definitions(INDICATORS_FILE),
            edition,
            source_name=f"{INDICATORS_FILE.name} ({REASON})",
        )
        summary.indicators, summary.values = len(loaded.indicators), loaded.values
        evaluate_edition(edition, datetime.date.today())
        load_sample_measures(edition)
    user_model = get_user_model()
    for username, first, last, role, unit in PEOPLE:
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "is_staff": True},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            Person.objects.create(user=user, role=role, unit=units.get(unit))
        summary.logins.append((username, Person.Role(role).label))
    return summary

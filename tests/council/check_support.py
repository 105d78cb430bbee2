"""Papers and checks as the tests of the SEK-Check workflow need them.

`load_staff` loads the part of the demo these tests use: the seed edition with its 20 operative
goals and the demo's goal keywords, units and logins; without the demo's indicators, measures,
papers and evaluation it takes a fraction of the time."""

import datetime as dt

from django.contrib.auth import get_user_model

from tests.conftest import SEED
from zielwerk.council.models import Paper
from zielwerk.council.suggestions import load_keywords
from zielwerk.demo import KEYWORDS_FILE, UNITS, _load_people
from zielwerk.goals.importing import import_sek_file
from zielwerk.goals.models import Edition
from zielwerk.goals.queries import find_goal
from zielwerk.org.models import OrgUnit

TODAY = dt.date(2025, 3, 3)
BUDGET_TEXT = (
    "Der Gemeinderat beschließt den Haushaltsplan mit dem Finanzplan. Die Verschuldung je "
    "Einwohner sinkt, die Investitionen in Schulen und Kitas steigen."
)


def load_staff() -> Edition:
    """The current edition (the seed chapter) with keywords, the demo's units and logins."""
    edition = import_sek_file(SEED, "2023").edition
    load_keywords(KEYWORDS_FILE, edition)
    units: dict[str, OrgUnit] = {}
    for code, name, kind, parent in UNITS:
        units[code] = OrgUnit.objects.create(
            code=code, name=name, kind=kind, parent=units.get(parent), is_sample=True
        )
    _load_people(units)
    return edition


def user(username: str):
    return get_user_model().objects.get(username=username)


def make_paper(unit: str | None = "FB-FIN", **fields) -> Paper:
    values = {
        "reference": "12/2025",
        "title": "Haushaltsplan 2026",
        "date": TODAY - dt.timedelta(days=20),
        "paper_type": "Beschlussvorlage",
        "department": "Fachbereich Finanzen",
        "meeting_date": TODAY + dt.timedelta(days=30),
        "text": BUDGET_TEXT,
    }
    return Paper.objects.create(
        unit=OrgUnit.objects.get(code=unit) if unit else None, **(values | fields)
    )


def goal(edition, code: str):
    return find_goal(edition, code)

"""Categories for the intake tests, without the whole demo set."""

from zielwerk.cases.models import Category
from zielwerk.org.models import OrgUnit


def make_category(key: str = "test-strassen", **fields) -> Category:
    unit, _ = OrgUnit.objects.get_or_create(
        code="FB-TIEF", defaults={"name": "Fachbereich Tiefbau", "kind": OrgUnit.Kind.FACHBEREICH}
    )
    defaults = {"name": "Straßen und Wege", "name_en": "Streets and paths", "unit": unit}
    return Category.objects.create(key=key, **(defaults | fields))

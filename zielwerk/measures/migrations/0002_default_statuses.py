"""The default status vocabulary; each city may reword, reorder or extend it afterwards."""

from django.db import migrations

DEFAULTS = [
    ("in-vorbereitung", "in Vorbereitung", False),
    ("in-umsetzung", "in Umsetzung", False),
    ("pruefauftrag", "Prüfauftrag", False),
    ("abgeschlossen", "abgeschlossen", True),
    ("daueraufgabe", "Daueraufgabe", False),
    ("zurueckgestellt", "zurückgestellt", False),
    ("abgebrochen", "abgebrochen", True),
]


def create_defaults(apps, schema_editor):
    status_model = apps.get_model("measures", "MeasureStatus")
    for order, (key, label, is_closed) in enumerate(DEFAULTS, start=1):
        status_model.objects.get_or_create(
            key=key, defaults={"label": label, "order": order * 10, "is_closed": is_closed}
        )


def remove_defaults(apps, schema_editor):
    apps.get_model("measures", "MeasureStatus").objects.filter(
        key__in=[key for key, _, _ in DEFAULTS], measures__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]

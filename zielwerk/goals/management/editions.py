"""Choosing an edition on the command line, with one wording for every command."""

from django.core.management.base import CommandError

from zielwerk.goals.models import Edition


def edition_by_name(name: str | None) -> Edition:
    """The named edition, or the current one without a name; a CommandError listing the
    existing editions when there is none."""
    editions = Edition.objects.all()
    edition = (
        editions.filter(name=name).first() if name else editions.filter(is_current=True).first()
    )
    if edition is None:
        known = ", ".join(editions.values_list("name", flat=True)) or "keine"
        problem = f"Unbekannte Ausgabe „{name}“." if name else "Es gibt keine aktuelle Ausgabe."
        raise CommandError(f"{problem} Vorhandene Ausgaben: {known}.")
    return edition

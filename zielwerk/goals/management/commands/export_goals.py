from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zielwerk.goals.exchange import FORMATS, dump, export_edition, format_for_path
from zielwerk.goals.models import Edition


class Command(BaseCommand):
    help = (
        "Schreibt eine ganze Ausgabe des Zielsystems im Austauschformat „zielwerk-goals“ "
        "(Version 1, siehe docs/exchange-format.md) als JSON oder YAML. Gleiche Daten ergeben "
        "immer dieselbe Datei."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--edition", help="Kennung der Ausgabe. Standard: die aktuelle Ausgabe."
        )
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="Dateiformat. Standard: nach der Endung von --output (.json, .yaml, .yml), "
            "sonst json.",
        )
        parser.add_argument("--output", help="Zieldatei (UTF-8). Standard: die Standardausgabe.")

    def handle(self, *args, **options):
        edition = _edition(options["edition"])
        output = options["output"]
        fmt = options["format"] or (output and format_for_path(output)) or "json"
        text = dump(export_edition(edition), fmt)
        if not output:
            self.stdout.write(text, ending="")
            return
        # newline="" keeps the bytes identical on every platform.
        Path(output).write_text(text, encoding="utf-8", newline="")
        self.stdout.write(f"Ausgabe „{edition.name}“ nach {output} exportiert ({fmt}).")


def _edition(name: str | None) -> Edition:
    if name is None:
        edition = Edition.objects.filter(is_current=True).first()
        if edition is None:
            raise CommandError("Es gibt keine aktuelle Ausgabe; bitte --edition NAME angeben.")
        return edition
    edition = Edition.objects.filter(name=name).first()
    if edition is None:
        known = ", ".join(Edition.objects.values_list("name", flat=True)) or "keine"
        raise CommandError(f"Die Ausgabe „{name}“ gibt es nicht. Vorhanden: {known}.")
    return edition

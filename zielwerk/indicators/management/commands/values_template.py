from pathlib import Path

from django.core.management.base import BaseCommand

from zielwerk.indicators.excel import template_bytes
from zielwerk.indicators.management.commands.import_values import indicator_or_error


class Command(BaseCommand):
    help = (
        "Schreibt die Excel-Vorlage eines Indikators (Blatt „Werte“ mit Jahr, Monat, "
        "Aufgliederung, Wert, Kennzeichen, Quelle, Anmerkung und Blatt „Angaben“), die "
        "„import-values“ wieder einliest."
    )

    def add_arguments(self, parser):
        parser.add_argument("indicator", help="Kennung des Indikators")
        parser.add_argument("--output", required=True, help="Zieldatei (.xlsx)")

    def handle(self, *args, **options):
        indicator = indicator_or_error(options["indicator"])
        Path(options["output"]).write_bytes(template_bytes(indicator))
        self.stdout.write(f"Vorlage für „{indicator.code}“ nach {options['output']} geschrieben.")

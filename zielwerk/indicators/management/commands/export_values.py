from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zielwerk.indicators.excel import export_bytes, template_filename
from zielwerk.indicators.management.commands.import_values import indicator_or_error
from zielwerk.indicators.models import Indicator
from zielwerk.indicators.opensdg import export_opensdg


class Command(BaseCommand):
    help = (
        "Schreibt die freigegebenen Werte von Indikatoren: als Open-SDG-Ordner "
        "(data/indicator_<Kennung>.csv und meta/<Kennung>.md) oder als Excel-Vorlage mit Werten. "
        "Gleiche Daten ergeben dieselben Dateien."
    )

    def add_arguments(self, parser):
        parser.add_argument("indicator", nargs="?", help="Kennung des Indikators")
        parser.add_argument("--all", action="store_true", help="alle Indikatoren")
        parser.add_argument("--format", choices=("opensdg", "xlsx"), required=True)
        parser.add_argument(
            "--output",
            required=True,
            help="Open SDG: Ordner. Excel: Datei (ein Indikator) oder Ordner (--all).",
        )

    def handle(self, *args, **options):
        if bool(options["indicator"]) == options["all"]:
            raise CommandError("Bitte genau einen Indikator oder --all angeben.")
        indicators = (
            list(Indicator.objects.order_by("code"))
            if options["all"]
            else [indicator_or_error(options["indicator"])]
        )
        output = Path(options["output"])
        if options["format"] == "opensdg":
            export_opensdg(indicators, output)
        elif options["all"]:
            output.mkdir(parents=True, exist_ok=True)
            for indicator in indicators:
                (output / template_filename(indicator)).write_bytes(export_bytes(indicator))
        else:
            output.write_bytes(export_bytes(indicators[0]))
        self.stdout.write(
            f"{len(indicators)} Indikator(en) nach {output} exportiert ({options['format']})."
        )

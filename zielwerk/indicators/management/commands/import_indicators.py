from django.core.management.base import BaseCommand, CommandError

from zielwerk.goals.management.editions import edition_by_name
from zielwerk.indicators.definitions import DefinitionsError, load_definitions, read_definitions
from zielwerk.indicators.values import ValuesError


class Command(BaseCommand):
    help = (
        "Liest Indikatordefinitionen (YAML wie zielwerk/indicators/data/hf12-indicators.yaml): "
        "Indikatoren mit Zielen, Zielwerten, Meilensteinen und optional Werten. Bei einem "
        "Fehler wird nichts gespeichert."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="YAML-Datei mit einer Liste „indicators“")
        parser.add_argument(
            "--edition", help="Ausgabe, deren operative Ziele gemeint sind (Standard: aktuelle)"
        )

    def handle(self, *args, **options):
        edition = edition_by_name(options["edition"])
        try:
            summary = load_definitions(
                read_definitions(options["file"]), edition, source_name=options["file"]
            )
        except FileNotFoundError as error:
            raise CommandError(f"Datei nicht gefunden: {options['file']}") from error
        except (DefinitionsError, ValuesError) as error:
            raise CommandError(
                f"{options['file']}: Es wurde nichts gespeichert.\n" + "\n".join(error.errors)
            ) from error
        self.stdout.write(
            f"{len(summary.indicators)} Indikatoren, {summary.targets} Zielwerte, "
            f"{summary.milestones} Meilensteine und {summary.values} Werte gespeichert "
            f"(Ausgabe „{edition.name}“)."
        )

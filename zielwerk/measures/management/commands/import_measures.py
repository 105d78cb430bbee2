from django.core.management.base import BaseCommand, CommandError

from zielwerk.goals.management.editions import edition_by_name
from zielwerk.measures.importing import MeasureImportError, import_measures


class Command(BaseCommand):
    help = (
        "Liest eine Maßnahmenliste (CSV oder XLSX) mit den Spalten Nummer, Titel, Beschreibung, "
        "Art, Verantwortlich, Ziele, Beginn, Ende, Priorität, Status, Fortschritt, Budget "
        "geplant, Budget ausgegeben. Bei einem Fehler wird nichts gespeichert."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV- oder XLSX-Datei, eine Maßnahme je Zeile")
        parser.add_argument(
            "--update", action="store_true", help="vorhandene Maßnahmen (gleiche Nummer) ändern"
        )
        parser.add_argument(
            "--edition", help="Ausgabe, deren operative Ziele gemeint sind (Standard: aktuelle)"
        )

    def handle(self, *args, **options):
        edition = edition_by_name(options["edition"])
        try:
            summary = import_measures(options["file"], edition, update=options["update"])
        except FileNotFoundError as error:
            raise CommandError(f"Datei nicht gefunden: {options['file']}") from error
        except MeasureImportError as error:
            raise CommandError(
                f"{options['file']}: Es wurde nichts gespeichert.\n" + "\n".join(error.errors)
            ) from error
        self.stdout.write(
            f"{len(summary.created)} Maßnahmen angelegt, {len(summary.updated)} geändert "
            f"(Ausgabe „{edition.name}“)."
        )

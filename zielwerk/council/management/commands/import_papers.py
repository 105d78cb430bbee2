from django.core.management.base import BaseCommand, CommandError

from zielwerk.council.importing import COLUMNS, TEMPLATE, PaperImportError, import_papers


class Command(BaseCommand):
    help = (
        "Liest eine Liste von Vorlagen (CSV oder XLSX) für Städte ohne OParl, mit den Spalten "
        f"{', '.join(COLUMNS)} (Vorlage: {TEMPLATE.name}). Bei einem Fehler wird nichts "
        "gespeichert."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV- oder XLSX-Datei, eine Vorlage je Zeile")
        parser.add_argument(
            "--update", action="store_true", help="vorhandene Vorlagen (gleiche Nummer) ändern"
        )

    def handle(self, *args, **options):
        try:
            summary = import_papers(options["file"], update=options["update"])
        except FileNotFoundError as error:
            raise CommandError(f"Datei nicht gefunden: {options['file']}") from error
        except PaperImportError as error:
            raise CommandError(
                f"{options['file']}: Es wurde nichts gespeichert.\n" + "\n".join(error.errors)
            ) from error
        self.stdout.write(summary.line)

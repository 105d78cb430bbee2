from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zielwerk.goals.management.editions import edition_by_name
from zielwerk.report.pdf import PdfError, write_pdf


class Command(BaseCommand):
    help = (
        "Schreibt den Bericht einer veröffentlichten Ausgabe als druckbares PDF: Titelseite mit "
        "Stand der Bewertung, Inhaltsverzeichnis, Legende, je Handlungsfeld die Ziele mit "
        "Bewertung, Indikatoren, Zielwerten und Diagrammen, zuletzt die Methoden."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="Zieldatei, z. B. bericht.pdf")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="Sprache des Berichts (Standard: de)",
        )
        parser.add_argument(
            "--edition", help="Kennung der Ausgabe. Standard: die aktuelle Ausgabe."
        )

    def handle(self, *args, **options):
        edition = edition_by_name(options["edition"])
        target = Path(options["file"])
        try:
            result = write_pdf(edition, target, options["language"])
        except PdfError as error:
            raise CommandError(str(error)) from error
        for url in result.refused:
            self.stderr.write(f"Nicht geladen (nur eigene statische Dateien erlaubt): {url}")
        self.stdout.write(
            f"Bericht „{edition.title}“ ({options['language']}) nach {target} geschrieben: "
            f"{result.pages} Seiten, {result.bytes // 1024} KB."
        )

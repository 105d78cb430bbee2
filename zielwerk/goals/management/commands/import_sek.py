from datetime import date

from django.core.management.base import BaseCommand, CommandError

from zielwerk.goals.importing import GoalImportError, import_sek_file
from zielwerk.goals.models import Edition
from zielwerk.goals.sek_parser import SekParseError


class Command(BaseCommand):
    help = (
        "Liest ein Kapitel eines Stadtentwicklungskonzepts (Text, z. B. aus einem PDF kopiert) "
        "und speichert es als Ausgabe: Handlungsfeld, Leitsatz, Rückmeldungen, strategische und "
        "operative Ziele. Bei einem Fehler wird nichts gespeichert."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Textdatei mit dem Kapitel (UTF-8 oder Windows-1252)")
        parser.add_argument(
            "--edition",
            help="Kennung der Ausgabe; fehlt sie, wird sie angelegt. Standard: die aktuelle "
            "Ausgabe, sonst das laufende Jahr.",
        )
        parser.add_argument("--title", default="", help="Titel einer neu angelegten Ausgabe")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="ein vorhandenes Handlungsfeld gleicher Nummer in der Ausgabe ersetzen",
        )

    def handle(self, *args, **options):
        edition = options["edition"] or _default_edition_name()
        try:
            summary = import_sek_file(
                options["file"], edition, edition_title=options["title"], replace=options["replace"]
            )
        except FileNotFoundError as error:
            raise CommandError(f"Datei nicht gefunden: {options['file']}") from error
        except (SekParseError, GoalImportError, UnicodeDecodeError) as error:
            raise CommandError(
                f"{options['file']}: {error} Es wurde nichts gespeichert."
            ) from error
        for field in summary.fields:
            self.stdout.write(
                f"Handlungsfeld {field.number} „{field.title}“: "
                f"{field.strategic_goals.count()} strategische Ziele, "
                f"{sum(sg.operative_goals.count() for sg in field.strategic_goals.all())} "
                "operative Ziele"
            )
        verb = "angelegt" if summary.created_edition else "ergänzt"
        self.stdout.write(self.style.SUCCESS(f"Ausgabe „{summary.edition.name}“ {verb}."))


def _default_edition_name() -> str:
    current = Edition.objects.filter(is_current=True).first()
    return current.name if current else str(date.today().year)

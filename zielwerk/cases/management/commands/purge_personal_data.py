from django.conf import settings
from django.core.management.base import BaseCommand

from zielwerk.cases.privacy import purge_personal_data
from zielwerk.management.arguments import iso_date


class Command(BaseCommand):
    help = (
        "Löscht die personenbezogenen Daten (Kontaktdaten und Text des Anliegens) von Fällen, "
        "deren Aufbewahrungsfrist (ZIELWERK_CASE_RETENTION_DAYS nach der Antwort, bei nie "
        "beantworteten Fällen doppelt so lang nach Eingang) abgelaufen ist. Zahlen und "
        "öffentliche Texte bleiben. Täglich auszuführen; gibt nur Anzahlen aus."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=iso_date,
            default=None,
            help="Stichtag JJJJ-MM-TT statt heute (zum Nachholen oder Ausprobieren)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="nur zählen, was gelöscht würde; nichts löschen",
        )

    def handle(self, *args, **options):
        summary = purge_personal_data(options["date"], dry_run=options["dry_run"])
        prefix = "Probelauf, nichts gelöscht: " if options["dry_run"] else ""
        self.stdout.write(
            f"{prefix}{summary.line()} Aufbewahrungsfrist: "
            f"{settings.ZIELWERK_CASE_RETENTION_DAYS} Tage."
        )

import datetime

from django.core.management.base import BaseCommand, CommandError

from zielwerk.evaluation.services import evaluate_edition
from zielwerk.goals.management.editions import edition_by_name
from zielwerk.goals.models import Edition
from zielwerk.management.arguments import iso_date


class Command(BaseCommand):
    help = (
        "Bewertet alle Indikatoren, Meilensteine und Ziele zu einem Stichtag und speichert das "
        "Ergebnis mit dem Datenstand, aus dem es berechnet wurde. Ohne --edition werden alle "
        "Ausgaben bewertet."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=iso_date,
            default=None,
            help="Stichtag im Format JJJJ-MM-TT (Standard: heute); es zählen Werte bis zu "
            "diesem Jahr",
        )
        parser.add_argument("--edition", help="nur diese Ausgabe bewerten (Kennung)")

    def handle(self, *args, **options):
        on = options["date"] or datetime.date.today()
        editions = Edition.objects.all()
        if options["edition"]:
            editions = [edition_by_name(options["edition"])]
        if not editions:
            raise CommandError("Es gibt noch keine Ausgabe; zuerst zielwerk import-sek DATEI.")
        for edition in editions:
            summary = evaluate_edition(edition, on)
            state = "gespeichert" if summary.created else "unverändert (gleicher Datenstand)"
            self.stdout.write(
                f"Ausgabe „{edition.name}“, Stichtag {on:%d.%m.%Y}: {summary.indicators} "
                f"Indikatoren, {summary.milestones} Meilensteine bewertet – {state}, "
                f"Datenstand {summary.run.data_version[:12]}"
            )
            for field, record in summary.fields:
                self.stdout.write(
                    f"  Handlungsfeld {field.number} {field.title}: {record.get_level_display()}"
                )

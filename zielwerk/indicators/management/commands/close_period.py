from django.core.management.base import BaseCommand, CommandError

from zielwerk.indicators.management.commands.import_values import user_or_error
from zielwerk.indicators.models import ReportingPeriod
from zielwerk.indicators.periods import PeriodError, close_period


class Command(BaseCommand):
    help = (
        "Schließt ein Berichtsjahr ab: Werte dieses Jahres lassen sich danach nur noch mit "
        "Begründung berichtigen (import-values --revision, Begründung in den Verwaltungsseiten "
        "oder revision_reason in der API), jede Berichtigung wird festgehalten. Der Abschluss "
        "lässt sich nicht zurücknehmen."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="Berichtsjahr, z. B. 2025")
        parser.add_argument("--note", default="", help="Anmerkung, z. B. der Anlass")
        parser.add_argument(
            "--user",
            help="Benutzername, unter dem abgeschlossen wird; dessen Rechte gelten. Standard: "
            "ohne Person.",
        )

    def handle(self, *args, **options):
        period = ReportingPeriod(year=options["year"], note=options["note"])
        try:
            close_period(period, user_or_error(options["user"]))
        except PeriodError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Berichtsjahr {period.year} abgeschlossen."))

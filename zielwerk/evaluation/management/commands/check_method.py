from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zielwerk.status.validation import check_cases


class Command(BaseCommand):
    help = (
        "Prüft die Statusmethoden gegen veröffentlichte Fälle: eine Falldatei mit "
        "Destatis-Wettersymbolen (Methode A) oder Open-SDG-Fortschrittswerten (Methode B), "
        "Format wie in shared/fixtures/status/README.md. Gibt jede Abweichung und die bekannten "
        "Ausnahmen aus, zuletzt „N of M cases agree“; Exit-Code 1, wenn ein Fall abweicht, der "
        "keine bekannte Ausnahme ist."
    )

    def add_arguments(self, parser):
        parser.add_argument("cases", help="Falldatei (JSON), z. B. dns_weather_cases.json")

    def handle(self, *args, **options):
        try:
            report = check_cases(Path(options["cases"]))
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            ids = ", ".join(outcome.case_id for outcome in report.disagreements)
            raise CommandError(f"{len(report.disagreements)} case(s) disagree: {ids}")

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zielwerk.cases.reminders import send_case_reminders
from zielwerk.management.arguments import iso_date


class Command(BaseCommand):
    help = (
        "Erinnert die Zuständigen per E-Mail an Fälle, deren Frist für die erste Antwort oder "
        "die Erledigung verstrichen ist: eine E-Mail je Person, jede Frist nur einmal. Täglich "
        "auszuführen."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=iso_date,
            help="Stichtag JJJJ-MM-TT statt heute (zum Nachholen oder Ausprobieren)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="nur anzeigen, was gesendet würde; nichts senden, nichts vermerken",
        )

    def handle(self, *args, **options):
        today = options["date"] or timezone.localdate()
        run = send_case_reminders(today, dry_run=options["dry_run"])
        if options["dry_run"] or options["verbosity"] > 1:
            for person, overdues in run.mails.items():
                cases = ", ".join(f"{o.case.number} ({o.kind.label})" for o in overdues)
                self.stdout.write(f"  {person.user.email}: {cases}")
        self.stdout.write(run.summary())
        if run.failed:
            # A scheduler notices a failed run by its exit code; the log shows the line above.
            raise CommandError("Nicht jede Erinnerung konnte gesendet werden.")

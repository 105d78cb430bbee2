import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zielwerk.updates.services import send_reminders


class Command(BaseCommand):
    help = (
        "Erinnert die Zuständigen per E-Mail an fällige und überfällige Aktualisierungen von "
        "Maßnahmen und Indikatoren; jede Erinnerung nur einmal. Täglich auszuführen."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="Stichtag JJJJ-MM-TT statt heute (zum Nachholen oder Ausprobieren)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="nur anzeigen, was gesendet würde; nichts senden, nichts vermerken",
        )

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(
                    f"--date: „{options['date']}“ ist kein Datum im Format JJJJ-MM-TT."
                ) from None
        run = send_reminders(today, dry_run=options["dry_run"])
        if options["dry_run"] or options["verbosity"] > 1:
            for person, planned in run.mails.items():
                items = ", ".join(
                    f"{p.update.item.name} {p.update.duty.period.label}" for p in planned
                )
                self.stdout.write(f"  {person.user.email}: {items}")
        self.stdout.write(run.summary())
        if run.failed:
            # A scheduler notices a failed run by its exit code; the log shows the line above.
            raise CommandError("Nicht jede Erinnerung konnte gesendet werden.")

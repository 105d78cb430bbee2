import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from zielwerk.council.oparl import OParlClient, OParlError
from zielwerk.council.sync import MEETINGS, sync

# More would flood a cron mail; all of them stay in the SyncRun.
SHOWN_PROBLEMS = 20


class _Bars:
    """One tqdm bar per OParl list, on stderr; tqdm switches itself off when that is no
    terminal (cron, pipes)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.kind = ""
        self.bar: tqdm | None = None

    def __call__(self, kind: str, advanced: int, total: int | None) -> None:
        if kind != self.kind:
            self.close()
            self.kind = kind
            self.bar = tqdm(
                total=total,
                desc=_("Sitzungen") if kind == MEETINGS else _("Vorlagen"),
                unit="",
                file=sys.stderr,
                disable=None if self.enabled else True,
            )
        self.bar.update(advanced)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class Command(BaseCommand):
    help = _(
        "Gleicht Vorlagen, Sitzungen, Beratungen und Dateien aus einem Ratsinformationssystem "
        "über OParl 1.0/1.1 ab (Adresse des Systems oder der Körperschaft). Nach dem ersten "
        "vollständigen Lauf werden nur Änderungen abgefragt; ein abgebrochener Lauf wird beim "
        "nächsten Aufruf fortgesetzt."
    )

    def add_arguments(self, parser):
        parser.add_argument("url", help=_("Adresse des OParl-Systems oder der Körperschaft"))
        parser.add_argument(
            "--rate",
            type=float,
            default=4.0,
            help=_("höchstens so viele Abfragen je Sekunde (Standard 4; 0 = unbegrenzt)"),
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=30.0,
            help=_("Sekunden, die auf eine Antwort gewartet wird (Standard 30)"),
        )
        parser.add_argument(
            "--retries",
            type=int,
            default=4,
            help=_("Wiederholungen bei Netzfehlern, HTTP 5xx und 429 (Standard 4)"),
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help=_(
                "alles abfragen, nicht nur Änderungen seit dem letzten Lauf; verwirft "
                "einen offenen Fortsetzungspunkt"
            ),
        )
        parser.add_argument(
            "--no-files",
            action="store_true",
            help=_("keine PDF-Dateien herunterladen; nur der Text, den OParl mitliefert"),
        )
        parser.add_argument(
            "--quiet", action="store_true", help=_("keinen Fortschrittsbalken zeigen")
        )

    def handle(self, *args, **options):
        if options["rate"] < 0 or options["timeout"] <= 0 or options["retries"] < 0:
            raise CommandError(
                _("--rate und --retries dürfen nicht negativ sein, --timeout muss größer 0 sein.")
            )
        client = OParlClient(
            rate=options["rate"], timeout=options["timeout"], retries=options["retries"]
        )
        bars = _Bars(not options["quiet"])
        try:
            result = sync(
                options["url"],
                client=client,
                full=options["full"],
                files=not options["no_files"],
                progress=bars,
            )
        except OParlError as error:
            raise CommandError(_("Nichts gespeichert. %(reason)s") % {"reason": error}) from error
        finally:
            bars.close()
            client.close()
        self.stdout.write(result.summary)
        for problem in result.problems[:SHOWN_PROBLEMS]:
            self.stdout.write(f"  – {problem['type']} {problem['id']}: {problem['reason']}")
        if len(result.problems) > SHOWN_PROBLEMS:
            self.stdout.write(
                _("  … und %(n)s weitere, gespeichert beim Abgleich Nr. %(run)s")
                % {"n": len(result.problems) - SHOWN_PROBLEMS, "run": result.run.pk}
            )
        if result.error:
            # A scheduler notices the broken run by the exit code; the next run resumes.
            raise CommandError(_("Lauf abgebrochen; der nächste Aufruf setzt dort fort."))

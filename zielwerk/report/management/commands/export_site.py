from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zielwerk.report.export import ExportError, count, export_site

LISTED = 5


class Command(BaseCommand):
    help = (
        "Schreibt den öffentlichen Bericht in beiden Sprachen als statische HTML-Seiten in den "
        "Ordner DIR: alle Seiten, die von den Startseiten aus verlinkt sind, mit relativen "
        "Verweisen und den nötigen Stylesheets. Der Ordner lässt sich auf jeden Webserver "
        "legen oder direkt von einem Dateilaufwerk öffnen (DIR/index.html). Ein früherer Export "
        "im selben Ordner wird ersetzt."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directory", metavar="DIR", help="Zielordner (neu, leer oder mit einem früheren Export)"
        )
        parser.add_argument(
            "--keep-going",
            action="store_true",
            help="bei fehlerhaften Seiten weitermachen, alle übrigen Seiten schreiben und die "
            "Fehler am Ende auflisten (Rückgabewert trotzdem 1)",
        )
        parser.add_argument(
            "--include",
            action="append",
            default=[],
            metavar="PFAD",
            help="weitere Startadresse, z. B. /barrierefreiheit/ für eine Seite, auf die keine "
            "andere verweist (mehrfach möglich)",
        )

    def handle(self, *args, **options):
        progress = self.stdout.write if options["verbosity"] > 1 else None
        try:
            result = export_site(
                Path(options["directory"]),
                include=options["include"],
                keep_going=options["keep_going"],
                progress=progress,
            )
        except ExportError as error:
            raise CommandError(str(error)) from error
        for target, pages in sorted(result.removed_forms.items()):
            self.stdout.write(
                f"Hinweis: Formular an {target} entfernt (braucht einen Server), "
                f"auf {_pages(pages)}"
            )
        for target, pages in sorted(result.unlinked.items()):
            self.stdout.write(
                f"Hinweis: Verweis auf {target} (nicht exportiert) als Text, auf {_pages(pages)}"
            )
        self.stdout.write(f"{result.summary()} nach {options['directory']} geschrieben.")
        if result.failures:
            for failure in result.failures:
                self.stderr.write(f"Fehler: {failure}")
            failed = count(len(result.failures), "Seite konnte", "Seiten konnten")
            raise CommandError(f"{failed} nicht exportiert werden; die übrigen sind geschrieben.")


def _pages(pages: list[str]) -> str:
    shown = ", ".join(pages[:LISTED])
    more = len(pages) - LISTED
    return f"{shown} und {more} weiteren Seiten" if more > 0 else shown

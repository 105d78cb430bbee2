from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zielwerk.goals.exchange import ExchangeError, import_document, read_document


class Command(BaseCommand):
    help = (
        "Liest eine Datei im Austauschformat „zielwerk-goals“ (JSON oder YAML, siehe "
        "docs/exchange-format.md) und speichert sie als Ausgabe. Die Datei wird vorher ganz "
        "geprüft; bei einem Fehler werden alle Fehler gemeldet und nichts gespeichert."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="Datei im Format JSON (.json) oder YAML (.yaml, .yml), UTF-8"
        )
        parser.add_argument(
            "--edition",
            help="Kennung der Ausgabe; fehlt sie, wird sie angelegt. Standard: die Kennung aus "
            "der Datei.",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="vorhandene Handlungsfelder gleicher Nummer in der Ausgabe ersetzen",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            result = import_document(
                read_document(path),
                options["edition"],
                replace=options["replace"],
                reason=f"Import aus {path.name}",
            )
        except FileNotFoundError as error:
            raise CommandError(f"Datei nicht gefunden: {path}") from error
        except ExchangeError as error:
            lines = "\n".join(f"  {e}" for e in error.errors)
            raise CommandError(
                f"{path}: {len(error.errors)} Fehler, es wurde nichts gespeichert:\n{lines}"
            ) from error
        summary = result.summary
        if result.created_units:
            self.stdout.write(f"Organisationseinheiten angelegt: {', '.join(result.created_units)}")
        verb = "angelegt" if summary.created_edition else "ergänzt"
        self.stdout.write(
            self.style.SUCCESS(
                f"Ausgabe „{summary.edition.name}“ {verb}: {_fields(len(summary.fields))}, "
                f"{summary.strategic_goals} strategische und "
                f"{summary.operative_goals} operative Ziele."
            )
        )


def _fields(count: int) -> str:
    return "1 Handlungsfeld" if count == 1 else f"{count} Handlungsfelder"

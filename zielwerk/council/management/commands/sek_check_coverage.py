import datetime

from django.core.management.base import BaseCommand, CommandError

from zielwerk.council.coverage import Counts, CoverageError, CoverageResult, record_coverage
from zielwerk.goals.management.editions import edition_by_name

HEADER = ("Jahr", "Vorlagen", "ausgenommen", "geprüft", "offen", "Abdeckung", "kumuliert")


class Command(BaseCommand):
    help = (
        "Berechnet die Abdeckung des SEK-Checks (METHODS.md §5: geprüfte ÷ (alle "
        "Beschlussvorlagen seit Beginn − ausgenommene)) je Kalenderjahr und seit Beginn, "
        "speichert die Jahreswerte freigegeben beim Indikator 12-4-4-sek-check (das laufende "
        "Jahr als vorläufig) und bewertet die Ausgabe neu, damit der Status von Ziel 12.4.4 "
        "gleich stimmt. Bei einem Fehler wird nichts gespeichert."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="nur dieses Jahr speichern (JJJJ)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="nur berechnen und prüfen, nichts speichern",
        )
        parser.add_argument(
            "--reason",
            default="",
            metavar="BEGRÜNDUNG",
            help="Begründung, mit der Werte abgeschlossener Berichtsjahre berichtigt werden; "
            "ohne sie werden Änderungen dieser Jahre abgelehnt",
        )
        parser.add_argument("--edition", help="Ausgabe (Kennung); Standard: die aktuelle")

    def handle(self, *args, **options):
        edition = edition_by_name(options["edition"])
        try:
            result = record_coverage(
                edition,
                datetime.date.today(),
                year=options["year"],
                revision_reason=options["reason"],
                dry_run=options["dry_run"],
            )
        except CoverageError as error:
            lines = "\n".join(f"  {e}" for e in error.errors)
            raise CommandError(f"Es wurde nichts gespeichert:\n{lines}") from error
        self._table(result)
        for note in result.notes:
            self.stdout.write(f"Hinweis: {note}")
        if result.summary is None:
            return
        prefix = "Probelauf, nichts gespeichert – würde: " if options["dry_run"] else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}Indikator {result.indicator.code}: {result.summary.line()}"
            )
        )
        evaluation = result.evaluation
        if evaluation is not None and not options["dry_run"]:
            state = "neu bewertet" if evaluation.created else "Bewertung unverändert"
            self.stdout.write(
                f"Ausgabe „{edition.name}“ zum {evaluation.run.evaluated_on:%d.%m.%Y}: {state}"
            )

    def _table(self, result: CoverageResult) -> None:
        report = result.report
        types = ", ".join(report.paper_types)
        self.stdout.write(f"SEK-Check seit {report.start:%d.%m.%Y} (Arten: {types})")
        rows = [HEADER]
        rows += [
            (str(row.year), *_cells(row.counts), _percent(row.cumulative)) for row in report.years
        ]
        rows.append(("gesamt", *_cells(report.total), ""))
        widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
        for row in rows:
            cells = [row[0].ljust(widths[0])]
            cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
            self.stdout.write("  ".join(cells).rstrip())


def _cells(counts: Counts) -> tuple[str, ...]:
    return (
        str(counts.papers),
        str(counts.exempt),
        str(counts.checked),
        str(counts.open),
        _percent(counts),
    )


def _percent(counts: Counts) -> str:
    percent = counts.percent
    return "–" if percent is None else f"{percent:.1f} %".replace(".", ",")

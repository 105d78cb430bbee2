from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zielwerk.cases.models import Category
from zielwerk.cases.servicelevel import (
    LevelRow,
    ServiceLevelError,
    ServiceLevelReport,
    check_subdivision,
    period_bounds,
    record_service_level,
    service_level,
)

HEADER = (
    "Kategorie",
    "Standard",
    "erledigt",
    "fristgerecht",
    "erste Antwort fristgerecht",
    "Median",
    "P90",
    "überfällig",
)


class Command(BaseCommand):
    help = (
        "Zeigt den Servicelevel der Fälle je Kategorie für ein Jahr oder Quartal (erledigte "
        "Fälle, Anteil innerhalb des Servicestandards, Median und 90. Perzentil der "
        "Bearbeitungszeit in Arbeitstagen, offene überfällige Fälle). Mit --store werden die "
        "Jahresanteile freigegeben beim Indikator 12-2-1-servicegrad (alle Kategorien) und beim "
        "Indikator jeder Kategorie gespeichert, das laufende Jahr als vorläufig."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="Jahr (JJJJ); Standard: das laufende")
        parser.add_argument("--quarter", type=int, help="nur dieses Quartal (1–4)")
        parser.add_argument(
            "--store", action="store_true", help="Jahresanteile als Indikatorwerte speichern"
        )
        parser.add_argument(
            "--reason",
            default="",
            metavar="BEGRÜNDUNG",
            help="Begründung, mit der Werte abgeschlossener Berichtsjahre berichtigt werden; "
            "ohne sie werden Änderungen dieser Jahre abgelehnt",
        )

    def handle(self, *args, **options):
        today = timezone.localdate()
        year = options["year"] or today.year
        if options["store"] and options["quarter"] is not None:
            raise CommandError(
                "--store speichert Jahreswerte; rufen Sie es ohne --quarter auf. "
                "Es wurde nichts gespeichert."
            )
        try:
            check_subdivision()
            if options["store"]:
                result = record_service_level(year, today, revision_reason=options["reason"])
                report = result.report
            else:
                start, end = period_bounds(year, options["quarter"])
                report = service_level(Category.objects.all(), start, end, today)
        except ServiceLevelError as error:
            lines = "\n".join(f"  {e}" for e in error.errors)
            done = "Es wurde nichts gespeichert" if options["store"] else "Kein Bericht"
            raise CommandError(f"{done}:\n{lines}") from error
        self._table(report)
        if not options["store"]:
            return
        for note in result.notes:
            self.stdout.write(f"Hinweis: {note}")
        if result.summary is not None:
            codes = ", ".join(sorted({row.indicator.code for row in result.rows}))
            self.stdout.write(self.style.SUCCESS(f"Indikatoren {codes}: {result.summary.line()}"))
        if result.evaluation is not None:
            state = "neu bewertet" if result.evaluation.created else "Bewertung unverändert"
            self.stdout.write(f"Aktuelle Ausgabe zum {today:%d.%m.%Y}: {state}")

    def _table(self, report: ServiceLevelReport) -> None:
        self.stdout.write(
            f"Servicelevel {report.start:%d.%m.%Y}–{report.end:%d.%m.%Y} (erledigte Fälle; "
            f"Zeiten in Arbeitstagen, Median und P90 nach dem Rangverfahren; überfällig am "
            f"{report.reference:%d.%m.%Y})"
        )
        rows = [HEADER, *(_cells(row) for row in [*report.rows, report.total])]
        widths = [max(map(len, column)) for column in zip(*rows, strict=True)]
        for row in rows:
            # The name left, the figures right-aligned.
            line = "  ".join(
                cell.rjust(width) if index else cell.ljust(width)
                for index, (cell, width) in enumerate(zip(row, widths, strict=True))
            )
            self.stdout.write(line.rstrip())
        if report.uncategorised:
            self.stdout.write(
                f"Hinweis: {report.uncategorised} erledigte Fälle ohne Kategorie, nicht gezählt."
            )


def _cells(row: LevelRow) -> tuple[str, ...]:
    category = row.category
    return (
        category.name if category else "gesamt",
        f"{category.first_answer_days}/{category.completion_days}" if category else "",
        str(row.completed),
        _percent(row.share_within),
        _percent(row.share_first_within),
        _days(row.median),
        _days(row.p90),
        str(row.overdue),
    )


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{share:.1f} %".replace(".", ",")


def _days(days: int | None) -> str:
    return "–" if days is None else str(days)

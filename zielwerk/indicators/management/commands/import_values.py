from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from zielwerk.indicators.excel import import_table
from zielwerk.indicators.models import Indicator
from zielwerk.indicators.opensdg import FILE_PATTERN, import_opensdg
from zielwerk.indicators.values import ImportResult, ValuesError

FORMATS = ("opensdg", "xlsx", "csv")


def detect_format(path: Path) -> str:
    """A folder or an indicator_<id>.csv file is Open SDG; otherwise by file extension."""
    if path.is_dir() or FILE_PATTERN.match(path.name):
        return "opensdg"
    return "xlsx" if path.suffix.lower() == ".xlsx" else "csv"


class Command(BaseCommand):
    help = (
        "Liest Werte von Indikatoren ein: einen Open-SDG-Ordner (data/indicator_<Kennung>.csv, "
        "meta/<Kennung>.md) oder eine einzelne Open-SDG-Datei, eine Excel-Vorlage (.xlsx) oder "
        "eine CSV-Tabelle im Aufbau der Vorlage. Vorhandene Werte gleichen Zeitraums und "
        "gleicher Aufgliederung werden ersetzt. Die Datei wird vorher ganz geprüft; bei einem "
        "Fehler werden alle Fehler gemeldet und nichts gespeichert."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Ordner oder Datei")
        parser.add_argument(
            "--format", choices=FORMATS, help="Standard: nach Ordner oder Dateiendung"
        )
        parser.add_argument(
            "--create-indicators",
            action="store_true",
            help="unbekannte Indikatoren aus meta/<Kennung>.md anlegen (nur Open SDG)",
        )
        parser.add_argument(
            "--approve", action="store_true", help="die eingelesenen Werte gleich freigeben"
        )
        parser.add_argument(
            "--indicator",
            help="Kennung des Indikators für eine CSV-Tabelle ohne Spalte „Indikator“",
        )
        parser.add_argument(
            "--user",
            help="Benutzername, unter dem eingelesen wird; dessen Rechte gelten. Standard: "
            "ohne Person (Systemimport).",
        )
        parser.add_argument("--source", default="", help="Quelle, die jeder Wert erhält")
        parser.add_argument(
            "--revision",
            default="",
            metavar="BEGRÜNDUNG",
            help="Begründung, mit der Werte abgeschlossener Berichtsjahre berichtigt werden; "
            "ohne sie werden Änderungen dieser Jahre abgelehnt",
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(f"Nicht gefunden: {path}")
        fmt = options["format"] or detect_format(path)
        user = user_or_error(options["user"])
        try:
            if fmt == "opensdg":
                result = import_opensdg(
                    path,
                    create_indicators=options["create_indicators"],
                    approve=options["approve"],
                    user=user,
                    source=options["source"],
                    revision_reason=options["revision"],
                )
            else:
                if options["create_indicators"]:
                    raise CommandError("--create-indicators gibt es nur für Open SDG.")
                result = import_table(
                    path,
                    fmt,
                    indicator=indicator_or_error(options["indicator"]),
                    approve=options["approve"],
                    user=user,
                    revision_reason=options["revision"],
                )
        except ValuesError as error:
            lines = "\n".join(f"  {e}" for e in error.errors)
            raise CommandError(
                f"{path}: {len(error.errors)} Fehler, es wurde nichts gespeichert:\n{lines}"
            ) from error
        self._report(result)

    def _report(self, result: ImportResult) -> None:
        for note in result.notes:
            self.stdout.write(f"Hinweis: {note}")
        if result.created_indicators:
            codes = ", ".join(i.code for i in result.created_indicators)
            self.stdout.write(f"Indikatoren angelegt ({len(result.created_indicators)}): {codes}")
        self.stdout.write(self.style.SUCCESS(result.summary.line()))


def user_or_error(username: str | None):
    if username is None:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"Den Benutzer „{username}“ gibt es nicht.")
    return user


def indicator_or_error(code: str | None) -> Indicator | None:
    if code is None:
        return None
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise CommandError(f"Den Indikator „{code}“ gibt es nicht.")
    return indicator

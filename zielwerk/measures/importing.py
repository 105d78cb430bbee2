"""Import of an existing measure list from CSV or XLSX, one measure per row.

Every row is checked first and every problem reported with its row and column; only a clean
file is stored, in one transaction."""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO
from zipfile import BadZipFile

from django.db import transaction
from django.utils import translation
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from zielwerk.goals.models import Edition, OperativeGoal
from zielwerk.goals.queries import find_goal
from zielwerk.measures.models import Measure, MeasureStatus
from zielwerk.org.models import OrgUnit

COLUMNS = [
    "Nummer",
    "Titel",
    "Beschreibung",
    "Art",
    "Verantwortlich",
    "Ziele",
    "Beginn",
    "Ende",
    "Priorität",
    "Status",
    "Fortschritt",
    "Budget geplant",
    "Budget ausgegeben",
]
REQUIRED = {"Nummer", "Titel", "Art", "Verantwortlich", "Ziele", "Status"}
# Budget fields hold 14 digits, two of them after the decimal point.
MAX_AMOUNT = Decimal(10) ** 12
RE_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
RE_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


class MeasureImportError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class ImportSummary:
    created: list[Measure] = field(default_factory=list)
    updated: list[Measure] = field(default_factory=list)


@dataclass
class _Row:
    fields: dict[str, Any]
    goals: list[OperativeGoal]


def read_rows(source: str | Path | BinaryIO, name: str = "") -> list[dict[str, Any]]:
    """The rows of a CSV (comma or semicolon, UTF-8) or XLSX file as dicts by column name.

    `source` is a path or an open binary file (an upload); `name` names the latter."""
    if isinstance(source, str | Path):
        source, name = Path(source), Path(source).name
    if name.lower().endswith(".xlsx"):
        try:
            book = load_workbook(source, read_only=True, data_only=True)
        except (InvalidFileException, BadZipFile) as error:
            raise MeasureImportError([f"{name}: keine lesbare XLSX-Datei."]) from error
        rows = [list(row) for row in book.active.iter_rows(values_only=True)]
        # Read-only workbooks keep the file open until closed.
        book.close()
    else:
        raw = source.read_bytes() if isinstance(source, Path) else source.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise MeasureImportError([f"{name}: erwartet wird UTF-8."]) from error
        try:
            dialect = csv.Sniffer().sniff(text.partition("\n")[0], delimiters=";,")
        except csv.Error:
            dialect = csv.excel
        rows = list(csv.reader(io.StringIO(text), dialect))
    if not rows:
        return []
    header = [str(name or "").strip() for name in rows[0]]
    return [dict(zip(header, row, strict=False)) for row in rows[1:]]


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def cell_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    if match := RE_GERMAN_DATE.match(text):
        day, month, year = (int(g) for g in match.groups())
        return datetime.date(year, month, day)
    return datetime.date.fromisoformat(text)


def _decimal(value: Any) -> Decimal | None:
    """An amount in euros; raises InvalidOperation for text that is none or does not fit."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = str(value)
    else:
        text = cell_text(value).replace(" ", "").replace("€", "")
        if "," in text or RE_THOUSANDS.match(text):
            # German notation: 1.234,56 or 1.234
            text = text.replace(".", "").replace(",", ".")
    if not text:
        return None
    amount = Decimal(text)
    if not amount.is_finite() or abs(amount) >= MAX_AMOUNT:
        raise InvalidOperation(text)
    return amount.quantize(Decimal("0.01"))


def _check_row(
    raw: dict[str, Any],
    where: str,
    edition: Edition,
    units: dict[str, OrgUnit],
    statuses: dict[str, MeasureStatus],
    errors: list[str],
) -> _Row:
    def error(column: str, message: str) -> None:
        errors.append(f"{where}, Spalte „{column}“: {message}")

    values = {name: cell_text(raw.get(name)) for name in COLUMNS}
    for name in COLUMNS:
        if name in REQUIRED and not values[name]:
            error(name, "fehlt.")
    fields: dict[str, Any] = {
        "number": values["Nummer"],
        "title": values["Titel"],
        "description": values["Beschreibung"],
    }
    for column, name in (("Nummer", "number"), ("Titel", "title")):
        limit = Measure._meta.get_field(name).max_length
        if len(values[column]) > limit:
            error(column, f"länger als {limit} Zeichen.")
    if values["Art"]:
        # The file format is German (its column headers are), whatever language is active.
        with translation.override("de"):
            labels = [str(label) for _, label in Measure.Kind.choices]
        kinds = {k.casefold(): k for k in Measure.Kind.values}
        kinds |= {label.casefold(): k for label, k in zip(labels, Measure.Kind.values, strict=True)}
        fields["kind"] = kinds.get(values["Art"].casefold())
        if fields["kind"] is None:
            error("Art", f"unbekannte Art „{values['Art']}“ (erlaubt: {', '.join(labels)}).")
    if values["Verantwortlich"]:
        fields["responsible_unit"] = units.get(values["Verantwortlich"])
        if fields["responsible_unit"] is None:
            error(
                "Verantwortlich",
                f"unbekannte Organisationseinheit „{values['Verantwortlich']}“.",
            )
    goals = []
    codes = [code for code in (c.strip() for c in re.split(r"[,;]", values["Ziele"])) if code]
    if values["Ziele"] and not codes:
        error("Ziele", "fehlt.")
    for code in codes:
        goal = find_goal(edition, code)
        if isinstance(goal, OperativeGoal):
            goals.append(goal)
        else:
            error("Ziele", f"„{code}“ ist kein operatives Ziel der Ausgabe „{edition.name}“.")
    for column, name in (("Beginn", "start"), ("Ende", "end")):
        try:
            fields[name] = cell_date(raw.get(column))
        except ValueError:
            error(column, f"„{values[column]}“ ist kein Datum (TT.MM.JJJJ oder JJJJ-MM-TT).")
    if fields.get("start") and fields.get("end") and fields["end"] < fields["start"]:
        error("Ende", "liegt vor dem Beginn.")
    if values["Priorität"]:
        if values["Priorität"] in {"1", "2", "3"}:
            fields["priority"] = int(values["Priorität"])
        else:
            error("Priorität", f"„{values['Priorität']}“: erlaubt sind 1, 2 und 3.")
    if values["Status"]:
        fields["status"] = statuses.get(values["Status"].casefold())
        if fields["status"] is None:
            error("Status", f"unbekannter Status „{values['Status']}“.")
    fields["progress_percent"] = None
    if values["Fortschritt"]:
        progress = values["Fortschritt"].removesuffix("%").strip()
        if progress.isdigit() and int(progress) <= 100:
            fields["progress_percent"] = int(progress)
        else:
            error("Fortschritt", f"„{values['Fortschritt']}“: erwartet wird 0 bis 100.")
    for column, name in (
        ("Budget geplant", "budget_planned"),
        ("Budget ausgegeben", "budget_spent"),
    ):
        try:
            fields[name] = _decimal(raw.get(column))
        except InvalidOperation:
            error(column, f"„{values[column]}“ ist kein Betrag.")
    return _Row(fields=fields, goals=goals)


def check_rows(rows: list[dict[str, Any]], edition: Edition, *, update: bool = False) -> list[_Row]:
    """Every row checked; raises MeasureImportError with all problems found."""
    errors: list[str] = []
    if rows:
        present = set(rows[0])
        missing = [name for name in COLUMNS if name in REQUIRED and name not in present]
        unknown = sorted(present - set(COLUMNS) - {""})
        if missing:
            errors.append(f"Zeile 1: Spalten fehlen: {', '.join(missing)}.")
        if unknown:
            errors.append(f"Zeile 1: unbekannte Spalten: {', '.join(unknown)}.")
        if errors:
            raise MeasureImportError(errors)
    else:
        raise MeasureImportError(["Die Datei enthält keine Maßnahmen."])
    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    statuses: dict[str, MeasureStatus] = {}
    for status in MeasureStatus.objects.all():
        statuses[status.key.casefold()] = status
        statuses[status.label.casefold()] = status
    existing = set(Measure.objects.values_list("number", flat=True))
    seen: dict[str, int] = {}
    checked = []
    for line, raw in enumerate(rows, start=2):
        if not any(cell_text(value) for value in raw.values()):
            continue
        where = f"Zeile {line}"
        row = _check_row(raw, where, edition, units, statuses, errors)
        number = row.fields["number"]
        if number in seen:
            errors.append(
                f"{where}, Spalte „Nummer“: „{number}“ steht schon in Zeile {seen[number]}."
            )
        elif number in existing and not update:
            errors.append(
                f"{where}, Spalte „Nummer“: Maßnahme „{number}“ gibt es schon "
                "(zum Aktualisieren --update angeben)."
            )
        seen.setdefault(number, line)
        checked.append(row)
    if errors:
        raise MeasureImportError(errors)
    return checked


@transaction.atomic
def import_measures(
    source: str | Path | BinaryIO,
    edition: Edition,
    *,
    name: str = "",
    update: bool = False,
    is_sample: bool = False,
) -> ImportSummary:
    """Store the measures of a clean file (see read_rows); an existing number is updated only
    with update."""
    summary = ImportSummary()
    for row in check_rows(read_rows(source, name), edition, update=update):
        defaults = {k: v for k, v in row.fields.items() if k != "number"}
        measure, created = Measure.objects.update_or_create(
            number=row.fields["number"], defaults={**defaults, "is_sample": is_sample}
        )
        measure.operative_goals.set(row.goals)
        (summary.created if created else summary.updated).append(measure)
    return summary

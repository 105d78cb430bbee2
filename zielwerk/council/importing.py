"""Papers of cities without OParl: a list from CSV or XLSX (one paper per row), and the PDF of a
paper entered by hand.

The list is read with the reader of the measure import (CSV with comma or semicolon, UTF-8, or
XLSX); headers may come in any order and case. Every row is checked first and every problem
reported with its row and column; only a clean file is stored, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.db import transaction
from django.utils.translation import gettext as _

from zielwerk.council.models import Paper, PaperFile
from zielwerk.measures.importing import MeasureImportError, cell_date, cell_text, read_rows
from zielwerk.org.models import OrgUnit

# column → Paper field; the order is the one of the template vorlagen-vorlage.csv
COLUMNS = {
    "Nummer": "reference",
    "Titel": "title",
    "Datum": "date",
    "Art": "paper_type",
    "federführend": "department",
    "Sitzungsdatum": "meeting_date",
    "Text": "text",
}
REQUIRED = ("Nummer", "Titel")
DATES = ("Datum", "Sitzungsdatum")
TEMPLATE = Path(__file__).parent / "data" / "vorlagen-vorlage.csv"


class PaperImportError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class ImportSummary:
    created: list[Paper] = field(default_factory=list)
    updated: list[Paper] = field(default_factory=list)

    @property
    def line(self) -> str:
        return _("Vorlagen angelegt: %(created)d, geändert: %(updated)d.") % {
            "created": len(self.created),
            "updated": len(self.updated),
        }


def _columns(header: list[str]) -> dict[str, str]:
    """Header as written → column name of COLUMNS; raises for unknown, repeated or missing
    columns (all of them at once)."""
    known = {name.casefold(): name for name in COLUMNS}
    found: dict[str, str] = {}
    errors, unknown = [], []
    for written in header:
        if not written:
            continue
        name = known.get(written.casefold())
        if name is None:
            unknown.append(written)
        elif name in found.values():
            errors.append(f"Zeile 1: Die Spalte „{name}“ steht mehrfach in der Kopfzeile.")
        else:
            found[written] = name
    if unknown:
        errors.append(
            f"Zeile 1: unbekannte Spalten: {', '.join(unknown)} (erlaubt: {', '.join(COLUMNS)})."
        )
    missing = [name for name in REQUIRED if name not in found.values()]
    if missing:
        errors.append(f"Zeile 1: Spalten fehlen: {', '.join(missing)}.")
    if errors:
        raise PaperImportError(errors)
    return found


def _unit_index() -> dict[str, OrgUnit]:
    """Units by code and by name (case-insensitive), so that "federführend" may name either."""
    index: dict[str, OrgUnit] = {}
    for unit in OrgUnit.objects.all():
        index.setdefault(unit.name.casefold(), unit)
        index[unit.code.casefold()] = unit
    return index


def _check_row(
    raw: dict[str, Any], where: str, units: dict[str, OrgUnit], errors: list[str]
) -> dict[str, Any]:
    """The Paper fields of the columns present in the row's file."""

    def error(column: str, message: str) -> None:
        errors.append(f"{where}, Spalte „{column}“: {message}")

    values: dict[str, Any] = {}
    for column, value in raw.items():
        name = COLUMNS[column]
        if column in DATES:
            try:
                values[name] = cell_date(value)
            except ValueError:
                error(column, f"„{cell_text(value)}“ ist kein Datum (TT.MM.JJJJ oder JJJJ-MM-TT).")
            continue
        values[name] = cell_text(value)
        limit = Paper._meta.get_field(name).max_length
        if limit and len(values[name]) > limit:
            error(column, f"länger als {limit} Zeichen.")
        if column in REQUIRED and not values[name]:
            error(column, "fehlt.")
    if "department" in values:
        values["unit"] = units.get(values["department"].casefold())
    return values


def check_rows(rows: list[dict[str, Any]], *, update: bool = False) -> list[dict[str, Any]]:
    """Every row checked; raises PaperImportError with all problems found."""
    if not rows:
        raise PaperImportError(["Die Datei enthält keine Vorlagen."])
    columns = _columns(list(rows[0]))
    units = _unit_index()
    number_column = next(written for written, name in columns.items() if name == "Nummer")
    numbers = {cell_text(raw.get(number_column)) for raw in rows}
    existing = {
        paper.reference: paper for paper in Paper.objects.filter(reference__in=numbers - {""})
    }
    errors: list[str] = []
    seen: dict[str, int] = {}
    checked = []
    for line, raw in enumerate(rows, start=2):
        row = {columns[written]: value for written, value in raw.items() if written in columns}
        if not any(cell_text(value) for value in row.values()):
            continue
        where = f"Zeile {line}"
        fields = _check_row(row, where, units, errors)
        number = fields["reference"]
        paper = existing.get(number)
        if number in seen:
            errors.append(
                f"{where}, Spalte „Nummer“: „{number}“ steht schon in Zeile {seen[number]}."
            )
        elif paper is not None and paper.source_id is not None:
            errors.append(
                f"{where}, Spalte „Nummer“: Vorlage „{number}“ stammt aus dem "
                "Ratsinformationssystem (OParl) und wird dort gepflegt."
            )
        elif paper is not None and not update:
            errors.append(
                f"{where}, Spalte „Nummer“: Vorlage „{number}“ gibt es schon "
                "(zum Aktualisieren --update angeben)."
            )
        if number:
            seen.setdefault(number, line)
        checked.append(fields)
    if errors:
        raise PaperImportError(errors)
    if not checked:
        raise PaperImportError(["Die Datei enthält keine Vorlagen."])
    return checked


@transaction.atomic
def import_papers(
    source: str | Path | BinaryIO, *, name: str = "", update: bool = False
) -> ImportSummary:
    """Store the papers of a clean list (see read_rows of the measure import); a paper with an
    existing number is changed only with update, and only in the columns the file has."""
    try:
        rows = read_rows(source, name)
    except MeasureImportError as error:
        raise PaperImportError(error.errors) from error
    summary = ImportSummary()
    for fields in check_rows(rows, update=update):
        reference = fields.pop("reference")
        paper, created = Paper.objects.update_or_create(
            reference=reference, source=None, defaults=fields
        )
        (summary.created if created else summary.updated).append(paper)
    return summary


def attach_pdf(paper: Paper, file_name: str, text: str) -> PaperFile:
    """Keep the text read from an uploaded PDF as the paper's main file (the goal suggestions
    read the paper's text and the text of its files)."""
    paper.files.filter(is_main=True).update(is_main=False)
    return PaperFile.objects.create(
        paper=paper,
        is_main=True,
        name=file_name,
        file_name=file_name,
        mime_type="application/pdf",
        text=text,
        text_source=PaperFile.TextSource.PDF,
    )

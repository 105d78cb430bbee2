"""Values as a table for people: an Excel template per indicator, and the same table as CSV.

The sheet "Werte" has the columns Jahr, Monat, one column per disaggregation, Wert, Kennzeichen,
Quelle, Anmerkung; the sheet "Angaben" names the indicator (Kennung, Name, Einheit, Definition).
An optional column "Indikator" (Kennung) lets one table hold several indicators, which a CSV
file without the "Angaben" sheet needs unless the indicator is chosen when uploading.

Import checks every row and reports every problem with row and column ("Zeile 7, Spalte
„Wert“: „abc“ ist keine Zahl"); only a clean file is stored."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Literal
from zipfile import BadZipFile

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from zielwerk.indicators.cells import PLACEHOLDERS, parse_number
from zielwerk.indicators.disaggregation import canonical, column_order
from zielwerk.indicators.models import Indicator, Value
from zielwerk.indicators.values import (
    ImportResult,
    ValueRow,
    ValuesError,
    clean_flags,
    row_problems,
    store_values,
)

TableFormat = Literal["xlsx", "csv"]
VALUES_SHEET = "Werte"
INFO_SHEET = "Angaben"
YEAR, MONTH, VALUE, FLAGS, SOURCE, NOTE, INDICATOR = (
    "Jahr",
    "Monat",
    "Wert",
    "Kennzeichen",
    "Quelle",
    "Anmerkung",
    "Indikator",
)
FIXED = {YEAR, MONTH, VALUE, FLAGS, SOURCE, NOTE, INDICATOR}
CODE_LABEL = "Kennung"
HINTS = [
    gettext_lazy("Jahr: vierstellig, z. B. 2024."),
    gettext_lazy("Monat: leer für einen Jahreswert, sonst 1 bis 12."),
    gettext_lazy(
        "Spalten zwischen Monat und Wert: Aufgliederung, z. B. Stadtteil; leer für den "
        "Gesamtwert. Weitere Spalten dürfen ergänzt werden."
    ),
    gettext_lazy("Wert: Zahl, mit Dezimalkomma oder -punkt."),
    gettext_lazy("Kennzeichen: p vorläufig, r berichtigt, s geschätzt, | Bruch in der Zeitreihe."),
    gettext_lazy(
        "Ein Wert, der für Jahr, Monat und Aufgliederung schon gespeichert ist, wird ersetzt."
    ),
]


# --- template and export ----------------------------------------------------------------------


def _headers(names: list[str]) -> list[str]:
    return [YEAR, MONTH, *names, VALUE, FLAGS, SOURCE, NOTE]


def workbook_for(indicator: Indicator, values: Iterable[Value] = ()) -> Workbook:
    """The template of the indicator, filled with the given values."""
    values = list(values)
    known = indicator.values.values_list("disaggregation", flat=True).distinct()
    names = column_order(
        {name for d in known for name in d} | {n for v in values for n in v.disaggregation}
    )
    book = Workbook()
    sheet = book.active
    sheet.title = VALUES_SHEET
    headers = _headers(names)
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for value in values:
        sheet.append(
            [
                value.year,
                value.month or None,
                *(value.disaggregation.get(name) for name in names),
                value.value,
                value.flags or None,
                value.source or None,
                value.note or None,
            ]
        )
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(header) + 4)
    last = len(headers)
    checks = [
        (YEAR, DataValidation(type="whole", operator="between", formula1="1800", formula2="2200")),
        (MONTH, DataValidation(type="whole", operator="between", formula1="0", formula2="12")),
        (
            VALUE,
            DataValidation(
                type="decimal", operator="between", formula1="-1E+300", formula2="1E+300"
            ),
        ),
    ]
    for header, check in checks:
        check.error = _("Bitte eine Zahl eingeben.")
        check.showErrorMessage = True
        letter = get_column_letter(headers.index(header) + 1)
        check.add(f"{letter}2:{letter}100000")
        sheet.add_data_validation(check)
    sheet.column_dimensions[get_column_letter(last)].width = 40

    info = book.create_sheet(INFO_SHEET)
    # The labels belong to the file format (the import looks for „Kennung“), so they stay German
    # in every interface language, like the column names.
    rows = [
        (CODE_LABEL, indicator.code),
        ("Name", indicator.name),
        ("Einheit", indicator.unit),
        ("Definition", indicator.definition),
        ("Quelle", indicator.source),
        ("gewünschte Richtung", indicator.get_direction_display()),
        ("Nachkommastellen", indicator.decimals),
    ]
    for label, text in rows:
        info.append([label, text])
    info.append([])
    for hint in HINTS:
        info.append([None, str(hint)])
    for cell in info["A"]:
        cell.font = Font(bold=True)
    info.column_dimensions["A"].width = 22
    info.column_dimensions["B"].width = 90
    return book


def template_bytes(indicator: Indicator) -> bytes:
    return _save(workbook_for(indicator))


def export_bytes(indicator: Indicator) -> bytes:
    """The approved values of the indicator in its template."""
    values = Value.objects.filter(indicator=indicator, state=Value.State.APPROVED).order_by(
        "disaggregation_key", "year", "month"
    )
    return _save(workbook_for(indicator, values))


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_filename(indicator: Indicator) -> str:
    return f"werte_{indicator.code}.xlsx"


# --- reading ----------------------------------------------------------------------------------


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _whole(cell: Any) -> int | None:
    """An integer from a number cell or a text of digits."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float):
        return int(cell) if cell.is_integer() else None
    text = _text(cell)
    return int(text) if text.isdigit() else None


def _number(cell: Any) -> float | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        return float(cell)
    return parse_number(_text(cell))


def _where(line: int, column: str) -> str:
    return _("Zeile %(line)d, Spalte „%(column)s“") % {"line": line, "column": column}


def _header_problems(names: list[str], indicator: Indicator | None) -> list[str]:
    problems = [
        _("Zeile 1: Die Spalte „%(column)s“ fehlt.") % {"column": name}
        for name in (YEAR, VALUE)
        if name not in names
    ]
    problems += [
        _("Zeile 1: Die Spalte „%(column)s“ steht mehrmals da.") % {"column": name}
        for name in sorted({n for n in names if n and names.count(n) > 1})
    ]
    if "" in names:
        problems.append(_("Zeile 1: Jede Spalte braucht eine Überschrift."))
    if indicator is None and INDICATOR not in names:
        problems.append(
            _("Zeile 1: Die Spalte „Indikator“ fehlt; ohne Blatt „Angaben“ nennt sie die Kennung.")
        )
    return problems


def _parse_row(
    row: dict[str, Any], indicator: Indicator | None, codes: dict[str, Indicator]
) -> tuple[Indicator | None, int | None, int | None, float | None, list[tuple[str, str]]]:
    """Indicator, year, month and number of one row, and the problems per column."""
    problems: list[tuple[str, str]] = []
    code = _text(row.get(INDICATOR))
    if code:
        indicator = codes.get(code)
        if indicator is None:
            problems.append(
                (INDICATOR, _("Den Indikator „%(code)s“ gibt es nicht") % {"code": code})
            )
    elif indicator is None:
        problems.append((INDICATOR, _("Kennung fehlt")))
    year_text, month_text, value_text = (_text(row.get(n)) for n in (YEAR, MONTH, VALUE))
    year = _whole(row.get(YEAR))
    if year is None:
        problems.append(
            (YEAR, _("„%(text)s“ ist keine Jahreszahl") % {"text": year_text})
            if year_text
            else (YEAR, _("Jahr fehlt"))
        )
    month = 0 if month_text == "" else _whole(row.get(MONTH))
    if month is None or not 0 <= month <= 12:
        problems.append((MONTH, _("„%(text)s“ ist kein Monat (1 bis 12)") % {"text": month_text}))
    number = _number(row.get(VALUE))
    if number is None:
        problems.append(
            (VALUE, _("„%(text)s“ ist keine Zahl") % {"text": value_text})
            if value_text
            else (VALUE, _("Wert fehlt"))
        )
    return indicator, year, month, number, problems


def read_rows(
    header: list[Any],
    rows: Iterable[tuple[int, list[Any]]],
    indicator: Indicator | None,
    errors: list[str],
    notes: list[str],
) -> list[ValueRow]:
    """Check the table — rows as (line number, cells) — and turn it into value rows; every
    problem goes to errors."""
    names = [_text(cell) for cell in header]
    while names and not names[-1]:
        names.pop()
    problems = _header_problems(names, indicator)
    if problems:
        errors += problems
        return []
    split = [name for name in names if name not in FIXED]
    codes = {i.code: i for i in Indicator.objects.all()} if INDICATOR in names else {}
    result = []
    seen: dict[tuple[int, int, int, str], int] = {}
    skipped = 0
    for line, cells in rows:
        row = dict(zip(names, cells, strict=False))
        if all(_text(cell) == "" for cell in row.values()):
            continue
        if _text(row.get(VALUE)) in PLACEHOLDERS - {""}:
            skipped += 1
            continue
        target, year, month, number, problems = _parse_row(row, indicator, codes)
        if problems:
            errors += [
                _("%(where)s: %(problem)s.") % {"where": _where(line, column), "problem": problem}
                for column, problem in problems
            ]
            continue
        disaggregation, key = canonical({name: _text(row.get(name)) for name in split})
        flags = clean_flags(_text(row.get(FLAGS)))
        source, note = _text(row.get(SOURCE)), _text(row.get(NOTE))
        errors += [
            _("Zeile %(line)d: %(problem)s") % {"line": line, "problem": problem}
            for problem in row_problems(year, month, number, flags, key, source, note)
        ]
        earlier = seen.setdefault((target.pk, year, month, key), line)
        if earlier != line:
            errors.append(
                _(
                    "Zeile %(line)d: derselbe Indikator, derselbe Zeitraum und dieselbe "
                    "Aufgliederung wie in Zeile %(earlier)d."
                )
                % {"line": line, "earlier": earlier}
            )
        result.append(
            ValueRow(
                indicator=target,
                year=year,
                month=month,
                disaggregation=disaggregation,
                value=number,
                flags=flags,
                source=source,
                note=note,
            )
        )
    if skipped:
        notes.append(
            ngettext(
                "%(count)d Zeile mit Platzhalter statt Wert übersprungen (z. B. „…“).",
                "%(count)d Zeilen mit Platzhalter statt Wert übersprungen (z. B. „…“).",
                skipped,
            )
            % {"count": skipped}
        )
    return result


def _read_xlsx(
    file: IO[bytes], indicator: Indicator | None, errors: list[str]
) -> tuple[list[Any], list[tuple[int, list[Any]]], Indicator | None]:
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, OSError, KeyError, ValueError) as error:
        # The library's reason is technical English; what matters is that it is no workbook.
        raise ValuesError([_("Die Datei ist keine lesbare Excel-Arbeitsmappe (.xlsx).")]) from error
    if VALUES_SHEET not in book.sheetnames:
        raise ValuesError([_("Das Blatt „%(sheet)s“ fehlt.") % {"sheet": VALUES_SHEET}])
    if indicator is None and INFO_SHEET in book.sheetnames:
        for label, code, *_rest in book[INFO_SHEET].iter_rows(max_col=2, values_only=True):
            if _text(label) == CODE_LABEL and _text(code):
                indicator = Indicator.objects.filter(code=_text(code)).first()
                if indicator is None:
                    errors.append(
                        _("Blatt „Angaben“: Den Indikator „%(code)s“ gibt es nicht.")
                        % {"code": _text(code)}
                    )
                break
    rows = book[VALUES_SHEET].iter_rows(values_only=True)
    header = list(next(rows, ()))
    body = [(line, list(row)) for line, row in enumerate(rows, start=2)]
    book.close()
    return header, body, indicator


def _decode(raw: bytes) -> str:
    # Excel on German Windows saves CSV as Windows-1252 unless told otherwise.
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def _read_csv(file: IO[bytes]) -> tuple[list[Any], Iterator[tuple[int, list[Any]]]]:
    text = _decode(file.read())
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, [])

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for row in reader:
            yield reader.line_num, row

    return header, rows()


def import_table(
    file: IO[bytes] | str | Path,
    fmt: TableFormat,
    *,
    indicator: Indicator | None = None,
    approve: bool = False,
    user: AbstractBaseUser | AnonymousUser | None = None,
    source_name: str = "",
    revision_reason: str = "",
) -> ImportResult:
    """Import an Excel template or a CSV table; all or nothing (ValuesError lists every
    problem). `revision_reason` allows changes of closed reporting years (store_values)."""
    if isinstance(file, str | Path):
        source_name = source_name or Path(file).name
        with open(file, "rb") as handle:
            return import_table(
                handle,
                fmt,
                indicator=indicator,
                approve=approve,
                user=user,
                source_name=source_name,
                revision_reason=revision_reason,
            )
    errors: list[str] = []
    notes: list[str] = []
    if fmt == "xlsx":
        header, rows, indicator = _read_xlsx(file, indicator, errors)
    else:
        header, rows = _read_csv(file)
    values = read_rows(header, rows, indicator, errors, notes)
    if errors:
        raise ValuesError(errors)
    summary = store_values(
        values,
        source_name=source_name or fmt,
        user=user,
        file_format=fmt,
        approve=approve,
        revision_reason=revision_reason,
    )
    return ImportResult(summary, notes)

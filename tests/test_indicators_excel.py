"""The Excel template per indicator and the same table as CSV: round trip, every error with
row and column, nothing stored unless the whole file is clean."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.indicators_support import make_indicators, store, user, value
from zielwerk.indicators.excel import export_bytes, import_table, template_bytes
from zielwerk.indicators.models import Value, ValueBatch
from zielwerk.indicators.values import ValueRow, ValuesError, store_values


@pytest.fixture
def debt(demo):
    return make_indicators(demo).debt


def workbook(data: bytes):
    return load_workbook(io.BytesIO(data))


def as_file(book) -> io.BytesIO:
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_template_names_the_indicator_and_its_disaggregations(debt):
    store_values(
        [ValueRow(indicator=debt, year=2021, value=1.0, disaggregation={"Stadtteil": "Mitte"})],
        source_name="Test",
    )
    book = workbook(template_bytes(debt))

    assert book.sheetnames == ["Werte", "Angaben"]
    header = [cell.value for cell in book["Werte"][1]]
    assert header == [
        "Jahr",
        "Monat",
        "Stadtteil",
        "Wert",
        "Kennzeichen",
        "Quelle",
        "Anmerkung",
    ]
    assert book["Werte"].max_row == 1
    info = {row[0]: row[1] for row in book["Angaben"].iter_rows(values_only=True) if row[0]}
    assert info["Kennung"] == "test-schulden"
    assert info["Einheit"] == "EUR"


def test_filled_template_is_imported(debt):
    book = workbook(template_bytes(debt))
    sheet = book["Werte"]
    sheet.append([2022, None, 1010.5, "p", "Haushaltsplan 2024", "vorläufig"])
    sheet.append([2023, 6, "998,25", None, None, None])

    result = import_table(as_file(book), "xlsx", user=user("finanzen"), source_name="werte.xlsx")

    assert result.summary.line() == "2 Werte neu, 0 geändert, 0 unverändert"
    annual = value(debt, 2022)
    assert (annual.value, annual.flags, annual.source, annual.note) == (
        1010.5,
        "p",
        "Haushaltsplan 2024",
        "vorläufig",
    )
    assert value(debt, 2023, month=6).value == 998.25
    assert annual.entered_by.username == "finanzen"
    assert annual.batch.source_name == "werte.xlsx"


def test_export_and_import_round_trip(debt):
    store_values(
        [
            ValueRow(indicator=debt, year=2021, value=980.0, flags="r"),
            ValueRow(indicator=debt, year=2021, month=3, value=981.5),
            ValueRow(indicator=debt, year=2021, value=12.0, disaggregation={"Stadtteil": "Ost"}),
        ],
        source_name="Test",
        approve=True,
    )
    exported = export_bytes(debt)

    again = import_table(io.BytesIO(exported), "xlsx")
    assert again.summary.line() == "0 Werte neu, 0 geändert, 3 unverändert"
    assert export_bytes(debt) != b""  # openpyxl stamps the time; compare the cells instead
    rows = list(workbook(export_bytes(debt))["Werte"].iter_rows(values_only=True))
    assert rows == list(workbook(exported)["Werte"].iter_rows(values_only=True))
    assert rows[1:] == [
        (2021, None, None, 980.0, "r", None, None),
        (2021, 3, None, 981.5, None, None, None),
        (2021, None, "Ost", 12.0, None, None, None),
    ]

    book = workbook(exported)
    book["Werte"]["D2"] = 975.0
    changed = import_table(as_file(book), "xlsx")
    assert changed.summary.line() == "0 Werte neu, 1 geändert, 2 unverändert"


def test_every_error_is_reported_with_row_and_column_and_nothing_stored(debt):
    store(debt, (2020, 1.0))
    before = (Value.objects.count(), ValueBatch.objects.count())
    book = workbook(template_bytes(debt))
    sheet = book["Werte"]
    sheet.append([2021, None, 5.0])
    sheet.append([2022, None, "abc"])
    sheet.append(["zwanzig", 13, None])
    sheet.append([])
    sheet.append([2023, None, "…"])
    sheet.append([2021, None, 6.0, "p", None, "x" * 501])

    with pytest.raises(ValuesError) as raised:
        import_table(as_file(book), "xlsx")

    assert raised.value.errors == [
        "Zeile 3, Spalte „Wert“: „abc“ ist keine Zahl.",
        "Zeile 4, Spalte „Jahr“: „zwanzig“ ist keine Jahreszahl.",
        "Zeile 4, Spalte „Monat“: „13“ ist kein Monat (1 bis 12).",
        "Zeile 4, Spalte „Wert“: Wert fehlt.",
        "Zeile 7: Die Anmerkung ist zu lang (höchstens 500 Zeichen).",
        "Zeile 7: derselbe Indikator, derselbe Zeitraum und dieselbe Aufgliederung wie in Zeile 2.",
    ]
    assert (Value.objects.count(), ValueBatch.objects.count()) == before


def test_csv_from_german_excel(debt):
    text = "Indikator;Jahr;Monat;Stadtteil;Wert;Kennzeichen\n"
    text += "test-schulden;2021;;Weststadt;1.234,5;s\ntest-schulden;2022;;;7\n"

    result = import_table(io.BytesIO(text.encode("cp1252")), "csv")

    assert result.summary.created == 2
    west = Value.objects.get(indicator=debt, disaggregation_key="Stadtteil=Weststadt")
    assert (west.value, west.flags) == (1234.5, "s")


def test_csv_problems_with_the_indicator(debt):
    text = "Jahr,Wert\n2021,1\n"
    with pytest.raises(ValuesError) as raised:
        import_table(io.BytesIO(text.encode()), "csv")
    assert raised.value.errors == [
        "Zeile 1: Die Spalte „Indikator“ fehlt; ohne Blatt „Angaben“ nennt sie die Kennung."
    ]

    text = "Indikator,Jahr,Wert\ngibt-es-nicht,2021,1\n"
    with pytest.raises(ValuesError) as raised:
        import_table(io.BytesIO(text.encode()), "csv")
    assert raised.value.errors == [
        "Zeile 2, Spalte „Indikator“: Den Indikator „gibt-es-nicht“ gibt es nicht."
    ]

    result = import_table(io.BytesIO(b"Jahr,Wert\n2021,1\n"), "csv", indicator=debt)
    assert result.summary.created == 1


def test_not_an_excel_file(debt):
    with pytest.raises(ValuesError) as raised:
        import_table(io.BytesIO(b"kein Excel"), "xlsx")
    assert raised.value.errors[0].startswith("Die Datei ist keine lesbare Excel-Arbeitsmappe")

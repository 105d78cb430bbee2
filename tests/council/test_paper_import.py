"""Lists of papers for cities without OParl: `zielwerk import-papers FILE [--update]`."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from zielwerk.council.importing import COLUMNS, TEMPLATE, PaperImportError, import_papers
from zielwerk.council.models import OParlSource, Paper
from zielwerk.org.models import OrgUnit

MINE = ("BV 1/2025", "BV 2/2025", "BV 3/2025")


@pytest.fixture
def units(db):
    for code, name in (("FB-FIN", "Fachbereich Finanzen"), ("FB-BD", "Fachbereich Bürgerdienste")):
        OrgUnit.objects.create(code=code, name=name, kind=OrgUnit.Kind.FACHBEREICH)


def mine():
    return Paper.objects.filter(reference__in=MINE).order_by("reference")


def write(tmp_path, text: str, name: str = "liste.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_template_has_the_documented_columns_and_an_example_row(db):
    header, example = TEMPLATE.read_text(encoding="utf-8").splitlines()
    assert header.split(";") == list(COLUMNS)
    assert "Beispiel" in example


def test_columns_in_any_order_and_case_with_both_date_forms(units, tmp_path):
    path = write(
        tmp_path,
        "TITEL;nummer;Sitzungsdatum;datum;Art;Federführend;text\n"
        "Haushaltsplan 2026;BV 1/2025;24.03.2025;03.03.2025;Beschlussvorlage;FB-FIN;Der Haushalt.\n"
        'Bürgerbüro;BV 2/2025;2025-04-01;2025-03-10;Informationsvorlage;"Fachbereich '
        'Bürgerdienste";\n'
        ";;;;;;\n"
        "Neue Kita;BV 3/2025;;;Beschlussvorlage;Amt für Kinder;Eine Kita.\n",
    )
    out = io.StringIO()
    call_command("import_papers", str(path), stdout=out)
    assert out.getvalue().strip() == "Vorlagen angelegt: 3, geändert: 0."
    first, second, third = mine()
    assert (first.title, first.date, first.meeting_date, first.paper_type) == (
        "Haushaltsplan 2026",
        dt.date(2025, 3, 3),
        dt.date(2025, 3, 24),
        "Beschlussvorlage",
    )
    assert first.unit.code == "FB-FIN"
    assert first.text == "Der Haushalt."
    assert first.source is None and first.oparl_id is None
    # "federführend" names a unit by code or by name; otherwise it stays text only.
    assert second.unit.code == "FB-BD"
    assert (second.meeting_date, second.text) == (dt.date(2025, 4, 1), "")
    assert third.unit is None
    assert third.department == "Amt für Kinder"
    assert third.meeting_date is None


def test_bad_rows_are_named_and_nothing_is_stored(units, tmp_path):
    path = write(
        tmp_path,
        "Nummer;Titel;Datum;Sitzungsdatum\n"
        "BV 1/2025;Gut;01.03.2025;20.03.2025\n"
        "BV 2/2025;;31.02.2025;morgen\n"
        "BV 1/2025;Doppelt;;\n",
    )
    with pytest.raises(CommandError) as refused:
        call_command("import_papers", str(path))
    assert str(refused.value).splitlines() == [
        f"{path}: Es wurde nichts gespeichert.",
        "Zeile 3, Spalte „Titel“: fehlt.",
        "Zeile 3, Spalte „Datum“: „31.02.2025“ ist kein Datum (TT.MM.JJJJ oder JJJJ-MM-TT).",
        "Zeile 3, Spalte „Sitzungsdatum“: „morgen“ ist kein Datum (TT.MM.JJJJ oder JJJJ-MM-TT).",
        "Zeile 4, Spalte „Nummer“: „BV 1/2025“ steht schon in Zeile 2.",
    ]
    assert not mine().exists()


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Nummer;Titel;Farbe", "Zeile 1: unbekannte Spalten: Farbe (erlaubt: Nummer, Titel, "),
        ("Nummer;Datum", "Zeile 1: Spalten fehlen: Titel."),
        ("Nummer;Titel;TITEL", "Zeile 1: Die Spalte „Titel“ steht mehrfach in der Kopfzeile."),
    ],
)
def test_header_problems(units, tmp_path, header, message):
    path = write(tmp_path, f"{header}\nBV 1/2025;Haushalt;x\n")
    with pytest.raises(PaperImportError) as refused:
        import_papers(path)
    assert refused.value.errors[0].startswith(message)


def test_update_by_number_changes_only_the_columns_in_the_file(units, tmp_path):
    write(tmp_path, "Nummer;Titel;Text\nBV 1/2025;Haushalt;Alter Text\n", "a.csv")
    import_papers(tmp_path / "a.csv")
    path = write(tmp_path, "Nummer;Titel;Sitzungsdatum\nBV 1/2025;Haushalt 2026;01.04.2025\n")
    with pytest.raises(PaperImportError) as refused:
        import_papers(path)
    assert refused.value.errors == [
        "Zeile 2, Spalte „Nummer“: Vorlage „BV 1/2025“ gibt es schon "
        "(zum Aktualisieren --update angeben)."
    ]
    out = io.StringIO()
    call_command("import_papers", str(path), "--update", stdout=out)
    assert out.getvalue().strip() == "Vorlagen angelegt: 0, geändert: 1."
    paper = mine().get()
    assert (paper.title, paper.meeting_date, paper.text) == (
        "Haushalt 2026",
        dt.date(2025, 4, 1),
        "Alter Text",
    )


def test_papers_from_oparl_are_not_overwritten(units, tmp_path):
    source = OParlSource.objects.create(url="http://127.0.0.1:1/oparl")
    Paper.objects.create(
        source=source, oparl_id="http://127.0.0.1:1/p/1", reference="BV 1/2025", title="x"
    )
    path = write(tmp_path, "Nummer;Titel\nBV 1/2025;Haushalt\n")
    with pytest.raises(PaperImportError, match="stammt aus dem Ratsinformationssystem"):
        import_papers(path, update=True)
    assert Paper.objects.get(reference="BV 1/2025").title == "x"


def test_xlsx_with_date_cells(units, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Nummer", "Titel", "Datum", "Sitzungsdatum", "Art"])
    sheet.append(
        ["BV 1/2025", "Haushalt", dt.datetime(2025, 3, 3), "2025-03-24", "Beschlussvorlage"]
    )
    sheet.append([None, None, None, None, None])
    sheet.append(["BV 2/2025", "Kita", "03.03.2025", None, "Beschlussvorlage"])
    book.save(tmp_path / "liste.xlsx")
    summary = import_papers(tmp_path / "liste.xlsx")
    assert [p.reference for p in summary.created] == ["BV 1/2025", "BV 2/2025"]
    first, second = mine()
    assert (first.date, first.meeting_date, second.date) == (
        dt.date(2025, 3, 3),
        dt.date(2025, 3, 24),
        dt.date(2025, 3, 3),
    )


def test_unreadable_files(units, tmp_path):
    broken = tmp_path / "liste.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(PaperImportError, match="keine lesbare XLSX-Datei"):
        import_papers(broken)
    latin = tmp_path / "liste.csv"
    latin.write_bytes("Nummer;Titel\nBV 1/2025;Gebühren für Bürger\n".encode("latin-1"))
    with pytest.raises(PaperImportError, match="erwartet wird UTF-8"):
        import_papers(latin)
    with pytest.raises(CommandError, match="Datei nicht gefunden"):
        call_command("import_papers", str(tmp_path / "fehlt.csv"))


def test_the_template_itself_imports(units):
    summary = import_papers(TEMPLATE)
    (paper,) = summary.created
    assert paper.reference.startswith("BEISPIEL")
    assert paper.unit.code == "FB-FIN"
    assert paper.meeting_date == dt.date(2025, 2, 12)

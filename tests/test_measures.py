"""Measures (C13): status vocabulary, permissions, staff list actions, import and sample data."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook, load_workbook

from tests.measures_support import CHANGELIST, change_form
from zielwerk.measures.importing import MeasureImportError, import_measures
from zielwerk.measures.models import Measure, MeasureStatus
from zielwerk.org.models import OrgUnit

pytestmark = pytest.mark.django_db

HEADER = (
    "Nummer,Titel,Beschreibung,Art,Verantwortlich,Ziele,Beginn,Ende,Priorität,Status,"
    "Fortschritt,Budget geplant,Budget ausgegeben\n"
)


def _user(username):
    return get_user_model().objects.get(username=username)


def test_default_status_vocabulary():
    statuses = list(MeasureStatus.objects.values_list("label", "is_closed"))
    assert statuses == [
        ("in Vorbereitung", False),
        ("in Umsetzung", False),
        ("Prüfauftrag", False),
        ("abgeschlossen", True),
        ("Daueraufgabe", False),
        ("zurückgestellt", False),
        ("abgebrochen", True),
    ]


def test_sample_measures_come_with_the_demo(demo):
    measures = Measure.objects.prefetch_related("operative_goals__strategic_goal__field")
    assert len(measures) == 6 == demo.measures
    assert all(m.is_sample and m.is_public for m in measures)
    assert all("Beispieldaten" in m.description for m in measures)
    kongoussi = measures.get(number="M-12-04")
    assert [g.code for g in kongoussi.operative_goals.all()] == ["12.4.3"]
    assert kongoussi.funding_sources.filter(kind="foerdermittel").exists()
    assert kongoussi.history.exists()


@pytest.mark.parametrize(
    ("username", "number", "allowed"),
    [
        ("strategie", "M-12-02", True),
        ("finanzen", "M-12-06", True),
        ("finanzen", "M-12-02", False),
        ("buergerdienste", "M-12-02", True),
        ("buergerdienste", "M-12-06", False),
        ("lesen", "M-12-06", False),
    ],
)
def test_who_may_change_which_measure(demo, username, number, allowed):
    measure = Measure.objects.get(number=number)
    user = _user(username)
    assert user.has_perm("measures.change_measure", measure) is allowed
    assert user.has_perm("measures.view_measure", measure)
    assert user.has_perm("measures.delete_measure", measure) is (username == "strategie")
    assert user.has_perm("measures.change_measurestatus") is (username == "strategie")


@pytest.mark.parametrize("username", ["strategie", "finanzen", "lesen"])
def test_staff_pages_show_up(demo, client, login, username):
    login(username)
    field = demo.edition.fields.get()
    url = f"{CHANGELIST}?operative_goals__strategic_goal__field__id__exact={field.pk}&priority=1"
    response = client.get(url)
    assert response.status_code == 200
    assert "M-12-01" in response.content.decode()
    assert "M-12-03" not in response.content.decode()
    measure = Measure.objects.get(number="M-12-04")
    assert client.get(f"{CHANGELIST}{measure.pk}/change/").status_code == 200
    assert client.get(f"{CHANGELIST}add/").status_code == (403 if username == "lesen" else 200)
    assert "in Vorbereitung" in client.get("/verwaltung/measures/measurestatus/").content.decode()


def test_editor_saves_own_measure_but_not_another_units(demo, client, login):
    login("finanzen")
    own = Measure.objects.get(number="M-12-06")
    response = client.post(f"{CHANGELIST}{own.pk}/change/", change_form(own, progress_percent=50))
    assert response.status_code == 302, response.content.decode()[:2000]
    own.refresh_from_db()
    assert own.progress_percent == 50
    assert own.history.first().history_user.username == "finanzen"

    other = Measure.objects.get(number="M-12-02")
    response = client.post(
        f"{CHANGELIST}{other.pk}/change/", change_form(other, progress_percent=5)
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.progress_percent == 100


def test_editor_adds_measures_only_for_own_unit(demo, client, login):
    login("finanzen")
    template = Measure.objects.get(number="M-12-06")
    foreign = OrgUnit.objects.get(code="FB-BD")
    data = change_form(template, rows=False, number="M-12-90", responsible_unit=foreign.pk)
    response = client.post(f"{CHANGELIST}add/", data)
    assert response.status_code == 200
    assert not Measure.objects.filter(number="M-12-90").exists()

    subunit = OrgUnit.objects.get(code="FB-FIN-HH")
    response = client.post(f"{CHANGELIST}add/", data | {"responsible_unit": subunit.pk})
    assert response.status_code == 302
    assert Measure.objects.get(number="M-12-90").responsible_unit == subunit


def test_bulk_status_change_skips_measures_of_other_units(demo, client, login):
    login("finanzen")
    own, other = Measure.objects.get(number="M-12-06"), Measure.objects.get(number="M-12-02")
    target = MeasureStatus.objects.get(key="zurueckgestellt")
    response = client.post(
        CHANGELIST,
        {
            "action": "set_status",
            "_selected_action": [own.pk, other.pk],
            "status": target.pk,
            "index": "0",
        },
        follow=True,
    )
    assert response.status_code == 200
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.status == target
    assert other.status.key == "abgeschlossen"
    assert "M-12-02" in response.content.decode()


def test_excel_export_contains_only_selected_rows(demo, client, login):
    login("lesen")
    selected = Measure.objects.filter(number__in=["M-12-01", "M-12-04"])
    response = client.post(
        CHANGELIST,
        {"action": "export_xlsx", "_selected_action": [m.pk for m in selected], "index": "0"},
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Nummer", "Titel", "Art", "Verantwortlich", "Ziele")
    assert [row[0] for row in rows[1:]] == ["M-12-01", "M-12-04"]
    assert rows[2][4] == "12.4.3"


def test_csv_import_and_update(demo, tmp_path):
    path = tmp_path / "massnahmen.csv"
    path.write_text(
        HEADER
        + 'M-12-20,Wissensmanagement,,Projekt,FB-PO,"12.1.2, 12.1.1",01.01.2025,2026-12-31,1,'
        'in-umsetzung,20%,"10.000,50",\n'
        + "M-12-21,Haushaltsreden kürzen,,Prüfauftrag,FB-FIN-HH,12.3.4,,,,Prüfauftrag,,,\n",
        encoding="utf-8",
    )
    call_command("import_measures", str(path), stdout=io.StringIO())
    first = Measure.objects.get(number="M-12-20")
    assert sorted(g.code for g in first.operative_goals.all()) == ["12.1.1", "12.1.2"]
    assert first.status.key == "in-umsetzung"
    assert (first.progress_percent, str(first.budget_planned)) == (20, "10000.50")
    assert first.end.isoformat() == "2026-12-31"
    assert not first.is_sample and not first.is_public
    assert Measure.objects.get(number="M-12-21").kind == Measure.Kind.REVIEW

    with pytest.raises(CommandError, match="--update"):
        call_command("import_measures", str(path), stdout=io.StringIO())
    path.write_text(HEADER + "M-12-20,Wissen teilen,,Projekt,FB-PO,12.1.2,,,,abgeschlossen,,,\n")
    call_command("import_measures", str(path), "--update", stdout=io.StringIO())
    first.refresh_from_db()
    assert (first.title, first.status.key) == ("Wissen teilen", "abgeschlossen")


def test_xlsx_import(demo, tmp_path):
    book = Workbook()
    book.active.append(HEADER.strip().split(","))
    book.active.append(
        [
            *("M-12-30", "Servicecenter", None, "Daueraufgabe", "FB-BD", "12.2.2"),
            *(None, None, 2, "Daueraufgabe", 0, 5000.5, None),
        ]
    )
    path = tmp_path / "massnahmen.xlsx"
    book.save(path)
    measure = import_measures(path, demo.edition).created[0]
    assert (measure.number, measure.priority, str(measure.budget_planned)) == (
        "M-12-30",
        2,
        "5000.50",
    )


def test_invalid_file_reports_every_error_and_stores_nothing(demo, tmp_path):
    path = tmp_path / "fehler.csv"
    path.write_text(
        HEADER.replace(",", ";")
        + "M-12-40;Gut;;Projekt;FB-PO;12.1.2;;;;in Umsetzung;;;\n"
        + "M-12-41;Falsch;;Projet;FB-XX;12.1;;;4;unbekannt;120;viel;\n"
        + "M-12-40;Doppelt;;Projekt;FB-PO;12.1.2;31.02.2025;;;in Umsetzung;;;\n"
        + "M-12-42;;;Projekt;FB-PO;, ;;;;in Umsetzung;;;\n",
        encoding="utf-8",
    )
    before = Measure.objects.count()
    with pytest.raises(MeasureImportError) as raised:
        import_measures(path, demo.edition)
    errors = raised.value.errors
    for expected in (
        "Zeile 3, Spalte „Art“",
        "Zeile 3, Spalte „Verantwortlich“",
        "Zeile 3, Spalte „Ziele“",
        "Zeile 3, Spalte „Priorität“",
        "Zeile 3, Spalte „Status“",
        "Zeile 3, Spalte „Fortschritt“",
        "Zeile 3, Spalte „Budget geplant“",
        "Zeile 4, Spalte „Beginn“",
        "Zeile 4, Spalte „Nummer“",
        "Zeile 5, Spalte „Titel“",
        "Zeile 5, Spalte „Ziele“",
    ):
        assert any(e.startswith(expected) for e in errors), (expected, errors)
    assert not any(e.startswith("Zeile 2") for e in errors)
    assert Measure.objects.count() == before


def test_import_reads_german_labels_while_english_is_active(demo, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(
        "Nummer;Titel;Beschreibung;Art;Verantwortlich;Ziele;Beginn;Ende;Priorität;Status;"
        "Fortschritt;Budget geplant;Budget ausgegeben\n"
        "M-1;Prüfen;;Prüfauftrag;FB-FIN;12.1.2;;;2;in Vorbereitung;;;\n",
        encoding="utf-8",
    )
    with translation.override("en"):
        import_measures(path, demo.edition)
    assert Measure.objects.get(number="M-1").kind == Measure.Kind.values[2]


def test_strategy_office_uploads_a_measure_list(demo, client, login):
    login("strategie")
    page = client.get(CHANGELIST).content.decode()
    assert "Maßnahmenliste hochladen" in page
    good = io.BytesIO(
        (HEADER + "M-12-30,Intranet erneuern,,Projekt,FB-PO,12.1.1,,,,in-umsetzung,,,\n").encode()
    )
    good.name = "liste.csv"
    response = client.post(f"{CHANGELIST}hochladen/", {"file": good}, follow=True)
    assert "1 Maßnahmen angelegt, 0 geändert." in response.content.decode()
    assert Measure.objects.get(number="M-12-30").operative_goals.get().code == "12.1.1"

    bad = io.BytesIO(
        (HEADER + "M-12-31,Ohne Ziel,,Projekt,FB-PO,12.9.9,,,,in-umsetzung,,,\n").encode()
    )
    bad.name = "liste.csv"
    response = client.post(f"{CHANGELIST}hochladen/", {"file": bad})
    page = response.content.decode()
    assert response.status_code == 200
    assert "es wurde nichts gespeichert" in page and "12.9.9" in page
    assert not Measure.objects.filter(number="M-12-31").exists()


def test_editors_do_not_upload_measure_lists(demo, client, login):
    login("finanzen")
    assert "Maßnahmenliste hochladen" not in client.get(CHANGELIST).content.decode()
    upload = io.BytesIO(HEADER.encode())
    upload.name = "liste.csv"
    assert client.post(f"{CHANGELIST}hochladen/", {"file": upload}).status_code == 403

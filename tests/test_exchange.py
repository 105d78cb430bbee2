"""Exchange format zielwerk-goals: export, lossless re-import and the checks on import."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from zielwerk.cases.models import Case, Category
from zielwerk.council.models import Paper, Rating
from zielwerk.goals.exchange import (
    dump,
    export_edition,
    import_document,
    schema,
    validate,
)
from zielwerk.goals.models import Edition, Field, OperativeGoal, StrategicGoal
from zielwerk.indicators.models import Indicator
from zielwerk.measures.models import Measure
from zielwerk.org.models import OrgUnit, Person

CROSS_REFERENCE = (
    "Das Thema der Klimavorbildlichen Verwaltung wird als Schnittstellenthema im "
    "Handlungsfeld 11 unter dem Strategischen Ziel 1 abgebildet."
)
DEMO_UNITS = ["D1", "FB-PO", "REF-BET", "REF-NSE", "D2", "FB-BD", "FB-FIN", "FB-FIN-HH"]


def export(*args: str) -> str:
    out = StringIO()
    call_command("export_goals", *args, stdout=out)
    return out.getvalue()


def export_file(path: Path, *args: str) -> bytes:
    call_command("export_goals", "--output", str(path), *args, stdout=StringIO())
    return path.read_bytes()


def import_file(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("import_goals", str(path), *args, stdout=out)
    return out.getvalue()


def database_state() -> tuple:
    """Everything an import could touch, to show that a failed one touched nothing."""
    return (
        [dump(export_edition(e), "json") for e in Edition.objects.order_by("name")],
        list(OrgUnit.objects.values_list("code", "name", "kind", "parent__code")),
        Field.history.count(),
        OrgUnit.history.count(),
    )


def goal_count(edition: Edition) -> tuple[int, int, int]:
    return (
        Field.objects.filter(edition=edition).count(),
        StrategicGoal.objects.filter(field__edition=edition).count(),
        OperativeGoal.objects.filter(strategic_goal__field__edition=edition).count(),
    )


def all_keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in all_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in all_keys(v)}
    return set()


# --- export ---------------------------------------------------------------------------------


def test_export_of_the_seed_holds_the_whole_chapter(seed_edition):
    text = export()
    data = json.loads(text)

    assert data["format"] == "zielwerk-goals"
    assert data["version"] == 1
    assert data["edition"] == {
        "name": "2023",
        "title": "Stadtentwicklungskonzept – Ausgabe 2023",
        "city": "",
        "description": "",
    }
    assert data["organisation_units"] == []
    [field] = data["fields"]
    assert field["number"] == 12
    assert field["title"] == "Leistungsfähige und lernende Verwaltung"
    assert (field["title_changed"], field["former_title"]) == (True, "00 Innovative Verwaltung")
    assert (field["structure_changed"], field["structure_change_note"]) == (True, "grundlegend")
    assert len(field["feedback"]) == 3
    assert field["feedback"][2] == (
        "Unsere Ziele und Strategien sollen verständlich und bürgernah formuliert und "
        "kommuniziert werden"
    )
    assert [sg["number"] for sg in field["strategic_goals"]] == [1, 2, 3, 4, 5]
    operatives = [og for sg in field["strategic_goals"] for og in sg["operative_goals"]]
    assert len(operatives) == 20
    assert operatives[0] == {
        "number": 1,
        "title": "Motivierende Organisationskultur stärken",
        "text": operatives[0]["text"],
        "responsible_units": [],
    }
    assert operatives[0]["text"].startswith("Wir schaffen eine offene Arbeits- und Fehlerkultur")
    assert field["strategic_goals"][3]["cross_references"] == [
        {"text": CROSS_REFERENCE, "target_field_number": 11, "target_goal_number": 1}
    ]
    # Deterministic output carries no database ids and no timestamps.
    assert not all_keys(data) & {"id", "pk", "created_at", "is_current", "is_published"}
    # ensure_ascii=False: umlauts stay readable, and the file ends with a newline.
    assert "Leistungsfähige" in text
    assert text.endswith("}\n")
    assert validate(data) == []


def test_export_lists_responsible_units_with_ancestors_parents_first(demo):
    data = json.loads(export("--edition", "ludwigsburg"))

    assert [u["code"] for u in data["organisation_units"]] == DEMO_UNITS
    assert data["organisation_units"][-1] == {
        "code": "FB-FIN-HH",
        "name": "Abteilung Haushalt und Controlling",
        "kind": "abteilung",
        "parent": "FB-FIN",
        "sample": True,
    }
    [field] = data["fields"]
    assert field["responsible_units"] == ["REF-NSE"]
    sg3 = field["strategic_goals"][2]
    assert sg3["responsible_units"] == ["FB-FIN"]
    assert [og["responsible_units"] for og in sg3["operative_goals"]][3:5] == [
        ["FB-FIN-HH"],
        ["FB-FIN-HH"],
    ]


def test_export_yaml_and_output_file(demo, tmp_path):
    written = export_file(tmp_path / "ziele.yaml", "--edition", "ludwigsburg")

    assert written.decode("utf-8") == export("--format", "yaml")
    assert written.startswith(b"format: zielwerk-goals\nversion: 1\n")
    assert "Bürgerbeteiligung".encode() in written


def test_export_names_a_missing_edition(seed_edition):
    with pytest.raises(CommandError) as raised:
        export("--edition", "1999")
    assert str(raised.value) == "Die Ausgabe „1999“ gibt es nicht. Vorhanden: 2023."


# --- lossless round trip --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_reimport_with_replace_gives_the_same_bytes(demo, tmp_path, fmt):
    path = tmp_path / f"ziele.{fmt}"
    original = export_file(path, "--edition", "ludwigsburg")
    units_before = OrgUnit.objects.count()
    # The demo's SEK-Checks rated these goals; see the test below for what happens with them.
    Paper.objects.all().delete()

    output = import_file(path, "--replace")

    assert "Ausgabe „ludwigsburg“ ergänzt: 1 Handlungsfeld, 5 strategische und 20 operative" in (
        output
    )
    assert export_file(tmp_path / f"again.{fmt}", "--edition", "ludwigsburg") == original
    assert goal_count(demo.edition) == (1, 5, 20)
    assert OrgUnit.objects.count() == units_before
    reasons = set(Field.history.values_list("history_change_reason", flat=True))
    assert f"Import aus ziele.{fmt}" in reasons


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_import_into_a_new_edition_copies_everything(demo, tmp_path, fmt):
    path = tmp_path / f"ziele.{fmt}"
    original = export_file(path, "--edition", "ludwigsburg")
    units_before = OrgUnit.objects.count()

    output = import_file(path, "--edition", "kopie")

    assert "Ausgabe „kopie“ angelegt" in output
    copy = Edition.objects.get(name="kopie")
    assert goal_count(copy) == (1, 5, 20)
    data = json.loads(export("--edition", "ludwigsburg"))
    data["edition"]["name"] = "kopie"
    assert export_file(tmp_path / f"copy.{fmt}", "--edition", "kopie") == dump(data, fmt).encode(
        "utf-8"
    )
    assert export_file(tmp_path / f"again.{fmt}", "--edition", "ludwigsburg") == original
    assert OrgUnit.objects.count() == units_before


def test_replace_is_refused_while_sek_checks_rated_the_goals(demo, tmp_path):
    path = tmp_path / "ziele.json"
    export_file(path, "--edition", "ludwigsburg")
    ratings = Rating.objects.count()
    goal_ids = set(OperativeGoal.objects.values_list("pk", flat=True))
    assert ratings > 0

    with pytest.raises(CommandError) as error:
        import_file(path, "--replace")

    assert "Handlungsfeld 12 kann nicht ersetzt werden" in str(error.value)
    assert "Bewertungen" in str(error.value) and "--edition NAME" in str(error.value)
    assert Rating.objects.count() == ratings
    assert set(OperativeGoal.objects.values_list("pk", flat=True)) == goal_ids


def _empty_database():
    Paper.objects.all().delete()
    Edition.objects.all().delete()
    Person.objects.all().delete()
    Indicator.objects.all().delete()
    Measure.objects.all().delete()
    Case.objects.all().delete()
    Category.objects.all().delete()
    # Parents are protected while they have children, so the tree goes leaves first.
    while OrgUnit.objects.exists():
        OrgUnit.objects.filter(children__isnull=True).delete()


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_import_into_an_empty_database_creates_units_and_gives_the_same_bytes(demo, tmp_path, fmt):
    path = tmp_path / f"ziele.{fmt}"
    original = export_file(path, "--edition", "ludwigsburg")
    as_json = export("--edition", "ludwigsburg")
    _empty_database()

    output = import_file(path)

    assert f"Organisationseinheiten angelegt: {', '.join(DEMO_UNITS)}" in output
    assert OrgUnit.objects.get(code="FB-FIN-HH").parent.code == "FB-FIN"
    edition = Edition.objects.get(name="ludwigsburg")
    assert (edition.title, edition.city, edition.is_current) == (
        "Stadtentwicklungskonzept Ludwigsburg",
        "Ludwigsburg",
        True,
    )
    assert export_file(tmp_path / f"again.{fmt}") == original
    # Both syntaxes carry the same document.
    assert export() == as_json


def test_existing_units_are_kept_as_they_are(demo):
    data = export_edition(demo.edition)
    data["organisation_units"][0]["name"] = "Anderer Name"

    result = import_document(data, "kopie")

    assert result.created_units == []
    assert OrgUnit.objects.get(code="D1").name == "Dezernat I (Beispieldaten)"


def test_format_is_recognised_by_content_without_extension(demo, tmp_path):
    path = tmp_path / "ziele.txt"
    path.write_text(export("--format", "yaml"), encoding="utf-8")

    import_file(path, "--edition", "aus-yaml")

    assert goal_count(Edition.objects.get(name="aus-yaml")) == (1, 5, 20)


def test_schema_knows_every_kind_of_unit():
    unit = schema()["properties"]["organisation_units"]["items"]
    assert unit["properties"]["kind"]["enum"] == list(OrgUnit.Kind.values)


# --- invalid documents: every error with its path, nothing stored ---------------------------


@pytest.fixture
def document(demo):
    return export_edition(demo.edition)


def assert_rejected(path: Path, *messages: str, args=("--replace",)) -> str:
    before = database_state()
    with pytest.raises(CommandError) as raised:
        import_file(path, *args)
    report = str(raised.value)
    assert "es wurde nichts gespeichert" in report
    for message in messages:
        assert message in report
    assert database_state() == before
    return report


def write(tmp_path: Path, data: dict, fmt: str = "json") -> Path:
    path = tmp_path / f"ziele.{fmt}"
    path.write_text(dump(data, fmt), encoding="utf-8")
    return path


def test_unsupported_version_is_rejected(document, tmp_path):
    document["version"] = 2

    report = assert_rejected(
        write(tmp_path, document),
        "version: Version 2 des Formats „zielwerk-goals“ wird nicht unterstützt; diese "
        "Zielwerk-Version liest nur Version 1.",
    )
    assert "1 Fehler" in report


def test_unknown_format_is_rejected(document, tmp_path):
    document["format"] = "zielwerk-massnahmen"

    assert_rejected(
        write(tmp_path, document, "yaml"),
        'format: unbekanntes Format "zielwerk-massnahmen"; gelesen wird nur „zielwerk-goals“.',
    )


def test_missing_and_empty_titles_are_reported_with_their_path(document, tmp_path):
    del document["fields"][0]["title"]
    document["fields"][0]["strategic_goals"][3]["operative_goals"][1]["title"] = ""

    assert_rejected(
        write(tmp_path, document),
        "fields[0].title: fehlt (Pflichtangabe).",
        "fields[0].strategic_goals[3].operative_goals[1].title: ist zu kurz (mindestens 1 "
        "Zeichen).",
    )


def test_operative_goal_numbers_out_of_order_are_rejected(document, tmp_path):
    operatives = document["fields"][0]["strategic_goals"][2]["operative_goals"]
    operatives[0], operatives[1] = operatives[1], operatives[0]

    assert_rejected(
        write(tmp_path, document, "yaml"),
        "fields[0].strategic_goals[2].operative_goals[0].number: erwartet 1, gefunden 2 – die "
        "Nummern der operativen Ziele beginnen bei 1 und steigen ohne Lücke.",
    )


def test_gaps_in_strategic_goals_and_duplicate_fields_are_rejected(document, tmp_path):
    del document["fields"][0]["strategic_goals"][1]
    document["fields"].append(document["fields"][0])

    assert_rejected(
        write(tmp_path, document),
        "fields[0].strategic_goals[1].number: erwartet 2, gefunden 3",
        "fields[1].number: Handlungsfeld 12 steht schon in fields[0].",
    )


def test_unknown_unit_code_is_rejected(document, tmp_path):
    document["fields"][0]["strategic_goals"][1]["responsible_units"] = ["FB-BD", "GIBT-ES-NICHT"]

    assert_rejected(
        write(tmp_path, document),
        "fields[0].strategic_goals[1].responsible_units[1]: unbekannte Organisationseinheit "
        "„GIBT-ES-NICHT“ (steht weder in organisation_units noch in der Datenbank).",
    )


def test_unit_parent_must_come_first_or_exist(document, tmp_path):
    document["organisation_units"].append(
        {"code": "REF-NEU", "name": "Referat Neu", "kind": "referat", "parent": "FB-NEU"}
    )
    document["organisation_units"].append(
        {"code": "FB-NEU", "name": "Fachbereich Neu", "kind": "fachbereich", "parent": "D1"}
    )

    assert_rejected(
        write(tmp_path, document),
        "organisation_units[8].parent: übergeordnete Einheit „FB-NEU“ steht weder weiter oben "
        "in organisation_units noch in der Datenbank.",
    )


def test_all_errors_are_reported_at_once(document, tmp_path):
    field = document["fields"][0]
    field["title_changed"] = "ja"
    field["leitsatz"] = 42
    field["strategic_goals"][0]["cross_references"].append({"text": "x", "target": 3})
    field["strategic_goals"][4]["operative_goals"][0]["number"] = 0
    field["responsible_units"] = ["REF-NSE", "REF-NSE"]
    document["organisation_units"][0]["kind"] = "amt"
    document["edition"]["name"] = "Ausgabe 2023"

    report = assert_rejected(
        write(tmp_path, document),
        'edition.name: "Ausgabe 2023" enthält unzulässige Zeichen (erlaubt: Buchstaben ohne '
        "Umlaute, Ziffern, - und _).",
        'organisation_units[0].kind: "amt" ist nicht erlaubt; möglich: dezernat, fachbereich, '
        "abteilung, referat, stabsstelle, eigenbetrieb.",
        'fields[0].title_changed: erwartet Wahrheitswert (true/false) oder null, gefunden "ja".',
        "fields[0].leitsatz: erwartet Text, gefunden 42.",
        "fields[0].responsible_units: enthält Einträge doppelt.",
        "fields[0].strategic_goals[0].cross_references[0].target: unbekannter Schlüssel",
        "fields[0].strategic_goals[0].cross_references[0].target_field_number: fehlt",
        "fields[0].strategic_goals[4].operative_goals[0].number: 0 ist zu klein (mindestens 1).",
    )
    assert "10 Fehler" in report


def test_broken_json_names_line_and_column(document, tmp_path):
    path = tmp_path / "ziele.json"
    path.write_text(dump(document, "json").replace('"version": 1,', '"version": 1'))

    assert_rejected(path, "Zeile 4, Spalte 3: kein gültiges JSON – Komma erwartet.")


def test_broken_yaml_names_line_and_column(tmp_path, demo):
    path = tmp_path / "ziele.yml"
    path.write_text("format: zielwerk-goals\nversion: 1\nedition:\n  name: [2023\n")

    assert_rejected(path, "Zeile 5, Spalte 1: kein gültiges YAML")


def test_units_created_before_a_failing_store_are_rolled_back(document, tmp_path):
    document["organisation_units"].append(
        {"code": "REF-NEU", "name": "Referat Neu", "kind": "referat", "parent": "D1"}
    )
    document["fields"][0]["strategic_goals"][0]["responsible_units"] = ["REF-NEU"]

    # Valid document, but without --replace the existing Handlungsfeld 12 stops the import
    # only after the new unit was created.
    assert_rejected(write(tmp_path, document), "enthält Handlungsfeld 12 schon", args=())
    assert not OrgUnit.objects.filter(code="REF-NEU").exists()


def test_missing_file_is_reported(db, tmp_path):
    with pytest.raises(CommandError, match="Datei nicht gefunden"):
        import_file(tmp_path / "fehlt.json")

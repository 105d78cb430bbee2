"""The SEK chapter import on the real seed: structure, exact texts, robustness, errors."""

import dataclasses
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import SEED
from zielwerk.goals.importing import GoalImportError, import_sek_file
from zielwerk.goals.models import CrossReference, Edition, Field, OperativeGoal, StrategicGoal
from zielwerk.goals.queries import find_goal
from zielwerk.goals.sek_parser import SekParseError, parse_chapter

OPERATIVE_CODES = [
    "12.1.1", "12.1.2", "12.1.3",
    "12.2.1", "12.2.2", "12.2.3",
    "12.3.1", "12.3.2", "12.3.3", "12.3.4", "12.3.5", "12.3.6",
    "12.4.1", "12.4.2", "12.4.3", "12.4.4", "12.4.5",
    "12.5.1", "12.5.2", "12.5.3",
]  # fmt: skip

TEXT_12_3_4 = (
    "Kredite werden nur als subsidiäres Finanzierungsinstrument eingesetzt. Unser Ziel ist es, "
    "eine Pro-Kopfverschuldung im Kernhaushalt (einschließlich Eigenbetriebe) von 1.000 EUR "
    "nicht zu überschreiten."
)
TEXT_12_5_2 = (
    "Die Mitarbeitenden der Stadt Ludwigsburg nutzen vielfältige Werkzeuge zur Umsetzung von "
    "Beteiligungsprozessen- und formaten (analog, hybrid, digital). Die Beteiligungsplattform "
    "www.meinlb.de ist mind. [50%] der Bürgerinnen und Bürger als zentrale "
    "Informationsplattform bekannt."
)
TEXT_12_1_2 = (
    "Wir betreiben proaktives Prozessmanagement und prüfen fortlaufend den Aufbau der "
    "Verwaltung, um funktionale Organisationsstrukturen zu schaffen, in denen wir effektiv und "
    "effizient arbeiten können. Wir arbeiten gemeinschaftlich und vernetzt über Dezernats-, "
    "Fachbereichs- und Abteilungsgrenzen hinweg. Ein verwaltungsweiter "
    "Projektmanagementstandard stärkt außerdem das funktions- und hierarchieübergreifende "
    "Arbeiten in Projekten."
)
CROSS_REFERENCE = (
    "Das Thema der Klimavorbildlichen Verwaltung wird als Schnittstellenthema im Handlungsfeld "
    "11 unter dem Strategischen Ziel 1 abgebildet."
)


def test_seed_structure_is_stored_exactly(seed_edition):
    field = Field.objects.get(edition=seed_edition)
    assert field.number == 12
    assert field.title == "Leistungsfähige und lernende Verwaltung"
    assert field.title_changed is True
    assert field.former_title == "00 Innovative Verwaltung"
    assert field.structure_changed is True
    assert field.structure_change_note == "grundlegend"
    assert list(field.feedback.values_list("text", flat=True)) == [
        "Ganzheitliche Betrachtung der Themenfelder Personal, Dienstleistungsangebot, Finanzen, "
        "Nachhaltigkeit und Partizipation",
        "Themenbezogene Abwägung zwischen quantitativen und qualitativen Zielformulierungen",
        "Unsere Ziele und Strategien sollen verständlich und bürgernah formuliert und "
        "kommuniziert werden",
    ]
    assert field.leitsatz.startswith("Wir, als Stadtverwaltung Ludwigsburg sind eine moderne")
    assert field.leitsatz.endswith("Nachhaltigkeitsaspekte in all unserem Handeln.")
    assert [(sg.code, sg.title) for sg in field.strategic_goals.all()] == [
        ("12.1", "Zukunftsorientierte Verwaltungsentwicklung vorantreiben"),
        ("12.2", "Dienstleistungsangebot optimieren"),
        ("12.3", "Generationengerecht haushalten"),
        ("12.4", "Nachhaltiges Verwaltungshandeln leben"),
        ("12.5", "Menschen und Institutionen beteiligen"),
    ]
    goals = OperativeGoal.objects.filter(strategic_goal__field=field).select_related(
        "strategic_goal__field"
    )
    assert [g.code for g in goals.order_by("strategic_goal__number", "number")] == OPERATIVE_CODES


def test_exact_goal_texts(seed_edition):
    goal = find_goal(seed_edition, "12.3.4")
    assert goal.title == "Kredite als subsidiäres Finanzierungsinstrument einsetzen"
    assert goal.text == TEXT_12_3_4
    goal = find_goal(seed_edition, "12.5.2")
    assert goal.title == "Formate und Werkzeuge einsetzen"
    assert goal.text == TEXT_12_5_2
    goal = find_goal(seed_edition, "12.1.2")
    assert goal.title == "Effektive & effiziente Arbeitsstrukturen ausbauen"
    assert goal.text == TEXT_12_1_2
    assert find_goal(seed_edition, "12.3.6").text == (
        "Die städtischen Beteiligungsunternehmen werden mit einer angemessenen "
        "Eigenkapitalquote ausgestattet."
    )


def test_cross_reference_is_kept_apart_from_the_goal_text(seed_edition):
    sg4 = find_goal(seed_edition, "12.4")
    reference = CrossReference.objects.get(strategic_goal=sg4)
    assert reference.text == CROSS_REFERENCE
    assert (reference.target_field_number, reference.target_goal_number) == (11, 1)
    assert "Schnittstellenthema" not in sg4.text
    assert sg4.text.endswith("Generationengerechtigkeit.")
    assert CrossReference.objects.count() == 1


STRUCTURE_WORDS = (
    "Handlungsfeld 12 "
    "Wurde der Titel des Handlungsfeldes geändert? Ja, ehemals "
    "Wurde die Struktur der Ziele geändert? Ja, "
    "Folgende Rückmeldungen von Stadtgesellschaft, Gemeinderat und der Verwaltung waren "
    "besonders relevant und sind in den Zielen berücksichtigt: - - - "
    "Leitsatz des Handlungsfeldes "
    + " ".join(f"Strategisches Ziel {n} - Operative Ziele" for n in range(1, 6))
    + " "
    + " ".join(f"- {code}:" for code in OPERATIVE_CODES)
)


def _words(text: str) -> Counter:
    return Counter(text.split())


def test_no_word_of_the_chapter_is_lost_or_repeated(seed_edition, seed_text):
    """Every word of the seed is either a structural label or in exactly one stored text."""
    field = Field.objects.get(edition=seed_edition)
    stored = [field.title, field.former_title, field.structure_change_note, field.leitsatz]
    stored += list(field.feedback.values_list("text", flat=True))
    for sg in StrategicGoal.objects.filter(field=field):
        stored += [sg.title, sg.text, *sg.cross_references.values_list("text", flat=True)]
        for og in sg.operative_goals.all():
            stored += [og.title, og.text]
    expected = _words(seed_text)
    expected.subtract(_words(STRUCTURE_WORDS))
    assert +expected == _words(" ".join(stored))
    assert -expected == Counter()


def pdf_like(text: str, width: int = 58) -> str:
    """The seed as PDF extraction delivers it: wrapped and hyphenated lines, page numbers with
    blank lines around them, stray and non-breaking spaces, other bullet characters, decomposed
    umlauts, soft hyphens, CRLF line ends."""
    out: list[str] = []
    page = 1
    for raw in text.splitlines():
        line = re.sub(r"^- ", "• ", raw.strip())
        current = ""
        for word in line.split(" ") if line else []:
            if current and len(current) + len(word) + 1 > width:
                if len(word) >= 10 and word.isalpha() and word[4:5].islower():
                    out.append(f"{current} {word[:4]}-  ")
                    current = word[4:]
                else:
                    out.append(current + " ")
                    current = word
            else:
                gap = "  " if len(out) % 7 == 0 else " "
                current = f"{current}{gap}{word}" if current else word
        out.append(current)
        if len(out) >= 40 * page:
            page += 1
            out += ["", f"- {page} -", "", f"Seite {page} von 9", ""]
    messy = "\r\n".join(["", "", *out])
    messy = messy.replace("ä", "a\u0308").replace("Verwaltung", "Verwal\u00adtung")
    return messy.replace("mind. [50%]", "mind.\u00a0[50%]")


def _without_lines(fields):
    data = [dataclasses.asdict(f) for f in fields]

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "line"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(data)


def test_pdf_extraction_leftovers_give_the_same_result(seed_text):
    messy = pdf_like(seed_text)
    assert "- 2 -" in messy and "Seite 2 von 9" in messy and "•" in messy
    assert re.search(r"[a-z]- *\r\n[a-z]", messy), "the text must contain hyphenated breaks"
    assert _without_lines(parse_chapter(messy)) == _without_lines(parse_chapter(seed_text))


def _broken(seed_text: str, old: str, new: str) -> str:
    assert old in seed_text
    return seed_text.replace(old, new, 1)


def _line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_operative_goal_out_of_order_names_line_and_expectation(seed_text):
    text = _broken(seed_text, "- 12.1.3: ", "- 12.1.4: ")
    with pytest.raises(SekParseError) as error:
        parse_chapter(text)
    assert error.value.line == _line_of(text, "12.1.4:")
    assert "Erwartet wurde das operative Ziel 12.1.3, gefunden 12.1.4" in str(error.value)


def test_missing_strategic_goal_heading_is_reported(seed_text):
    text = _broken(seed_text, "Strategisches Ziel 2 - Dienstleistungsangebot optimieren\n", "")
    with pytest.raises(SekParseError) as error:
        parse_chapter(text)
    assert error.value.line == _line_of(text, "- 12.2.1:")
    assert "die Überschrift „Strategisches Ziel 2 - …“ fehlt" in str(error.value)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("Handlungsfeld 12\n", "", "Erwartet wurde die Überschrift „Handlungsfeld <Nummer>“"),
        ("Leitsatz des Handlungsfeldes\n", "", "der Abschnitt „Leitsatz des Handlungsfeldes“"),
        ("geändert? Ja, grundlegend", "geändert? Vielleicht", "„Ja“ oder „Nein“ erwartet"),
        ("Strategisches Ziel 3 -", "Strategisches Ziel 4 -",
         "Erwartet wurde „Strategisches Ziel 3“"),
        ("- 12.3.6: Beteiligungen bedarfsgerecht ausstatten\nDie städtischen",
         "- 12.3.6: X\n\nStrategisches Ziel 4 - Y\nDie städtischen",
         "Zeile 66: Das operative Ziel 12.3.6 hat keinen Text"),
        ("- 12.1.1: ", "- 13.1.1: ",
         "Das operative Ziel 13.1.1 gehört nicht zu Handlungsfeld 12; erwartet wurde 12.1.1"),
    ],
)  # fmt: skip
def test_other_structural_errors(seed_text, old, new, message):
    with pytest.raises(SekParseError, match=re.escape(message)):
        parse_chapter(_broken(seed_text, old, new))


def test_empty_and_truncated_files_are_rejected(seed_text):
    with pytest.raises(SekParseError, match="keine Überschrift „Handlungsfeld"):
        parse_chapter("\n\n")
    truncated = seed_text[: seed_text.index("Operative Ziele\n\n- 12.5.1")]
    with pytest.raises(SekParseError, match=r"12\.5 hat keine operativen Ziele"):
        parse_chapter(truncated)


@pytest.mark.django_db
def test_command_reports_error_and_stores_nothing(tmp_path, seed_text, seed_edition):
    before = (Edition.objects.count(), OperativeGoal.objects.count(), Field.objects.count())
    broken = tmp_path / "kapitel.txt"
    broken.write_text(_broken(seed_text, "- 12.4.5: ", "- 12.4.7: "), encoding="utf-8")
    with pytest.raises(CommandError, match=r"Zeile \d+: Erwartet wurde das operative Ziel 12.4.5"):
        call_command("import_sek", str(broken), "--edition", "neu")
    assert (Edition.objects.count(), OperativeGoal.objects.count(), Field.objects.count()) == before


@pytest.mark.django_db
def test_second_import_into_same_edition_is_refused_unless_replace(seed_edition):
    with pytest.raises(GoalImportError, match="enthält Handlungsfeld 12 schon"):
        import_sek_file(SEED, seed_edition.name)
    assert OperativeGoal.objects.count() == 20
    goal = find_goal(seed_edition, "12.1.1")
    goal.title = "geändert"
    goal.save()
    import_sek_file(SEED, seed_edition.name, replace=True)
    assert find_goal(seed_edition, "12.1.1").title == "Motivierende Organisationskultur stärken"
    assert OperativeGoal.objects.count() == 20


@pytest.mark.django_db
def test_command_imports_the_seed_into_a_new_current_edition(capsys):
    call_command("import_sek", str(SEED), "--edition", "2023", "--title", "SEK Ludwigsburg")
    out = capsys.readouterr().out
    assert (
        "Handlungsfeld 12 „Leistungsfähige und lernende Verwaltung“: 5 strategische Ziele, 20 "
        "operative Ziele" in out
    )
    edition = Edition.objects.get(name="2023")
    assert edition.title == "SEK Ludwigsburg" and edition.is_current


def test_console_command_exits_non_zero_on_a_broken_file(tmp_path, seed_text):
    broken = tmp_path / "kapitel.txt"
    broken.write_text(_broken(seed_text, "- 12.2.2: ", "- 12.2.5: "), encoding="utf-8")
    zielwerk = Path(sys.executable).with_name("zielwerk")
    env = {**os.environ, "ZIELWERK_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [str(zielwerk), "import-sek", str(broken), "--edition", "x"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Erwartet wurde das operative Ziel 12.2.2, gefunden 12.2.5" in result.stderr
    assert f"Zeile {_line_of(broken.read_text(encoding='utf-8'), '12.2.5')}" in result.stderr


def test_shipped_seed_equals_the_shared_seed():
    shipped = Path(__file__).resolve().parents[1] / "zielwerk/goals/data/ludwigsburg-hf12.txt"
    assert shipped.read_bytes() == SEED.read_bytes()

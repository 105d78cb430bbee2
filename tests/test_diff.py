"""Comparing two editions: a second edition is made from the seed chapter by known edits."""

import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.diff_support import (
    NEW_TITLE_1_2,
    edited_chapter,
)
from zielwerk.cli import main
from zielwerk.goals.diff import (
    Change,
    DiffChunk,
    GoalVersion,
    Level,
    compare_editions,
    compare_goals,
    word_diff,
)
from zielwerk.goals.importing import store_fields
from zielwerk.goals.sek_parser import parse_chapter
from zielwerk.org.models import Person


@pytest.fixture
def editions(seed_edition, seed_text):
    new = store_fields(parse_chapter(edited_chapter(seed_text)), "2025").edition
    return seed_edition, new


def codes(goals) -> list[str]:
    return [g.code for g in goals]


def moves(matches) -> list[tuple[str, str]]:
    return [(m.old.code, m.new.code) for m in matches]


def test_service_reports_exactly_the_edits(editions, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        diff = compare_editions(*editions)

    assert codes(diff.added) == ["12.5.4"]
    assert codes(diff.removed) == ["12.4.2"]
    assert moves(diff.with_change(Change.RENAMED)) == [("12.1.2", "12.1.2")]
    assert diff.with_change(Change.RENAMED)[0].new.title == NEW_TITLE_1_2
    [reworded] = diff.with_change(Change.REWORDED)
    assert (reworded.old.code, reworded.new.code) == ("12.2.1", "12.2.1")
    assert 0.6 < reworded.similarity < 1
    [moved] = diff.with_change(Change.MOVED)
    assert (moved.old.code, moved.new.code) == ("12.2.3", "12.3.7")
    assert moved.changes == (Change.MOVED,)
    assert moved.new.parent_code == "12.3"
    assert moves(diff.with_change(Change.RENUMBERED)) == [
        ("12.4.3", "12.4.2"),
        ("12.4.4", "12.4.3"),
        ("12.4.5", "12.4.4"),
    ]
    # The field and its 5 strategic goals, and 20 - 7 touched operative goals.
    assert len(diff.unchanged) == 1 + 5 + 13
    assert diff.counts() == {
        "added": 1,
        "removed": 1,
        "renamed": 1,
        "reworded": 1,
        "moved": 1,
        "renumbered": 3,
        "unchanged": 19,
    }


def test_same_edition_is_unchanged(seed_edition):
    diff = compare_editions(seed_edition, seed_edition)
    assert len(diff.unchanged) == 26
    assert not (diff.added or diff.removed)


def goal(level, key, code, title, text, parent_key=None, parent_code=""):
    return GoalVersion(level, key, code, title, text, parent_key, parent_code)


def test_same_code_with_other_content_is_removed_and_added():
    old = [goal(Level.FIELD, 1, "3", "Wohnen", "Bezahlbarer Wohnraum für alle Generationen")]
    new = [goal(Level.FIELD, 2, "3", "Mobilität", "Sichere Radwege und ein dichter Busverkehr")]
    diff = compare_goals(old, new)
    assert (codes(diff.removed), codes(diff.added), diff.matched) == (["3"], ["3"], [])


def test_strategic_goal_moved_to_another_field():
    text = "Wir sichern Kita-Plätze für alle Kinder wohnortnah und in guter Qualität."
    old = [
        goal(Level.FIELD, 1, "4", "Bildung", "Bildung für alle"),
        goal(Level.FIELD, 2, "5", "Familie", "Familien stärken"),
        goal(Level.STRATEGIC, 10, "4.2", "Kinderbetreuung ausbauen", text, 1, "4"),
    ]
    new = [
        goal(Level.FIELD, 3, "4", "Bildung", "Bildung für alle"),
        goal(Level.FIELD, 4, "5", "Familie", "Familien stärken"),
        goal(Level.STRATEGIC, 11, "5.1", "Kinderbetreuung ausbauen", text, 4, "5"),
    ]
    diff = compare_goals(old, new)
    [moved] = diff.with_change(Change.MOVED)
    assert (moved.old.code, moved.new.code, moved.changes) == ("4.2", "5.1", (Change.MOVED,))


def test_matching_scales_to_hundreds_of_goals():
    """300 goals, all renumbered by one: each is still found by its text."""
    old = [
        goal(Level.OPERATIVE, i, f"1.1.{i}", f"Ziel {i}", f"Maßnahme m{i} für Bereich b{i} x{i}")
        for i in range(1, 301)
    ]
    new = [
        goal(Level.OPERATIVE, 1000 + i, f"1.1.{i + 1}", g.title, g.text)
        for i, g in enumerate(old, start=1)
    ]
    diff = compare_goals(old, new)
    assert len(diff.with_change(Change.RENUMBERED)) == 300
    assert all(m.old.title == m.new.title for m in diff.matched)


def test_word_diff_marks_deleted_and_inserted_words():
    assert word_diff("Wir bauen schnell  neue Wege", "Wir bauen sichere neue Wege aus") == [
        DiffChunk("equal", "Wir bauen"),
        DiffChunk("delete", "schnell"),
        DiffChunk("insert", "sichere"),
        DiffChunk("equal", "neue Wege"),
        DiffChunk("insert", "aus"),
    ]


def test_cli_text_output(editions, capsys):
    main(["zielwerk", "diff-editions", "2023", "2025"])
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "~ 12.1.2 umbenannt: „Effektive & effiziente Arbeitsstrukturen ausbauen“ → "
        f"„{NEW_TITLE_1_2}“",
        lines[1],
        "→ 12.2.3 verschoben nach 12.3.7 (unter Strategischem Ziel 12.3)",
        "- 12.4.2 Akteursgruppen der Nachhaltigkeit vernetzen (entfallen)",
        "~ 12.4.3 umnummeriert zu 12.4.2",
        "~ 12.4.4 umnummeriert zu 12.4.3",
        "~ 12.4.5 umnummeriert zu 12.4.4",
        "+ 12.5.4 Jugendbeteiligung verankern (neu)",
        "Zusammenfassung: 1 neu, 1 entfallen, 1 umbenannt, 1 umformuliert, 1 verschoben, "
        "3 umnummeriert, 19 unverändert",
    ]
    assert re.fullmatch(r"~ 12\.2\.1 umformuliert \(Ähnlichkeit \d\d %\)", lines[1])


def test_cli_json_output(editions, capsys):
    call_command("diff_editions", "2023", "2025", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert (data["old_edition"], data["new_edition"]) == ("2023", "2025")
    assert data["summary"]["renumbered"] == 3
    assert data["added"] == [
        {
            "level": "operative",
            "code": "12.5.4",
            "title": "Jugendbeteiligung verankern",
            "parent": "12.5",
        }
    ]
    moved = next(c for c in data["changed"] if c["changes"] == ["moved"])
    assert (moved["old"]["code"], moved["new"]["code"]) == ("12.2.3", "12.3.7")


def test_cli_unknown_edition_lists_existing(seed_edition):
    with pytest.raises(
        CommandError, match=r"Unbekannte Ausgabe „1999“\. Vorhandene Ausgaben: 2023\."
    ):
        call_command("diff_editions", "1999", "2023")


def test_page_defaults_to_newest_editions(editions, client):
    response = client.get(reverse("edition-diff"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_a">' in html and '<select name="b"' in html
    assert html.count('<option value="2025" selected>') == 1
    for heading in (
        "Neu (1)",
        "Entfallen (1)",
        "Umbenannt (1)",
        "Umformuliert (1)",
        "Verschoben (1)",
        "Umnummeriert (3)",
    ):
        assert heading in html
    added_url = reverse("edition-goal", kwargs={"edition": "2025", "code": "12.5.4"})
    assert f'<a href="{added_url}"><span class="code">12.5.4</span>Jugendbeteiligung' in html
    assert (
        "So <del>werden die Bürgeranliegen schnell</del> "
        "<ins>bearbeiten wir Anliegen aus der Bürgerschaft zügig</ins> "
        "und <del>effizient bearbeitet.</del> <ins>verlässlich.</ins> Externe"
    ) in html


def test_page_unpublished_edition_only_for_staff(editions, client, django_user_model):
    _, new = editions
    new.is_published = False
    new.save()
    url = reverse("edition-diff") + "?a=2023&b=2025"
    response = client.get(url)
    assert response.status_code == 200
    assert "Umbenannt" not in response.content.decode()
    assert '<option value="2025"' not in response.content.decode()

    staff = django_user_model.objects.create_user("redaktion", is_staff=True)
    Person.objects.create(user=staff, role=Person.Role.VIEWER)
    client.force_login(staff)
    assert "Umbenannt (1)" in client.get(url).content.decode()


def test_page_with_one_edition_asks_for_a_second(seed_edition, client):
    html = client.get(reverse("edition-diff")).content.decode()
    assert "mindestens zwei Ausgaben" in html
    assert "errorlist" not in html and "Zusammenfassung" not in html

"""Search over the goals and indicators of the current edition: words, numbers, German
spelling, AND of several words, marked matches; the page in German and English."""

import re

import pytest

from tests.conftest import SEED
from zielwerk.goals.importing import import_sek_file
from zielwerk.goals.queries import find_goal
from zielwerk.indicators.models import Indicator
from zielwerk.report.search import excerpt, fold, highlight, search, spans, words

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(seed_edition):
    """The seed chapter, plus an indicator of 12.3.4 and one outside the edition."""
    debt = Indicator.objects.create(
        code="12-3-4-verschuldung",
        name="Verschuldung je Einwohner",
        definition="Schulden des Kernhaushalts am 31.12. geteilt durch die Einwohnerzahl.",
        direction="decrease",
    )
    debt.operative_goals.add(find_goal(seed_edition, "12.3.4"))
    Indicator.objects.create(code="ohne-ziel", name="Verschuldung ohne Ziel", direction="increase")
    return seed_edition


def found(client, query: str, prefix: str = "") -> tuple[str, list[str]]:
    """The page and the addresses of its hits, in order."""
    response = client.get(f"{prefix}/suche/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    results = html.split("<h1>", 1)[1]
    return html, re.findall(r'<li(?: lang="de")?><a href="([^"]+)"', results)


def test_a_word_finds_goals_and_indicators_with_marked_matches(edition, client):
    html, links = found(client, "Verschuldung")
    # The indicator outside the edition is not found.
    assert links == ["/ziele/12.3.4/", "/indikatoren/12-3-4-verschuldung/"]
    assert "<mark>Verschuldung</mark> je Einwohner" in html
    assert "2 Treffer für „Verschuldung“" in html
    html, links = found(client, "kredite")
    assert "/ziele/12.3.4/" in links and "<mark>Kredite</mark>" in html
    assert '<h2 id="results-operative">Operative Ziele' in html


def test_a_goal_number_puts_that_goal_first(edition, client):
    html, links = found(client, "12.3.4")
    assert "Ziel mit dieser Nummer:" in html
    assert links[0] == "/ziele/12.3.4/"
    first = html.split("Ziel mit dieser Nummer:", 1)[1]
    assert first.split("</a>", 1)[0].endswith(
        "Kredite als subsidiäres Finanzierungsinstrument einsetzen"
    )


def test_german_spelling_is_folded(edition, client):
    html, links = found(client, "strasse")
    assert "/ziele/12.3.2/" in links and "<mark>Straße</mark>n" in html
    for query in ("buergerbeteiligung", "Burgerbeteiligung", "BÜRGERBETEILIGUNG"):
        html, links = found(client, query)
        assert "/ziele/12.5.1/" in links, query
        assert "<mark>Bürgerbeteiligung</mark>" in html


def test_several_words_must_all_occur(edition, client):
    _, participation = found(client, "Beteiligung")
    _, municipal = found(client, "städtischen")
    _, both = found(client, "beteiligung STÄDTISCHEN")
    assert len(participation) > 3 and len(municipal) > 1
    assert both == ["/ziele/12.3.6/"]
    html, links = found(client, "Beteiligung Raumfahrt")
    assert links == []
    assert "Zu „Beteiligung Raumfahrt“ wurde nichts gefunden." in html
    assert "Versuchen Sie weniger oder kürzere Wörter" in html


def test_empty_query_shows_the_form_only(edition, client):
    html, links = found(client, "  ")
    assert links == [] and "Treffer" not in html and "nichts gefunden" not in html
    assert '<label for="search-query">' in html and 'name="q"' in html


def test_english_search_page(edition, client):
    html, links = found(client, "strasse", prefix="/en")
    assert '<html lang="en">' in html
    assert "/en/ziele/12.3.2/" in links
    assert '<li lang="de">' in html  # the goal texts are German


def test_only_the_current_edition_is_searched(edition, client):
    older = import_sek_file(SEED, "alt", edition_title="Alt").edition
    assert not older.is_current
    html, links = found(client, "12.3.4")
    assert links[0] == "/ziele/12.3.4/"
    assert "/ausgaben/alt/" not in html


def test_search_matches_text_of_the_current_edition_in_python(edition):
    result = search(edition, "Verschuldung 31.12.")
    assert [hit.item.code for group in result.groups for hit in group.hits] == [
        "12-3-4-verschuldung"
    ]
    assert result.terms == ["Verschuldung", "31.12"]


def test_folding_and_marking_keep_the_original_text():
    assert fold("Straße Bürger Café") == "strasse buerger cafe"
    assert fold("Bürger", umlaut_e=False) == "burger"
    assert words("„Straße“, 12.3.4.  (Bürger)") == ["Straße", "12.3.4", "Bürger"]
    text = "Größe der Straßenfläche"
    found = spans(text, ["strassen", "GROESSE"])
    assert [text[a:b] for a, b in found] == ["Größe", "Straßen"]
    # A decomposed accent folds to nothing; the positions after it stay right.
    decomposed = "Cafe\u0301 und Straße"
    assert [decomposed[a:b] for a, b in spans(decomposed, ["strasse", "cafe"])] == [
        "Cafe\u0301",
        "Straße",
    ]
    assert highlight("<b>Straße</b>", spans("<b>Straße</b>", ["strasse"])) == (
        "&lt;b&gt;<mark>Straße</mark>&lt;/b&gt;"
    )


def test_a_long_text_is_cut_around_its_first_match():
    text = "Anfang " + "Füllwort " * 40 + "Treffer " + "Nachsatz " * 40 + "Ende"
    shown = excerpt(text, spans(text, ["treffer"]))
    assert shown.startswith("… ") and shown.endswith(" …")
    assert "<mark>Treffer</mark>" in shown and "Anfang" not in shown and "Ende" not in shown

"""English content: English texts where staff wrote them, otherwise the German text marked as
German; in the public pages, the staff pages, the exchange format, the API and the translation
file of the demo."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from django.utils import translation
from django.utils.translation import gettext

from zielwerk.demo import TRANSLATIONS_FILE
from zielwerk.goals.exchange import dump, export_edition, import_document, validate
from zielwerk.goals.models import Edition, OperativeGoal
from zielwerk.goals.queries import find_goal
from zielwerk.goals.translations import TranslationError, load_translations, store_translations
from zielwerk.indicators.models import Indicator
from zielwerk.measures.models import Measure

TITLE_DE = "Kredite als subsidiäres Finanzierungsinstrument einsetzen"
TITLE_EN = "Use loans as a subsidiary financing instrument"
TEXT_DE = "Kredite werden nur als subsidiäres Finanzierungsinstrument eingesetzt."
TEXT_EN = "Loans are only used as a subsidiary financing instrument."
GOALS_CHANGELIST = "/verwaltung/goals/operativegoal/"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class LanguageOfText(HTMLParser):
    """Each piece of text in <main> with the language it is marked with (nearest lang)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.texts: list[tuple[str, str]] = []
        self.title = ""

    def language(self) -> str:
        return next(lang for _tag, lang in reversed(self.stack) if lang)

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        tags = [tag for tag, _lang in self.stack]
        if "title" in tags:
            self.title += data
        elif "main" in tags and data.strip():
            self.texts.append((self.language(), " ".join(data.split())))


def read(response) -> LanguageOfText:
    assert response.status_code == 200
    page = LanguageOfText()
    page.feed(response.content.decode())
    return page


def language_of(page: LanguageOfText, text: str) -> str:
    """The language of every text node that contains text; fails when there is none or when
    they differ."""
    [language] = {lang for lang, data in page.texts if text in data}
    return language


def german_only() -> str:
    with translation.override("en"):
        return f"({gettext('nur auf Deutsch')})"


@pytest.fixture
def translated(seed_edition) -> Edition:
    """The seed edition with the English texts of the demo."""
    load_translations(seed_edition, TRANSLATIONS_FILE)
    return seed_edition


# --- public pages ---------------------------------------------------------------------------


def test_english_page_shows_the_english_texts(translated, client):
    page = read(client.get("/en/ziele/12.3.4/"))

    assert language_of(page, TITLE_EN) == "en"
    assert language_of(page, TEXT_EN) == "en"
    assert language_of(page, "Budget fairly across generations") == "en"  # the parent goal
    assert TITLE_EN in page.title
    assert not [data for data in page.texts if TITLE_DE in data or TEXT_DE in data]
    assert german_only() not in [data for _lang, data in page.texts]

    field = read(client.get("/en/handlungsfelder/12/"))
    assert language_of(field, "We, the city administration of Ludwigsburg") == "en"
    assert language_of(field, "The topic of the administration as a climate role model") == "en"
    # Feedback from the city's dialogue has no English version: German, and said so.
    assert language_of(field, "Ganzheitliche Betrachtung der Themenfelder") == "de"


def test_missing_translation_falls_back_to_german_marked_as_german(translated, client):
    store_translations(translated, {"12.3.4": {"text": ""}, "12.3.5": {"title": ""}})

    response = client.get("/en/ziele/12.3.4/")
    page = read(response)

    assert language_of(page, TITLE_EN) == "en"
    assert language_of(page, TEXT_DE) == "de"
    html = response.content.decode()
    assert f'<div lang="de"><p>{TEXT_DE}' in html
    assert f'</div><p class="lang-note">{german_only()}</p>' in html
    # In a list the fallback is marked inline, next to the German title.
    listing = read(client.get("/en/ziele/12.3/"))
    texts = [data for _lang, data in listing.texts]
    title = texts.index("Verlässliche Liquiditätsreserven schaffen")
    assert language_of(listing, "Verlässliche Liquiditätsreserven schaffen") == "de"
    assert texts[title + 1] == german_only()
    assert language_of(listing, german_only()) == "en"


def test_german_pages_always_show_german(translated, client):
    for url in ("/ziele/12.3.4/", "/ziele/12.3/", "/handlungsfelder/12/", "/"):
        response = client.get(url)
        page = read(response)
        assert {lang for lang, _data in page.texts} == {"de"}, url
        html = response.content.decode()
        assert TITLE_EN not in html and "lang-note" not in html, url
    assert language_of(read(client.get("/ziele/12.3.4/")), TEXT_DE) == "de"


def test_indicator_and_measure_texts_in_both_languages(demo, client):
    indicator = Indicator.objects.get(operative_goals=find_goal(demo.edition, "12.3.4"))
    indicator.name_en = "Debt per inhabitant including municipal enterprises"
    indicator.save()
    measure = Measure.objects.get(number="M-12-01")
    measure.title_en = "Introduce a project management standard"
    measure.save()
    report = measure.status_reports.filter(is_public=True).first()
    report.text_en = "The standard is in use in three pilot projects."
    report.save()

    goal_page = read(client.get("/en/ziele/12.3.4/"))
    assert language_of(goal_page, indicator.name_en) == "en"
    assert language_of(goal_page, indicator.definition[:40]) == "de"  # no English definition
    assert language_of(goal_page, indicator.unit) == "de"

    measure_page = read(client.get("/en/massnahmen/M-12-01/"))
    assert language_of(measure_page, measure.title_en) == "en"
    assert language_of(measure_page, report.text_en) == "en"
    assert language_of(measure_page, measure.description[:40]) == "de"
    listing = read(client.get("/en/massnahmen/"))
    assert language_of(listing, measure.title_en) == "en"
    assert language_of(listing, "Online-Terminvergabe in den Bürgerdiensten") == "de"
    german = read(client.get("/massnahmen/M-12-01/"))
    assert language_of(german, measure.title) == "de"
    assert not [data for _lang, data in german.texts if measure.title_en in data]


# --- staff pages ----------------------------------------------------------------------------


def test_admin_saves_english_texts_and_lists_missing_ones(demo, client, login):
    goal = find_goal(demo.edition, "12.3.4")
    login("strategie")
    page = client.get(f"{GOALS_CHANGELIST}{goal.pk}/change/").content.decode()
    assert "Englische Fassung" in page and 'name="text_en"' in page

    response = client.post(
        f"{GOALS_CHANGELIST}{goal.pk}/change/",
        {
            "strategic_goal": goal.strategic_goal_id,
            "number": goal.number,
            "title": goal.title,
            "title_en": "Borrow only where nothing else pays",
            "text": goal.text,
            "text_en": "",
            "responsible_units": [u.pk for u in goal.responsible_units.all()],
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    goal.refresh_from_db()
    assert (goal.title, goal.title_en, goal.text_en) == (
        TITLE_DE,
        "Borrow only where nothing else pays",
        "",
    )
    delta = goal.history.latest().diff_against(goal.history.latest().prev_record)
    assert {change.field for change in delta.changes} == {"title_en", "text_en"}
    missing = client.get(GOALS_CHANGELIST, {"englisch": "fehlt"}).context["cl"]
    assert [g.code for g in missing.result_list] == ["12.3.4"]
    complete = client.get(GOALS_CHANGELIST, {"englisch": "vollstaendig"}).context["cl"]
    assert complete.result_count == OperativeGoal.objects.count() - 1
    indicators = client.get("/verwaltung/indicators/indicator/", {"englisch": "fehlt"})
    assert indicators.context["cl"].result_count == Indicator.objects.count()


# --- exchange format ------------------------------------------------------------------------


def test_exchange_round_trip_keeps_the_english_texts(translated):
    store_translations(translated, {"12.4": {"cross_references": ["See field of action 11."]}})
    document = export_edition(translated)
    operative = document["fields"][0]["strategic_goals"][2]["operative_goals"][3]
    assert list(operative) == [
        "number",
        "title",
        "title_en",
        "text",
        "text_en",
        "responsible_units",
    ]
    assert operative["title_en"] == TITLE_EN
    reference = document["fields"][0]["strategic_goals"][3]["cross_references"][0]
    assert reference["text_en"] == "See field of action 11."
    assert validate(document) == []

    import_document(document, "kopie")

    copy = export_edition(Edition.objects.get(name="kopie"))
    assert dump(copy, "json") == dump({**document, "edition": copy["edition"]}, "json")
    import_document(json.loads(dump(copy, "json")), "kopie", replace=True)
    assert dump(export_edition(Edition.objects.get(name="kopie")), "yaml") == dump(copy, "yaml")


def test_exchange_leaves_out_empty_english_and_checks_its_length(seed_edition):
    document = export_edition(seed_edition)
    assert "_en" not in dump(document, "json")

    goal = document["fields"][0]["strategic_goals"][0]
    goal["title_en"] = "x" * 301
    goal["text_en"] = 5
    assert validate(document) == [
        "fields[0].strategic_goals[0].title_en: ist zu lang (301 Zeichen, höchstens 300).",
        "fields[0].strategic_goals[0].text_en: erwartet Text, gefunden 5.",
    ]


# --- API ------------------------------------------------------------------------------------


def test_api_reads_and_writes_the_english_fields(translated, client, django_user_model):
    response = client.get("/api/v1/operative-goals/12.3.4/")
    assert (response.json()["title_en"], response.json()["text_en"][:57]) == (TITLE_EN, TEXT_EN)
    assert client.get("/api/v1/fields/12/").json()["title_en"] == (
        "High-performing and learning administration"
    )
    reference = client.get("/api/v1/strategic-goals/12.4/").json()["cross_references"][0]
    assert reference["text_en"].startswith("The topic of the administration")

    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    response = client.patch(
        "/api/v1/operative-goals/12.3.4/",
        {"text_en": "Loans only where nothing else pays."},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    goal = find_goal(translated, "12.3.4")
    assert (goal.title_en, goal.text_en) == (TITLE_EN, "Loans only where nothing else pays.")


def test_api_of_indicators_and_measures_has_the_english_fields(demo, client):
    indicator = client.get("/api/v1/indicators/").json()["results"][0]
    assert {"name_en", "definition_en", "unit_en"} <= set(indicator)
    measure = client.get("/api/v1/measures/M-12-01/").json()
    assert {"title_en", "description_en", "status_text_en"} <= set(measure)
    assert "text_en" in measure["latest_report"]


# --- translation file -----------------------------------------------------------------------


def test_translation_file_covers_the_seed_chapter(translated):
    goals = OperativeGoal.objects.filter(strategic_goal__field__edition=translated)
    assert goals.count() == 20
    assert not goals.filter(title_en="").exists() and not goals.filter(text_en="").exists()
    # Loading again changes nothing and writes no history.
    history = OperativeGoal.history.count()
    assert load_translations(translated, TRANSLATIONS_FILE) == 0
    assert OperativeGoal.history.count() == history
    assert "unofficial translation" in TRANSLATIONS_FILE.read_text(encoding="utf-8")


def test_unknown_codes_and_keys_are_reported_and_nothing_is_stored(translated, tmp_path):
    before = dump(export_edition(translated), "json")
    path = tmp_path / "fehler.yaml"
    path.write_text(
        '"12.3.4":\n  title: Changed\n'
        '"12.9":\n  title: No such goal\n'
        '"13":\n  title: No such field\n'
        '"12.1":\n  leitsatz: Only fields have one\n'
        '"12.4":\n  cross_references: [One, Two]\n',
        encoding="utf-8",
    )

    with pytest.raises(TranslationError) as raised:
        load_translations(translated, path)

    assert raised.value.errors == [
        "fehler.yaml: 12.9: kein Handlungsfeld und kein Ziel mit dieser Nummer in der Ausgabe "
        "„2023“.",
        "fehler.yaml: 13: kein Handlungsfeld und kein Ziel mit dieser Nummer in der Ausgabe "
        "„2023“.",
        "fehler.yaml: 12.1.leitsatz: unbekannter Schlüssel (erlaubt: title, text, "
        "cross_references).",
        "fehler.yaml: 12.4.cross_references: 2 Texte, das Ziel hat aber nur 1 Querverweise.",
    ]
    assert dump(export_edition(translated), "json") == before

    path.write_text('"12.3.4":\n  title: [unclosed\n', encoding="utf-8")
    with pytest.raises(TranslationError) as raised:
        load_translations(translated, path)
    [error] = raised.value.errors
    assert error.startswith("fehler.yaml, Zeile 3, Spalte 1: kein gültiges YAML")
    assert dump(export_edition(translated), "json") == before


def test_german_only_texts_are_marked_on_english_pages(demo, client):
    from zielwerk.indicators.models import Indicator

    indicator = Indicator.objects.get(code="12-1-2-pm-standard")
    wording = indicator.targets.get(is_current=True).wording
    english = client.get(f"/en/indikatoren/{indicator.code}/").content.decode()
    marked = f'<span lang="de">{wording}</span> <span class="lang-note">(German only)</span>'
    assert marked in english
    home = client.get("/en/").content.decode()
    assert '<h1><span lang="de">' in home
    german = client.get(f"/indikatoren/{indicator.code}/").content.decode()
    assert wording in german and 'lang="de">' + wording not in german


def test_unit_names_and_status_words_are_marked_german_on_english_pages(demo, client):
    english = client.get("/en/massnahmen/M-12-04/").content.decode()
    assert '<dd><span lang="de">in Umsetzung</span></dd>' in english
    german = client.get("/massnahmen/M-12-04/").content.decode()
    assert "<dd>in Umsetzung</dd>" in german

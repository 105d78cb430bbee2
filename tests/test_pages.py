"""Public pages of the goal system, in German and English."""

import re
from html.parser import HTMLParser

import pytest

from tests.conftest import SEED
from zielwerk.goals.importing import import_sek_file
from zielwerk.goals.models import Edition
from zielwerk.goals.queries import find_goal

pytestmark = pytest.mark.django_db


class Outline(HTMLParser):
    """Collects what a screen-reader user navigates by: landmarks, headings, links, lang."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.lang = None
        self.links: list[str] = []
        self.h1: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "a":
            self.links.append(attrs.get("href", ""))
        if tag == "h1":
            self._in_h1 = True
            self.h1.append("")

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1[-1] += data


def outline(response) -> Outline:
    assert response.status_code == 200
    parser = Outline()
    parser.feed(response.content.decode())
    assert parser.tags.count("main") == 1 and "header" in parser.tags and "footer" in parser.tags
    assert len(parser.h1) == 1
    assert parser.links[0] == "#main"  # skip link comes first
    return parser


def test_start_page_lists_the_fields_of_the_current_edition(demo, client):
    page = outline(client.get("/"))
    assert page.lang == "de"
    assert page.h1 == ["Stadtentwicklungskonzept Ludwigsburg"]
    assert "/handlungsfelder/12/" in page.links


def test_field_page_shows_leitsatz_and_all_goals(demo, client):
    response = client.get("/handlungsfelder/12/")
    page = outline(response)
    html = response.content.decode()
    assert "Wir, als Stadtverwaltung Ludwigsburg sind eine moderne Arbeitgeberin" in html
    assert "ehemals „00 Innovative Verwaltung“" in html
    goal_links = sorted({link for link in page.links if link.startswith("/ziele/")})
    assert len([link for link in goal_links if link.count(".") == 1]) == 5
    assert len([link for link in goal_links if link.count(".") == 2]) == 20
    assert "Schnittstellenthema im Handlungsfeld 11" in html


def test_every_goal_has_a_stable_page(demo, client):
    page = outline(client.get("/ziele/12.3.4/"))
    assert page.h1 == ["12.3.4Kredite als subsidiäres Finanzierungsinstrument einsetzen"]
    assert "/ziele/12.3/" in page.links
    page = outline(client.get("/ziele/12.5/"))
    assert page.h1 == ["12.5Menschen und Institutionen beteiligen"]
    assert client.get("/ziele/12/").status_code == 200
    assert client.get("/ziele/12.9.9/").status_code == 404
    assert client.get("/ziele/99/").status_code == 404


def test_english_pages_translate_the_interface(demo, client):
    response = client.get("/en/ziele/12.3.4/")
    page = outline(response)
    html = response.content.decode()
    assert page.lang == "en"
    assert "Skip to content" in html and "Operative goal" in html
    assert "/en/ziele/12.3/" in page.links
    # The demo carries (unofficial) English goal texts; German ones stay off the English page.
    assert "Loans are only used as a subsidiary financing instrument." in html
    assert "subsidiäres Finanzierungsinstrument" not in html


def test_language_switch_is_a_link_to_the_same_page(demo, client):
    german = outline(client.get("/ziele/12.3.4/"))
    assert "/en/ziele/12.3.4/" in german.links
    english = client.get("/en/massnahmen/?priority=1")
    assert 'href="/massnahmen/?priority=1" lang="de" hreflang="de">Deutsch</a>' in (
        english.content.decode()
    )
    # No form and no cookie: the page can be cached and exported as it is.
    assert not english.cookies


def test_older_editions_stay_reachable_and_unpublished_ones_stay_private(demo, client, login):
    import_sek_file(SEED, "entwurf", edition_title="Entwurf")
    draft = Edition.objects.get(name="entwurf")
    draft.is_published = False
    draft.save()
    assert not draft.is_current
    assert client.get("/ausgaben/entwurf/ziele/12.3.4/").status_code == 404
    assert "entwurf" not in client.get("/ausgaben/").content.decode()
    login("strategie")
    page = outline(client.get("/ausgaben/entwurf/ziele/12.3.4/"))
    assert "/ausgaben/entwurf/ziele/12.3/" in page.links
    draft.is_published = True
    draft.save()
    client.logout()
    assert client.get("/ausgaben/entwurf/handlungsfelder/12/").status_code == 200
    assert "entwurf" in client.get("/ausgaben/").content.decode()
    # The short addresses keep meaning the current edition.
    assert find_goal(demo.edition, "12.3.4").strategic_goal.field.edition.is_current


def test_empty_installation_explains_what_to_do(db, client):
    response = client.get("/")
    assert response.status_code == 200
    assert "zielwerk import-sek" in response.content.decode()


def test_login_page_and_demo_login(demo, client):
    page = outline(client.get("/anmelden/"))
    assert page.h1 == ["Anmelden"]
    response = client.post("/anmelden/", {"username": "finanzen", "password": "zielwerk-demo"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert re.search(r"Abmelden \(finanzen\)", html)
    wrong = client.post("/anmelden/", {"username": "finanzen", "password": "falsch"})
    assert wrong.status_code == 200
    assert "Bitte Benutzername und Passwort eingeben" in wrong.content.decode()


def test_cross_reference_links_to_the_other_field_when_it_exists(demo, client, tmp_path):
    html = client.get("/ziele/12.4/").content.decode()
    assert "Schnittstellenthema im Handlungsfeld 11" in html
    assert 'href="/ziele/11.1/"' not in html  # Handlungsfeld 11 is not in this edition
    chapter = tmp_path / "hf11.txt"
    chapter.write_text(
        "Handlungsfeld 11\nKlima\n\nLeitsatz des Handlungsfeldes\nWir schützen das Klima.\n\n"
        "Strategisches Ziel 1 - Klimavorbildliche Verwaltung\nDie Verwaltung geht voran.\n\n"
        "Operative Ziele\n- 11.1.1: Strom sparen\nWir sparen Strom.\n",
        encoding="utf-8",
    )
    import_sek_file(chapter, demo.edition.name)
    html = client.get("/ziele/12.4/").content.decode()
    assert 'href="/ziele/11.1/"' in html
    assert client.get("/ziele/11.1/").status_code == 200


def test_numbers_are_rounded_not_cut():
    from django.utils import translation

    from zielwerk.report.templatetags.status_tags import number

    with translation.override("de"):
        assert number(99.96, 1) == "100,0"
        assert number(1234.5678, 2) == "1.234,57"
    with translation.override("en"):
        assert number(0.96999, 2) == "0.97"

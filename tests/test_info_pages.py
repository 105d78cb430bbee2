"""The accessibility statement with its feedback form, and the explanation in Leichte Sprache
(Easy Read on English pages)."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from tests.test_pages import outline

pytestmark = pytest.mark.django_db

CITY = {
    "organisation": "Stadt Musterhausen",
    "contact_name": "Referat Digitales, Frau Muster",
    "contact_email": "barrierefreiheit@musterhausen.invalid",
    "contact_phone": "0711 000000",
    "contact_address": "Marktplatz 1\n70000 Musterhausen",
    "enforcement_name": "Schlichtungsstelle beim Landeszentrum",
    "enforcement_address": "Musterstraße 6\n70000 Stuttgart",
    "enforcement_email": "schlichtung@landeszentrum.invalid",
    "enforcement_url": "https://landeszentrum.invalid/schlichtung",
    "compliance": "partial",
    "method": "self_assessment",
    "assessor": "",
    "statement_date": "2025-03-15",
    "review_date": "2025-09-01",
    "known_issues": [
        {
            "content": "Diagramme der Zeitreihen",
            "reason": "Die Werte stehen zusätzlich in Tabellen.",
            "alternative": "Wertetabelle unter jedem Diagramm",
        }
    ],
    "privacy_url": "https://musterhausen.invalid/datenschutz",
}
VALID = {
    "message": "Der Knopf „English“ ist mit der Tastatur schwer zu finden.",
    "page": "/ziele/12.3.4/",
    "name": "Erika Beispiel",
    "email": "erika@beispiel.invalid",
    "consent": "on",
    "website": "",
}


@pytest.fixture
def city(settings):
    settings.ZIELWERK_ACCESSIBILITY = CITY
    settings.ZIELWERK_FEEDBACK_LIMIT = 5


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    # The limit lives in the process-wide cache; each test starts with a clean hour.
    cache.clear()
    yield
    cache.clear()


def test_statement_names_status_issues_date_method_contact_and_enforcement(city, client):
    response = client.get("/barrierefreiheit/")
    page = outline(response)
    html = response.content.decode()

    assert page.h1 == ["Erklärung zur Barrierefreiheit"]
    assert "Stadt Musterhausen möchte" in html and "L-BGG" in html
    assert "teilweise vereinbar" in html and "WCAG" in html
    assert "Diagramme der Zeitreihen" in html and "Die Werte stehen zusätzlich in Tabellen." in html
    assert "Wertetabelle unter jedem Diagramm" in html
    assert "am 15. März 2025 erstellt" in html and "am 1. September 2025" in html
    assert "Selbstbewertung durch Stadt Musterhausen" in html
    assert "Referat Digitales, Frau Muster" in html and "0711 000000" in html
    assert "mailto:barrierefreiheit@musterhausen.invalid" in page.links
    assert "Marktplatz 1<br>70000 Musterhausen" in html
    assert "Schlichtungsstelle beim Landeszentrum" in html and "Musterstraße 6" in html
    assert "https://landeszentrum.invalid/schlichtung" in page.links
    assert "https://musterhausen.invalid/datenschutz" in page.links
    assert "Beispielangaben" not in html
    assert "/leichte-sprache/" in page.links


def test_default_statement_is_marked_as_example_to_replace(client):
    html = client.get("/barrierefreiheit/").content.decode()

    assert "Diese Erklärung enthält noch Beispielangaben" in html
    assert "Beispielangaben — bitte ersetzen: Name der Stadt" in html
    assert "Datum der Erklärung: Beispielangaben — bitte ersetzen" in html


def test_every_page_links_statement_and_easy_read_in_its_footer(client):
    page = outline(client.get("/methoden/"))
    assert "/barrierefreiheit/" in page.links and "/leichte-sprache/" in page.links
    english = outline(client.get("/en/methoden/"))
    assert "/en/barrierefreiheit/" in english.links and "/en/leichte-sprache/" in english.links


def test_feedback_is_mailed_to_the_contact_and_confirmed(city, client, mailoutbox):
    response = client.post("/barrierefreiheit/", VALID, follow=True)

    assert response.redirect_chain == [("/barrierefreiheit/", 302)]
    assert "Vielen Dank! Ihre Rückmeldung ist an Referat Digitales, Frau Muster gesendet" in (
        response.content.decode()
    )
    (mail,) = mailoutbox
    assert mail.to == ["barrierefreiheit@musterhausen.invalid"]
    assert mail.reply_to == ["erika@beispiel.invalid"]
    assert mail.subject == "Rückmeldung zur Barrierefreiheit"
    assert VALID["message"] in mail.body and "Seite: /ziele/12.3.4/" in mail.body


def test_feedback_from_an_english_page_reaches_staff_in_german(city, client, mailoutbox):
    response = client.post("/en/barrierefreiheit/", {**VALID, "email": ""}, follow=True)

    assert response.redirect_chain == [("/en/barrierefreiheit/", 302)]
    (mail,) = mailoutbox
    assert mail.subject == "Rückmeldung zur Barrierefreiheit" and mail.reply_to == []
    assert "E-Mail: –" in mail.body


def test_missing_consent_and_message_are_named_at_their_fields(city, client, mailoutbox):
    data = {**VALID, "message": "", "email": "erika-at-beispiel"}
    del data["consent"]

    response = client.post("/barrierefreiheit/", data)

    html = response.content.decode()
    assert response.status_code == 200 and mailoutbox == []
    assert "Die Nachricht wurde nicht gesendet" in html
    consent_error = "Bitte stimmen Sie zu, dass wir Ihre Angaben verarbeiten"
    assert f'<ul class="errorlist" id="id_consent_error"><li>{consent_error}' in html
    assert 'aria-invalid="true" aria-describedby="id_consent_error" id="id_consent"' in html
    assert 'id="id_message_error"><li>Bitte beschreiben Sie im Feld „Ihre Nachricht“' in html
    assert 'id="id_email_error"><li>Diese E-Mail-Adresse ist ungültig' in html
    # The summary at the top links to each field, and what was typed stays.
    assert '<a href="#id_consent">' in html and '<a href="#id_message">' in html
    assert 'value="erika-at-beispiel"' in html and 'value="/ziele/12.3.4/"' in html


def test_a_filled_honeypot_sends_nothing(city, client, mailoutbox):
    response = client.post("/barrierefreiheit/", {**VALID, "website": "https://spam.invalid"})

    assert response.status_code == 200 and mailoutbox == []
    assert "ein Feld, das leer bleiben muss, war ausgefüllt" in response.content.decode()


def test_more_than_five_messages_an_hour_from_one_address_are_refused(city, client, mailoutbox):
    for _ in range(5):
        assert client.post("/barrierefreiheit/", VALID).status_code == 302

    response = client.post("/barrierefreiheit/", VALID)

    assert response.status_code == 200 and len(mailoutbox) == 5
    assert "in der letzten Stunde schon 5 Nachrichten" in response.content.decode()
    # Another address is not affected.
    assert client.post("/barrierefreiheit/", VALID, REMOTE_ADDR="10.0.0.2").status_code == 302
    assert len(mailoutbox) == 6


def test_a_mistyped_statement_setting_is_reported_clearly(settings, client):
    settings.ZIELWERK_ACCESSIBILITY = {**CITY, "statement_date": "15.03.2025"}
    with pytest.raises(ImproperlyConfigured, match=r"statement_date.*JJJJ-MM-TT"):
        client.get("/barrierefreiheit/")
    settings.ZIELWERK_ACCESSIBILITY = {**CITY, "compliance": "teilweise"}
    with pytest.raises(ImproperlyConfigured, match="full, none, partial"):
        client.get("/barrierefreiheit/")
    settings.ZIELWERK_ACCESSIBILITY = {**CITY, "contact_mail": "x@example.invalid"}
    del settings.ZIELWERK_ACCESSIBILITY["contact_email"]
    with pytest.raises(
        ImproperlyConfigured, match="es fehlen contact_email; unbekannt sind contact_mail"
    ):
        client.get("/barrierefreiheit/")


def test_easy_read_explains_goals_signs_and_navigation_in_both_languages(client):
    response = client.get("/leichte-sprache/")
    page = outline(response)
    html = response.content.decode()
    assert (page.lang, page.h1) == ("de", ["Leichte Sprache"])
    assert "Ein Thema heißt hier: Handlungs-Feld." in html
    assert "<strong>kritisch</strong>" in html and "/massnahmen/" in page.links
    assert "/barrierefreiheit/#rueckmeldung" in page.links

    response = client.get("/en/leichte-sprache/")
    page = outline(response)
    assert (page.lang, page.h1) == ("en", ["Easy Read"])
    assert "<strong>critical</strong>" in response.content.decode()
    assert "/en/barrierefreiheit/#rueckmeldung" in page.links

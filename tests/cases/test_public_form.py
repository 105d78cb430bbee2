"""The public form, the private status page and "Sie haben gesagt – wir haben getan", through
Django's whole request stack: valid and abusive submissions (honeypot, missing consent, huge
input, script injection, floods, double submits) and what the public may see."""

import datetime
import re

import pytest
import requests
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from tests.cases.intake_support import make_category
from zielwerk.cases.intake import ContactData, create_case
from zielwerk.cases.models import Case, CaseEvent, CaseNote, Contact
from zielwerk.goals.queries import current_edition, find_goal
from zielwerk.measures.models import Measure
from zielwerk.org.models import Person

VALID = {
    "kind": "impulse",
    "text": "Am Bahnhof fehlen überdachte Fahrradständer.",
    "name": "Erika Beispiel",
    "email": "erika@beispiel.invalid",
    "phone": "",
    "notify": "on",
    "consent": "on",
    "website": "",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limit(settings):
    settings.ZIELWERK_CASE_FORM_LIMIT = 5
    cache.clear()
    yield
    cache.clear()


def _status_path(html: str) -> str:
    return re.search(r'href="http://testserver(/(?:en/)?anliegen/status/[^"]+)"', html)[1]


def _nothing_stored() -> bool:
    return not (Case.objects.exists() or Contact.objects.exists() or CaseEvent.objects.exists())


@pytest.mark.django_db
def test_form_page_has_privacy_notice_honeypot_and_autocomplete(client):
    make_category(is_public=False, key="intern", name="Interne Kategorie")
    make_category()
    html = client.get("/anliegen/").content.decode()

    assert "<h1>Ihr Anliegen: Idee, Beschwerde oder Lob</h1>" in html
    assert "Straßen und Wege" in html and "Interne Kategorie" not in html
    assert "365 Tage nach dem Abschluss" in html and "Beispielangaben" in html
    assert 'autocomplete="name"' in html and 'autocomplete="email"' in html
    assert 'autocomplete="tel"' in html
    assert 'class="hp-field" aria-hidden="true"' in html
    assert 'aria-describedby="id_text_helptext"' in html and 'maxlength="5000"' in html


@pytest.mark.django_db
def test_a_valid_submission_stores_case_contact_and_event_and_shows_the_status_link(client):
    category = make_category()
    response = client.post("/anliegen/", {**VALID, "category": category.pk})

    html = response.content.decode()
    case = Case.objects.get()
    assert response.status_code == 200 and case.number in html
    assert (case.kind, case.channel, case.category, case.language) == (
        "impulse",
        "web",
        category,
        "de",
    )
    assert case.unit == category.unit and case.text == VALID["text"]
    assert case.contact.email == "erika@beispiel.invalid" and case.contact.notify
    assert case.contact.consent_at is not None
    assert case.events.get().step == "eingegangen"
    status = _status_path(html)
    assert status == f"/anliegen/status/{case.tracking_token}/"
    assert case.number in client.get(status).content.decode()


@pytest.mark.django_db
def test_the_english_form_stores_the_language_and_links_the_english_status(client):
    response = client.post("/en/anliegen/", {"kind": "praise", "text": "Great library!"})

    case = Case.objects.get()
    assert case.language == "en" and case.kind == "praise" and not Contact.objects.exists()
    assert _status_path(response.content.decode()) == (
        f"/en/anliegen/status/{case.tracking_token}/"
    )
    assert client.get(f"/en/anliegen/status/{case.tracking_token}/").status_code == 200


@pytest.mark.django_db
def test_a_filled_honeypot_stores_nothing(client, settings):
    response = client.post("/anliegen/", {**VALID, "website": "https://spam.invalid"})

    assert response.status_code == 200 and _nothing_stored()
    assert "ein Feld, das leer bleiben muss, war ausgefüllt" in response.content.decode()
    # A bot's tries count towards the limit of its address.
    settings.ZIELWERK_CASE_FORM_LIMIT = 1
    assert client.post("/anliegen/", VALID).status_code == 429 and _nothing_stored()


@pytest.mark.django_db
def test_contact_data_without_consent_is_named_at_the_field_and_nothing_is_stored(client):
    data = {**VALID, "email": "erika-at-beispiel", "text": ""}
    del data["consent"]

    response = client.post("/anliegen/", data)

    html = response.content.decode()
    assert response.status_code == 200 and _nothing_stored()
    assert "Ihr Anliegen wurde nicht gesendet" in html
    assert 'id="id_consent_error"><li>Sie haben Kontaktdaten angegeben' in html
    assert 'aria-describedby="id_consent_error"' in html
    assert 'id="id_text_error"><li>Bitte beschreiben Sie im Feld „Ihr Anliegen“' in html
    assert 'id="id_email_error"><li>Diese E-Mail-Adresse ist ungültig' in html
    assert '<a href="#id_consent">' in html and '<a href="#id_text">' in html
    assert 'value="erika-at-beispiel"' in html


@pytest.mark.django_db
def test_notification_without_email_is_refused(client):
    response = client.post("/anliegen/", {**VALID, "email": ""})

    assert _nothing_stored()
    assert "Für die Benachrichtigung per E-Mail geben Sie bitte" in response.content.decode()


@pytest.mark.django_db
def test_a_megabyte_of_text_gets_a_clear_error_stores_nothing_and_the_site_answers(client):
    response = client.post("/anliegen/", {**VALID, "text": "Ä" * 1_000_000})

    html = response.content.decode()
    assert response.status_code == 200 and _nothing_stored()
    assert "Ihr Anliegen ist zu lang: 1000000 Zeichen, höchstens 5000 sind möglich" in html
    assert client.get("/anliegen/").status_code == 200


@pytest.mark.django_db
def test_script_and_html_are_stored_as_text_and_shown_escaped(client):
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)> & "Zitat"'
    response = client.post("/anliegen/", {"kind": "complaint", "text": attack})

    case = Case.objects.get()
    assert case.text == attack
    html = client.get(_status_path(response.content.decode())).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
        in html
    )


@pytest.mark.django_db
def test_a_double_submit_shows_the_first_case_and_stores_no_second(client):
    first = client.post("/anliegen/", VALID).content.decode()
    second = client.post("/anliegen/", VALID).content.decode()

    case = Case.objects.get()
    assert Contact.objects.count() == 1 and CaseEvent.objects.count() == 1
    assert "schon vor wenigen Minuten eingegangen" in second and case.number in second
    assert _status_path(first) == _status_path(second)


@pytest.mark.django_db(transaction=True)
def test_a_flood_gets_429_with_retry_after_and_the_site_stays_up(live_server, settings):
    settings.ZIELWERK_CASE_FORM_LIMIT = 3
    with requests.Session() as browser:
        form_url = f"{live_server.url}/anliegen/"

        def send(text: str) -> requests.Response:
            browser.get(form_url, timeout=10)
            token = browser.cookies["csrftoken"]
            data = {"kind": "impulse", "text": text, "csrfmiddlewaretoken": token}
            return browser.post(form_url, data, headers={"Referer": form_url}, timeout=10)

        assert [send(f"Anliegen {n}").status_code for n in range(3)] == [200, 200, 200]
        refused = [send(f"Flut {n}") for n in range(20)]

        assert {r.status_code for r in refused} == {429}
        assert 3000 < int(refused[-1].headers["Retry-After"]) <= 3600
        assert "Zu viele Einsendungen" in refused[-1].text
        assert "Ihre Eingaben wurden nicht gespeichert" in refused[-1].text
        assert Case.objects.count() == 3
        assert browser.get(form_url, timeout=10).status_code == 200
        assert browser.get(f"{live_server.url}/", timeout=10).status_code == 200


@pytest.mark.django_db
def test_the_limit_counts_per_client_address(client, settings):
    settings.ZIELWERK_CASE_FORM_LIMIT = 1
    assert client.post("/anliegen/", {"kind": "impulse", "text": "Eins"}).status_code == 200
    assert client.post("/anliegen/", {"kind": "impulse", "text": "Zwei"}).status_code == 429
    other = client.post("/anliegen/", {"kind": "impulse", "text": "Drei"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200 and Case.objects.count() == 2


@pytest.mark.django_db
def test_status_page_shows_public_history_and_decision_never_internal_data(client, settings):
    settings.ZIELWERK_PUBLIC_CACHE_SECONDS = 60
    case = create_case(kind="impulse", text="Mehr Bäume am Marktplatz", channel="email")
    other = create_case(kind="complaint", text="Anderer Fall, andere Person", channel="phone")
    owner = get_user_model().objects.create_user("geheim", first_name="Sabine", last_name="Geheim")
    case.owner = Person.objects.create(user=owner)
    case.state, case.decision = Case.State.DECIDED, Case.Decision.ACCEPTED
    case.public_reason = "Passt zum Ziel Klimaanpassung."
    case.answer = "Wir pflanzen im Herbst zwölf Bäume."
    case.save()
    CaseEvent.objects.create(case=case, at=timezone.now(), state="evaluated", step="bewertet")
    CaseEvent.objects.create(
        case=case,
        at=timezone.now(),
        state="evaluated",
        step="Rückfrage bei Amt X intern",
        is_public=False,
    )
    CaseNote.objects.create(case=case, text="Interne Notiz: Budget knapp")
    path = f"/anliegen/status/{case.tracking_token}/"

    response = client.get(path)

    html = response.content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert "no-store" in response.headers["Cache-Control"]
    assert case.number in html and "entschieden" in html and "angenommen" in html
    assert "Passt zum Ziel Klimaanpassung." in html and "zwölf Bäume" in html
    assert "eingegangen" in html and "bewertet" in html
    for secret in ("Amt X intern", "Budget knapp", "Geheim", other.number, "Anderer Fall"):
        assert secret not in html
    # A change shows at once: the shared cache of public pages never keeps a status page.
    Case.objects.filter(pk=case.pk).update(state=Case.State.ANSWERED)
    assert "beantwortet" in client.__class__().get(path).content.decode()
    assert client.get("/anliegen/status/unbekannt/").status_code == 404


@pytest.mark.django_db
def test_outcomes_show_only_released_impulses_without_personal_data(demo, client):
    category = make_category()
    goal = find_goal(current_edition(), "12.3.4")
    measure = Measure.objects.filter(is_public=True).first()
    when = timezone.make_aware(datetime.datetime(2025, 6, 3, 10))

    def accepted(text: str, **fields) -> Case:
        case = create_case(
            kind="impulse",
            text=text,
            channel="web",
            category=category,
            received_at=fields.pop("received_at", when),
            contact=fields.pop("contact", None),
        )
        values = {"state": "implemented", "decision": "accepted", "is_public": True} | fields
        Case.objects.filter(pk=case.pk).update(**values)
        return case

    shown = accepted(
        "Mein Nachbar Herr Müller parkt ständig auf dem Radweg",
        contact=ContactData(name="Erika Beispiel", email="erika@beispiel.invalid", consent=True),
        public_title="Radweg freihalten",
        public_summary="Ein Radweg wurde oft zugeparkt.",
        answer="Wir haben Poller aufgestellt.",
        measure=measure,
    )
    shown.operative_goals.set([goal])
    accepted("Unveröffentlicht", public_title="Nicht freigegeben", is_public=False)
    accepted("Abgelehnt", public_title="Abgelehnter Impuls", decision="rejected")
    accepted("Nur entschieden", public_title="Noch nicht umgesetzt", state="decided")
    accepted("Eine Beschwerde", public_title="Lärm am Abend", kind="complaint")
    accepted("Älter", public_title="Aus dem Vorjahr", received_at=when.replace(year=2024))

    html = client.get("/sie-haben-gesagt/").content.decode()

    assert "Radweg freihalten" in html and "Ein Radweg wurde oft zugeparkt." in html
    assert "Wir haben Poller aufgestellt." in html and "Aus dem Vorjahr" in html
    assert f'href="/massnahmen/{measure.number}/"' in html and 'href="/ziele/12.3.4/"' in html
    for hidden in (
        "Nicht freigegeben",
        "Abgelehnter Impuls",
        "Noch nicht umgesetzt",
        "Lärm am Abend",
        "Herr Müller",
        "Erika",
        "erika@",
    ):
        assert hidden not in html
    filtered = client.get("/sie-haben-gesagt/?year=2024").content.decode()
    assert "Aus dem Vorjahr" in filtered and "Radweg freihalten" not in filtered
    by_category = client.get(f"/sie-haben-gesagt/?category={category.key}").content.decode()
    assert "Radweg freihalten" in by_category
    wrong = client.get("/sie-haben-gesagt/?year=abc&category=gibtsnicht").content.decode()
    assert "„abc“ ist keine Jahreszahl" in wrong and "Kategorie „gibtsnicht“ gibt es nicht" in wrong


@pytest.mark.django_db
def test_outcomes_are_paginated(client):
    when = timezone.make_aware(datetime.datetime(2025, 6, 3, 10))
    for n in range(23):
        case = create_case(kind="impulse", text=f"Idee {n}", channel="meeting", received_at=when)
        Case.objects.filter(pk=case.pk).update(
            state="answered", decision="accepted", is_public=True, public_title=f"Titel {n:02d}"
        )

    first = client.get("/sie-haben-gesagt/").content.decode()
    second = client.get("/sie-haben-gesagt/?page=2").content.decode()

    assert "23 umgesetzte Impulse" in first and "Seite 1 von 2" in first
    assert first.count('<li class="card">') == 20 and second.count('<li class="card">') == 3


@pytest.mark.django_db
def test_a_request_beyond_the_upload_limit_is_refused_before_the_form(client):
    response = client.post("/anliegen/", {**VALID, "text": "x" * 3_000_000})

    assert response.status_code == 400 and _nothing_stored()
    assert client.get("/anliegen/").status_code == 200

"""The staff pages of cases with real logins of the demo: staff intake, the case page with its
steps, refusals for an editor of another unit, the release by the strategy office, the list's
filters and the categories."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from zielwerk.cases.intake import create_case
from zielwerk.cases.models import Case, Category, Contact
from zielwerk.cases.staff_forms import current_goals

pytestmark = pytest.mark.django_db

ADD = reverse("admin:cases_case_add")
LIST = reverse("admin:cases_case_changelist")


def page(case: Case) -> str:
    return reverse("admin:cases_case_change", args=[case.pk])


def intake_data(**changes) -> dict:
    return {
        "kind": "impulse",
        "channel": "staff_dialogue",
        "category": Category.objects.get(key="buergerservice").pk,
        "text": "Ein Wartezimmer mit Spielecke im Bürgerbüro.",
        "name": "Paula Beispiel",
        "email": "paula@example.org",
        "phone": "",
        "notify": "on",
        "consent": "on",
    } | changes


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_staff_intake_stores_the_case_with_its_contact(demo, client, login):
    login("buergerdienste")
    response = client.get(ADD)
    assert response.status_code == 200
    assert '<option value="staff_dialogue">' in response.text
    assert '<option value="web">' not in response.text

    response = client.post(ADD, intake_data(), follow=True)
    case = Case.objects.get(text="Ein Wartezimmer mit Spielecke im Bürgerbüro.")
    assert response.redirect_chain[-1][0] == page(case)
    assert f"Fall {case.number} erfasst." in messages_of(response)
    assert case.channel == "staff_dialogue" and case.unit.code == "FB-BD"
    assert case.created_by.username == "buergerdienste"
    contact = Contact.objects.get(case=case)
    assert (contact.name, contact.email, contact.notify) == (
        "Paula Beispiel",
        "paula@example.org",
        True,
    )
    # The case page shows the contact apart and the first steps of the workflow.
    assert "paula@example.org" in response.text
    assert 'name="action" value="evaluate"' in response.text
    assert 'name="action" value="release"' not in response.text


def test_bad_intake_says_why_and_stores_nothing(demo, client, login):
    login("strategie")
    count = Case.objects.count()
    response = client.post(ADD, intake_data(text="  ", consent=""))
    assert response.status_code == 400
    assert "Das Anliegen ist leer." in response.text
    assert "die Einwilligung fehlt" in response.text
    response = client.post(ADD, intake_data(channel="web"))
    assert response.status_code == 400 and "web ist keine gültige Auswahl" in response.text
    assert Case.objects.count() == count
    client.post(ADD, intake_data())
    response = client.post(ADD, intake_data())
    assert "bereits als" in response.text and Case.objects.count() == count + 1


def test_an_editor_of_another_unit_reads_but_may_not_work_or_see_the_contact(demo, client, login):
    case = create_case(
        kind="impulse",
        text="<b>Mehr</b> Sitzgelegenheiten im Wartebereich.",
        channel="email",
        category=Category.objects.get(key="buergerservice"),
        contact=None,
    )
    Contact.objects.create(case=case, email="geheim@example.org")
    login("finanzen")
    response = client.get(page(case))
    assert response.status_code == 200
    assert "&lt;b&gt;Mehr&lt;/b&gt; Sitzgelegenheiten" in response.text
    assert "geheim@example.org" not in response.text and case.tracking_token not in response.text
    assert 'name="action"' not in response.text

    response = client.post(
        page(case),
        {"action": "evaluate", "evaluate-fits": "1", "evaluate-reasons": "x"},
        follow=True,
    )
    assert any(
        f"Sie dürfen den Fall {case.number} nicht bearbeiten" in m for m in messages_of(response)
    )
    case.refresh_from_db()
    assert case.state == Case.State.RECEIVED and case.events.count() == 1
    assert client.get(ADD).status_code == 200  # editors may take cases in
    login("lesen")
    assert client.get(ADD).status_code == 403
    assert client.get(page(case)).status_code == 200


def test_the_unit_works_the_case_and_the_strategy_office_releases_it(demo, client, login):
    case = create_case(
        kind="impulse",
        text="Termine im Bürgerbüro auch samstags.",
        channel="phone",
        category=Category.objects.get(key="buergerservice"),
    )
    login("buergerdienste")

    def step(action: str, **fields) -> list[str]:
        data = {"action": action} | {f"{action}-{name}": value for name, value in fields.items()}
        return messages_of(client.post(page(case), data, follow=True))

    assert step("evaluate", fits="1", reasons="") == [
        "Zur Bewertung fehlt die Begründung: Warum passt der Impuls zum Handlungsleitbild und "
        "zu den Zielen oder nicht?"
    ]
    assert step("evaluate", fits="1", reasons="Passt zu 12.2.") == ["Bewertung gespeichert."]
    assert step("decide", decision="rejected", public_reason="") == [
        "Eine Ablehnung braucht eine öffentliche Begründung; sie wird der Person mitgeteilt."
    ]
    assert step("decide", decision="accepted", public_reason="Wird erprobt.") == [
        "Entscheidung gespeichert."
    ]
    assert step("note", text="Personalrat einbinden.") == ["Notiz gespeichert."]
    assert step("implement") == [
        "Bitte die Maßnahme oder mindestens ein operatives Ziel angeben, mit dem der Impuls "
        "umgesetzt wird."
    ]
    assert step("implement", goals=current_goals().first().pk) == ["Als umgesetzt vermerkt."]
    assert step("release", public_title="Samstags", public_summary="x") == [
        "Diesen Schritt macht nur die Strategiestelle."
    ]

    login("strategie")
    response = client.get(page(case))
    assert 'name="action" value="release"' in response.text
    assert "Personalrat einbinden." in response.text
    assert step(
        "release", public_title="Samstagstermine", public_summary="Öffnung am Samstag."
    ) == ["Veröffentlicht unter „Sie haben gesagt – wir haben getan“."]
    case.refresh_from_db()
    assert case.is_public and case.state == Case.State.IMPLEMENTED
    assert case.public_title == "Samstagstermine" and case.decision == "accepted"
    history = client.get(page(case)).text
    assert "veröffentlicht unter „Sie haben gesagt – wir haben getan“" in history
    assert step("withdraw") == ["Veröffentlichung zurückgenommen."]


def test_the_list_filters_overdue_cases_and_finds_by_number(demo, client, login):
    old = create_case(
        kind="complaint",
        text="Seit Wochen keine Antwort auf meinen Antrag.",
        channel="letter",
        category=Category.objects.get(key="buergerservice"),
        received_at=timezone.now() - datetime.timedelta(days=60),
    )
    fresh = create_case(
        kind="complaint",
        text="Heute lange gewartet.",
        channel="in_person",
        category=Category.objects.get(key="buergerservice"),
    )
    login("lesen")
    response = client.get(LIST, {"frist": "ueberfaellig"})
    assert response.status_code == 200
    shown = {case.pk for case in response.context["cl"].result_list}
    assert old.pk in shown and fresh.pk not in shown
    assert "überfällig</strong>" in response.content.decode()
    response = client.get(LIST, {"q": fresh.number})
    assert [case.pk for case in response.context["cl"].result_list] == [fresh.pk]
    assert "überfällig</strong>" not in response.content.decode()


def test_only_the_strategy_office_keeps_the_categories(demo, client, login):
    add = reverse("admin:cases_category_add")
    login("buergerdienste")
    assert client.get(reverse("admin:cases_category_changelist")).status_code == 200
    assert client.get(add).status_code == 403
    login("strategie")
    assert client.get(add).status_code == 200
    response = client.get(reverse("admin:index"))
    assert ADD in response.text

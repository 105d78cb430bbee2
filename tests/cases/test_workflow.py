"""The workflow of a case: every transition, every refusal with its message and nothing
changed, the first answer, internal notes, and the mail to the sender on public steps only."""

import logging

import pytest
from django.contrib.auth import get_user_model

from zielwerk.cases import workflow
from zielwerk.cases.intake import ContactData, create_case
from zielwerk.cases.models import Case, CaseEvent, CaseNote, Category, Contact
from zielwerk.demo import UNITS, _load_people
from zielwerk.goals.models import OperativeGoal
from zielwerk.measures.models import Measure, MeasureStatus
from zielwerk.org.models import OrgUnit

pytestmark = pytest.mark.django_db

TEXT = "Bitte mehr Sitzbänke am Bahnhofsvorplatz aufstellen."
EMAIL = "anna.beispiel@example.org"


def user(username: str):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def staff(seed_edition):
    """The demo's units and logins over the seed edition: the rest of the demo (indicators,
    measures, papers, sample cases) would take most of each test's time."""
    units: dict[str, OrgUnit] = {}
    for code, name, kind, parent in UNITS:
        units[code] = OrgUnit.objects.create(
            code=code, name=name, kind=kind, parent=units.get(parent)
        )
    _load_people(units)


@pytest.fixture
def office(staff):
    return user("strategie")


@pytest.fixture
def category(staff):
    return Category.objects.create(
        key="stadtbild", name="Stadtbild", unit=OrgUnit.objects.get(code="FB-BD")
    )


def new_case(category, kind=Case.Kind.IMPULSE, contact=None, **kwargs) -> Case:
    return create_case(
        kind=kind,
        text=kwargs.pop("text", TEXT),
        channel=Case.Channel.EMAIL,
        category=category,
        contact=contact,
        **kwargs,
    )


def notifying(email: str = EMAIL) -> ContactData:
    return ContactData(name="Anna Beispiel", email=email, notify=True, consent=True)


def goal(code: str) -> OperativeGoal:
    return next(g for g in OperativeGoal.objects.all() if g.code == code)


def steps(case: Case) -> list[tuple[str, str, bool]]:
    return list(case.events.values_list("step", "state", "is_public"))


def refused(call, message: str, exception=workflow.CaseError) -> None:
    with pytest.raises(exception) as error:
        call()
    assert message in str(error.value)


def test_an_impulse_goes_through_every_state(
    category, office, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.ZIELWERK_BASE_URL = "https://ziele.example.org"
    editor = user("buergerdienste")
    case = new_case(category, contact=notifying())
    measure = Measure.objects.create(
        number="M-1",
        title="Sitzbänke",
        responsible_unit=category.unit,
        status=MeasureStatus.objects.get(key="in-umsetzung"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.assign(case, category.unit, editor.person, office)
        workflow.evaluate(case, True, "Passt zu 12.2.1.", editor, goals=[goal("12.2.1")])
        workflow.decide(case, Case.Decision.ACCEPTED, "Wir stellen Bänke auf.", editor)
        workflow.implement(case, editor, measure=measure)
        workflow.answer(case, "Die Bänke stehen.", editor)
        workflow.release(case, "Mehr Bänke am Bahnhof", "Sitzbänke am Bahnhofsvorplatz.", office)

    case.refresh_from_db()
    assert case.state == Case.State.ANSWERED and case.decision == Case.Decision.ACCEPTED
    assert case.fits_leitbild is True and case.evaluation == "Passt zu 12.2.1."
    assert case.measure == measure and case.owner == editor.person
    assert [g.code for g in case.operative_goals.all()] == ["12.2.1"]
    assert case.answer == "Die Bänke stehen." and case.is_public
    assert case.first_answer_at is not None and case.completed_at is not None
    assert case.first_answer_at < case.completed_at
    first_public = case.events.get(step=workflow.EVALUATED_STEP)
    assert case.first_answer_at == first_public.at
    assert steps(case) == [
        ("eingegangen", "received", True),
        (
            "zugewiesen an FB-BD – Fachbereich Bürgerdienste, bearbeitet von Berta Bürgerdienste",
            "received",
            False,
        ),
        ("bewertet", "evaluated", True),
        ("angenommen", "decided", True),
        ("umgesetzt", "implemented", True),
        ("beantwortet", "answered", True),
        (workflow.RELEASED_STEP, "answered", True),
    ]
    assert list(case.events.exclude(actor=None).values_list("actor__username", flat=True)) == [
        "strategie",
        *["buergerdienste"] * 4,
        "strategie",
    ]
    # One mail per public step after intake, none for the assignment.
    assert len(mailoutbox) == 5
    assert all(mail.to == [EMAIL] for mail in mailoutbox)
    assert f"https://ziele.example.org/anliegen/status/{case.tracking_token}/" in mailoutbox[0].body
    assert case.number in mailoutbox[1].subject and "angenommen" in mailoutbox[1].subject


def test_implemented_by_goals_and_released_before_the_answer(category, office):
    case = new_case(category)
    workflow.evaluate(case, True, "passt", office)
    workflow.decide(case, Case.Decision.ACCEPTED, "", office)
    workflow.implement(case, office, goals=[goal("12.2.1"), goal("12.2.2")])
    workflow.release(case, "Titel", "Zusammenfassung", office)
    workflow.release(case, "Neuer Titel", "Zusammenfassung", office)
    workflow.withdraw(case, office)

    case.refresh_from_db()
    assert case.state == Case.State.IMPLEMENTED and not case.is_public
    assert case.public_title == "Neuer Titel" and case.measure is None
    assert sorted(g.code for g in case.operative_goals.all()) == ["12.2.1", "12.2.2"]
    assert steps(case)[-3:] == [
        (workflow.RELEASED_STEP, "implemented", True),
        (workflow.RETEXTED_STEP, "implemented", False),
        (workflow.WITHDRAWN_STEP, "implemented", False),
    ]


def test_an_impulse_in_consideration_is_decided_again_and_a_rejection_answered(category, office):
    case = new_case(category)
    workflow.evaluate(case, False, "Gehört nicht zum Leitbild.", office)
    workflow.decide(case, Case.Decision.CONSIDERING, "", office)
    workflow.decide(case, Case.Decision.REJECTED, "Kein Platz für Bänke.", office)
    workflow.answer(case, "Leider nicht möglich.", office)

    case.refresh_from_db()
    assert (case.state, case.decision) == (Case.State.ANSWERED, Case.Decision.REJECTED)
    assert case.public_reason == "Kein Platz für Bänke."
    assert [s for s, _, _ in steps(case)][2:] == ["in Prüfung", "abgelehnt", "beantwortet"]


@pytest.mark.parametrize("kind", [Case.Kind.COMPLAINT, Case.Kind.PRAISE])
def test_complaints_and_praise_are_answered_directly_once_assigned(office, kind):
    case = new_case(None, kind=kind)
    refused(lambda: workflow.answer(case, "Danke.", office), "noch keiner Einheit zugewiesen")
    refused(lambda: workflow.evaluate(case, True, "x", office), "Beschwerden und Lob werden nicht")
    workflow.assign(case, OrgUnit.objects.get(code="FB-BD"), None, office)
    workflow.answer(case, "Danke für Ihre Rückmeldung.", office)

    case.refresh_from_db()
    assert case.state == Case.State.ANSWERED and case.completed_at is not None
    assert case.first_answer_at == case.events.get(step="beantwortet").at
    assert [s for s, _, _ in steps(case)] == [
        "eingegangen",
        "zugewiesen an FB-BD – Fachbereich Bürgerdienste",
        "beantwortet",
    ]


def test_refused_steps_say_why_and_change_nothing(
    category, office, mailoutbox, django_capture_on_commit_callbacks
):
    case = new_case(category, contact=notifying())
    editor = user("buergerdienste")
    with django_capture_on_commit_callbacks(execute=True):
        refused(lambda: workflow.evaluate(case, True, "  ", editor), "fehlt die Begründung")
        refused(lambda: workflow.decide(case, "accepted", "", editor), "„eingegangen“")
        refused(
            lambda: workflow.answer(case, "Antwort", editor), "erst gegen das Handlungsleitbild"
        )
        refused(lambda: workflow.implement(case, editor, goals=[goal("12.2.1")]), "nur angenommene")
        refused(
            lambda: workflow.release(case, "T", "S", office),
            "nur angenommene Impulse, die umgesetzt",
        )
        refused(lambda: workflow.withdraw(case, office), "ist nicht veröffentlicht")
        refused(lambda: workflow.assign(case, None, None, editor), "Einheit wählen")
        refused(
            lambda: workflow.assign(case, category.unit, user("lesen").person, editor),
            "nur Leserechte",
        )
        refused(lambda: workflow.add_note(case, " ", editor), "Notiz ist leer")

        workflow.evaluate(case, False, "passt nicht", editor)
        refused(lambda: workflow.decide(case, "maybe", "x", editor), "Unbekannte Entscheidung")
        refused(lambda: workflow.decide(case, "rejected", " ", editor), "öffentliche Begründung")
        refused(lambda: workflow.decide(case, "accepted", "", editor), "bitte zuerst neu bewerten")
        workflow.evaluate(case, True, "passt doch", editor)
        workflow.decide(case, "accepted", "", editor)
        refused(
            lambda: workflow.decide(case, "rejected", "x", editor), "„entschieden (angenommen)“"
        )
        refused(lambda: workflow.implement(case, editor), "Maßnahme oder mindestens ein operatives")
        refused(lambda: workflow.answer(case, "", editor), "Antwort ist leer")
        workflow.answer(case, "Wir prüfen das bei der nächsten Planung.", editor)
        refused(lambda: workflow.answer(case, "noch mal", editor), "schon beantwortet")
        refused(lambda: workflow.assign(case, category.unit, None, editor), "nicht mehr zugewiesen")
        refused(lambda: workflow.release(case, "", "S", office), "fehlt der öffentliche Titel")
        refused(lambda: workflow.release(case, "T", "", office), "öffentliche Zusammenfassung")
        refused(
            lambda: workflow.release(case, "T" * 301, "S", office), "301 Zeichen, höchstens 300"
        )
        refused(lambda: workflow.record_first_answer(case, editor), "schon am")

    case.refresh_from_db()
    assert not case.is_public and case.answer == "Wir prüfen das bei der nächsten Planung."
    assert [s for s, _, _ in steps(case)] == [
        "eingegangen",
        "bewertet",
        "bewertet",
        "angenommen",
        "beantwortet",
    ]
    # Mails for the successful public steps only.
    assert len(mailoutbox) == 4


def test_only_those_responsible_may_work_and_only_the_office_releases(category, office):
    case = new_case(category)
    other_editor, viewer = user("finanzen"), user("lesen")
    for someone in (other_editor, viewer):
        refused(
            lambda: workflow.evaluate(case, True, "passt", someone),  # noqa: B023
            f"Sie dürfen den Fall {case.number} nicht bearbeiten",
            workflow.CasePermissionError,
        )
        refused(lambda: workflow.add_note(case, "x", someone), "nicht bearbeiten")  # noqa: B023
    # Once assigned to a person, they may work on it although it lies outside their unit.
    workflow.assign(case, category.unit, other_editor.person, office)
    workflow.evaluate(case, True, "passt", other_editor)
    workflow.decide(case, "accepted", "", other_editor)
    workflow.implement(case, other_editor, goals=[goal("12.3.1")])
    refused(
        lambda: workflow.release(case, "T", "S", other_editor),
        "nur die Strategiestelle",
        workflow.CasePermissionError,
    )
    case.refresh_from_db()
    assert case.state == Case.State.IMPLEMENTED and not case.is_public

    allowed = workflow.allowed_steps(case, office)
    assert allowed.release and allowed.answer and allowed.note
    assert not (allowed.evaluate or allowed.decide or allowed.implement or allowed.withdraw)
    assert workflow.allowed_steps(case, viewer) == workflow.Allowed()


def test_internal_notes_never_reach_the_history_or_the_sender(
    category, office, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    case = new_case(category, contact=notifying())
    secret = "Die Person hat schon dreimal angerufen."
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        workflow.add_note(case, secret, office)
        workflow.assign(case, category.unit, None, office)  # unchanged: no step
        workflow.assign(case, category.unit, office.person, office)
        workflow.record_first_answer(case, office)
        workflow.evaluate(case, True, "passt", office)

    note = CaseNote.objects.get(case=case)
    assert note.text == secret and note.author == office
    assert not CaseEvent.objects.filter(step__contains="angerufen").exists()
    assert [(s, p) for s, _, p in steps(case)] == [
        ("eingegangen", True),
        ("zugewiesen an FB-BD – Fachbereich Bürgerdienste, bearbeitet von Sabine Strategie", False),
        (workflow.FIRST_ANSWER_STEP, False),
        ("bewertet", True),
    ]
    case.refresh_from_db()
    # The recorded first answer stays; the later public step does not move it.
    assert case.first_answer_at == case.events.get(step=workflow.FIRST_ANSWER_STEP).at
    (mail,) = mailoutbox
    assert secret not in mail.body and TEXT not in mail.body
    # Logs name the case, never its text or the address.
    assert case.number in caplog.text
    assert EMAIL not in caplog.text and TEXT not in caplog.text and secret not in caplog.text


def test_mail_only_to_senders_who_asked_and_gave_an_address(
    category, office, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.ZIELWERK_BASE_URL = "https://ziele.example.org/"
    silent = new_case(
        category,
        text="Ohne Benachrichtigung.",
        contact=ContactData(name="B", email="b@example.org", consent=True),
    )
    anonymous = new_case(category, text="Ohne Kontaktdaten.")
    no_address = new_case(category, text="Ohne Adresse.")
    Contact.objects.create(case=no_address, name="C", phone="0711 1", notify=True)
    english = new_case(
        category, text="More benches please.", contact=notifying("e@example.org"), language="en"
    )
    with django_capture_on_commit_callbacks(execute=True):
        for case in (silent, anonymous, no_address, english):
            workflow.evaluate(case, True, "passt", office)

    (mail,) = mailoutbox
    assert mail.to == ["e@example.org"]
    assert f"https://ziele.example.org/en/anliegen/status/{english.tracking_token}/" in mail.body
    assert english.number in mail.subject


def test_a_step_undone_by_an_error_sends_no_mail(
    category, office, mailoutbox, django_capture_on_commit_callbacks
):
    from django.db import transaction

    case = new_case(category, contact=notifying())
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        workflow.evaluate(case, True, "passt", office)
        raise RuntimeError
    assert mailoutbox == []
    assert Case.objects.get(pk=case.pk).state == Case.State.RECEIVED


def test_staff_intake_by_an_editor_without_a_unit_goes_to_the_editor(staff):
    editor = user("buergerdienste")
    case = workflow.take_in(
        editor, kind=Case.Kind.PRAISE, text="Sehr freundlich am Schalter.", channel="phone"
    )
    case.refresh_from_db()
    assert case.unit == editor.person.unit and case.owner == editor.person
    assert case.created_by == editor
    count = Case.objects.count()
    refused(
        lambda: workflow.take_in(user("lesen"), kind="praise", text="x", channel="phone"),
        "Fälle erfassen dürfen",
        workflow.CasePermissionError,
    )
    assert Case.objects.count() == count

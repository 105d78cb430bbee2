"""The intake service: numbering, unit, first history entry, contact with consent, duplicate
check, and bad input that leaves nothing behind."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.cases.intake_support import make_category
from zielwerk.cases.intake import (
    MAX_TEXT_LENGTH,
    ContactData,
    DuplicateCase,
    create_case,
    fingerprint,
    next_number,
)
from zielwerk.cases.models import Case, CaseEvent, Contact
from zielwerk.goals.models import OperativeGoal

pytestmark = pytest.mark.django_db

WHEN = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 30))


def _case(text: str = "Der Radweg an der Marktstraße endet im Nichts.", **kwargs) -> Case:
    return create_case(
        kind=kwargs.pop("kind", Case.Kind.IMPULSE),
        text=text,
        channel=kwargs.pop("channel", Case.Channel.WEB),
        received_at=kwargs.pop("received_at", WHEN),
        **kwargs,
    )


def _nothing_stored() -> bool:
    return not (Case.objects.exists() or Contact.objects.exists() or CaseEvent.objects.exists())


def test_a_case_gets_number_unit_fingerprint_and_a_public_first_event():
    category = make_category()
    case = _case(category=category, language="en")

    case.refresh_from_db()
    assert case.number == "A-2026-00001"
    assert case.unit == category.unit and case.state == Case.State.RECEIVED
    assert case.language == "en" and case.channel == Case.Channel.WEB
    assert case.fingerprint == fingerprint(case.text, Case.Kind.IMPULSE, category)
    assert len(case.tracking_token) >= 32
    (event,) = case.events.all()
    assert (event.step, event.state, event.is_public, event.at) == (
        "eingegangen",
        Case.State.RECEIVED,
        True,
        WHEN,
    )
    assert not Contact.objects.exists()


def test_numbers_count_up_within_a_year_and_restart_in_the_next():
    first = _case("Erstes Anliegen")
    second = _case("Zweites Anliegen")
    next_year = _case("Im neuen Jahr", received_at=WHEN.replace(year=2027))

    assert [first.number, second.number, next_year.number] == [
        "A-2026-00001",
        "A-2026-00002",
        "A-2027-00001",
    ]


def test_the_sequence_goes_on_past_five_digits():
    _case("Vorheriges").__class__.objects.filter(number="A-2026-00001").update(
        number="A-2026-99999"
    )
    assert next_number(2026) == "A-2026-100000"
    _case("Hunderttausendstes")
    assert next_number(2026) == "A-2026-100001"


def test_contact_is_stored_apart_with_the_time_of_consent(seed_edition):
    user = get_user_model().objects.create_user("erfassung")
    goal = OperativeGoal.objects.first()
    before = timezone.now()
    case = _case(
        channel=Case.Channel.PHONE,
        contact=ContactData(
            name=" Erika Beispiel ", email="erika@beispiel.invalid", notify=True, consent=True
        ),
        user=user,
        operative_goals=[goal],
    )

    contact = Contact.objects.get(case=case)
    assert (contact.name, contact.email, contact.notify) == (
        "Erika Beispiel",
        "erika@beispiel.invalid",
        True,
    )
    assert contact.consent_at >= before
    assert case.created_by == user and case.events.get().actor == user
    assert list(case.operative_goals.all()) == [goal]


def test_empty_contact_data_stores_no_contact_row():
    case = _case(contact=ContactData(name="  ", consent=False))
    assert not Contact.objects.filter(case=case).exists()


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"kind": "wunsch"}, "kind", "Unbekannte Art „wunsch“"),
        ({"channel": "fax"}, "channel", "Unbekannter Eingangsweg „fax“"),
        ({"text": "   "}, "text", "Das Anliegen ist leer."),
        ({"text": "x" * (MAX_TEXT_LENGTH + 1)}, "text", "zu lang: 5001 Zeichen, höchstens 5000"),
        ({"contact": ContactData(email="a@b.invalid")}, "consent", "die Einwilligung fehlt"),
        (
            {"contact": ContactData(name="Erika", notify=True, consent=True)},
            "email",
            "wird eine E-Mail-Adresse gebraucht",
        ),
    ],
)
def test_bad_input_is_named_by_field_and_stores_nothing(kwargs, field, message):
    with pytest.raises(ValidationError) as raised:
        _case(**kwargs)

    assert message in " ".join(raised.value.message_dict[field])
    assert _nothing_stored()


def test_the_same_text_within_ten_minutes_is_a_duplicate():
    category = make_category()
    first = _case("Bitte mehr Bänke im Stadtpark.", category=category)

    with pytest.raises(DuplicateCase) as raised:
        _case(
            "  bitte mehr  bänke im Stadtpark. ",
            category=category,
            received_at=WHEN + datetime.timedelta(minutes=9),
        )

    assert raised.value.case == first and "A-2026-00001" in str(raised.value)
    assert Case.objects.count() == 1 and CaseEvent.objects.count() == 1
    # Another kind, another category, or a later time is a case of its own.
    _case("Bitte mehr Bänke im Stadtpark.", category=category, kind=Case.Kind.COMPLAINT)
    _case("Bitte mehr Bänke im Stadtpark.")
    _case(
        "Bitte mehr Bänke im Stadtpark.",
        category=category,
        received_at=WHEN + datetime.timedelta(minutes=11),
    )
    assert Case.objects.count() == 4


def test_people_sending_the_same_campaign_text_are_separate_cases():
    category = make_category()
    text = "Ich unterstütze die Sammeleinwendung gegen die Gebührenerhöhung."
    consent = {"consent": True}
    first = _case(
        text, category=category, contact=ContactData(email="a@beispiel.invalid", **consent)
    )

    second = _case(
        text, category=category, contact=ContactData(email="b@beispiel.invalid", **consent)
    )
    with pytest.raises(DuplicateCase) as raised:
        _case(text, category=category, contact=ContactData(email="A@Beispiel.invalid", **consent))

    assert first != second and raised.value.case == first
    assert Case.objects.count() == 2

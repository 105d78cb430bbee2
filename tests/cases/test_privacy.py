"""Erasure of personal data after the retention period and the export for a request for
access (Art. 15 DSGVO), as services and as `zielwerk` commands."""

import datetime
import json
from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from zielwerk.cases.intake import ContactData, create_case
from zielwerk.cases.models import Case, CaseEvent, Category, Contact
from zielwerk.cases.privacy import (
    PURGED_STEP,
    PURGED_TEXT,
    export_personal_data,
    purge_personal_data,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
NAME = "Hanna Geheim"
EMAIL = "hanna.geheim@beispiel.invalid"


def _moment(days_before: int) -> datetime.datetime:
    day = TODAY - datetime.timedelta(days=days_before)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _case(text: str, received: int, completed: int | None = None, email: str = EMAIL) -> Case:
    category, _ = Category.objects.get_or_create(key="test", defaults={"name": "Test"})
    case = create_case(
        kind=Case.Kind.COMPLAINT,
        text=text,
        channel=Case.Channel.WEB,
        category=category,
        contact=ContactData(name=NAME, email=email, phone="0711 123", consent=True),
        received_at=_moment(received),
    )
    if completed is not None:
        case.completed_at = _moment(completed)
        case.state = Case.State.ANSWERED
        case.answer = "Erledigt."
        case.save()
    return case


@pytest.fixture
def cases(settings):
    settings.ZIELWERK_CASE_RETENTION_DAYS = 100
    return {
        "answered_long_ago": _case("Frau Geheim, Hauptstraße 1, beschwert sich.", 300, 150),
        "answered_recently": _case("Anliegen mit Namen Hanna Geheim.", 300, 50),
        "open_very_old": _case("Offenes altes Anliegen von Hanna.", 250),
        "open_old": _case("Offenes Anliegen von Hanna.", 150),
    }


def test_purge_erases_contact_and_text_after_the_retention_period(cases):
    summary = purge_personal_data(TODAY)

    assert (summary.cases, summary.contacts) == (2, 2)
    for key in ("answered_long_ago", "open_very_old"):
        case = Case.objects.get(pk=cases[key].pk)
        assert case.text == PURGED_TEXT
        assert case.fingerprint == ""
        assert not Contact.objects.filter(case=case).exists()
        event = case.events.get(step=PURGED_STEP)
        assert not event.is_public
        assert event.state == case.state
    # The figures stay: kind, category, dates, state and answer.
    kept = Case.objects.get(pk=cases["answered_long_ago"].pk)
    assert kept.completed_at == _moment(150)
    assert (kept.state, kept.answer, kept.category.key) == ("answered", "Erledigt.", "test")


def test_purge_leaves_younger_cases(cases):
    purge_personal_data(TODAY)

    for key in ("answered_recently", "open_old"):
        case = Case.objects.get(pk=cases[key].pk)
        assert "Hanna" in case.text
        assert case.contact.email == EMAIL
        assert not case.events.filter(step=PURGED_STEP).exists()


def test_purge_twice_erases_nothing_twice(cases):
    purge_personal_data(TODAY)
    events = CaseEvent.objects.count()

    again = purge_personal_data(TODAY)

    assert (again.cases, again.contacts) == (0, 0)
    assert CaseEvent.objects.count() == events


def test_dry_run_changes_nothing(cases):
    summary = purge_personal_data(TODAY, dry_run=True)

    assert (summary.cases, summary.contacts, summary.dry_run) == (2, 2, True)
    assert Contact.objects.count() == 4
    assert not Case.objects.filter(text=PURGED_TEXT).exists()
    assert not CaseEvent.objects.filter(step=PURGED_STEP).exists()


def test_export_finds_every_case_of_the_address_and_nothing_else(cases):
    other = _case("Anliegen einer anderen Person.", 10, email="otto.anders@beispiel.invalid")

    data = export_personal_data("  HANNA.Geheim@Beispiel.invalid ")

    numbers = {record["nummer"] for record in data["faelle"]}
    assert numbers == {case.number for case in cases.values()}
    assert other.number not in numbers
    assert data["anzahl_faelle"] == 4
    record = next(r for r in data["faelle"] if r["nummer"] == cases["answered_long_ago"].number)
    assert record["kontaktdaten"] == {
        "name": NAME,
        "email": EMAIL,
        "telefon": "0711 123",
        "benachrichtigung_gewuenscht": False,
        "einwilligung_am": record["kontaktdaten"]["einwilligung_am"],
    }
    assert record["anliegen"].startswith("Frau Geheim")
    assert (record["art"], record["stand"], record["antwort"]) == (
        "Beschwerde",
        "beantwortet",
        "Erledigt.",
    )
    assert [step["schritt"] for step in record["verlauf"]] == ["eingegangen"]
    # JSON-ready as it is.
    assert json.loads(json.dumps(data))["faelle"][0]["nummer"]
    assert "otto.anders" not in json.dumps(data)


def test_export_leaves_out_internal_history(cases):
    CaseEvent.objects.create(
        case=cases["open_old"],
        at=timezone.now(),
        state=Case.State.RECEIVED,
        step="intern weitergeleitet",
        is_public=False,
    )

    data = export_personal_data(EMAIL)

    steps = [s["schritt"] for r in data["faelle"] for s in r["verlauf"]]
    assert "intern weitergeleitet" not in steps


def test_after_purge_the_export_no_longer_finds_erased_cases(cases):
    purge_personal_data(TODAY)

    numbers = {r["nummer"] for r in export_personal_data(EMAIL)["faelle"]}

    assert numbers == {cases["answered_recently"].number, cases["open_old"].number}


def test_purge_command_prints_counts_but_no_personal_data(cases):
    out = StringIO()

    call_command("purge_personal_data", "--date", TODAY.isoformat(), "--dry-run", stdout=out)

    text = out.getvalue()
    assert "Probelauf" in text
    assert "von 2 Fällen würden gelöscht" in text
    assert Contact.objects.count() == 4

    out = StringIO()
    call_command("purge_personal_data", "--date", TODAY.isoformat(), stdout=out)

    text = out.getvalue()
    assert "von 2 Fällen gelöscht (2 Kontaktdaten" in text
    assert "100 Tage" in text
    for secret in (NAME, EMAIL, "Hanna", "Hauptstraße", *(c.number for c in cases.values())):
        assert secret not in text
    assert Contact.objects.count() == 2


def test_purge_command_rejects_a_bad_date(cases):
    with pytest.raises(CommandError, match="JJJJ-MM-TT"):
        call_command("purge_personal_data", "--date", "15.06.2026")

    assert Contact.objects.count() == 4


def test_export_command_writes_json(cases, tmp_path):
    target = tmp_path / "auskunft.json"
    out, err = StringIO(), StringIO()

    call_command("export_personal_data", EMAIL, "--output", str(target), stdout=out, stderr=err)

    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["anzahl_faelle"] == 4
    assert "4 Fälle" in err.getvalue()
    # Nothing personal on the console, where it might end up in a log.
    assert NAME not in out.getvalue() + err.getvalue()


def test_export_command_says_when_nothing_is_found(cases):
    out, err = StringIO(), StringIO()

    call_command("export_personal_data", "niemand@beispiel.invalid", stdout=out, stderr=err)

    assert json.loads(out.getvalue())["faelle"] == []
    assert "keine Fälle" in err.getvalue()


def test_export_command_rejects_what_is_no_address(cases):
    with pytest.raises(CommandError, match="keine E-Mail-Adresse"):
        call_command("export_personal_data", "Hanna Geheim")


def test_demo_cases_past_the_period_are_purged(demo):
    """The demo has answered cases older than the default period of 365 days."""
    summary = purge_personal_data()

    assert summary.cases >= 2
    assert (
        not Case.objects.filter(received_at__lt=summary.received_before)
        .exclude(text=PURGED_TEXT)
        .exists()
    )


def test_loading_the_demo_mails_no_sample_sender(
    db, django_capture_on_commit_callbacks, mailoutbox
):
    from zielwerk.demo import load_demo

    with django_capture_on_commit_callbacks(execute=True):
        load_demo()

    assert mailoutbox == []
    # The wish for notification is there once the demo's own steps are committed.
    assert Contact.objects.filter(notify=True).count() == 7
    assert Contact.objects.filter(email__endswith="@beispiel.invalid").count() == 15


def test_sample_file_slips_are_named():
    from zielwerk.cases.demo import SAMPLE_FILE, check_sample_keys

    shipped = yaml.safe_load(SAMPLE_FILE.read_text(encoding="utf-8"))["cases"]
    check_sample_keys(shipped)
    # An unquoted comma in a flow mapping turns the rest of an answer into a key of its own.
    slip = yaml.safe_load("- {kind: praise, answer: {days: -1, text: Danke, schön}}")

    with pytest.raises(ValueError, match="Fall 1, answer: unbekannte Angabe „schön“"):
        check_sample_keys(slip)


def test_purge_works_in_batches(cases, monkeypatch):
    from zielwerk.cases import privacy

    monkeypatch.setattr(privacy, "BATCH", 1)

    assert purge_personal_data(TODAY).cases == 2
    assert Case.objects.filter(text=PURGED_TEXT).count() == 2
    assert CaseEvent.objects.filter(step=PURGED_STEP).count() == 2
    assert Contact.objects.count() == 2

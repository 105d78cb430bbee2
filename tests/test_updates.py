"""Update duties, "my updates", the stale overview and the reminder e-mails (zielwerk/updates)."""

import datetime
import io
import socket

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from zielwerk.cli import main as zielwerk_cli
from zielwerk.indicators.definitions import DefinitionsError, load_definitions
from zielwerk.indicators.models import Indicator, Value
from zielwerk.measures.models import Measure, MeasureStatus, StatusReport, WorkItem
from zielwerk.org.models import OrgUnit, Person
from zielwerk.updates.models import Reminder
from zielwerk.updates.schedule import Cycle, DutyState
from zielwerk.updates.services import (
    ItemKind,
    my_updates,
    send_reminders,
    stale_overview,
    tracked_items,
)

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 5, 20)
JAN_2025, JAN_2026 = D(2025, 1, 1), D(2026, 1, 1)
MINE = "/verwaltung/meine-aktualisierungen/"
OVERVIEW = "/verwaltung/aktualisierungen/"


@pytest.fixture
def org(demo):
    """The demo organisation with nothing owed on TODAY: the sample items are tracked from
    TODAY on, so each test sees only the items it makes."""
    Measure.objects.update(updates_since=TODAY)
    Indicator.objects.update(updates_since=TODAY)
    return demo


def person(username: str) -> Person:
    return Person.objects.select_related("user").get(user__username=username)


def measure(number: str, unit: str, *, since=JAN_2026, due_days=30, **fields) -> Measure:
    """A quarterly measure; on TODAY its first quarter of 2026 is overdue (due 30 April)."""
    defaults = {
        "status": MeasureStatus.objects.get(key="in-umsetzung"),
        "update_cycle": Cycle.QUARTERLY,
    }
    return Measure.objects.create(
        number=number,
        title=f"Testmaßnahme {number}",
        responsible_unit=OrgUnit.objects.get(code=unit),
        updates_since=since,
        update_due_days=due_days,
        **(defaults | fields),
    )


def indicator(code: str, unit: str | None, *, cycle=Cycle.YEARLY, since=JAN_2025, **fields):
    return Indicator.objects.create(
        code=code,
        name=f"Testindikator {code}",
        direction="increase",
        owner=OrgUnit.objects.get(code=unit) if unit else None,
        update_cycle=cycle,
        updates_since=since,
        **fields,
    )


def report(measure: Measure, start: D, end: D, period: str) -> StatusReport:
    return StatusReport.objects.create(
        measure=measure,
        period=period,
        period_start=start,
        period_end=end,
        time="gruen",
        cost="gruen",
        quality="gruen",
        text="Alles im Plan.",
    )


def duties_of(number_or_code: str, today=TODAY) -> list[tuple[str, DutyState]]:
    (item,) = [i for i in tracked_items(today) if i.name.startswith(number_or_code + " ")]
    return [(d.period.label, d.state) for d in item.duties]


def responsible_of(name: str) -> list[str]:
    (item,) = [i for i in tracked_items(TODAY) if i.name.startswith(name + " ")]
    return [p.user.username for p in item.responsible]


# --- duties -------------------------------------------------------------------------------


def test_a_measure_delivers_with_a_status_report_overlapping_the_period(org):
    m = measure("T-1", "FB-FIN")
    assert duties_of("T-1") == [("2026-Q1", DutyState.OVERDUE)]
    # A report for part of the quarter counts: the report period overlaps it.
    report(m, D(2026, 2, 1), D(2026, 2, 28), "2026-02")
    assert duties_of("T-1") == []
    assert duties_of("T-1", today=D(2026, 7, 10)) == [("2026-Q2", DutyState.DUE)]


def test_closed_measures_and_measures_not_yet_started_owe_nothing(org):
    measure("T-1", "FB-FIN", status=MeasureStatus.objects.get(key="abgeschlossen"))
    measure("T-2", "FB-FIN", start=D(2026, 4, 1))
    names = [i.name for i in tracked_items(TODAY)]
    assert not any(name.startswith("T-1 ") for name in names)
    assert duties_of("T-2") == []
    assert duties_of("T-2", today=D(2026, 8, 1)) == [("2026-Q2", DutyState.OVERDUE)]


def test_an_indicator_delivers_with_any_value_in_the_period(org):
    yearly = indicator("t-jahr", "FB-FIN")
    quarterly = indicator("t-quartal", "FB-FIN", cycle=Cycle.QUARTERLY, since=D(2025, 10, 1))
    assert duties_of("t-jahr") == [("2025", DutyState.OVERDUE)]
    assert duties_of("t-quartal") == [
        ("2025-Q4", DutyState.OVERDUE),
        ("2026-Q1", DutyState.OVERDUE),
    ]
    # A value waiting for approval counts as delivered; a yearly figure (month 0) closes Q4.
    Value.objects.create(indicator=yearly, year=2025, month=0, value=1.0)
    Value.objects.create(indicator=quarterly, year=2025, month=0, value=1.0)
    Value.objects.create(indicator=quarterly, year=2026, month=2, value=1.0)
    assert duties_of("t-jahr") == []
    assert duties_of("t-quartal") == []


def test_who_is_responsible(org):
    strategie, finanzen = person("strategie"), person("finanzen")
    measure("T-OWNER", "FB-FIN", update_owner=strategie, contact=finanzen)
    measure("T-CONTACT", "FB-BD", contact=strategie)
    measure("T-UNIT", "FB-FIN")
    measure("T-ABOVE", "FB-FIN-HH")
    measure("T-NOBODY", "FB-PO")
    indicator("t-owner", "FB-PO", update_owner=finanzen)
    indicator("t-unit", "FB-BD")
    indicator("t-no-unit", None)
    assert responsible_of("T-OWNER") == ["strategie"]
    assert responsible_of("T-CONTACT") == ["strategie"]
    assert responsible_of("T-UNIT") == ["finanzen"]
    # No editor in the Abteilung: the editors of the Fachbereich above answer for it.
    assert responsible_of("T-ABOVE") == ["finanzen"]
    assert responsible_of("T-NOBODY") == []
    assert responsible_of("t-owner") == ["finanzen"]
    assert responsible_of("t-unit") == ["buergerdienste"]
    assert responsible_of("t-no-unit") == []
    # A deactivated login answers for nothing: the contact, then the unit takes over.
    get_user_model().objects.filter(username="strategie").update(is_active=False)
    assert responsible_of("T-OWNER") == ["finanzen"]
    assert responsible_of("T-CONTACT") == ["buergerdienste"]


def test_duties_need_the_same_few_queries_for_many_items(org, django_assert_max_num_queries):
    for n in range(30):
        m = measure(f"T-{n}", "FB-FIN", contact=person("strategie"))
        report(m, D(2026, 1, 1), D(2026, 3, 31), "2026-Q1")
        indicator(f"t-{n}", "FB-BD", update_owner=person("finanzen"))
    with django_assert_max_num_queries(8):
        items = tracked_items(TODAY)
    assert len(items) >= 60


# --- my updates and the overview -------------------------------------------------------------


def test_my_updates_lists_what_a_person_owns_and_what_their_units_owe(org):
    finanzen, strategie = person("finanzen"), person("strategie")
    measure("T-FIN", "FB-FIN")
    measure("T-HH", "FB-FIN-HH", since=D(2026, 1, 1), due_days=50)
    measure("T-OTHER", "FB-FIN", update_owner=strategie)
    measure("T-OWNED", "FB-BD", update_owner=finanzen)
    measure("T-BD", "FB-BD")
    task = measure("T-TASKS", "FB-PO", since=TODAY)
    WorkItem.objects.create(
        measure=task, kind="aufgabe", title="Spät", due_on=D(2026, 5, 1), assignee=finanzen
    )
    WorkItem.objects.create(
        measure=task, kind="aufgabe", title="Erledigt", due_on=D(2026, 5, 1), done_on=TODAY,
        assignee=finanzen,
    )  # fmt: skip
    WorkItem.objects.create(
        measure=task, kind="aufgabe", title="Später", due_on=D(2026, 6, 1), assignee=finanzen
    )
    mine = my_updates(finanzen, TODAY)
    assert [(u.item.name[:7], u.period_name) for u in mine.overdue] == [
        ("T-FIN T", "1. Quartal 2026"),
        ("T-OWNED", "1. Quartal 2026"),
    ]
    assert [(u.item.name[:4], u.days) for u in mine.due] == [("T-HH", 0)]
    assert [t.title for t in mine.tasks if t.measure == task] == ["Spät", "Später"]
    assert [u.item.name[:7] for u in my_updates(strategie, TODAY).overdue] == ["T-OTHER"]
    assert [u.item.name[:4] for u in my_updates(person("buergerdienste"), TODAY).overdue] == [
        "T-BD"
    ]


def test_the_overview_lists_what_is_stale_oldest_first_with_counts_per_unit(org):
    m = measure("T-OLD", "FB-FIN-HH", since=D(2025, 7, 1))
    report(m, D(2025, 7, 1), D(2025, 9, 30), "2025-Q3")
    measure("T-NEW", "FB-BD")
    measure("T-DUE", "FB-BD", due_days=60)
    measure("T-NOBODY", "FB-PO")
    overview = stale_overview(TODAY)
    assert [(u.item.name[:8], u.duty.period.label) for u in overview.overdue] == [
        ("T-OLD Te", "2025-Q4"),
        ("T-NEW Te", "2026-Q1"),
        ("T-NOBODY", "2026-Q1"),
        ("T-OLD Te", "2026-Q1"),
    ]
    assert overview.overdue[0].item.last_delivery == datetime.date.today()
    assert [i.name[:8] for i in overview.unassigned if i.name.startswith("T-")] == ["T-NOBODY"]
    counts = {c.unit.code: (c.overdue, c.due, c.unassigned) for c in overview.per_unit if c.unit}
    assert counts["FB-FIN-HH"] == (2, 0, 0)
    assert counts["FB-BD"] == (1, 1, 0)
    assert counts["FB-PO"][:2] == (1, 0)
    d2 = stale_overview(TODAY, OrgUnit.objects.get(code="D2"))
    assert [u.item.name[:5] for u in d2.overdue] == ["T-OLD", "T-NEW", "T-OLD"]


# --- reminders ----------------------------------------------------------------------------


def test_a_reminder_mail_for_a_due_and_an_overdue_update(org, mailoutbox, settings):
    settings.ZIELWERK_BASE_URL = "https://ziele.example.org/"
    due = measure("T-DUE", "FB-FIN", due_days=53)  # Q1 due on 23 May: in three days
    overdue = indicator("t-spaet", "FB-FIN-HH", update_due_days=90)  # 2025 due on 31 March
    measure("T-LATER", "FB-FIN", due_days=61)  # due in 11 days: not yet
    run = send_reminders(TODAY)
    assert run.summary() == "2 Erinnerungen an 1 Person gesendet."
    (mail,) = mailoutbox
    assert mail.to == ["finanzen@beispiel.invalid"]
    assert mail.subject == "zielwerk: Erinnerung an 2 Aktualisierungen"
    body = mail.body
    assert "Guten Tag Fritz Finanzen," in body
    overdue_part, due_part = body.split("Bald fällig:")
    assert "Indikator t-spaet – Testindikator t-spaet" in overdue_part
    assert "Zeitraum 2025, fällig seit 31.03.2026 (50 Tage überfällig)" in overdue_part
    assert f"https://ziele.example.org/verwaltung/indicators/indicator/{overdue.pk}/change/" in (
        overdue_part
    )
    assert "Maßnahme T-DUE Testmaßnahme T-DUE" in due_part
    assert "Zeitraum 1. Quartal 2026, fällig am 23.05.2026 (in 3 Tagen)" in due_part
    assert f"https://ziele.example.org/verwaltung/measures/measure/{due.pk}/change/" in due_part
    assert "https://ziele.example.org/verwaltung/meine-aktualisierungen/" in due_part
    assert "T-LATER" not in body
    logged = Reminder.objects.order_by("kind")
    assert [(r.measure, r.indicator, r.period, r.kind, r.recipients) for r in logged] == [
        (None, overdue, "2025", "after", "finanzen@beispiel.invalid"),
        (due, None, "2026-Q1", "before", "finanzen@beispiel.invalid"),
    ]


def test_each_reminder_goes_out_once_then_once_more_after_the_due_date(org, mailoutbox):
    measure("T-DUE", "FB-FIN", due_days=53)
    send_reminders(TODAY)
    again = send_reminders(TODAY)
    assert len(mailoutbox) == 1
    assert again.summary() == "Keine Erinnerung zu senden."
    assert send_reminders(D(2026, 5, 22)).reminders == []
    after = send_reminders(D(2026, 5, 24))
    assert [(p.kind, p.update.days) for p in after.reminders] == [("after", 1)]
    assert "1 Tag überfällig" in mailoutbox[1].body
    assert Reminder.objects.count() == 2


def test_people_without_address_and_items_without_anyone_are_reported(org, mailoutbox):
    get_user_model().objects.filter(username="buergerdienste").update(email="")
    measure("T-BD", "FB-BD")
    measure("T-NOBODY", "FB-PO")
    run = send_reminders(TODAY)
    assert run.summary() == (
        "Keine Erinnerung zu senden; 1 Person ohne E-Mail-Adresse: Berta Bürgerdienste; "
        "1 Aktualisierung ohne Zuständige: T-NOBODY Testmaßnahme T-NOBODY (2026-Q1)."
    )
    assert mailoutbox == []
    # Nothing is logged, so the reminder goes out once someone has an address.
    assert not Reminder.objects.exists()
    get_user_model().objects.filter(username="buergerdienste").update(email="bd@beispiel.invalid")
    assert send_reminders(TODAY).summary().startswith("1 Erinnerung an 1 Person gesendet")
    assert mailoutbox[0].to == ["bd@beispiel.invalid"]


def test_a_mail_server_that_cannot_be_reached_logs_nothing(org, settings, capsys):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", free_port, False
    measure("T-DUE", "FB-FIN", due_days=53)
    with pytest.raises(CommandError, match="Nicht jede Erinnerung konnte gesendet werden"):
        call_command("send_reminders", "--date", "2026-05-20")
    assert "Versand gescheitert an: finanzen@beispiel.invalid" in capsys.readouterr().out
    assert not Reminder.objects.exists()


def test_the_command_sends_or_shows_what_it_would_send(org, mailoutbox):
    measure("T-DUE", "FB-FIN", due_days=53)
    out = io.StringIO()
    call_command("send_reminders", "--date", "2026-05-20", "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == [
        "  finanzen@beispiel.invalid: T-DUE Testmaßnahme T-DUE 2026-Q1",
        "Probelauf: 1 Erinnerung an 1 Person würden gesendet.",
    ]
    assert mailoutbox == [] and not Reminder.objects.exists()
    out = io.StringIO()
    call_command("send_reminders", "--date", "2026-05-20", stdout=out)
    assert out.getvalue() == "1 Erinnerung an 1 Person gesendet.\n"
    assert len(mailoutbox) == 1


def test_the_command_refuses_a_bad_date(db, capsys):
    with pytest.raises(CommandError, match="„2026-02-30“ ist kein Datum im Format JJJJ-MM-TT"):
        call_command("send_reminders", "--date", "2026-02-30")
    assert not Reminder.objects.exists()
    # Last: the command line closes the database connections when it ends.
    with pytest.raises(SystemExit) as exit_:
        zielwerk_cli(["zielwerk", "send-reminders", "--date", "20.05.2026"])
    assert exit_.value.code == 1
    assert "--date: „20.05.2026“ ist kein Datum" in capsys.readouterr().err


# --- pages --------------------------------------------------------------------------------


def test_my_updates_page(org, client, login):
    today = datetime.date.today()
    late = measure("T-LATE", "FB-FIN", since=today.replace(year=today.year - 1))
    login("finanzen")
    page = client.get(MINE).content.decode()
    assert "<caption>Überfällig (" in page
    assert f'href="/verwaltung/measures/measure/{late.pk}/change/">T-LATE Testmaßnahme' in page
    assert "Offene Aufgaben" in page
    assert 'href="/verwaltung/aktualisierungen/"' not in page
    login("lesen")
    response = client.get(MINE)
    assert response.status_code == 200
    assert "Nichts ist überfällig." in response.content.decode()


def test_the_overview_is_for_the_strategy_office(org, client, login):
    today = datetime.date.today()
    measure("T-LATE", "FB-FIN", since=today.replace(year=today.year - 1))
    measure("T-BD-LATE", "FB-BD", since=today.replace(year=today.year - 1))
    for username in ("finanzen", "lesen"):
        login(username)
        assert client.get(OVERVIEW).status_code == 403
    login("strategie")
    assert 'href="/verwaltung/aktualisierungen/"' in client.get(MINE).content.decode()
    page = client.get(OVERVIEW).content.decode()
    assert "<caption>Nach Organisationseinheit</caption>" in page
    assert "T-LATE Testmaßnahme" in page and "T-BD-LATE Testmaßnahme" in page
    filtered = client.get(OVERVIEW, {"einheit": "FB-FIN"}).content.decode()
    assert "T-LATE Testmaßnahme" in filtered and "T-BD-LATE" not in filtered
    unknown = client.get(OVERVIEW, {"einheit": "GIBTS-NICHT"}).content.decode()
    assert "Die Einheit „GIBTS-NICHT“ gibt es nicht." in unknown


def test_anonymous_visitors_are_sent_to_the_login(db, client):
    for url in (MINE, OVERVIEW):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/verwaltung/login/")


def test_the_reminder_log_is_read_only(org, client, login, mailoutbox):
    measure("T-DUE", "FB-FIN", due_days=53)
    send_reminders(TODAY)
    reminder = Reminder.objects.get()
    login("lesen")
    assert ">T-DUE<" in client.get("/verwaltung/updates/reminder/").content.decode()
    login("strategie")
    assert client.get("/verwaltung/updates/reminder/add/").status_code == 403
    response = client.post(f"/verwaltung/updates/reminder/{reminder.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Reminder.objects.count() == 1


# --- definitions and demo -----------------------------------------------------------------


def test_indicator_definitions_carry_the_update_schedule(org):
    entry = {"code": "t-def", "name": "Test", "direction": "increase", "owner": "FB-FIN"}
    schedule = {"cycle": "quarterly", "due_days": 45, "owner": "finanzen", "since": D(2026, 1, 1)}
    loaded = load_definitions({"indicators": [entry | {"update": schedule}]}, org.edition)
    (stored,) = loaded.indicators
    stored = Indicator.objects.get(pk=stored.pk)
    assert (stored.cycle, stored.update_due_days, stored.updates_since) == (
        Cycle.QUARTERLY,
        45,
        D(2026, 1, 1),
    )
    assert stored.update_owner == person("finanzen")


def test_bad_update_schedules_are_named_and_nothing_is_stored(org):
    entry = {"code": "t-bad", "name": "Test", "direction": "increase"}
    bad = {"cycle": "weekly", "due_days": -1, "owner": "niemand", "since": "bald", "every": 2}
    with pytest.raises(DefinitionsError) as error:
        load_definitions({"indicators": [entry | {"update": bad}]}, org.edition)
    assert error.value.errors == [
        "indicators[0].update: unbekannte Angaben every.",
        "indicators[0].update.cycle: erlaubt sind monthly, quarterly, half_yearly, yearly.",
        "indicators[0].update.due_days: erwartet wird eine Zahl von Tagen (0 bis 32767).",
        "indicators[0].update.since: erwartet wird ein Datum JJJJ-MM-TT.",
        "indicators[0].update.owner: keine Person mit dem Benutzernamen „niemand“.",
    ]
    assert not Indicator.objects.filter(code="t-bad").exists()


def test_the_demo_shows_due_and_overdue_updates_today(demo):
    today = datetime.date.today()
    assert all(u.email.endswith("@beispiel.invalid") for u in get_user_model().objects.all())
    strategie = my_updates(person("strategie"), today)
    assert [u.item.name[:7] for u in strategie.due] == ["M-12-03"]
    assert strategie.due[0].days == 3
    finanzen = my_updates(person("finanzen"), today)
    assert "M-12-06" in [u.item.name[:7] for u in finanzen.overdue]
    assert finanzen.tasks[0].due_on < today
    overview = stale_overview(today)
    assert "M-12-01" in [i.name[:7] for i in overview.unassigned]
    up_to_date = [i for i in tracked_items(today) if not i.duties]
    assert {ItemKind.MEASURE, ItemKind.INDICATOR} <= {i.kind for i in up_to_date}


@pytest.mark.parametrize(("username", "sees_overview"), [("strategie", True), ("lesen", False)])
def test_the_admin_start_page_links_the_update_pages(demo, client, login, username, sees_overview):
    login(username)
    page = client.get("/verwaltung/").content.decode()
    assert 'href="/verwaltung/meine-aktualisierungen/"' in page
    assert ('href="/verwaltung/aktualisierungen/"' in page) is sees_overview
    assert "Indikatoren" in page

"""Service level of cases: deadlines, overdue flags, the report, indicator values, reminders."""

from __future__ import annotations

import datetime
import re
from itertools import count

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import include, path
from django.utils import timezone

import zielwerk.urls
from zielwerk.cases.models import Case, CaseReminder, Category
from zielwerk.cases.reminders import send_case_reminders
from zielwerk.cases.servicelevel import (
    ServiceLevelError,
    deadlines,
    nearest_rank,
    overdue_cases,
    period_bounds,
    record_service_level,
    service_level,
)
from zielwerk.cases.workdays import add_working_days
from zielwerk.indicators.models import Indicator, ReportingPeriod, Value, ValueRevision
from zielwerk.org.models import OrgUnit, Person

pytestmark = pytest.mark.django_db

# Until zielwerk/urls.py includes zielwerk.cases.urls, the page test routes it itself.
urlpatterns = [path("", include("zielwerk.cases.urls")), *zielwerk.urls.urlpatterns]

D = datetime.date
MONDAY = D(2026, 3, 2)  # no holiday for weeks around it
numbers = count(1)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def make_case(category, received, *, done=None, first=None, **fields) -> Case:
    """A case received on a day, first answered and completed after so many working days."""
    return Case.objects.create(
        number=f"T-{next(numbers):05d}",
        kind=fields.pop("kind", Case.Kind.COMPLAINT),
        category=category,
        text="Anliegen",
        channel=Case.Channel.WEB,
        received_at=at(received),
        first_answer_at=None if first is None else at(add_working_days(received, first), 11),
        completed_at=None if done is None else at(add_working_days(received, done), 15),
        **fields,
    )


@pytest.fixture
def standards():
    a = Category.objects.create(key="a", name="Kategorie A", first_answer_days=2, completion_days=5)
    b = Category.objects.create(key="b", name="Kategorie B", first_answer_days=1, completion_days=3)
    return a, b


@pytest.fixture
def known_set(standards):
    a, b = standards
    # Handling times in working days; first answers: None means answered with the completion.
    for done, first in [(0, None), (1, None), (2, 1), (3, 3), (5, 2), (6, 2)]:
        make_case(a, MONDAY, done=done, first=first)
    for done, first in [(8, 1), (10, None), (12, 2), (20, 4)]:
        make_case(a, MONDAY, done=done, first=first)
    for done, first in [(1, 1), (3, 2), (4, None)]:
        make_case(b, MONDAY, done=done, first=first)
    # Completed in December 2025, before the period: not counted.
    make_case(a, D(2025, 12, 1), done=2)
    # Without a category: counted apart.
    make_case(None, MONDAY, done=2)
    return a, b


def test_nearest_rank_definition():
    import numpy as np

    values = np.array([1, 2, 3, 4])
    assert nearest_rank(values, 50) == 2  # the lower middle value
    assert nearest_rank(values, 90) == 4
    assert nearest_rank(np.array([7]), 90) == 7
    assert nearest_rank(np.array([], dtype=int), 50) is None
    assert nearest_rank(np.arange(1, 11), 90) == 9


def test_report_gives_exact_shares_median_and_p90(known_set):
    a, b = known_set
    report = service_level([a, b], *period_bounds(2026), today=D(2026, 12, 31))
    row_a, row_b = report.row(a), report.row(b)
    assert (row_a.completed, row_a.within, row_a.share_within) == (10, 5, 50.0)
    # First answers within 2 days: 0, 1, (1), (3 → no), (2), (2), (1), (10 → no), (2), (4 → no).
    assert (row_a.first_within, row_a.share_first_within) == (7, 70.0)
    # Sorted 0 1 2 3 5 6 8 10 12 20: rank 5 and rank 9.
    assert (row_a.median, row_a.p90) == (5, 12)
    assert (row_b.completed, row_b.within, row_b.first_within) == (3, 2, 1)
    assert (row_b.median, row_b.p90) == (3, 4)
    total = report.total
    assert (total.completed, total.within, total.first_within) == (13, 7, 8)
    assert total.share_within == pytest.approx(100 * 7 / 13)
    # 0 1 1 2 3 3 4 5 6 8 10 12 20: rank 7 and rank 12.
    assert (total.median, total.p90) == (4, 12)
    assert report.uncategorised == 1
    assert total.overdue == 0


def test_quarters_and_periods():
    assert period_bounds(2026, 1) == (D(2026, 1, 1), D(2026, 3, 31))
    assert period_bounds(2026, 4) == (D(2026, 10, 1), D(2026, 12, 31))
    assert period_bounds(2026) == (D(2026, 1, 1), D(2026, 12, 31))
    with pytest.raises(ServiceLevelError) as error:
        period_bounds(2026, 5)
    assert error.value.errors == ["Quartal 5: erlaubt sind die Quartale 1 bis 4."]


def test_a_quarter_counts_only_its_completions(known_set):
    a, _b = known_set
    # Completed by 31 March: 0 … 20 working days after 2 March are all in March but the 20
    # (30 March) too; April holds none of them.
    q1 = service_level([a], *period_bounds(2026, 1), today=D(2026, 12, 31))
    q2 = service_level([a], *period_bounds(2026, 2), today=D(2026, 12, 31))
    assert q1.row(a).completed == 10
    assert q2.row(a).completed == 0
    assert q2.row(a).share_within is None
    assert q2.row(a).median is None


def test_deadlines_and_overdue_flags(standards):
    a, _b = standards
    late = make_case(a, MONDAY)
    answered = make_case(a, D(2026, 3, 10), first=1)
    unanswered = make_case(a, D(2026, 3, 10))
    make_case(a, D(2026, 3, 11))  # 2 working days by 13 March: not yet late
    make_case(a, MONDAY, done=9)  # completed, however late: not overdue
    assert deadlines(late).first_answer == D(2026, 3, 4)
    assert deadlines(late).completion == D(2026, 3, 9)

    found = overdue_cases(D(2026, 3, 13))
    assert [(o.case, o.kind, o.due, o.late) for o in found] == [
        (late, CaseReminder.Kind.FIRST_ANSWER, D(2026, 3, 4), 7),
        (late, CaseReminder.Kind.COMPLETION, D(2026, 3, 9), 4),
        (unanswered, CaseReminder.Kind.FIRST_ANSWER, D(2026, 3, 12), 1),
    ]
    assert answered not in {o.case for o in found}
    # The Saturday after a due date is no working day: nothing new is late.
    assert overdue_cases(D(2026, 3, 7)) == [
        o for o in overdue_cases(D(2026, 3, 6)) if o.case == late
    ]
    report = service_level([a], *period_bounds(2026, 1), today=D(2026, 3, 13))
    assert report.reference == D(2026, 3, 13)
    assert report.row(a).overdue == 2
    # At the end of 2025 none of them had come in.
    assert service_level([a], *period_bounds(2025), today=D(2026, 3, 13)).row(a).overdue == 0


@pytest.fixture
def indicators(known_set):
    _a, b = known_set
    total = Indicator.objects.create(code="12-2-1-servicegrad", name="Servicegrad", direction="up")
    own = Indicator.objects.create(code="t-kategorie-b", name="Servicegrad B", direction="up")
    b.indicator = own
    b.save()
    return total, own


def test_store_writes_total_and_category_values(indicators):
    total, _own = indicators
    result = record_service_level(2026, D(2026, 12, 31))
    stored = {v.indicator.code: v for v in Value.objects.select_related("indicator")}
    assert stored["12-2-1-servicegrad"].value == pytest.approx(100 * 7 / 13)
    assert stored["t-kategorie-b"].value == pytest.approx(200 / 3)
    assert {v.state for v in stored.values()} == {Value.State.APPROVED}
    assert {v.flags for v in stored.values()} == {"p"}
    assert stored["t-kategorie-b"].note == "2 von 3 Fällen fristgerecht erledigt"
    assert result.summary.created == 2
    # Again: nothing changes.
    assert record_service_level(2026, D(2026, 12, 31)).summary.unchanged == 2
    # Once the year is over the value is final.
    record_service_level(2026, D(2027, 1, 5))
    assert Value.objects.get(indicator=total).flags == ""


def test_a_category_using_the_total_indicator_gets_no_value_of_its_own(indicators):
    total, _own = indicators
    Category.objects.filter(key="a").update(indicator=total)
    result = record_service_level(2026, D(2026, 12, 31))
    assert Value.objects.get(indicator=total).value == pytest.approx(100 * 7 / 13)
    assert any("Kategorie A" in note for note in result.notes)


def test_store_refuses_a_missing_indicator_and_future_years(known_set):
    with pytest.raises(ServiceLevelError) as error:
        record_service_level(2026, D(2026, 12, 31))
    assert "12-2-1-servicegrad" in error.value.errors[0]
    Indicator.objects.create(code="12-2-1-servicegrad", name="Servicegrad", direction="up")
    with pytest.raises(ServiceLevelError, match="bis zum laufenden Jahr 2026"):
        record_service_level(2027, D(2026, 12, 31))
    assert not Value.objects.exists()


def test_command_prints_the_table_and_a_closed_year_needs_a_reason(indicators, capsys, settings):
    total, _own = indicators
    last_year = timezone.localdate().year - 1
    Case.objects.update(
        received_at=at(D(last_year, 3, 2)), completed_at=at(D(last_year, 3, 20), 15)
    )
    call_command("service_level", "--year", str(last_year))
    out = capsys.readouterr().out
    assert f"Servicelevel 01.01.{last_year}–31.12.{last_year}" in out
    assert re.search(r"Kategorie A +2/5 +11 +0,0 % +\S+ % +14 +14 +0\n", out)
    assert "1 erledigte Fälle ohne Kategorie" in out
    assert not Value.objects.exists()

    ReportingPeriod.objects.create(year=last_year)
    with pytest.raises(CommandError, match="abgeschlossen"):
        call_command("service_level", "--year", str(last_year), "--store")
    assert not Value.objects.exists()
    call_command("service_level", "--year", str(last_year), "--store", "--reason", "Nachtrag")
    assert Value.objects.get(indicator=total).flags == "r"
    assert ValueRevision.objects.filter(indicator=total, year=last_year).exists()
    with pytest.raises(CommandError, match="ohne --quarter"):
        call_command("service_level", "--store", "--quarter", "1")
    with pytest.raises(CommandError, match="Quartal 7"):
        call_command("service_level", "--quarter", "7")
    settings.ZIELWERK_HOLIDAY_SUBDIVISION = "XX"
    with pytest.raises(CommandError, match="Kein Bericht:\n  ZIELWERK_HOLIDAY_SUBDIVISION"):
        call_command("service_level")


def person(username: str, role: str, unit=None, email: str | None = None) -> Person:
    user = get_user_model().objects.create(
        username=username, email=f"{username}@test.invalid" if email is None else email
    )
    return Person.objects.create(user=user, role=role, unit=unit)


def test_reminders_go_once_to_owner_or_unit_editors(standards, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    a, b = standards
    top = OrgUnit.objects.create(code="t-top", name="Dezernat", kind="dezernat")
    unit = OrgUnit.objects.create(code="t-fb", name="Fachbereich", kind="fachbereich", parent=top)
    owner = person("t-owner", Person.Role.VIEWER)
    editor = person("t-editor", Person.Role.EDITOR, top)
    person("t-noaddress", Person.Role.EDITOR, top, email="")
    owned = make_case(a, MONDAY, owner=owner, unit=unit)
    # No owner: the editors of the unit, here of the unit above it.
    by_unit = make_case(b, MONDAY, unit=unit, kind=Case.Kind.IMPULSE)
    orphan = make_case(b, MONDAY)
    make_case(a, D(2026, 3, 12), owner=owner)  # not late yet
    today = D(2026, 3, 13)

    dry = send_case_reminders(today, dry_run=True)
    assert not mail.outbox
    assert not CaseReminder.objects.exists()
    assert dry.reminders == 4

    run = send_case_reminders(today)
    assert sorted(m.to[0] for m in mail.outbox) == ["t-editor@test.invalid", "t-owner@test.invalid"]
    owner_mail = next(m for m in mail.outbox if m.to == ["t-owner@test.invalid"])
    assert owned.number in owner_mail.body
    assert "Kategorie A" in owner_mail.body
    assert "09.03.2026" in owner_mail.body  # due date of the completion
    assert "erste Antwort überfällig" in owner_mail.body
    assert by_unit.number not in owner_mail.body
    editor_mail = next(m for m in mail.outbox if m.to == ["t-editor@test.invalid"])
    assert by_unit.number in editor_mail.body and "Impuls/Idee" in editor_mail.body
    assert "@" not in editor_mail.body.replace(editor.user.email, "")
    assert [o.case for o in run.unassigned] == [orphan, orphan]
    assert "ohne E-Mail-Adresse: t-noaddress" in run.summary()
    assert orphan.number in run.summary()
    assert set(CaseReminder.objects.values_list("case__number", "kind", "recipient")) == {
        (owned.number, "first_answer", owner.pk),
        (owned.number, "completion", owner.pk),
        (by_unit.number, "first_answer", editor.pk),
        (by_unit.number, "completion", editor.pk),
    }

    mail.outbox = []
    again = send_case_reminders(D(2026, 3, 16))
    assert not mail.outbox
    assert again.reminders == 0
    assert CaseReminder.objects.count() == 4


def test_reminder_command(standards, settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    a, _b = standards
    unit = OrgUnit.objects.create(code="t-fb", name="Fachbereich", kind="fachbereich")
    person("t-editor", Person.Role.EDITOR, unit)
    make_case(a, MONDAY, unit=unit)
    call_command("case_reminders", "--date", "2026-03-13", "--dry-run")
    assert (
        "Probelauf: 2 Erinnerungen zu Fällen an 1 Person würden gesendet" in capsys.readouterr().out
    )
    call_command("case_reminders", "--date", "2026-03-13")
    assert len(mail.outbox) == 1
    assert CaseReminder.objects.count() == 2
    with pytest.raises(CommandError, match="kein Datum"):
        call_command("case_reminders", "--date", "13.03.2026")


@pytest.mark.urls(__name__)
def test_staff_page_shows_the_table(known_set, client, settings):
    staff = person("t-viewer", Person.Role.VIEWER)
    staff.user.is_staff = True
    staff.user.save()
    outsider = get_user_model().objects.create(username="t-outsider", is_staff=True)

    assert client.get("/verwaltung/servicelevel/").status_code == 302
    client.force_login(outsider)
    assert client.get("/verwaltung/servicelevel/").status_code == 403
    client.force_login(staff.user)
    html = client.get("/verwaltung/servicelevel/?jahr=2026").content.decode()
    assert '<th scope="row">Kategorie A</th>' in html
    assert "2 / 5" in html
    assert "50,0 %" in html
    response = client.get("/verwaltung/servicelevel/?jahr=2026&quartal=9")
    assert "Wählen Sie ein Quartal von 1 bis 4." in response.content.decode()
    assert "Servicelevel vom" not in response.content.decode()
    settings.ZIELWERK_HOLIDAY_SUBDIVISION = "XX"
    response = client.get("/verwaltung/servicelevel/?jahr=2026")
    assert "„XX“ ist kein Land" in response.content.decode()

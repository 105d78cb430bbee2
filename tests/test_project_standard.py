"""The project standard of measures (12.1.2): phases and gates, milestones and tasks, status
reports per period with traffic lights and their history, progress by milestones."""

import datetime

import pytest
from django.utils import timezone

from tests.measures_support import CHANGELIST, change_form
from zielwerk.indicators.models import ReportingPeriod
from zielwerk.measures.models import Light, Measure, Phase, StatusReport, WorkItem
from zielwerk.measures.queries import latest_public_report, progress_of
from zielwerk.updates.schedule import Cycle, period_containing

pytestmark = pytest.mark.django_db


def _new_report(data, measure, **fields):
    """Append one new status report row to a posted change form."""
    index = int(data["status_reports-TOTAL_FORMS"])
    data["status_reports-TOTAL_FORMS"] = str(index + 1)
    data[f"status_reports-{index}-measure"] = measure.pk
    for name, value in fields.items():
        data[f"status_reports-{index}-{name}"] = value
    return data


def _current_quarter() -> str:
    return period_containing(Cycle.QUARTERLY, timezone.localdate()).label


def test_sample_projects_follow_the_standard(demo):
    measure = Measure.objects.get(number="M-12-01")
    assert measure.phase == Phase.IMPLEMENTATION
    assert measure.profile_risks.startswith("Zusätzlicher Aufwand")
    assert [g.phase for g in measure.gates.all()] == [
        Phase.INITIATION,
        Phase.PLANNING,
        Phase.IMPLEMENTATION,
        Phase.COMPLETION,
    ]
    reports = list(measure.status_reports.all())
    assert [r.period for r in reports] == ["2026-Q2", "2026-Q1", "2025-Q4", "2025-Q3"]
    assert reports[-1].period_start == datetime.date(2025, 7, 1)
    assert reports[-1].period_end == datetime.date(2025, 9, 30)
    assert latest_public_report(measure).period == "2026-Q2"
    assert measure.work_items.filter(kind=WorkItem.Kind.TASK).count() == 1
    half_yearly = Measure.objects.get(number="M-12-06").status_reports.get()
    assert (half_yearly.period, half_yearly.period_end) == ("2025-H1", datetime.date(2025, 6, 30))


def test_progress_in_percent_or_by_milestones(demo):
    assert progress_of(Measure.objects.get(number="M-12-01")).percent == 40
    by_milestones = progress_of(Measure.objects.get(number="M-12-04"))
    assert (by_milestones.basis, by_milestones.reached, by_milestones.total) == ("milestones", 2, 4)
    assert by_milestones.percent == 50
    assert progress_of(Measure.objects.get(number="M-12-05")) is None


def test_overall_light_is_the_worst_of_three(demo):
    report = StatusReport(time=Light.GREEN, cost=Light.RED, quality=Light.YELLOW)
    assert report.overall == Light.RED
    assert StatusReport(time="gruen", cost="gruen", quality="gelb").overall == Light.YELLOW


def test_editor_writes_a_status_report_and_keeps_the_earlier_ones(demo, client, login):
    login("finanzen")
    measure = Measure.objects.get(number="M-12-06")
    measure.update_cycle = Cycle.QUARTERLY
    measure.save()
    data = _new_report(
        change_form(measure),
        measure,
        period=_current_quarter(),
        time="gruen",
        cost="gelb",
        quality="gruen",
        text="Die Dienstanweisung liegt dem Oberbürgermeister vor.",
        is_public="on",
    )
    response = client.post(f"{CHANGELIST}{measure.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    reports = list(measure.status_reports.all())
    assert [r.period for r in reports] == [_current_quarter(), "2025-H1"]
    new = reports[0]
    assert new.created_by.username == "finanzen"
    # Releasing is the strategy office's call, whatever the editor posts.
    assert new.is_public is False
    assert new.overall == Light.YELLOW
    assert latest_public_report(measure).period == "2025-H1"
    assert new.period_start == period_containing(Cycle.QUARTERLY, timezone.localdate()).start


def test_report_period_must_fit_the_cycle(demo, client, login):
    login("finanzen")
    measure = Measure.objects.get(number="M-12-06")  # half-yearly
    data = _new_report(
        change_form(measure),
        measure,
        period=_current_quarter(),
        time="gruen",
        cost="gruen",
        quality="gruen",
        text="Quartal statt Halbjahr",
    )
    response = client.post(f"{CHANGELIST}{measure.pk}/change/", data)
    assert response.status_code == 200
    assert f"{_current_quarter()} ist keine gültige Auswahl" in response.content.decode()
    assert measure.status_reports.count() == 1


def test_closed_year_keeps_its_status_reports(demo, client, login):
    ReportingPeriod.objects.create(year=2026)
    login("strategie")
    measure = Measure.objects.get(number="M-12-01")
    data = change_form(measure)
    changed = dict(data)
    changed["status_reports-0-text"] = "Nachträglich geschönt."
    response = client.post(f"{CHANGELIST}{measure.pk}/change/", changed)
    assert response.status_code == 200
    assert "Das Berichtsjahr 2026 ist abgeschlossen" in response.content.decode()
    assert measure.status_reports.get(period="2026-Q2").text.startswith("Die Kurzfassung")

    # Reports of open years can still be written.
    response = client.post(
        f"{CHANGELIST}{measure.pk}/change/",
        _new_report(
            data,
            measure,
            period="2025-Q2",
            time="gruen",
            cost="gruen",
            quality="gruen",
            text="Nachgereicht.",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert measure.status_reports.filter(period="2025-Q2").exists()


def test_editor_cannot_report_for_another_units_measure(demo, client, login):
    login("buergerdienste")
    measure = Measure.objects.get(number="M-12-06")
    data = _new_report(
        change_form(measure),
        measure,
        period="2025-H2",
        time="gruen",
        cost="gruen",
        quality="gruen",
        text="fremd",
    )
    assert client.post(f"{CHANGELIST}{measure.pk}/change/", data).status_code == 403
    assert measure.status_reports.count() == 1


def test_strategy_office_releases_reports(demo, client, login):
    measure = Measure.objects.get(number="M-12-06")
    draft = measure.status_reports.create(
        period="2025-H2",
        period_start=datetime.date(2025, 7, 1),
        period_end=datetime.date(2025, 12, 31),
        time="gruen",
        cost="gruen",
        quality="gruen",
        text="Entwurf",
    )
    changelist = "/verwaltung/measures/statusreport/"
    login("finanzen")
    client.post(changelist, {"action": "release", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_public is False

    user = login("strategie")
    response = client.post(
        changelist, {"action": "release", "_selected_action": [draft.pk]}, follow=True
    )
    assert "1 Statusbericht freigegeben." in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_public is True
    assert draft.history.first().history_user == user
    assert latest_public_report(measure).period == "2025-H2"


def test_staff_pages_of_the_standard(demo, client, login):
    login("lesen")
    measure = Measure.objects.get(number="M-12-04")
    page = client.get(f"{CHANGELIST}{measure.pk}/change/").content.decode()
    for text in ("Projektsteckbrief", "Phasen und Phasenabschlüsse", "Förderbescheid liegt vor"):
        assert text in page
    listing = client.get(f"{CHANGELIST}?phase=umsetzung").content.decode()
    assert "M-12-04" in listing and "M-12-06" not in listing
    assert "50 %" in listing
    reports = client.get("/verwaltung/measures/statusreport/?time__exact=rot").content.decode()
    assert "M-12-04 Klimapartnerschaft" in reports and "M-12-01 " not in reports

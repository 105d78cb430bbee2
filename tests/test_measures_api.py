"""The measures API: public reading of released measures, staff reading everything, filters,
and writing by the django-rules permissions (editors only for their unit's subtree)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.test_measure_pages import make_measure, report
from zielwerk.measures.models import FundingSource, Measure, MeasureStatus, WorkItem

pytestmark = pytest.mark.django_db

URL = "/api/v1/measures/"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def as_user(api):
    def _as(username: str) -> APIClient:
        api.force_login(get_user_model().objects.get(username=username))
        return api

    return _as


@pytest.fixture
def measures(demo):
    """A released measure of FB-FIN-HH with reports, milestones, a task and funding, and an
    unreleased one of FB-BD."""
    released = make_measure(demo, "M-T-01", ["12.3.4", "12.3.5"], priority=1, progress_percent=None)
    released.work_items.create(
        title="Entwurf", due_on=datetime.date(2025, 6, 30), done_on=datetime.date(2025, 6, 1)
    )
    released.work_items.create(title="Beschluss", due_on=datetime.date(2025, 9, 30))
    released.work_items.create(
        kind=WorkItem.Kind.TASK, title="Interne Aufgabe", due_on=datetime.date(2025, 5, 1)
    )
    released.funding_sources.create(
        kind=FundingSource.Kind.SUBSIDY, programme="Programm X", amount=200000
    )
    report(released, "2025-Q4", datetime.date(2025, 12, 31), "Freigegeben", time="gelb")
    report(released, "2026-Q1", datetime.date(2026, 3, 31), "Entwurf", is_public=False)
    hidden = make_measure(demo, "M-T-02", ["12.2.1"], unit="FB-BD", is_public=False)
    return released, hidden


# Reading


def test_anonymous_reads_released_measures_only(measures, api):
    listing = api.get(URL).json()
    numbers = [row["number"] for row in listing["results"]]
    assert "M-T-01" in numbers and "M-T-02" not in numbers
    assert listing["count"] == Measure.objects.filter(is_public=True).count()

    data = api.get(f"{URL}M-T-01/").json()
    assert data["goals"] == ["12.3.4", "12.3.5"]
    assert data["responsible_unit"] == "FB-FIN-HH"
    assert data["status"] == "in-umsetzung"
    assert data["progress"] == {"percent": 50, "basis": "milestones", "reached": 1, "total": 2}
    assert [m["title"] for m in data["milestones"]] == ["Entwurf", "Beschluss"]
    assert data["funding_sources"] == [
        {"kind": "foerdermittel", "programme": "Programm X", "amount": "200000.00"}
    ]
    assert data["latest_report"]["period"] == "2025-Q4"
    assert data["latest_report"]["overall"] == "gelb"
    assert [r["period"] for r in data["status_reports"]] == ["2025-Q4"]
    assert data["page_url"] == "http://testserver/massnahmen/M-T-01/"
    assert "update_owner" not in data and "contact" not in data
    assert api.get(f"{URL}M-T-02/").status_code == 404


def test_staff_read_everything(measures, as_user):
    for username in ("lesen", "finanzen"):
        api = as_user(username)
        numbers = [row["number"] for row in api.get(URL).json()["results"]]
        assert "M-T-02" in numbers
        data = api.get(f"{URL}M-T-01/").json()
        assert [r["period"] for r in data["status_reports"]] == ["2026-Q1", "2025-Q4"]
        assert data["status_reports"][0]["is_public"] is False
        # "latest_report" is what the public sees.
        assert data["latest_report"]["period"] == "2025-Q4"


def test_filters_and_german_errors_for_unknown_values(measures, api):
    cases = [
        ({"goal": "12.3.5"}, {"M-T-01"}),
        ({"unit": "FB-FIN-HH"}, {"M-T-01"}),
        ({"status": "abgeschlossen"}, {"M-12-02"}),
        ({"field": "12", "priority": "1"}, {"M-T-01", "M-12-01", "M-12-02"}),
    ]
    for params, expected in cases:
        response = api.get(URL, params)
        assert response.status_code == 200
        assert {row["number"] for row in response.json()["results"]} == expected, params

    response = api.get(URL, {"goal": "12.9.9", "priority": "7"})
    assert response.status_code == 400
    errors = response.json()
    assert errors["goal"] == (
        "Die Ausgabe „ludwigsburg“ hat kein operatives Ziel mit der Nummer „12.9.9“."
    )
    assert "erlaubt sind 1 (hoch), 2 (mittel), 3 (niedrig)" in errors["priority"]


def test_list_needs_few_queries(demo, api, django_assert_max_num_queries):
    for index in range(10):
        measure = make_measure(demo, f"M-Q-{index}", ["12.1.1"])
        report(measure, "2025-Q4", datetime.date(2025, 12, 31), "Stand")
    with django_assert_max_num_queries(14):
        response = api.get(URL)
    assert response.json()["count"] >= 10


def test_statuses_are_public_and_kept_by_the_strategy_office(demo, api, as_user):
    keys = [row["key"] for row in api.get("/api/v1/measure-statuses/").json()["results"]]
    assert keys[:2] == ["in-vorbereitung", "in-umsetzung"]
    payload = {"key": "pausiert", "label": "pausiert", "order": 65}
    assert as_user("finanzen").post("/api/v1/measure-statuses/", payload).status_code == 403
    assert as_user("strategie").post("/api/v1/measure-statuses/", payload).status_code == 201
    response = api.delete("/api/v1/measure-statuses/in-umsetzung/")
    assert response.status_code == 409
    assert "noch von Maßnahmen verwendet" in response.json()["detail"]
    assert MeasureStatus.objects.filter(key="in-umsetzung").exists()


# Writing

NEW = {
    "number": "M-T-10",
    "title": "Haushaltsdaten offenlegen",
    "kind": "projekt",
    "responsible_unit": "FB-FIN-HH",
    "goals": ["12.3.4"],
    "status": "in-vorbereitung",
    "priority": 2,
    "start": "2026-01-01",
    "end": "2026-12-31",
}


def test_anonymous_and_viewer_cannot_write(measures, api, as_user):
    assert api.post(URL, NEW, format="json").status_code in (401, 403)
    assert as_user("lesen").patch(f"{URL}M-T-01/", {"title": "x"}, format="json").status_code == 403
    assert not Measure.objects.filter(number="M-T-10").exists()


def test_editor_creates_and_changes_measures_of_own_subtree(measures, as_user):
    api = as_user("finanzen")
    response = api.post(URL, NEW, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["goals"] == ["12.3.4"]
    assert response.json()["is_public"] is False
    created = Measure.objects.get(number="M-T-10")
    assert created.history.first().history_user.username == "finanzen"

    response = api.patch(f"{URL}M-T-01/", {"title": "Neuer Titel", "progress_percent": 60})
    assert response.status_code == 200
    assert response.json()["progress"]["percent"] == 60
    assert Measure.objects.get(number="M-T-01").title == "Neuer Titel"


def test_editor_cannot_touch_measures_of_other_units(measures, as_user):
    api = as_user("finanzen")
    response = api.post(URL, NEW | {"responsible_unit": "FB-BD"}, format="json")
    assert response.status_code == 403
    assert "Organisationseinheit" in response.json()["detail"]
    assert not Measure.objects.filter(number="M-T-10").exists()

    assert api.patch(f"{URL}M-T-02/", {"title": "fremd"}).status_code == 403
    # Handing an own measure to another unit is refused too.
    assert api.patch(f"{URL}M-T-01/", {"responsible_unit": "FB-BD"}).status_code == 403
    assert Measure.objects.get(number="M-T-01").responsible_unit.code == "FB-FIN-HH"
    assert Measure.objects.get(number="M-T-02").title == "Maßnahme M-T-02"


def test_only_the_strategy_office_releases_and_deletes(measures, as_user, api):
    response = as_user("finanzen").patch(f"{URL}M-T-01/", {"is_public": False})
    assert response.status_code == 403
    assert response.json()["detail"] == "Maßnahmen freigeben darf nur die Strategiestelle."
    assert as_user("finanzen").delete(f"{URL}M-T-01/").status_code == 403

    office = as_user("strategie")
    assert office.patch(f"{URL}M-T-02/", {"is_public": True}).status_code == 200
    api.logout()
    assert api.get(f"{URL}M-T-02/").status_code == 200
    assert as_user("strategie").delete(f"{URL}M-T-02/").status_code == 204


def test_bad_input_gets_german_messages_and_changes_nothing(measures, as_user):
    api = as_user("strategie")
    response = api.post(
        URL,
        NEW | {"number": "M-T-01", "goals": [], "end": "2025-01-01", "status": "gibt-es-nicht"},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["number"] == ["Diese Nummer hat bereits eine andere Maßnahme."]
    assert errors["goals"] == ["Eine Maßnahme braucht mindestens ein operatives Ziel."]
    assert "status" in errors
    response = api.post(URL, NEW | {"goals": ["12.9.9"]}, format="json")
    assert "kein operatives Ziel 12.9.9" in response.json()["goals"][0]
    response = api.patch(f"{URL}M-T-01/", {"end": "2000-01-01", "start": "2001-01-01"})
    assert response.json() == {"end": ["Das Ende (01.01.2000) liegt vor dem Beginn (01.01.2001)."]}
    assert not Measure.objects.filter(number="M-T-10").exists()
    assert Measure.objects.get(number="M-T-01").end is None


def test_schema_documents_the_measures_api():
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS, "drf-spectacular reported warnings or errors"
    assert {"/api/v1/measures/", "/api/v1/measures/{number}/"} <= set(schema["paths"])
    parameters = {p["name"] for p in schema["paths"]["/api/v1/measures/"]["get"]["parameters"]}
    assert {"field", "goal", "status", "unit", "priority"} <= parameters
    assert "/api/v1/measure-statuses/{key}/" in schema["paths"]

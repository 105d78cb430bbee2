"""The indicator API: the public sees approved values only, writes follow the rules, the strategy
office approves."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from tests.indicators_support import Indicators, make_indicators, store, value
from zielwerk.goals.queries import find_goal
from zielwerk.indicators.models import Indicator, Milestone, Target, Value
from zielwerk.indicators.values import ValueRow, store_values

VALUES = "/api/v1/values/"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def as_user(api: APIClient):
    def _as(username: str) -> APIClient:
        api.force_login(get_user_model().objects.get(username=username))
        return api

    return _as


@pytest.fixture
def indicators(demo) -> Indicators:
    found = make_indicators(demo)
    store(found.debt, (2020, 1010.0, "r"), (2021, 990.5), approve=True)
    store(found.debt, (2022, 975.0, "p"))
    return found


def years(response) -> list[int]:
    return [row["year"] for row in response.json()["results"]]


def test_the_public_sees_approved_values_only(indicators, api):
    response = api.get(VALUES, {"indicator": "test-schulden"})

    assert response.status_code == 200
    assert years(response) == [2020, 2021]
    first = response.json()["results"][0]
    assert first["state"] == "approved"
    assert (first["value"], first["flags"], first["period"]) == (1010.0, "r", 2020.0)
    entered = value(indicators.debt, 2022)
    assert api.get(f"{VALUES}{entered.pk}/").status_code == 404
    assert api.get(VALUES, {"indicator": "test-schulden", "state": "entered"}).json()["count"] == 2


@pytest.mark.parametrize("username", ["lesen", "finanzen"])
def test_staff_see_values_waiting_for_approval(indicators, as_user, username):
    api = as_user(username)

    assert years(api.get(VALUES, {"indicator": "test-schulden"})) == [2020, 2021, 2022]
    assert years(api.get(VALUES, {"indicator": "test-schulden", "state": "entered"})) == [2022]


def test_filters(indicators, api):
    store_values(
        [
            ValueRow(
                indicator=indicators.debt, year=2021, value=3.0, disaggregation={"Stadtteil": "Ost"}
            )
        ],
        source_name="Test",
        approve=True,
    )

    assert years(api.get(VALUES, {"indicator": "test-schulden", "year": 2021})) == [2021, 2021]
    only_east = api.get(VALUES, {"disaggregation": "Stadtteil=Ost"}).json()["results"]
    assert [(r["disaggregation"], r["value"]) for r in only_east] == [({"Stadtteil": "Ost"}, 3.0)]
    headline = api.get(VALUES, {"indicator": "test-schulden", "disaggregation": ""})
    assert years(headline) == [2020, 2021]
    assert api.get(VALUES, {"year": "zwanzig"}).status_code == 400
    assert api.get(VALUES, {"indicator": "gibt-es-nicht"}).status_code == 404


def test_editor_enters_a_value_for_their_indicator(indicators, as_user):
    new = {"indicator": "test-schulden", "year": 2023, "value": 960.0, "flags": "p"}

    response = as_user("finanzen").post(VALUES, new, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["state"] == "entered"
    stored = value(indicators.debt, 2023)
    assert stored.entered_by.username == "finanzen"


def test_duplicate_period_is_refused(indicators, as_user):
    response = as_user("finanzen").post(
        VALUES, {"indicator": "test-schulden", "year": 2022, "value": 1.0}, format="json"
    )

    assert response.status_code == 400
    assert "gibt es schon einen Wert" in response.json()["non_field_errors"][0]


@pytest.mark.parametrize("username", ["buergerdienste", "lesen"])
def test_others_cannot_enter_values(indicators, as_user, username):
    new = {"indicator": "test-schulden", "year": 2023, "value": 1.0}

    response = as_user(username).post(VALUES, new, format="json")

    assert response.status_code == 403
    assert "Ihrer Organisationseinheit" in response.json()["detail"]
    assert not Value.objects.filter(indicator=indicators.debt, year=2023).exists()


def test_anonymous_cannot_write(indicators, api):
    new = {"indicator": "test-schulden", "year": 2023, "value": 1.0}
    assert api.post(VALUES, new, format="json").status_code in (401, 403)


def test_editor_changes_an_approved_value_which_then_waits_again(indicators, as_user):
    approved = value(indicators.debt, 2021)

    response = as_user("finanzen").patch(f"{VALUES}{approved.pk}/", {"value": 991.0}, format="json")

    assert response.status_code == 200
    assert (response.json()["state"], response.json()["flags"]) == ("entered", "r")


def test_other_editor_cannot_change_or_move_values(indicators, as_user):
    api = as_user("buergerdienste")
    approved = value(indicators.debt, 2021)
    assert api.patch(f"{VALUES}{approved.pk}/", {"value": 1.0}, format="json").status_code == 403

    api = as_user("finanzen")
    moved = api.patch(f"{VALUES}{approved.pk}/", {"indicator": "test-service"}, format="json")
    assert moved.status_code == 403


def test_only_the_strategy_office_approves(indicators, as_user):
    waiting = value(indicators.debt, 2022)

    refused = as_user("finanzen").post(f"{VALUES}{waiting.pk}/approve/")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Werte freigeben darf nur die Strategiestelle."

    approved = as_user("strategie").post(f"{VALUES}{waiting.pk}/approve/")
    assert approved.status_code == 200
    assert approved.json()["state"] == "approved"
    assert value(indicators.debt, 2022).approved_by.username == "strategie"


def test_approve_several(indicators, as_user):
    store(indicators.debt, (2023, 1.0), (2024, 2.0))
    ids = list(Value.objects.filter(state="entered").values_list("pk", flat=True))

    response = as_user("strategie").post(f"{VALUES}approve/", {"ids": ids}, format="json")

    assert response.json() == {"approved": len(ids)}
    assert not Value.objects.filter(state="entered").exists()


def test_indicator_with_goals_targets_and_owner(indicators, api):
    Target.objects.create(
        indicator=indicators.debt, kind="fixed_limit", value=1000, comparator="<="
    )

    data = api.get("/api/v1/indicators/test-schulden/").json()

    assert data["owner"] == "FB-FIN-HH"
    assert [(g["edition"], g["code"]) for g in data["goals"]] == [("ludwigsburg", "12.3.4")]
    assert [(t["kind"], t["value"], t["comparator"]) for t in data["targets"]] == [
        ("fixed_limit", 1000.0, "<=")
    ]
    assert data["values_url"].endswith("/api/v1/values/?indicator=test-schulden")


def test_editor_describes_but_does_not_reassign_an_indicator(indicators, as_user):
    api = as_user("finanzen")
    url = "/api/v1/indicators/test-schulden/"

    assert api.patch(url, {"definition": "Schulden ÷ Einwohner"}, format="json").status_code == 200
    response = api.patch(url, {"owner": "FB-BD"}, format="json")
    assert response.status_code == 403
    assert Indicator.objects.get(code="test-schulden").owner.code == "FB-FIN-HH"
    assert api.delete(url).status_code == 403
    new = {"code": "neu", "name": "Neu", "direction": "increase"}
    assert api.post("/api/v1/indicators/", new, format="json").status_code == 403
    assert as_user("strategie").post("/api/v1/indicators/", new, format="json").status_code == 201


def test_targets_by_the_responsible_unit(indicators, as_user):
    target = {
        "indicator": "test-schulden",
        "kind": "value_by_year",
        "value": 900,
        "target_year": 2030,
    }

    assert (
        as_user("buergerdienste").post("/api/v1/targets/", target, format="json").status_code == 403
    )
    response = as_user("finanzen").post("/api/v1/targets/", target, format="json")
    assert response.status_code == 201, response.json()

    incomplete = {**target, "target_year": None}
    response = as_user("finanzen").post("/api/v1/targets/", incomplete, format="json")
    assert response.status_code == 400
    assert response.json()["target_year"] == ["Für diese Art von Ziel nötig."]


def test_milestones(demo, as_user, api):
    Milestone.objects.create(
        operative_goal=find_goal(demo.edition, "12.3.5"), title="Rücklagen", deadline="2026-06-30"
    )
    listed = api.get("/api/v1/milestones/", {"goal": "12.3.5"}).json()["results"]
    assert [(m["operative_goal"], m["title"]) for m in listed] == [("12.3.5", "Rücklagen")]

    new = {"operative_goal": "12.2.1", "title": "Standards", "deadline": "2026-01-01"}
    assert as_user("finanzen").post("/api/v1/milestones/", new, format="json").status_code == 403
    response = as_user("buergerdienste").post("/api/v1/milestones/", new, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["edition"] == "ludwigsburg"


def test_lists_need_few_queries(indicators, api, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/indicators/").status_code == 200
    with django_assert_max_num_queries(4):
        assert api.get(VALUES).status_code == 200

"""API of cases (staff only, never contact data) and their public statistics, on the demo's
sample cases."""

import json
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from zielwerk.cases.models import Case, CaseEvent, Contact

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"
STATISTICS = "/api/v1/case-statistics/"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def as_user(api: APIClient):
    def _as(username: str) -> APIClient:
        api.force_login(get_user_model().objects.get(username=username))
        return api

    return _as


def _personal_data() -> list[str]:
    """Every name, address and phone number of the sample senders."""
    values = set()
    for name, email, phone in Contact.objects.values_list("name", "email", "phone"):
        values |= {name, email, email.lower(), email.split("@")[0], phone}
    values.discard("")
    assert "erika.beispiel@beispiel.invalid" in values and "Erika Beispiel" in values
    return sorted(values)


def _assert_no_personal_data(body: bytes) -> None:
    text = body.decode()
    for value in _personal_data():
        assert value not in text


def test_anonymous_callers_get_no_cases(demo, api):
    case = Case.objects.first()

    for url in (CASES, f"{CASES}{case.number}/", f"{CASES}?kind=complaint"):
        response = api.get(url)
        assert response.status_code in (401, 403)
        _assert_no_personal_data(response.content)
        assert case.number not in response.content.decode()


def test_people_without_a_role_get_no_cases(demo, api):
    user = get_user_model().objects.create_user("ohne-rolle", password="x")
    api.force_login(user)

    response = api.get(CASES)

    assert response.status_code == 403
    assert "Mitarbeitende" in response.json()["detail"]


def test_staff_read_cases_without_any_contact_data(demo, as_user):
    response = as_user("lesen").get(CASES, {"limit": 500})

    assert response.status_code == 200
    records = response.json()["results"]
    assert len(records) == Case.objects.count() == 21
    for record in records:
        assert not {"contact", "name", "email", "phone", "tracking_token", "fingerprint"} & set(
            record
        )
    _assert_no_personal_data(response.content)
    tokens = Case.objects.values_list("tracking_token", flat=True)
    assert not any(token in response.content.decode() for token in tokens)


def test_case_detail_with_goals_measure_and_history(demo, as_user):
    case = Case.objects.get(measure__number="M-12-02", category__key="buergerservice")

    response = as_user("buergerdienste").get(f"{CASES}{case.number}/")

    assert response.status_code == 200
    record = response.json()
    assert (record["kind"], record["state"], record["decision"]) == (
        "impulse",
        "answered",
        "accepted",
    )
    assert (record["category"], record["unit"], record["measure"]) == (
        "buergerservice",
        "FB-BD",
        "M-12-02",
    )
    assert {"12.2.1", "12.2.3"} <= set(record["goals"])
    steps = [event["step"] for event in record["history"]]
    assert steps == list(case.events.values_list("step", flat=True))
    assert steps[0] == "eingegangen" and "beantwortet" in steps
    _assert_no_personal_data(response.content)


def test_filters_by_kind_state_category_and_unit(demo, as_user):
    api = as_user("strategie")

    def numbers(**params) -> set[str]:
        response = api.get(CASES, {**params, "limit": 500})
        assert response.status_code == 200, response.content
        return {record["number"] for record in response.json()["results"]}

    def stored(**lookups) -> set[str]:
        return set(Case.objects.filter(**lookups).values_list("number", flat=True))

    assert numbers(kind="complaint") == stored(kind="complaint")
    assert numbers(state="received") == stored(state="received")
    assert numbers(category="strassen-gruen") == stored(category__key="strassen-gruen")
    assert numbers(kind="impulse", state="answered") == stored(kind="impulse", state="answered")
    # A unit includes the units below it: Dezernat II holds Finanzen and Bürgerdienste.
    assert numbers(unit="D2") == stored(unit__code__in=["FB-FIN", "FB-FIN-HH", "FB-BD"])
    assert numbers(unit="FB-FIN") == stored(unit__code="FB-FIN") != set()

    response = api.get(CASES, {"kind": "wunsch"})
    assert response.status_code == 400
    assert "„wunsch“" in response.json()["kind"]
    assert api.get(CASES, {"unit": "XY"}).status_code == 400
    assert "category" in api.get(CASES, {"category": "gibt-es-nicht"}).json()


def test_statistics_are_public_and_agree_with_the_cases(demo, api):
    response = api.get(STATISTICS)

    assert response.status_code == 200
    data = response.json()
    _assert_no_personal_data(response.content)
    implemented = set(
        CaseEvent.objects.filter(state="implemented").values_list("case_id", flat=True)
    )
    expected: Counter = Counter()
    for case in Case.objects.all():
        year = case.received_at.year
        expected[year, case.kind, "received"] += 1
        expected[year, case.kind, "answered"] += case.completed_at is not None
        expected[year, case.kind, "accepted"] += case.decision == "accepted"
        expected[year, case.kind, "implemented"] += case.pk in implemented
    found: Counter = Counter()
    for year in data["years"]:
        assert [k["kind"] for k in year["kinds"]] == ["impulse", "complaint", "praise"]
        for kinds in year["kinds"]:
            for measure in ("received", "answered", "accepted", "implemented"):
                found[year["year"], kinds["kind"], measure] = kinds[measure]
    assert +found == +expected
    years = [year["year"] for year in data["years"]]
    assert years == sorted(years, reverse=True) and len(years) == 2

    categories = {row["key"]: row for row in data["categories"]}
    assert sum(row["received"] for row in categories.values()) == 21
    service = categories["buergerservice"]
    assert (service["first_answer_days"], service["completion_days"]) == (5, 20)
    # Within the standard: the phone complaint, the praise, the answer after 20 working days
    # of the impulse received a year earlier is outside; see sample-cases.yaml.
    assert (
        service["completed"]
        == Case.objects.filter(category__key="buergerservice", completed_at__isnull=False).count()
    )
    assert 0 < service["share_within"] < 100
    assert categories["arbeitsplatz"]["share_within"] is None


def test_statistics_of_one_year(demo, api):
    latest = Case.objects.order_by("-received_at").first().received_at.year

    data = api.get(STATISTICS, {"year": latest}).json()

    assert data["year"] == latest
    assert [year["year"] for year in data["years"]] == [latest]
    received = sum(row["received"] for row in data["categories"])
    assert received == Case.objects.filter(received_at__year=latest).count()
    assert api.get(STATISTICS, {"year": "letztes"}).status_code == 400
    assert "year" in api.get(STATISTICS, {"year": "1850"}).json()


def test_public_api_responses_hold_no_personal_data(demo, api):
    for url in ("/api/v1/", STATISTICS, f"{STATISTICS}?year=2026", "/api/schema/?format=json"):
        response = api.get(url)
        assert response.status_code == 200, url
        _assert_no_personal_data(response.content)


def test_schema_offers_cases_to_staff_only():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    cases = schema["paths"]["/api/v1/cases/"]["get"]
    statistics = schema["paths"]["/api/v1/case-statistics/"]["get"]
    assert {} not in cases["security"]
    assert {} in statistics["security"]
    assert {p["name"] for p in cases["parameters"]} >= {"kind", "state", "category", "unit"}
    record = json.dumps(schema["components"]["schemas"]["Case"])
    assert "email" not in record and "tracking_token" not in record

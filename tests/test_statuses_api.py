"""Stored evaluations through the API."""

import datetime

import pytest
from rest_framework.test import APIClient

from zielwerk.evaluation.services import evaluate_edition

pytestmark = pytest.mark.django_db


def test_latest_statuses_of_the_demo(demo):
    client = APIClient()
    runs = client.get("/api/v1/evaluations/").json()
    assert runs["count"] == 1
    assert runs["results"][0]["evaluated_on"] == datetime.date.today().isoformat()
    data = client.get("/api/v1/statuses/?subject=indicator").json()
    assert data["count"] == 20
    debt = next(r for r in data["results"] if r["code"] == "12-3-4-verschuldung")
    assert (debt["level"], debt["method_status"]) == ("slightly_off_track", "Leicht bewölkt")
    assert debt["explanation_en"].startswith("The limit ≤ 1,000")
    goals = client.get("/api/v1/statuses/?subject=operative").json()
    assert sorted(r["code"] for r in goals["results"])[:2] == ["12.1.1", "12.1.2"]
    field = client.get("/api/v1/statuses/?subject=field").json()["results"][0]
    assert field["code"] == "12" and sum(field["distribution"].values()) == 23


def test_an_older_run_stays_readable(demo):
    first = demo.edition.evaluations.get()
    second = evaluate_edition(demo.edition, datetime.date(2023, 12, 31)).run
    client = APIClient()
    listed = [r["id"] for r in client.get("/api/v1/evaluations/").json()["results"]]
    assert set(listed) == {first.pk, second.pk}
    old = client.get(f"/api/v1/statuses/?evaluation={second.pk}&subject=indicator").json()
    assert all(r["evaluated_on"] == "2023-12-31" for r in old["results"])


def test_statuses_are_read_only_and_errors_are_clear(demo, login):
    client = APIClient()
    assert client.get("/api/v1/statuses/?subject=x").status_code == 400
    assert client.get("/api/v1/statuses/?evaluation=999").status_code == 404
    client.login(username="strategie", password="zielwerk-demo")
    assert client.post("/api/v1/statuses/", {}).status_code == 405

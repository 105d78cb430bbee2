"""The council API: the public reads papers with a published SEK-Check and those checks, staff
read everything with status and the people involved; yearly statistics over published checks
for the public and over all approved checks for staff."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from zielwerk.council.models import Check, Paper

pytestmark = pytest.mark.django_db

PUBLISHED = 6
PAPERS = 12
STAFF_ONLY_PAPER = {"text", "status", "deadline", "overdue", "deleted", "oparl_id", "needs_check"}
STAFF_ONLY_CHECK = {"state", "is_public", "exemption_reason", "review_note", "responsible"}


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def as_user(api):
    def _as(username: str) -> APIClient:
        api.force_login(get_user_model().objects.get(username=username))
        return api

    return _as


def _paper(title: str) -> Paper:
    return Paper.objects.get(title__startswith=title)


def test_public_reads_published_papers_without_internals(demo, api):
    response = api.get("/api/v1/papers/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == PUBLISHED
    record = next(r for r in body["results"] if r["title"].startswith("Personalentwicklung"))
    assert not STAFF_ONLY_PAPER & set(record)
    assert not STAFF_ONLY_CHECK & set(record["check"])
    assert record["unit"] == "FB-PO"
    assert record["page_url"] == f"http://testserver/beschluesse/{record['id']}/"
    ratings = {r["goal_code"]: (r["score"], r["score_label"]) for r in record["check"]["ratings"]}
    assert ratings == {
        "12.1.1": (2, "+2 stark fördernd"),
        "12.3.2": (-1, "−1 hemmend"),
        "12.4.5": (1, "+1 fördernd"),
    }
    goal_link = record["check"]["ratings"][0]["goal"]
    assert goal_link.startswith("http://testserver/api/v1/operative-goals/12.")
    assert goal_link.endswith("?edition=ludwigsburg")

    hidden = _paper("Gebührensatzung")
    assert api.get(f"/api/v1/papers/{hidden.pk}/").status_code == 404
    assert api.get(f"/api/v1/sek-checks/{hidden.sek_check.pk}/").status_code == 404


def test_public_reads_published_checks_only(demo, api):
    body = api.get("/api/v1/sek-checks/").json()

    assert body["count"] == PUBLISHED
    assert not STAFF_ONLY_CHECK & set(body["results"][0])
    exempt = _paper("Personalangelegenheit").sek_check
    assert api.get(f"/api/v1/sek-checks/{exempt.pk}/").status_code == 404


def test_staff_read_every_paper_with_status(demo, as_user):
    api = as_user("lesen")

    body = api.get("/api/v1/papers/").json()

    assert body["count"] == PAPERS
    by_title = {r["title"].split(" (")[0]: r for r in body["results"]}
    overdue = by_title["Klimapartnerschaft Kongoussi: Projektförderung 2027"]
    assert (overdue["status"], overdue["overdue"]) == ("in_progress", True)
    assert overdue["check"]["state"] == "in_progress"
    assert overdue["check"]["responsible"] == "Sabine Strategie"
    assert overdue["page_url"] is None
    unchecked = by_title["Zuschüsse an Vereine und Initiativen 2027"]
    assert (unchecked["status"], unchecked["check"]) == ("open", None)
    info = by_title["Nachhaltigkeitsbericht der Verwaltung"]
    assert info["needs_check"] is False
    exempt = by_title["Personalangelegenheit: Besetzung der Leitung eines Fachbereichs"]
    assert exempt["status"] == "exempt"
    assert "nicht sachgerecht" in exempt["check"]["exemption_reason"]
    assert "Haushaltssatzung" in by_title["Haushaltssatzung und Haushaltsplan 2026"]["text"]

    checks = api.get("/api/v1/sek-checks/").json()
    assert checks["count"] == 10
    assert {c["state"] for c in checks["results"]} == {
        "in_progress",
        "review",
        "checked",
        "exempt",
    }


def test_year_filter(demo, api):
    year = _paper("Leitlinien für Bürgerbeteiligung").date.year
    expected = Check.objects.filter(
        is_public=True, state=Check.State.CHECKED, paper__date__year=year
    ).count()

    assert api.get("/api/v1/papers/", {"year": year}).json()["count"] == expected
    assert api.get("/api/v1/sek-checks/", {"year": year}).json()["count"] == expected
    bad = api.get("/api/v1/papers/", {"year": "letztes"})
    assert bad.status_code == 400
    assert bad.json() == {"year": "Erwartet wird eine Jahreszahl, z. B. 2025."}


def test_api_is_read_only(demo, as_user):
    api = as_user("strategie")
    paper = _paper("Zuschüsse an Vereine")

    assert api.post("/api/v1/papers/", {"title": "Neu"}).status_code == 405
    assert api.delete(f"/api/v1/papers/{paper.pk}/").status_code == 405
    assert Paper.objects.filter(pk=paper.pk).exists()


def _scores(row: dict) -> int:
    return sum(row["scores"].values())


def test_statistics_public_and_staff(demo, api, as_user):
    fees = _paper("Gebührensatzung")
    year = fees.date.year
    public = {row["year"]: row for row in api.get("/api/v1/sek-check-statistics/").json()}
    published = Check.objects.filter(
        is_public=True, state=Check.State.CHECKED, paper__date__year=year
    )

    row = public[year]
    assert row["checks"] == published.count()
    assert _scores(row) == sum(c.ratings.count() for c in published)
    papers = row["papers"]
    counted = Paper.objects.filter(paper_type="Beschlussvorlage", date__year=year)
    assert papers["papers"] == counted.count()
    assert papers["checked"] == counted.filter(sek_check__state="checked").count()
    assert papers["percent"] == pytest.approx(
        100 * papers["checked"] / (papers["papers"] - papers["exempt"])
    )
    assert api.get(f"/api/v1/sek-check-statistics/{year}/").json() == row
    assert api.get("/api/v1/sek-check-statistics/1999/").status_code == 404

    staff = as_user("lesen").get(f"/api/v1/sek-check-statistics/{year}/").json()

    # The approved, unpublished fee check adds its two ratings (+1 and −1).
    assert staff["checks"] == row["checks"] + 1
    assert staff["scores"]["hinders"] == row["scores"]["hinders"] + 1
    assert staff["scores"]["supports"] == row["scores"]["supports"] + 1


def test_lists_need_few_queries(demo, api, as_user, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/papers/").status_code == 200
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/sek-checks/").status_code == 200
    staff = as_user("lesen")
    with django_assert_max_num_queries(14):
        assert staff.get("/api/v1/papers/").status_code == 200

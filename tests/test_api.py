"""The REST API: public reading of published editions, writing by the django-rules permissions,
the change history of API writes and the OpenAPI document with its offline Swagger UI."""

from __future__ import annotations

import base64
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from zielwerk.demo import DEMO_PASSWORD, SEED_FILE, DemoSummary
from zielwerk.goals.importing import import_sek_file
from zielwerk.goals.models import Edition, OperativeGoal
from zielwerk.goals.queries import find_goal
from zielwerk.org.models import OrgUnit

OG = "/api/v1/operative-goals/"
SG = "/api/v1/strategic-goals/"
TITLE_12_3_4 = "Kredite als subsidiäres Finanzierungsinstrument einsetzen"
API_PATHS = [
    "/api/v1/editions/",
    "/api/v1/editions/{name}/",
    "/api/v1/fields/",
    "/api/v1/fields/{number}/",
    "/api/v1/strategic-goals/",
    "/api/v1/strategic-goals/{code}/",
    "/api/v1/operative-goals/",
    "/api/v1/operative-goals/{code}/",
    "/api/v1/org-units/",
    "/api/v1/org-units/{code}/",
]


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def as_user(api: APIClient):
    """The API client with a real session of one of the demo people."""

    def _as(username: str) -> APIClient:
        api.force_login(get_user_model().objects.get(username=username))
        return api

    return _as


@pytest.fixture
def draft(demo: DemoSummary) -> Edition:
    """A second, unpublished edition next to the published demo edition."""
    edition = import_sek_file(SEED_FILE, "entwurf").edition
    edition.is_published = False
    edition.save()
    return edition


def goal(code: str, edition: str = "ludwigsburg"):
    return find_goal(Edition.objects.get(name=edition), code)


def unit_codes(obj) -> set[str]:
    return set(obj.responsible_units.values_list("code", flat=True))


# Reading


def test_anonymous_lists_the_goals_of_the_current_edition(demo, api):
    strategic = api.get(SG).json()
    operative = api.get(OG).json()

    assert strategic["count"] == 5
    assert [row["code"] for row in strategic["results"]] == [f"12.{n}" for n in range(1, 6)]
    assert operative["count"] == 20
    assert {row["edition"] for row in operative["results"]} == {"ludwigsburg"}


def test_anonymous_reads_field_12(demo, api):
    response = api.get("/api/v1/fields/12/")

    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "Leistungsfähige und lernende Verwaltung"
    assert data["code"] == "12"
    assert data["responsible_units"] == ["REF-NSE"]
    assert len(data["strategic_goals"]) == 5
    assert data["feedback"][0]["text"].startswith("Ganzheitliche Betrachtung")
    assert data["page_url"] == "http://testserver/ausgaben/ludwigsburg/handlungsfelder/12/"


def test_operative_goal_by_code_with_links(demo, api):
    response = api.get(f"{OG}12.3.4/", {"edition": "ludwigsburg"})

    assert response.status_code == 200
    data = response.json()
    assert data["title"] == TITLE_12_3_4
    assert data["code"] == "12.3.4"
    assert data["number"] == 4
    assert data["text"].startswith("Kredite werden nur als subsidiäres")
    assert data["responsible_units"] == ["FB-FIN-HH"]
    assert data["strategic_goal"] == "12.3"
    assert data["url"] == "http://testserver/api/v1/operative-goals/12.3.4/?edition=ludwigsburg"
    assert data["page_url"] == "http://testserver/ausgaben/ludwigsburg/ziele/12.3.4/"

    parent = api.get(data["strategic_goal_url"]).json()
    assert parent["code"] == "12.3"
    assert parent["responsible_units"] == ["FB-FIN"]
    assert data["url"] in parent["operative_goals"]
    assert api.get(parent["field_url"]).json()["code"] == "12"


def test_strategic_goal_embeds_cross_references(demo, api):
    goals = api.get(SG).json()["results"]

    references = [ref for row in goals for ref in row["cross_references"]]
    assert references
    assert all(set(ref) == {"position", "text", "text_en", "target_code"} for ref in references)


def test_unknown_code_and_edition_are_404(demo, api):
    assert api.get(f"{OG}12.3.9/").status_code == 404
    assert api.get(f"{OG}12.3.4/", {"edition": "gibt-es-nicht"}).status_code == 404


def test_filter_by_field(demo, api):
    assert api.get(OG, {"field": 12}).json()["count"] == 20
    assert api.get(OG, {"field": 7}).json()["count"] == 0
    response = api.get(OG, {"field": "zwölf"})
    assert response.status_code == 400
    assert "Nummer eines Handlungsfelds" in response.json()["field"]


def test_list_needs_few_queries(demo, api, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        assert api.get(OG).status_code == 200
    with django_assert_max_num_queries(6):
        assert api.get(SG).status_code == 200


def test_org_units_are_public(demo, api):
    data = api.get("/api/v1/org-units/FB-FIN/").json()

    assert data["name"] == "Fachbereich Finanzen"
    assert data["parent"] == "D2"
    assert data["children"] == ["FB-FIN-HH"]
    assert api.get("/api/v1/org-units/").json()["count"] == 8


# Unpublished editions


def test_unpublished_edition_is_invisible_to_the_public(draft, api):
    assert api.get("/api/v1/editions/entwurf/").status_code == 404
    assert [row["name"] for row in api.get("/api/v1/editions/").json()["results"]] == [
        "ludwigsburg"
    ]
    assert api.get(f"{OG}12.3.4/", {"edition": "entwurf"}).status_code == 404
    assert api.get(OG, {"edition": "entwurf"}).status_code == 404
    assert api.get("/api/v1/fields/12/", {"edition": "entwurf"}).status_code == 404


def test_unpublished_edition_is_invisible_without_a_staff_role(draft, api):
    user = get_user_model().objects.create_user("buerger", password="x-beliebig-lang")
    api.force_login(user)

    assert api.get("/api/v1/editions/entwurf/").status_code == 404
    assert api.get(f"{OG}12.3.4/", {"edition": "entwurf"}).status_code == 404


@pytest.mark.parametrize("username", ["strategie", "lesen"])
def test_unpublished_edition_is_visible_to_staff(draft, as_user, username):
    api = as_user(username)

    edition = api.get("/api/v1/editions/entwurf/")
    assert edition.status_code == 200
    assert edition.json()["is_published"] is False
    response = api.get(f"{OG}12.3.4/", {"edition": "entwurf"})
    assert response.status_code == 200
    assert response.json()["title"] == TITLE_12_3_4
    assert response.json()["url"].endswith("?edition=entwurf")
    assert api.get(OG, {"edition": "entwurf"}).json()["count"] == 20


# Writing


def test_anonymous_cannot_write(demo, api):
    response = api.patch(f"{OG}12.3.4/", {"text": "anonym"}, format="json")
    assert response.status_code in (401, 403)
    assert api.post("/api/v1/org-units/", {"code": "X", "name": "X"}).status_code in (401, 403)
    assert goal("12.3.4").text.startswith("Kredite werden")


def test_editor_patch_is_stored_with_history_user(demo, api):
    # Basic authentication instead of a session: the history must name the user whichever
    # way the client authenticates.
    token = base64.b64encode(f"finanzen:{DEMO_PASSWORD}".encode()).decode()
    api.credentials(HTTP_AUTHORIZATION=f"Basic {token}")
    text = "Kredite nutzen wir nur nachrangig; die Pro-Kopf-Verschuldung bleibt unter 1.000 EUR."

    response = api.patch(f"{OG}12.3.4/", {"text": text}, format="json")

    assert response.status_code == 200
    assert response.json()["text"] == text
    stored = goal("12.3.4")
    assert stored.text == text
    assert stored.title == TITLE_12_3_4
    latest = stored.history.first()
    assert latest.history_type == "~"
    assert latest.text == text
    assert latest.history_user.username == "finanzen"


@pytest.mark.parametrize(
    ("url", "payload"),
    [
        # FB-FIN-HH, a unit below FB-FIN, is responsible itself.
        (f"{OG}12.3.5/", {"title": "Liquiditätsreserven verlässlich halten"}),
        # No unit of its own: responsibility comes from strategic goal 12.3.
        (f"{OG}12.3.1/", {"text": "Neuer Text"}),
        (f"{SG}12.3/", {"title": "Finanzen nachhaltig steuern"}),
    ],
)
def test_editor_changes_goals_of_their_unit(demo, as_user, url, payload):
    response = as_user("finanzen").patch(url, payload, format="json")

    assert response.status_code == 200
    key, value = next(iter(payload.items()))
    assert response.json()[key] == value


def test_editor_may_put_the_whole_record_back_with_a_new_text(demo, as_user):
    api = as_user("finanzen")
    data = api.get(f"{OG}12.3.4/").json()
    data["text"] = "Vollständig übermittelt."

    response = api.put(f"{OG}12.3.4/", data, format="json")

    assert response.status_code == 200
    assert goal("12.3.4").text == "Vollständig übermittelt."
    assert unit_codes(goal("12.3.4")) == {"FB-FIN-HH"}


def test_editor_cannot_change_goals_of_other_units(demo, as_user):
    response = as_user("finanzen").patch(f"{OG}12.2.1/", {"text": "fremd"}, format="json")

    assert response.status_code == 403
    assert "Organisationseinheit verantwortlich" in response.json()["detail"]
    assert goal("12.2.1").text != "fremd"


def test_other_editor_changes_their_own_goal(demo, as_user):
    response = as_user("buergerdienste").patch(f"{OG}12.2.1/", {"text": "BD"}, format="json")

    assert response.status_code == 200
    assert goal("12.2.1").text == "BD"


def test_editor_cannot_assign_responsibility(demo, as_user):
    response = as_user("finanzen").patch(
        f"{OG}12.3.4/", {"responsible_units": ["FB-FIN", "FB-BD"]}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Verantwortliche Organisationseinheiten weist nur die Strategiestelle zu."
    )
    assert unit_codes(goal("12.3.4")) == {"FB-FIN-HH"}


@pytest.mark.parametrize("payload", [{"number": 9}, {"strategic_goal": "12.1"}])
def test_editor_cannot_renumber_or_move(demo, as_user, payload):
    response = as_user("finanzen").patch(f"{OG}12.3.4/", payload, format="json")

    assert response.status_code == 403
    assert "Strategiestelle" in response.json()["detail"]
    assert goal("12.3.4").strategic_goal.code == "12.3"


def test_strategy_office_assigns_responsibility(demo, as_user):
    response = as_user("strategie").patch(
        f"{OG}12.2.1/", {"responsible_units": ["FB-FIN"]}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["responsible_units"] == ["FB-FIN"]
    stored = goal("12.2.1")
    assert unit_codes(stored) == {"FB-FIN"}
    assert stored.history.first().history_user.username == "strategie"


def test_viewer_cannot_write(demo, as_user):
    api = as_user("lesen")

    response = api.patch(f"{OG}12.3.4/", {"text": "gelesen"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Sie haben keine Berechtigung, diese Einträge zu ändern."
    assert api.delete(f"{OG}12.3.4/").status_code == 403
    assert goal("12.3.4").text.startswith("Kredite werden")


def test_editor_cannot_add_or_delete(demo, as_user):
    api = as_user("finanzen")
    new = {"strategic_goal": "12.3", "number": 9, "title": "Neu", "text": "Neu"}

    response = api.post(OG, new, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Neue Einträge legt nur die Strategiestelle an."
    assert api.delete(f"{OG}12.3.4/").status_code == 403
    assert OperativeGoal.objects.count() == 20


def test_strategy_office_adds_and_deletes_goals(demo, as_user):
    api = as_user("strategie")
    new = {
        "strategic_goal": "12.3",
        "number": 9,
        "title": "Fördermittel konsequent nutzen",
        "text": "Wir prüfen Förderprogramme.",
        "responsible_units": ["FB-FIN-HH"],
    }

    response = api.post(OG, new, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["code"] == "12.3.9"
    assert unit_codes(goal("12.3.9")) == {"FB-FIN-HH"}

    assert api.delete(f"{OG}12.3.9/").status_code == 204
    assert api.get(f"{OG}12.3.9/").status_code == 404


def test_validation_errors_are_german(demo, as_user):
    api = as_user("strategie")
    duplicate = {"strategic_goal": "12.3", "number": 4, "title": "Doppelt", "text": "Doppelt"}

    response = api.post(OG, duplicate, format="json")
    assert response.status_code == 400
    [message] = response.json()["number"]
    assert message.startswith("Die Nummer 4 ist unter „12.3 ")
    assert message.endswith("“ bereits vergeben.")

    response = api.post(OG, {**duplicate, "strategic_goal": "12.9"}, format="json")
    assert response.status_code == 400
    assert response.json()["strategic_goal"] == [
        "Die Ausgabe „ludwigsburg“ enthält kein Strategisches Ziel mit der Nummer 12.9."
    ]

    response = api.patch(f"{OG}12.3.4/", {"title": ""}, format="json")
    assert response.status_code == 400
    assert "darf nicht leer sein" in response.json()["title"][0]


def test_only_one_current_edition(demo, as_user):
    api = as_user("strategie")

    response = api.post(
        "/api/v1/editions/",
        {"name": "2030", "title": "SEK 2030", "is_current": True},
        format="json",
    )

    assert response.status_code == 400
    assert "bereits die Ausgabe „ludwigsburg“" in response.json()["is_current"][0]


def test_org_units_are_changed_by_the_strategy_office_only(demo, as_user):
    api = as_user("finanzen")
    unit = {"code": "FB-BAU", "name": "Fachbereich Bau", "kind": "fachbereich", "parent": "D2"}

    assert api.post("/api/v1/org-units/", unit, format="json").status_code == 403

    api = as_user("strategie")
    assert api.post("/api/v1/org-units/", unit, format="json").status_code == 201
    assert OrgUnit.objects.get(code="FB-BAU").parent.code == "D2"

    cycle = api.patch("/api/v1/org-units/D2/", {"parent": "FB-FIN-HH"}, format="json")
    assert cycle.status_code == 400
    assert cycle.json()["parent"] == ["Eine Einheit kann nicht unter sich selbst stehen."]

    in_use = api.delete("/api/v1/org-units/FB-FIN/")
    assert in_use.status_code == 409
    assert "wird noch verwendet" in in_use.json()["detail"]


# OpenAPI document and documentation page


def test_schema_generates_without_warnings():
    """No database: the schema must come from the code alone."""
    GENERATOR_STATS.reset()

    schema = SchemaGenerator().get_schema(request=None, public=True)

    assert not GENERATOR_STATS, "drf-spectacular reported warnings or errors"
    validate_schema(schema)
    assert set(API_PATHS) <= set(schema["paths"])


def test_spectacular_command_validates_and_fails_on_warnings(tmp_path: Path):
    target = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    assert target.read_text(encoding="utf-8").startswith("openapi: 3.")


def test_schema_endpoint(db, api):
    response = api.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)
    assert set(API_PATHS) <= set(schema["paths"])
    read = schema["paths"]["/api/v1/operative-goals/{code}/"]["get"]
    assert {} in read["security"], "anonymous reading should be documented"
    assert {p["name"] for p in read["parameters"]} == {"code", "edition"}

    yaml = api.get("/api/schema/")
    assert yaml.status_code == 200
    assert yaml.content.startswith(b"openapi: 3.")


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "link", "img"):
            self.urls += [value for name, value in attrs if name in ("src", "href") and value]


def test_docs_page_loads_nothing_from_other_hosts(db, api):
    response = api.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "http://" not in html
    assert "https://" not in html
    parser = _Assets()
    parser.feed(html)
    assert len(parser.urls) >= 3
    for url in parser.urls:
        assert url.startswith(settings.STATIC_URL), url
        # The file must ship with the app (drf-spectacular-sidecar), not come from a CDN.
        assert finders.find(url.removeprefix(settings.STATIC_URL)), url
    assert "/api/schema/" in html


def test_error_messages_follow_the_requested_language(demo):
    client = APIClient()
    response = client.get("/api/v1/operative-goals/?edition=gibtsnicht", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json()["detail"] == "There is no edition with the identifier “gibtsnicht”."
    response = client.get("/api/v1/operative-goals/?edition=gibtsnicht", HTTP_ACCEPT_LANGUAGE="de")
    assert response.json()["detail"] == "Es gibt keine Ausgabe mit der Kennung „gibtsnicht“."

"""Who may do what with indicators (indicators/rules.py), in the services and the staff pages."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from tests.indicators_support import Indicators, make_indicators, store, user, value
from zielwerk.goals.queries import find_goal
from zielwerk.indicators.excel import template_bytes
from zielwerk.indicators.models import Milestone, Value
from zielwerk.indicators.values import ValuesError, approve


@pytest.fixture
def indicators(demo) -> Indicators:
    return make_indicators(demo)


@pytest.mark.parametrize(
    ("username", "indicator", "allowed"),
    [
        ("strategie", "service", True),
        # FB-FIN-HH, below the editor's unit, owns the indicator.
        ("finanzen", "debt", True),
        # No owner; the editor's unit is responsible for strategic goal 12.3 above 12.3.1.
        ("finanzen", "revenue", True),
        ("finanzen", "service", False),
        ("buergerdienste", "service", True),
        ("buergerdienste", "debt", False),
        ("lesen", "debt", False),
    ],
)
def test_who_maintains_values_and_targets(indicators, username, indicator, allowed):
    person = user(username)
    target = getattr(indicators, indicator)
    store(target, (2020, 1.0))
    stored = value(target, 2020)

    assert person.has_perm("indicators.add_value", target) is allowed
    assert person.has_perm("indicators.change_value", stored) is allowed
    assert person.has_perm("indicators.add_target", target) is allowed
    assert person.has_perm("indicators.change_indicator", target) is allowed
    assert person.has_perm("indicators.view_value", stored)


@pytest.mark.parametrize(
    ("username", "allowed"),
    [("strategie", True), ("finanzen", False), ("buergerdienste", False), ("lesen", False)],
)
def test_only_the_strategy_office_approves_and_defines_indicators(indicators, username, allowed):
    person = user(username)

    assert person.has_perm("indicators.approve_value") is allowed
    assert person.has_perm("indicators.add_indicator") is allowed
    assert person.has_perm("indicators.delete_indicator", indicators.debt) is allowed


def test_the_public_sees_no_staff_records(indicators):
    assert not AnonymousUser().has_perm("indicators.view_value")
    assert not AnonymousUser().has_perm("indicators.add_value", indicators.debt)


def test_editors_delete_only_values_waiting_for_approval(indicators):
    store(indicators.debt, (2020, 1.0))
    store(indicators.debt, (2021, 2.0), approve=True)
    finanzen = user("finanzen")

    assert finanzen.has_perm("indicators.delete_value", value(indicators.debt, 2020))
    assert not finanzen.has_perm("indicators.delete_value", value(indicators.debt, 2021))
    assert not finanzen.has_perm("indicators.delete_target", indicators.debt)


def test_milestones_follow_the_goal(demo):
    finanzen = user("finanzen")
    own = Milestone(
        operative_goal=find_goal(demo.edition, "12.3.5"), title="x", deadline="2026-01-01"
    )
    other = Milestone(
        operative_goal=find_goal(demo.edition, "12.2.1"), title="x", deadline="2026-01-01"
    )

    assert finanzen.has_perm("indicators.change_milestone", own)
    assert not finanzen.has_perm("indicators.change_milestone", other)
    assert not finanzen.has_perm("indicators.delete_milestone", own)


def test_importing_for_another_unit_is_refused_and_stores_nothing(indicators):
    before = Value.objects.count()
    with pytest.raises(ValuesError) as raised:
        store(indicators.debt, (2020, 1.0), user=user("buergerdienste"))

    assert raised.value.errors == [
        "Sie dürfen keine Werte für den Indikator „test-schulden“ erfassen."
    ]
    with pytest.raises(ValuesError) as raised:
        store(indicators.debt, (2020, 1.0), approve=True, user=user("finanzen"))
    assert raised.value.errors == ["Werte freigeben darf nur die Strategiestelle."]
    assert Value.objects.count() == before


def test_approval_by_an_editor_is_refused(indicators):
    store(indicators.debt, (2020, 1.0))

    with pytest.raises(PermissionDenied):
        approve(Value.objects.filter(indicator=indicators.debt), user("finanzen"))
    assert value(indicators.debt, 2020).state == Value.State.ENTERED


# Staff pages


def test_editor_enters_a_value_in_the_staff_pages(indicators, client, login):
    login("finanzen")
    url = reverse("admin:indicators_value_add")
    form = {"indicator": indicators.debt.pk, "year": 2024, "month": 0, "value": "1.5"}
    form |= {"disaggregation": "{}", "flags": "p", "source": "", "note": ""}

    response = client.post(url, form)

    assert response.status_code == 302, response.content.decode()[:2000]
    stored = value(indicators.debt, 2024)
    assert (stored.entered_by.username, stored.state) == ("finanzen", Value.State.ENTERED)
    assert stored.history.first().history_user.username == "finanzen"

    # Another unit's indicator is not offered.
    form["indicator"] = indicators.service.pk
    form["year"] = 2025
    response = client.post(url, form)
    assert response.status_code == 200
    assert not Value.objects.filter(indicator=indicators.service).exists()


def test_duplicate_period_in_the_staff_pages(indicators, client, login):
    store(indicators.debt, (2024, 1.0))
    login("finanzen")
    form = {"indicator": indicators.debt.pk, "year": 2024, "month": 0, "value": "2"}
    form |= {"disaggregation": "{}", "flags": "", "source": "", "note": ""}

    response = client.post(reverse("admin:indicators_value_add"), form)

    assert "gibt es schon einen Wert" in response.content.decode()


@pytest.mark.parametrize(("username", "offered"), [("strategie", True), ("finanzen", False)])
def test_approve_action_only_for_the_strategy_office(indicators, client, login, username, offered):
    store(indicators.debt, (2020, 1.0))
    login(username)
    changelist = reverse("admin:indicators_value_changelist")

    page = client.get(changelist).content.decode()
    assert ('value="approve_selected"' in page) is offered

    stored = value(indicators.debt, 2020)
    client.post(changelist, {"action": "approve_selected", "_selected_action": [stored.pk]})
    stored.refresh_from_db()
    assert (stored.state == Value.State.APPROVED) is offered


def test_values_list_filters(indicators, client, login):
    store(indicators.debt, (2020, 1.0), (2021, 2.0))
    login("lesen")

    response = client.get(
        reverse("admin:indicators_value_changelist"),
        {"indicator__id__exact": indicators.debt.pk, "state__exact": "entered", "year": 2021},
    )

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [value(indicators.debt, 2021)]


def test_template_download_and_upload(indicators, client, login):
    login("finanzen")
    download = client.get(reverse("admin:indicators_indicator_template", args=[indicators.debt.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="werte_test-schulden.xlsx"'
    book = load_workbook(io.BytesIO(download.content))
    book["Werte"].append([2023, None, 7.5])
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = "werte.xlsx"

    response = client.post(reverse("admin:indicators_value_upload"), {"file": upload})

    assert response.status_code == 302
    assert value(indicators.debt, 2023).value == 7.5
    assert value(indicators.debt, 2023).entered_by.username == "finanzen"


def test_upload_reports_every_error(indicators, client, login):
    login("buergerdienste")
    book = load_workbook(io.BytesIO(template_bytes(indicators.debt)))
    book["Werte"].append([2023, None, "abc"])
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = "werte.xlsx"

    response = client.post(reverse("admin:indicators_value_upload"), {"file": upload})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Zeile 2, Spalte „Wert“: „abc“ ist keine Zahl." in page
    assert not Value.objects.filter(indicator=indicators.debt).exists()


def test_viewer_cannot_upload(indicators, client, login):
    login("lesen")
    assert client.get(reverse("admin:indicators_value_upload")).status_code == 403


def test_editor_cannot_reassign_an_indicator(indicators, client, login):
    login("finanzen")
    page = client.get(reverse("admin:indicators_indicator_change", args=[indicators.debt.pk]))

    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "owner" not in form.fields
    assert "code" not in form.fields
    assert "name" in form.fields

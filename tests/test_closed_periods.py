"""Closed reporting years: closing by the strategy office, figures that no longer change silently,
and corrections recorded as revisions — in the services, the staff pages, the API and the CLI."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from tests.indicators_support import Indicators, make_indicators, store, user, value
from zielwerk.indicators.models import ReportingPeriod, Value, ValueBatch, ValueRevision
from zielwerk.indicators.periods import closed_years, is_closed
from zielwerk.indicators.values import (
    ValueRow,
    ValuesError,
    approve,
    public_values,
    save_value,
    store_values,
)

VALUES = "/api/v1/values/"
REFUSED_2024 = (
    "Das Berichtsjahr 2024 ist abgeschlossen. Eine Änderung ist nur als Berichtigung mit "
    "Begründung möglich."
)
REASON = "Nachmeldung des Statistischen Landesamts"


@pytest.fixture
def indicators(demo) -> Indicators:
    """Debt 2023 and 2024 approved, 2024 closed."""
    found = make_indicators(demo)
    store(found.debt, (2023, 1010.0), (2024, 990.0, "p"), approve=True)
    ReportingPeriod.objects.create(year=2024, closed_by=user("strategie"))
    return found


def command(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def value_form(v: Value, **changes) -> dict:
    form = {"indicator": v.indicator_id, "year": v.year, "month": v.month, "value": v.value}
    form |= {"disaggregation": "{}", "flags": v.flags, "source": v.source, "note": v.note}
    return form | changes


# Closing


def test_the_strategy_office_closes_a_year_from_the_command_line(demo):
    out = command(
        "close_period", "2024", "--note", "Bericht 2024 beschlossen", "--user", "strategie"
    )

    assert out.strip() == "Berichtsjahr 2024 abgeschlossen."
    closed = ReportingPeriod.objects.get(year=2024)
    assert (closed.closed_by.username, closed.note) == ("strategie", "Bericht 2024 beschlossen")
    assert closed_years() == {2024} and is_closed(2024) and not is_closed(2025)

    with pytest.raises(
        CommandError, match=r"2024 ist bereits abgeschlossen \(am .* von strategie\)"
    ):
        command("close_period", "2024")
    with pytest.raises(CommandError, match="nur Berichtsjahre von 1800 bis zum laufenden Jahr"):
        command("close_period", "2999")


def test_an_editor_cannot_close_a_year_from_the_command_line(demo):
    with pytest.raises(
        CommandError, match="Berichtsjahre abschließen darf nur die Strategiestelle"
    ):
        command("close_period", "2023", "--user", "finanzen")

    assert not ReportingPeriod.objects.exists()


def test_closing_in_the_staff_pages_is_for_the_strategy_office(demo, client, login):
    add = reverse("admin:indicators_reportingperiod_add")
    login("finanzen")
    assert client.post(add, {"year": 2024, "note": ""}).status_code == 403
    assert not ReportingPeriod.objects.exists()

    login("strategie")
    response = client.post(add, {"year": 2024, "note": "Bericht beschlossen"})

    assert response.status_code == 302
    closed = ReportingPeriod.objects.get(year=2024)
    assert closed.closed_by.username == "strategie"
    again = client.post(add, {"year": 2024, "note": ""})
    assert "Das Berichtsjahr 2024 ist bereits abgeschlossen" in again.content.decode()
    # Closing is final: no changing and no deleting, not even by the strategy office.
    delete = reverse("admin:indicators_reportingperiod_delete", args=[closed.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert is_closed(2024)

    login("lesen")
    page = client.get(reverse("admin:indicators_reportingperiod_changelist"))
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [closed]


# Storing many values


def test_a_silent_change_of_a_closed_year_is_refused_and_nothing_is_stored(indicators):
    debt = indicators.debt
    batches = ValueBatch.objects.count()
    rows = [
        ValueRow(indicator=debt, year=2023, value=1011.0),
        ValueRow(indicator=debt, year=2024, value=985.0, flags="p"),
        ValueRow(indicator=debt, year=2024, month=6, value=1.0),
    ]

    with pytest.raises(ValuesError) as raised:
        store_values(rows, source_name="Test", user=user("finanzen"))

    assert raised.value.errors == [
        f"test-schulden 2024: {REFUSED_2024}",
        f"test-schulden 2024-06: {REFUSED_2024}",
    ]
    # All or nothing: the row of the open year is not stored either.
    assert value(debt, 2023).value == 1010.0
    assert (value(debt, 2024).value, value(debt, 2024).state) == (990.0, Value.State.APPROVED)
    assert not Value.objects.filter(indicator=debt, month=6).exists()
    assert ValueBatch.objects.count() == batches
    assert not ValueRevision.objects.exists()


def test_with_a_reason_the_change_is_applied_and_recorded_as_a_revision(indicators):
    debt = indicators.debt
    rows = [
        ValueRow(indicator=debt, year=2023, value=1011.0),
        ValueRow(indicator=debt, year=2024, value=985.0, flags="p"),
        ValueRow(indicator=debt, year=2024, month=6, value=1.0),
    ]

    summary = store_values(
        rows, source_name="Test", user=user("finanzen"), revision_reason=f"  {REASON} "
    )

    assert summary.line() == "1 Werte neu, 2 geändert, 0 unverändert, 2 als Berichtigung erfasst"
    revised = value(debt, 2024, month=0)
    # Changed like any approved value: revised mark, back to approval.
    assert (revised.value, revised.flags, revised.state) == (985.0, "pr", Value.State.ENTERED)
    assert value(debt, 2024, month=6).flags == "r"
    records = ValueRevision.objects.order_by("month")
    assert [(r.value, r.year, r.month, r.old_value, r.new_value) for r in records] == [
        (revised, 2024, 0, 990.0, 985.0),
        (value(debt, 2024, month=6), 2024, 6, None, 1.0),
    ]
    assert {(r.reason, r.revised_by.username, r.indicator) for r in records} == {
        (REASON, "finanzen", debt)
    }
    # The open year changes as always, without a revision.
    assert value(debt, 2023).value == 1011.0
    assert not ValueRevision.objects.filter(year=2023).exists()


def test_importing_the_same_file_again_is_silent(indicators):
    debt = indicators.debt
    store(debt, (2024, 985.0, "p"), revision_reason=REASON)

    # Unchanged rows of a closed year need no reason and record nothing.
    again = store(debt, (2023, 1010.0), (2024, 985.0, "p"))

    assert again.line() == "0 Werte neu, 0 geändert, 2 unverändert"
    assert ValueRevision.objects.count() == 1


def test_approving_a_value_of_a_closed_year_needs_no_reason(indicators):
    debt = indicators.debt
    store(debt, (2024, 985.0, "p"), revision_reason=REASON)

    assert approve(Value.objects.filter(indicator=debt), user("strategie")) == 1
    assert public_values().get(indicator=debt, year=2024).value == 985.0
    assert ValueRevision.objects.count() == 1
    # Approving while storing, without a change of the figure, needs no reason either.
    assert store(debt, (2024, 985.0, "p"), approve=True).unchanged == 1


def test_a_changed_note_is_a_revision_but_no_changed_figure(indicators):
    store(indicators.debt, (2024, 990.0, "p"), revision_reason=REASON, user=user("strategie"))
    assert ValueRevision.objects.count() == 0

    rows = [ValueRow(indicator=indicators.debt, year=2024, value=990.0, flags="p", note="neu")]
    with pytest.raises(ValuesError):
        store_values(rows, source_name="Test")
    store_values(rows, source_name="Test", revision_reason=REASON)

    revision = ValueRevision.objects.get()
    assert (revision.old_value, revision.new_value) == (990.0, 990.0)
    assert value(indicators.debt, 2024).flags == "p"


# Single values


def test_save_value_follows_the_same_rule(indicators):
    revised = value(indicators.debt, 2024)
    revised.value = 980.0

    with pytest.raises(ValuesError) as raised:
        save_value(revised, user("finanzen"))
    assert raised.value.errors == [f"test-schulden 2024: {REFUSED_2024}"]
    assert value(indicators.debt, 2024).value == 990.0

    save_value(revised, user("finanzen"), REASON)
    stored = value(indicators.debt, 2024)
    assert (stored.value, stored.flags) == (980.0, "pr")
    assert stored.history.first().history_change_reason == REASON
    revision = stored.revisions.get()
    assert (revision.old_value, revision.new_value, revision.reason) == (990.0, 980.0, REASON)


def test_the_staff_pages_ask_for_a_reason(indicators, client, login):
    login("finanzen")
    stored = value(indicators.debt, 2024)
    url = reverse("admin:indicators_value_change", args=[stored.pk])

    refused = client.post(url, value_form(stored, value="980"))

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["revision_reason"] == [
        f"test-schulden 2024: {REFUSED_2024}"
    ]
    assert value(indicators.debt, 2024).value == 990.0

    accepted = client.post(url, value_form(stored, value="980", revision_reason=REASON))

    assert accepted.status_code == 302
    assert (value(indicators.debt, 2024).value, value(indicators.debt, 2024).flags) == (980, "pr")
    revision = ValueRevision.objects.get()
    assert revision.revised_by.username == "finanzen"
    # The value's page lists its revisions.
    assert REASON in client.get(url).content.decode()


def test_a_new_value_of_a_closed_year_in_the_staff_pages(indicators, client, login):
    login("finanzen")
    form = value_form(value(indicators.debt, 2024), month=3, value="5", flags="")
    url = reverse("admin:indicators_value_add")

    assert client.post(url, form).status_code == 200
    assert client.post(url, form | {"revision_reason": REASON}).status_code == 302

    added = value(indicators.debt, 2024, month=3)
    assert (added.flags, added.revisions.get().old_value) == ("r", None)


def test_values_of_a_closed_year_are_not_deleted_in_the_staff_pages(indicators, client, login):
    login("strategie")
    closed = value(indicators.debt, 2024)
    open_year = value(indicators.debt, 2023)

    assert client.get(reverse("admin:indicators_value_delete", args=[closed.pk])).status_code == 403
    changelist = reverse("admin:indicators_value_changelist")
    client.post(
        changelist, {"action": "delete_selected", "_selected_action": [closed.pk], "post": "yes"}
    )
    assert Value.objects.filter(pk=closed.pk).exists()

    delete = reverse("admin:indicators_value_delete", args=[open_year.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Value.objects.filter(pk=open_year.pk).exists()


def test_revisions_are_listed_read_only(indicators, client, login):
    store(indicators.debt, (2024, 985.0, "p"), revision_reason=REASON, user=user("strategie"))
    login("lesen")
    changelist = reverse("admin:indicators_valuerevision_changelist")

    page = client.get(changelist, {"year": 2024, "indicator__id__exact": indicators.debt.pk})

    assert page.status_code == 200
    assert [r.reason for r in page.context["cl"].result_list] == [REASON]
    assert "990,0 → 985,0" in page.content.decode()
    login("strategie")
    assert client.get(reverse("admin:indicators_valuerevision_add")).status_code == 403


# API


@pytest.fixture
def api() -> APIClient:
    client = APIClient()
    client.force_login(get_user_model().objects.get(username="finanzen"))
    return client


def test_the_api_asks_for_a_reason(indicators, api):
    url = f"{VALUES}{value(indicators.debt, 2024).pk}/"

    refused = api.patch(url, {"value": 980.0}, format="json")

    assert refused.status_code == 400
    assert refused.json() == {"revision_reason": [f"test-schulden 2024: {REFUSED_2024}"]}
    assert value(indicators.debt, 2024).value == 990.0

    accepted = api.patch(url, {"value": 980.0, "revision_reason": REASON}, format="json")

    assert accepted.status_code == 200
    assert (accepted.json()["flags"], accepted.json()["state"]) == ("pr", "entered")
    assert "revision_reason" not in accepted.json()
    assert ValueRevision.objects.get().revised_by.username == "finanzen"


def test_the_api_keeps_values_in_their_closed_year(indicators, api):
    closed = value(indicators.debt, 2024)
    new = {"indicator": "test-schulden", "year": 2024, "month": 2, "value": 1.0}

    assert api.post(VALUES, new, format="json").status_code == 400
    moved = api.patch(f"{VALUES}{closed.pk}/", {"year": 2025, "revision_reason": REASON})
    assert moved.status_code == 400
    assert "lassen sich nicht in einen anderen Zeitraum" in moved.json()["non_field_errors"][0]

    api.force_login(user("strategie"))
    deleted = api.delete(f"{VALUES}{closed.pk}/")
    assert deleted.status_code == 403
    assert "Das Berichtsjahr 2024 ist abgeschlossen" in deleted.json()["detail"]
    assert Value.objects.filter(pk=closed.pk, year=2024).exists()
    # Open years are unaffected.
    assert api.delete(f"{VALUES}{value(indicators.debt, 2023).pk}/").status_code == 204


# Files


def revised_table(tmp_path) -> str:
    table = tmp_path / "werte.csv"
    table.write_text("Indikator;Jahr;Wert\ntest-schulden;2023;1010\ntest-schulden;2024;985\n")
    return str(table)


def test_importing_a_file_into_a_closed_year_needs_a_reason(indicators, tmp_path):
    table = revised_table(tmp_path)

    with pytest.raises(CommandError) as raised:
        command("import_values", table)
    assert f"1 Fehler, es wurde nichts gespeichert:\n  test-schulden 2024: {REFUSED_2024}" in str(
        raised.value
    )
    assert value(indicators.debt, 2024).value == 990.0

    out = command("import_values", table, "--revision", REASON, "--user", "strategie")

    assert out.splitlines()[-1] == (
        "0 Werte neu, 1 geändert, 1 unverändert, 1 als Berichtigung erfasst"
    )
    revision = ValueRevision.objects.get()
    assert (revision.new_value, revision.reason, revision.revised_by.username) == (
        985.0,
        REASON,
        "strategie",
    )


def test_uploading_into_a_closed_year_needs_a_reason(indicators, client, login, tmp_path):
    login("finanzen")
    url = reverse("admin:indicators_value_upload")
    table = revised_table(tmp_path)

    with open(table, "rb") as upload:
        refused = client.post(url, {"file": upload})
    assert f"test-schulden 2024: {REFUSED_2024}" in refused.content.decode()
    assert not ValueRevision.objects.exists()

    with open(table, "rb") as upload:
        accepted = client.post(url, {"file": upload, "revision_reason": REASON})
    assert accepted.status_code == 302
    assert ValueRevision.objects.get().revised_by.username == "finanzen"
    assert value(indicators.debt, 2024).value == 985.0

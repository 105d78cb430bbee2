"""Storing values: upsert, revision of approved values, history of changed rows only,
approval and the approved series the evaluation reads."""

from __future__ import annotations

import pytest

from tests.indicators_support import make_indicators, store, user, value
from zielwerk.indicators.cells import format_period, parse_number, parse_period
from zielwerk.indicators.disaggregation import canonical
from zielwerk.indicators.models import Value, ValueBatch
from zielwerk.indicators.values import (
    ValueRow,
    ValuesError,
    approve,
    approved_series,
    public_values,
    save_value,
    store_values,
)


@pytest.fixture
def debt(demo):
    return make_indicators(demo).debt


def history_types(v: Value) -> list[str]:
    return [h.history_type for h in v.history.order_by("history_date", "history_id")]


def test_new_values_are_stored_with_provenance_and_no_history(debt):
    summary = store(debt, (2021, 980.0), (2022, 1010.5, "p"), user=user("finanzen"))

    assert summary.line() == "2 Werte neu, 0 geändert, 0 unverändert"
    stored = value(debt, 2022)
    assert (stored.value, stored.flags, stored.state) == (1010.5, "p", Value.State.ENTERED)
    assert stored.entered_by.username == "finanzen"
    assert stored.batch == summary.batch
    assert (summary.batch.source_name, summary.batch.created_rows) == ("Test", 2)
    assert summary.batch.created_by.username == "finanzen"
    # A first import writes no history; its provenance is the batch.
    assert not Value.history.filter(indicator_id=debt.pk).exists()


def test_storing_again_updates_only_what_changed_and_records_history_for_it(debt):
    store(debt, (2021, 980.0), (2022, 1010.5))

    summary = store(debt, (2021, 980.0), (2022, 1012.0), (2023, 990.0), user=user("finanzen"))

    assert summary.line() == "1 Werte neu, 1 geändert, 1 unverändert"
    assert summary.batch.updated_rows == 1
    changed = value(debt, 2022)
    assert changed.value == 1012.0
    # The state before the first change is kept, then the change itself.
    assert history_types(changed) == ["+", "~"]
    assert [h.value for h in changed.history.order_by("history_date")] == [1010.5, 1012.0]
    assert changed.history.first().history_user.username == "finanzen"
    assert history_types(value(debt, 2021)) == []
    assert history_types(value(debt, 2023)) == []


def test_changing_an_approved_value_sends_it_back_with_a_revision_flag(debt):
    store(debt, (2022, 1010.5, "p"), approve=True)
    assert value(debt, 2022).state == Value.State.APPROVED

    summary = store(debt, (2022, 1008.0, "p"))

    revised = value(debt, 2022)
    assert summary.updated == 1
    assert (revised.state, revised.flags, revised.approved_at) == (Value.State.ENTERED, "pr", None)
    assert public_values().filter(indicator=debt).count() == 0
    # The same file again changes nothing: the revision mark stays once set.
    assert store(debt, (2022, 1008.0, "p")).line() == "0 Werte neu, 0 geändert, 1 unverändert"


def test_a_changed_flag_alone_needs_approval_again_but_is_no_revision(debt):
    store(debt, (2022, 1010.5, "p"), approve=True)

    store(debt, (2022, 1010.5, ""))

    stored = value(debt, 2022)
    assert (stored.state, stored.flags) == (Value.State.ENTERED, "")


def test_approve_records_who_and_when_and_only_counts_waiting_values(debt):
    store(debt, (2021, 980.0), (2022, 1010.5))
    strategie = user("strategie")

    assert approve(Value.objects.filter(indicator=debt), strategie) == 2
    assert approve(Value.objects.filter(indicator=debt), strategie) == 0

    approved = value(debt, 2021)
    assert approved.state == Value.State.APPROVED
    assert approved.approved_by == strategie
    assert history_types(approved) == ["+", "~"]
    assert approved.history.first().history_change_reason == "Freigabe"


def test_approved_series_has_only_approved_values_with_months_as_fractions(debt):
    store_values(
        [
            ValueRow(indicator=debt, year=2020, value=1.0),
            ValueRow(indicator=debt, year=2021, month=1, value=2.0),
            ValueRow(indicator=debt, year=2021, month=7, value=3.0),
            ValueRow(indicator=debt, year=2021, value=9.0, disaggregation={"Stadtteil": "Mitte"}),
        ],
        source_name="Test",
        approve=True,
    )
    store(debt, (2022, 4.0))

    assert approved_series(debt) == [(2020.0, 1.0), (2021.0, 2.0), (2021.5, 3.0)]
    assert approved_series(debt, "Stadtteil=Mitte") == [(2021.0, 9.0)]


def test_rows_with_state_approved_are_approved_while_storing(debt):
    summary = store_values(
        [ValueRow(indicator=debt, year=2020, value=1.0, state=Value.State.APPROVED)],
        source_name="Definitionen",
    )
    assert (summary.created, summary.approved) == (1, 1)
    assert value(debt, 2020).state == Value.State.APPROVED


def test_disaggregation_is_normalised_to_one_key(debt):
    store_values(
        [
            ValueRow(
                indicator=debt,
                year=2021,
                value=1.0,
                disaggregation={"Stadtteil": " Mitte ", "Geschlecht": "w", "Alter": ""},
            )
        ],
        source_name="Test",
    )
    stored = value(debt, 2021)
    assert stored.disaggregation == {"Geschlecht": "w", "Stadtteil": "Mitte"}
    assert stored.disaggregation_key == "Geschlecht=w|Stadtteil=Mitte"

    summary = store_values(
        [
            ValueRow(
                indicator=debt,
                year=2021,
                value=1.0,
                disaggregation={"Stadtteil": "Mitte", "Geschlecht": "w"},
            )
        ],
        source_name="Test",
    )
    assert summary.unchanged == 1


def test_disaggregation_keys_never_collide():
    assert canonical({"a": "b|c=d"})[1] != canonical({"a": "b", "c": "d"})[1]
    assert canonical({"Units": "2005 = 100"})[1] == "Units=2005 = 100"


def test_problems_are_all_reported_and_nothing_is_stored(debt):
    rows = [
        ValueRow(indicator=debt, year=2021, value=1.0),
        ValueRow(indicator=debt, year=2021, value=2.0),
        ValueRow(indicator=debt, year=1700, value=1.0),
        ValueRow(indicator=debt, year=2022, month=13, value=1.0),
        ValueRow(indicator=debt, year=2023, value=float("nan")),
    ]
    before = (Value.objects.count(), ValueBatch.objects.count())
    with pytest.raises(ValuesError) as raised:
        store_values(rows, source_name="Test")

    assert raised.value.errors == [
        "test-schulden 2021: steht mehrfach in den Daten.",
        "test-schulden 1700: Jahr 1700 liegt nicht zwischen 1800 und 2200.",
        "test-schulden 2022-13: Monat 13 liegt nicht zwischen 0 und 12.",
        "test-schulden 2023: Der Wert muss eine endliche Zahl sein.",
    ]
    assert (Value.objects.count(), ValueBatch.objects.count()) == before


def test_single_edit_of_an_approved_number_is_a_revision(debt):
    store(debt, (2022, 1010.5), approve=True)
    stored = value(debt, 2022)

    stored.value = 1000.0
    save_value(stored, user("finanzen"))

    stored.refresh_from_db()
    assert (stored.state, stored.flags) == (Value.State.ENTERED, "r")
    latest = stored.history.first()
    assert (latest.history_type, latest.history_user.username) == ("~", "finanzen")


def test_a_new_single_value_is_entered_by_the_user(debt):
    new = save_value(Value(indicator=debt, year=2024, value=5.0), user("finanzen"))

    assert (new.state, new.entered_by.username) == (Value.State.ENTERED, "finanzen")
    assert history_types(new) == ["+"]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12,5", 12.5),
        ("1.234,5", 1234.5),
        ("1.234.567", 1234567.0),
        ("0.304", 0.304),
        ("−3", -3.0),
        ("1 000", 1000.0),
        ("abc", None),
        ("nan", None),
        ("", None),
    ],
)
def test_numbers(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("2019", (2019, 0)),
        ("2019-2020", (2019, 0)),
        ("2014/2015", (2014, 0)),
        ("2019-20", (2019, 0)),
        ("2022/1", (2022, 1)),
        ("2022/2", (2022, 7)),
        ("2015 Q4", (2015, 10)),
        ("2024M03", (2024, 3)),
        ("zwanzig", None),
        ("2019-13", None),
    ],
)
def test_periods(text, period):
    assert parse_period(text) == period


def test_exported_periods_read_back():
    for year, month in [(2024, 0), (2024, 1), (2024, 12)]:
        assert parse_period(format_period(year, month)) == (year, month)

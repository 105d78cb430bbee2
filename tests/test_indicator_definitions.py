"""The indicator proposal for Handlungsfeld 12 and the definitions file format."""

import pytest
from django.core.management import CommandError, call_command

from zielwerk.evaluation.models import StatusRecord
from zielwerk.goals.models import OperativeGoal
from zielwerk.indicators.models import Indicator, Milestone, Target, Value

pytestmark = pytest.mark.django_db


def test_demo_measures_every_operative_goal_with_labelled_sample_data(demo):
    assert Indicator.objects.count() == 20
    assert not Indicator.objects.filter(is_sample=False).exists()
    assert not Milestone.objects.filter(is_sample=False).exists()
    unmeasured = OperativeGoal.objects.filter(indicators__isnull=True, milestones__isnull=True)
    assert list(unmeasured) == []
    # The explicit figures of the seed are the targets, verbatim.
    debt = Target.objects.get(indicator__code="12-3-4-verschuldung")
    assert (debt.kind, debt.comparator, debt.value) == ("fixed_limit", "<=", 1000)
    liquidity = Target.objects.get(indicator__code="12-3-5-liquiditaetsdeckung")
    assert (liquidity.kind, liquidity.comparator, liquidity.value) == ("fixed_limit", ">=", 1)
    check = Target.objects.get(indicator__code="12-4-4-sek-check")
    assert (check.kind, check.value, check.target_year) == ("value_by_year", 100, 2025)
    assert "[50 %]" in Target.objects.get(indicator__code="12-5-2-bekanntheit-meinlb").wording
    assert (
        Milestone.objects.get(
            operative_goal__number=1, operative_goal__strategic_goal__number=5
        ).deadline.year
        == 2024
    )
    # Some values wait for approval, so the demo shows the approval step.
    assert Value.objects.filter(state=Value.State.ENTERED).count() == 2
    records = StatusRecord.objects.filter(subject=StatusRecord.Subject.OPERATIVE)
    assert records.count() == 20
    assert not records.filter(level="not_measured").exists()


def test_demo_pages_label_sample_data(demo, client):
    html = client.get("/ziele/12.3.4/").content.decode()
    assert "Beispieldaten" in html
    assert "Verschuldung je Einwohner einschließlich Eigenbetriebe" in html


def test_import_indicators_command_reports_all_errors_and_stores_nothing(seed_edition, tmp_path):
    path = tmp_path / "indikatoren.yaml"
    path.write_text(
        "indicators:\n"
        "  - {code: a, name: A, direction: up, goals: ['12.9.9'], owner: NIX}\n"
        "  - {code: b, name: B, direction: increase, targets: [{kind: fixed_limit}],"
        " values: [[2020, x, a]]}\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as error:
        call_command("import_indicators", str(path), "--edition", seed_edition.name)
    message = str(error.value)
    for expected in (
        "indicators[0].direction: erlaubt sind increase, decrease.",
        "indicators[0].goals[0]: kein operatives Ziel „12.9.9“",
        "indicators[0].owner: unbekannte Organisationseinheit „NIX“.",
        "indicators[1].targets[0].value: fehlt.",
        "indicators[1].targets[0].comparator: fehlt.",
        "indicators[1].values[0]: „x“ ist keine Zahl.",
    ):
        assert expected in message
    assert Indicator.objects.count() == 0


def test_import_indicators_command_stores_a_clean_file(seed_edition, tmp_path, capsys):
    path = tmp_path / "indikatoren.yaml"
    path.write_text(
        "indicators:\n"
        "  - code: quote\n"
        "    name: Quote\n"
        "    direction: increase\n"
        "    goals: ['12.2.1']\n"
        "    targets: [{kind: value_by_year, value: 90, target_year: 2030}]\n"
        "    values: [[2020, 50, a], [2021, 55, e]]\n",
        encoding="utf-8",
    )
    call_command("import_indicators", str(path), "--edition", seed_edition.name)
    assert (
        "1 Indikatoren, 1 Zielwerte, 0 Meilensteine und 2 Werte gespeichert"
        in capsys.readouterr().out
    )
    indicator = Indicator.objects.get(code="quote")
    assert [g.code for g in indicator.operative_goals.all()] == ["12.2.1"]
    assert list(indicator.values.values_list("year", "state")) == [
        (2020, "approved"),
        (2021, "entered"),
    ]
    with pytest.raises(CommandError, match="den Indikator „quote“ gibt es schon"):
        call_command("import_indicators", str(path), "--edition", seed_edition.name)

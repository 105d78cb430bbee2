"""Evaluating an edition: statuses of indicators, milestones and goals, stored per date."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from zielwerk.evaluation.models import EvaluationRun, StatusRecord
from zielwerk.evaluation.services import evaluate_edition
from zielwerk.goals.queries import find_goal
from zielwerk.indicators.models import Indicator, Milestone, Target, Value

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 3, 31)


def _indicator(edition, code, goal, direction, values, *, targets=(), method="weather", **extra):
    indicator = Indicator.objects.create(
        code=code, name=code, direction=direction, method=method, **extra
    )
    indicator.operative_goals.add(find_goal(edition, goal))
    for target in targets:
        Target.objects.create(indicator=indicator, **target)
    Value.objects.bulk_create(
        Value(indicator=indicator, year=year, value=value, state=Value.State.APPROVED)
        for year, value in values
    )
    return indicator


@pytest.fixture
def measured(seed_edition):
    debt = _indicator(
        seed_edition,
        "debt",
        "12.3.4",
        "decrease",
        [(2019, 780), (2020, 805), (2021, 842), (2022, 866), (2023, 901), (2024, 948)],
        targets=[{"kind": "fixed_limit", "comparator": "<=", "value": 1000}],
    )
    liquidity = _indicator(
        seed_edition,
        "liquidity",
        "12.3.5",
        "increase",
        [(2019, 1.42), (2020, 1.31), (2021, 1.25), (2022, 1.12), (2023, 1.06), (2024, 0.97)],
        targets=[{"kind": "fixed_limit", "comparator": ">=", "value": 1}],
    )
    Milestone.objects.create(
        operative_goal=find_goal(seed_edition, "12.5.1"),
        title="Leitlinien verabschiedet",
        deadline=datetime.date(2024, 12, 31),
        reached_on=datetime.date(2024, 7, 18),
        evidence="Gemeinderatsbeschluss",
    )
    return seed_edition, debt, liquidity


def _record(run, **subject):
    return run.records.get(**subject)


def test_indicators_get_the_published_method_and_an_explanation(measured):
    edition, debt, liquidity = measured
    run = evaluate_edition(edition, DAY).run
    record = _record(run, indicator=debt)
    # The limit is kept (948 ≤ 1,000) but the trend worsens: rule 1(b) "Leicht bewölkt".
    assert (record.method_status, record.level) == ("Leicht bewölkt", "slightly_off_track")
    assert "1.000" in record.explanation_de and "1,000" in record.explanation_en
    assert record.details["average_change"] == pytest.approx((948 - 780) / 5)
    record = _record(run, indicator=liquidity)
    # Missed (0.97 < 1) and moving away from the limit: "Gewitter".
    assert (record.method_status, record.level) == ("Gewitter", "critical")


def test_goals_roll_up_and_unmeasured_goals_say_so(measured):
    edition, _, _ = measured
    run = evaluate_edition(edition, DAY).run
    assert _record(run, operative_goal=find_goal(edition, "12.3.4")).level == "slightly_off_track"
    assert _record(run, operative_goal=find_goal(edition, "12.1.1")).level == "not_measured"
    assert _record(run, operative_goal=find_goal(edition, "12.5.1")).level == "on_track"
    sg3 = _record(run, strategic_goal=find_goal(edition, "12.3"))
    # Lower median of the two rated goals (critical, slightly off track): the worse one.
    assert sg3.level == "critical"
    assert sg3.distribution["critical"] == 1 and sg3.distribution["slightly_off_track"] == 1
    assert sg3.distribution["not_measured"] == 4
    field = _record(run, field=find_goal(edition, "12"))
    assert field.distribution["not_measured"] == 17
    assert sum(field.distribution.values()) == 20  # 2 indicators, 1 milestone, 17 unmeasured
    assert run.records.count() == 2 + 1 + 20 + 5 + 1


def test_only_approved_values_count(measured):
    edition, debt, _ = measured
    Value.objects.create(indicator=debt, year=2025, value=1200, state=Value.State.ENTERED)
    run = evaluate_edition(edition, datetime.date(2025, 12, 31)).run
    assert _record(run, indicator=debt).details["report_period"] == 2024


def test_same_data_same_run_changed_data_new_run_history_kept(measured):
    edition, debt, _ = measured
    first = evaluate_edition(edition, DAY)
    again = evaluate_edition(edition, DAY)
    assert first.created and not again.created and again.run == first.run
    Value.objects.filter(indicator=debt, year=2024).update(value=1010)
    changed = evaluate_edition(edition, DAY)
    assert changed.created and changed.run.data_version != first.run.data_version
    # Now 1,010 > 1,000 and still rising: missed and moving away, "Gewitter".
    assert _record(changed.run, indicator=debt).method_status == "Gewitter"
    assert _record(first.run, indicator=debt).method_status == "Leicht bewölkt"
    assert EvaluationRun.objects.filter(edition=edition).count() == 2


def test_an_earlier_date_uses_only_the_years_up_to_it(measured):
    edition, debt, _ = measured
    record = _record(evaluate_edition(edition, datetime.date(2022, 6, 30)).run, indicator=debt)
    assert (record.details["report_period"], record.method_status) == (2022, "Leicht bewölkt")
    record = _record(evaluate_edition(edition, datetime.date(2021, 6, 30)).run, indicator=debt)
    # Three values (2019–2021) are too few for a rating.
    assert (record.method_status, record.level) == ("Keine Bewertung", "no_evaluation")
    assert "mindestens 4 Werte, vorhanden sind 3" in record.explanation_de


def test_cagr_indicators_use_the_progress_measure(seed_edition):
    indicator = _indicator(
        seed_edition,
        "network",
        "12.4.2",
        "increase",
        [(2015, 24), (2017, 29), (2019, 33), (2021, 31), (2023, 38), (2024, 41)],
        method="cagr",
    )
    run = evaluate_edition(seed_edition, DAY).run
    record = _record(run, indicator=indicator)
    # (41/24)^(1/9) − 1 ≈ 6.1 % a year, above the 1.5 % threshold of method 1.
    assert record.method_status == "substantial_progress"
    assert record.details["progress_value"] == pytest.approx((41 / 24) ** (1 / 9) - 1)


def test_evaluate_command(measured, capsys):
    edition, _, _ = measured
    call_command("evaluate", "--date", "2025-03-31")
    out = capsys.readouterr().out
    assert "Stichtag 31.03.2025: 2 Indikatoren, 1 Meilensteine bewertet – gespeichert" in out
    assert "Handlungsfeld 12 Leistungsfähige und lernende Verwaltung: kritisch" in out
    call_command("evaluate", "--date", "2025-03-31")
    assert "unverändert (gleicher Datenstand)" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Unbekannte Ausgabe „1999“"):
        call_command("evaluate", "--edition", "1999")
    with pytest.raises(CommandError, match="ist kein Datum"):
        call_command("evaluate", "--date", "31.03.2025")
    assert StatusRecord.objects.filter(run__edition=edition).count() == 29


def test_goal_pages_show_status_explanation_and_public_values_only(measured, client):
    edition, debt, _ = measured
    Value.objects.create(indicator=debt, year=2025, value=1234.5, state=Value.State.ENTERED)
    evaluate_edition(edition, DAY)
    html = client.get("/ziele/12.3.4/").content.decode()
    assert "leicht abweichend" in html and "(Leicht bewölkt)" in html
    record = StatusRecord.objects.get(indicator=debt)
    assert record.explanation_de in html
    assert '<th scope="row">2024</th><td>948,0</td>' in html
    assert "1.234,5" not in html  # not approved: not public
    assert "keine politische Bewertung und keine Prognose" in html
    english = client.get("/en/ziele/12.3.4/").content.decode()
    assert record.explanation_en in english and "slightly off track" in english
    field_page = client.get("/handlungsfelder/12/").content.decode()
    assert "17 × nicht gemessen" in field_page and "1 × kritisch" in field_page
    assert client.get("/methoden/").status_code == 200
    assert "no political judgement" in client.get("/en/methoden/").content.decode()


def test_pages_without_an_evaluation_say_not_yet_rated(measured, client):
    html = client.get("/ziele/12.3.4/").content.decode()
    assert "noch nicht bewertet" in html
    assert '<th scope="row">2024</th><td>948,0</td>' in html


def test_an_indicator_with_a_single_broken_down_series_is_rated_on_it(seed_edition):
    indicator = _indicator(seed_edition, "units", "12.2.2", "increase", [])
    Value.objects.bulk_create(
        Value(
            indicator=indicator,
            year=year,
            value=value,
            disaggregation={"Units": "percentage"},
            disaggregation_key="Units=percentage",
            state=Value.State.APPROVED,
        )
        for year, value in [(2019, 10), (2020, 12), (2021, 15), (2022, 17), (2023, 20)]
    )
    run = evaluate_edition(seed_edition, DAY).run
    assert _record(run, indicator=indicator).method_status == "Sonne"

"""The coverage page: which operative goals have no indicator, no current data, no milestone or
no released measure."""

from __future__ import annotations

import datetime
import re

import pytest

from tests.test_measure_pages import assert_heading_hierarchy, make_measure, text_of
from tests.test_pages import outline
from zielwerk.evaluation.models import EvaluationRun
from zielwerk.goals.models import OperativeGoal
from zielwerk.goals.queries import find_goal
from zielwerk.indicators.models import Indicator, Value
from zielwerk.report.measure_queries import coverage_of, years_before

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2030, 6, 30)


def goals_without_released_measure(edition) -> set[str]:
    goals = OperativeGoal.objects.filter(strategic_goal__field__edition=edition).select_related(
        "strategic_goal__field"
    )
    return {g.code for g in goals if not g.measures.filter(is_public=True).exists()}


def rows(coverage) -> dict:
    return {
        row.goal.code: row
        for field in coverage.fields
        for group in field.strategic_goals
        for row in group.rows
    }


def cells(html: str, code: str) -> list[tuple[str, str]]:
    """(attributes, text) of the data cells in the table row of an operative goal."""
    row = re.search(rf'<th scope="row"><a href="/ziele/{code}/">.*?</tr>', html, re.S).group(0)
    return re.findall(r"<td([^>]*)>(.*?)</td>", row)


def indicator_with_values(demo, code: str, goal: str, periods, state="approved") -> Indicator:
    indicator = Indicator.objects.create(code=code, name=code, direction="up")
    indicator.operative_goals.add(find_goal(demo.edition, goal))
    for year, month in periods:
        Value.objects.create(indicator=indicator, year=year, month=month, value=1, state=state)
    return indicator


def test_counts_goals_without_measure_and_lists_them(demo, client):
    missing = goals_without_released_measure(demo.edition)
    total = OperativeGoal.objects.filter(strategic_goal__field__edition=demo.edition).count()
    assert "12.3.5" in missing
    make_measure(demo, "M-T-90", ["12.3.5"])
    make_measure(demo, "M-T-91", ["12.3.3"], is_public=False)  # unreleased: does not count

    response = client.get("/abdeckung/")
    outline(response)
    assert_heading_hierarchy(response.content.decode())
    text = text_of(response)
    assert f"{len(missing) - 1} von {total} operativen Zielen ohne Maßnahme" in text
    html = response.content.decode()
    assert cells(html, "12.3.5")[-1] == ("", "1")
    assert cells(html, "12.3.3")[-1] == (' class="gap"', "keine")
    assert "<caption>Operative Ziele zu 12.3</caption>" in html
    assert '<th scope="col">freigegebene Maßnahmen</th>' in html


def test_current_data_counts_from_the_latest_evaluation(demo):
    EvaluationRun.objects.create(edition=demo.edition, evaluated_on=TODAY, data_version="t")
    # Three years before 30.06.2030: periods ending on 30.06.2027 or later are current.
    indicator_with_values(demo, "t-alt", "12.3.5", [(2026, 0), (2027, 5)])
    indicator_with_values(demo, "t-jahr", "12.3.3", [(2026, 0), (2027, 0)])
    indicator_with_values(demo, "t-monat", "12.3.2", [(2027, 6)])
    indicator_with_values(demo, "t-entwurf", "12.3.1", [(2030, 0)], state="entered")

    coverage = coverage_of(demo.edition, datetime.date(2031, 1, 1))
    by_code = rows(coverage)

    assert coverage.reference_date == TODAY and coverage.is_evaluation_date
    assert coverage.current_since == datetime.date(2027, 6, 30)
    assert by_code["12.3.5"].lacks_current_data
    assert not by_code["12.3.3"].lacks_current_data
    assert not by_code["12.3.2"].lacks_current_data
    # Values waiting for approval are not public, so they do not make data current.
    assert by_code["12.3.1"].current_indicators == 0
    goals = list(by_code.values())
    assert coverage.counts.goals == len(goals) == 20
    assert coverage.counts.without_indicator == sum(1 for r in goals if r.indicators == 0)
    assert coverage.counts.without_current_data == sum(1 for r in goals if r.lacks_current_data)
    assert coverage.counts.unmeasured == sum(
        1 for r in goals if r.indicators == 0 and r.milestones == 0
    )
    field = coverage.fields[0]
    assert field.field.number == 12 and field.counts == coverage.counts
    assert [group.goal.code for group in field.strategic_goals] == [f"12.{n}" for n in range(1, 6)]


def test_without_evaluation_today_is_the_reference(seed_edition):
    coverage = coverage_of(seed_edition, TODAY)
    assert coverage.reference_date == TODAY and not coverage.is_evaluation_date
    assert coverage.counts.without_indicator == coverage.counts.goals
    assert coverage.counts.without_measure == coverage.counts.goals


def test_three_years_before_29_february():
    assert years_before(datetime.date(2028, 2, 29), 3) == datetime.date(2025, 2, 28)


def test_page_explains_what_current_means_in_both_languages(
    demo, client, django_assert_max_num_queries
):
    EvaluationRun.objects.create(edition=demo.edition, evaluated_on=TODAY, data_version="t")
    text = text_of(client.get("/abdeckung/"))
    assert "am 30.06.2027 oder später endet" in text and "Stichtag 30.06.2030" in text
    assert "Stichtag ist der Tag der letzten Bewertung" in text
    with django_assert_max_num_queries(6):
        page = outline(client.get("/en/abdeckung/"))
    assert page.lang == "en"
    assert "/en/ziele/12.3.5/" in page.links


def test_empty_installation(db, client):
    response = client.get("/abdeckung/")
    assert response.status_code == 200
    assert "noch keine Ausgabe" in text_of(response)

"""The start page's overview: the distribution of the latest evaluation per Handlungsfeld, and
what changed since the evaluation before it."""

import re

import pytest

from tests.status_support import DAY, LATER, debt_and_liquidity, indicator
from zielwerk.evaluation.changes import Direction, status_changes
from zielwerk.evaluation.queries import status_index
from zielwerk.evaluation.services import evaluate_edition
from zielwerk.goals.queries import fields_with_goals
from zielwerk.indicators.models import Value
from zielwerk.report.overview import field_distribution

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_runs(seed_edition):
    """Debt gets worse, liquidity better, and a service indicator is rated for the first time."""
    debt, liquidity = debt_and_liquidity(seed_edition)
    first = evaluate_edition(seed_edition, DAY).run
    # Now 1,010 > 1,000 and still rising: "Gewitter", critical (was slightly off track).
    Value.objects.filter(indicator=debt, year=2024).update(value=1010)
    # Back above the limit of 1, though lower than in 2019: "Leicht bewölkt" (was critical).
    Value.objects.filter(indicator=liquidity, year=2024).update(value=1.2)
    indicator(
        seed_edition,
        "service",
        "12.2.1",
        "increase",
        [(y, 50 + y - 2019) for y in range(2019, 2025)],
    )
    second = evaluate_edition(seed_edition, LATER).run
    return seed_edition, first, second


def _by_item(report):
    return {(c.subject, c.item.code): c for c in report.changes}


def test_changes_between_the_two_latest_runs_worse_first(two_runs):
    edition, first, second = two_runs

    report = status_changes(edition)

    assert (report.latest, report.previous) == (second, first)
    changes = _by_item(report)
    assert changes["operative", "12.3.4"].direction == Direction.WORSE
    assert changes["indicator", "debt"].direction == Direction.WORSE
    assert changes["indicator", "debt"].before.level == "slightly_off_track"
    assert changes["indicator", "debt"].after.level == "critical"
    assert changes["operative", "12.3.5"].direction == Direction.BETTER
    assert changes["indicator", "liquidity"].direction == Direction.BETTER
    # Out of "not measured", or rated for the first time: no step on the scale.
    assert changes["operative", "12.2.1"].direction == Direction.OTHER
    assert changes["operative", "12.2.1"].before.level == "not_measured"
    assert changes["indicator", "service"].before is None
    assert changes["indicator", "service"].direction == Direction.OTHER
    # 12.3 stays critical (the worse of its two rated goals), 12.1.1 stays unmeasured.
    assert ("strategic", "12.3") not in changes and ("operative", "12.1.1") not in changes
    assert (report.worse, report.better) == (2, 2)
    directions = [c.direction for c in report.changes]
    assert directions == sorted(
        directions, key=[Direction.WORSE, Direction.BETTER, Direction.OTHER].index
    )
    assert [c.item.code for c in report.changes[:2]] == ["12.3.4", "debt"]


def test_no_report_before_the_second_run_and_none_when_nothing_changed(seed_edition):
    debt_and_liquidity(seed_edition)
    assert status_changes(seed_edition) is None
    evaluate_edition(seed_edition, DAY)
    assert status_changes(seed_edition) is None

    evaluate_edition(seed_edition, LATER)

    report = status_changes(seed_edition)
    assert report is not None and report.changes == []


def test_distribution_per_field_counts_every_level(two_runs):
    edition, _, _ = two_runs

    distribution = field_distribution(fields_with_goals(edition), status_index(edition))

    (row,) = distribution.rows
    counts = dict(zip([level for level, _ in distribution.levels], row.counts, strict=True))
    assert counts == {
        "on_track": 1,
        "slightly_off_track": 1,
        "off_track": 0,
        "critical": 1,
        "no_evaluation": 0,
        "not_measured": 17,
    }
    assert row.total == distribution.total == 20


def test_start_page_shows_distribution_table_and_changes_with_links(two_runs, client):
    html = client.get("/").content.decode()

    assert "<caption>Bewertungen je Handlungsfeld</caption>" in html
    row = re.search(
        r'<tr><th scope="row"><a href="/handlungsfelder/12/">.*?</tr>', html, re.S
    ).group()
    assert re.findall(r'<td class="number">(\d+)</td>', row) == [
        "1",
        "1",
        "0",
        "1",
        "0",
        "17",
        "20",
    ]
    assert "Was sich seit der letzten Bewertung geändert hat" in html
    assert "Verglichen wird die Bewertung zum 30.06.2025 mit der vorigen zum 31.03.2025." in html
    assert "7 Bewertungen haben sich geändert" in html and "2 besser, 2 schlechter" in html
    table = re.search(r'<table class="changes-table">.*?</table>', html, re.S).group()
    assert '<a href="/ziele/12.3.4/">' in table and '<a href="/indikatoren/debt/">' in table
    assert '<span aria-hidden="true">↓ </span>schlechter' in table
    assert '<span aria-hidden="true">↑ </span>besser' in table
    assert "anders eingestuft" in table and "noch nicht bewertet" in table

    english = client.get("/en/").content.decode()
    assert '<a href="/en/indikatoren/debt/">' in english


def test_start_page_with_a_single_run_says_changes_come_later(seed_edition, client):
    debt_and_liquidity(seed_edition)
    evaluate_edition(seed_edition, DAY)

    html = client.get("/").content.decode()

    assert "Bisher gibt es nur die Bewertung zum 31.03.2025." in html
    assert "changes-table" not in html

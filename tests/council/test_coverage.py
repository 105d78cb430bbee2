"""Coverage of the SEK-Check (METHODS.md §5) and its values in the indicator of goal 12.4.4:
which papers count, the yearly and cumulative shares, approved values with the current year
provisional, the evaluation that follows, closed years only with a reason, and bad input that
stores nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError, call_command

from zielwerk.council.coverage import (
    INDICATOR_CODE,
    CoverageError,
    coverage_report,
    record_coverage,
)
from zielwerk.council.models import Check, Paper
from zielwerk.evaluation.models import EvaluationRun, StatusRecord
from zielwerk.indicators.models import Indicator, ReportingPeriod, Value, ValueRevision

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 30)
CHECKED, EXEMPT, IN_PROGRESS, REVIEW = (
    Check.State.CHECKED,
    Check.State.EXEMPT,
    Check.State.IN_PROGRESS,
    Check.State.REVIEW,
)


@pytest.fixture
def edition(demo, settings):
    """The demo edition without its sample papers and without the coverage values they
    produced, counting from 1 January 2025."""
    settings.ZIELWERK_SEK_CHECK_START = "2025-01-01"
    Paper.objects.all().delete()
    Value.objects.filter(indicator__code=INDICATOR_CODE, year__gte=2025).delete()
    return demo.edition


def paper(edition, date, state=None, *, paper_type="Beschlussvorlage", deleted=False) -> Paper:
    made = Paper.objects.create(
        title=f"Vorlage vom {date}", date=date, paper_type=paper_type, deleted=deleted
    )
    if state is not None:
        Check.objects.create(paper=made, edition=edition, state=state)
    return made


@pytest.fixture
def papers(edition):
    """2025: checked, exempt, in progress, no check → 1 of 3 (33.3 %).
    2026: checked twice, waiting for approval → 2 of 3. Not counted: a deleted paper, an
    Informationsvorlage, a paper before the start date; an undated paper is counted apart."""
    for state in (CHECKED, EXEMPT, IN_PROGRESS, None):
        paper(edition, datetime.date(2025, 3, 1), state)
    for state in (CHECKED, CHECKED, REVIEW):
        paper(edition, datetime.date(2026, 2, 1), state)
    paper(edition, datetime.date(2026, 2, 1), CHECKED, deleted=True)
    paper(edition, datetime.date(2026, 2, 1), CHECKED, paper_type="Informationsvorlage")
    paper(edition, datetime.date(2024, 12, 31), CHECKED)
    Paper.objects.create(title="ohne Datum", paper_type="Beschlussvorlage")
    return edition


def _stored() -> dict[int, tuple[float, str, str]]:
    return {
        v.year: (round(v.value, 3), v.flags, v.state)
        for v in Value.objects.filter(indicator__code=INDICATOR_CODE, year__gte=2025)
    }


def test_coverage_counts_checked_of_all_since_start_less_exempt(papers):
    report = coverage_report()

    assert report.start == datetime.date(2025, 1, 1)
    assert [row.year for row in report.years] == [2025, 2026]
    first, second = report.years
    assert (first.counts.papers, first.counts.checked, first.counts.exempt) == (4, 1, 1)
    assert first.counts.open == 2
    assert first.counts.percent == pytest.approx(100 / 3)
    assert (second.counts.papers, second.counts.checked, second.counts.exempt) == (3, 2, 0)
    assert second.counts.percent == pytest.approx(200 / 3)
    # Since the start: 3 checked of 7 papers less 1 exempt.
    assert second.cumulative.percent == pytest.approx(50.0)
    assert report.total == second.cumulative
    assert report.undated == 1


def test_paper_types_come_from_the_settings(papers, settings):
    settings.ZIELWERK_SEK_CHECK_PAPER_TYPES = ["Beschlussvorlage", "Informationsvorlage"]

    second = coverage_report().year(2026)

    assert (second.counts.papers, second.counts.checked) == (4, 3)


def test_values_land_in_the_indicator_and_the_goal_is_evaluated(papers, client):
    runs = EvaluationRun.objects.count()

    result = record_coverage(papers, TODAY)

    # The closed year is final, the current one provisional; both approved (public).
    assert _stored() == {2025: (33.333, "", "approved"), 2026: (66.667, "p", "approved")}
    note = Value.objects.get(indicator__code=INDICATOR_CODE, year=2025).note
    assert note == "1 von 3 Beschlussvorlagen geprüft (1 ausgenommen, 2 offen)"
    assert result.summary.created == 2
    assert EvaluationRun.objects.count() == runs + 1
    record = StatusRecord.objects.get(run=result.evaluation.run, indicator=result.indicator)
    assert record.details["report_period"] == 2026
    # The target (100 % in 2025) is missed by far.
    assert record.level in {"off_track", "critical"}
    page = client.get(f"/indikatoren/{INDICATOR_CODE}/").content.decode()
    assert "66,7" in page and "33,3" in page

    again = record_coverage(papers, TODAY)

    assert (again.summary.created, again.summary.updated, again.summary.unchanged) == (0, 0, 2)
    assert not again.evaluation.created


def test_years_without_papers_to_cover_get_no_value(edition):
    paper(edition, datetime.date(2025, 5, 1), EXEMPT)
    paper(edition, datetime.date(2026, 5, 1), CHECKED)
    before = set(Value.objects.filter(indicator__code=INDICATOR_CODE).values_list("year", "value"))

    result = record_coverage(edition, TODAY)

    # 2025: every paper exempt (0 ÷ 0); 2020–2024 are sample values from before the start.
    assert [row.year for row in result.rows] == [2026]
    after = set(Value.objects.filter(indicator__code=INDICATOR_CODE).values_list("year", "value"))
    assert after - before == {(2026, 100.0)}


def test_a_closed_year_changes_only_with_a_reason(papers):
    record_coverage(papers, TODAY)
    ReportingPeriod.objects.create(year=2025)
    late = Paper.objects.filter(date__year=2025, sek_check__isnull=True).get()
    Check.objects.create(paper=late, edition=papers, state=CHECKED)
    runs = EvaluationRun.objects.count()

    with pytest.raises(CoverageError) as refused:
        record_coverage(papers, TODAY)

    assert refused.value.errors == [
        f"{INDICATOR_CODE} 2025: Das Berichtsjahr 2025 ist abgeschlossen. Eine Änderung ist "
        "nur als Berichtigung mit Begründung möglich."
    ]
    assert _stored()[2025] == (33.333, "", "approved")
    assert EvaluationRun.objects.count() == runs

    record_coverage(papers, TODAY, revision_reason="Check nachträglich freigegeben")

    assert _stored()[2025] == (66.667, "r", "approved")
    revision = ValueRevision.objects.get(indicator__code=INDICATOR_CODE, year=2025)
    assert (revision.reason, round(revision.old_value, 3)) == (
        "Check nachträglich freigegeben",
        33.333,
    )


def test_dry_run_reports_and_stores_nothing(papers):
    runs = EvaluationRun.objects.count()

    result = record_coverage(papers, TODAY, dry_run=True)

    assert result.summary.created == 2
    assert _stored() == {}
    assert EvaluationRun.objects.count() == runs


def test_missing_indicator_or_bad_settings_are_named(papers, settings):
    settings.ZIELWERK_SEK_CHECK_START = "1.1.2025"
    with pytest.raises(CoverageError, match=r"„1\.1\.2025“ ist kein Datum im Format JJJJ-MM-TT"):
        record_coverage(papers, TODAY)

    settings.ZIELWERK_SEK_CHECK_START = "2025-01-01"
    indicator = Indicator.objects.get(code=INDICATOR_CODE)
    indicator.operative_goals.clear()
    with pytest.raises(CoverageError, match="gehört zu keinem Ziel der Ausgabe „ludwigsburg“"):
        record_coverage(papers, TODAY)

    indicator.delete()
    with pytest.raises(CoverageError, match="keinen Indikator mit der Kennung „12-4-4-sek-check“"):
        record_coverage(papers, TODAY)
    assert not Value.objects.filter(indicator__code=INDICATOR_CODE).exists()


def test_a_single_year_is_checked_before_storing(papers):
    with pytest.raises(CoverageError, match="Jahr 2027: gemessen wird vom Beginn"):
        record_coverage(papers, TODAY, year=2027)
    with pytest.raises(CoverageError, match="Jahr 2024: gemessen wird vom Beginn"):
        record_coverage(papers, TODAY, year=2024)
    assert _stored() == {}

    record_coverage(papers, TODAY, year=2025)

    assert set(_stored()) == {2025}


def test_command_prints_the_table_and_stores(edition, capsys):
    today = datetime.date.today()
    last_year = today.replace(year=today.year - 1, month=1, day=1)
    for state in (CHECKED, CHECKED, EXEMPT, None):
        paper(edition, last_year, state)
    paper(edition, today, REVIEW)

    call_command("sek_check_coverage", "--dry-run")
    dry = capsys.readouterr().out

    assert f"{last_year.year}           4            1        2      1     66,7 %     66,7 %" in dry
    assert f"{today.year}           1            0        0      1      0,0 %     50,0 %" in dry
    assert "Probelauf, nichts gespeichert – würde: Indikator 12-4-4-sek-check: 2 Werte neu" in dry
    assert not Value.objects.filter(indicator__code=INDICATOR_CODE, year=today.year).exists()

    call_command("sek_check_coverage")
    out = capsys.readouterr().out

    stored = "Indikator 12-4-4-sek-check: 2 Werte neu, 0 geändert, 0 unverändert, 2 freigegeben"
    assert stored in out
    assert "Ausgabe „ludwigsburg“" in out and "neu bewertet" in out
    assert Value.objects.get(indicator__code=INDICATOR_CODE, year=today.year).flags == "p"


def test_command_refuses_bad_input_with_reasons(edition):
    today = datetime.date.today()
    paper(edition, today, CHECKED)

    with pytest.raises(CommandError, match="Es wurde nichts gespeichert:\n  Jahr 1999"):
        call_command("sek_check_coverage", "--year", "1999")
    with pytest.raises(CommandError, match="Unbekannte Ausgabe „gibtsnicht“"):
        call_command("sek_check_coverage", "--edition", "gibtsnicht")
    assert not Value.objects.filter(indicator__code=INDICATOR_CODE, year__gte=2025).exists()

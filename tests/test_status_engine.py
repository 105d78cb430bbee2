"""The status engine against the published cases, rule by rule, and its batch twin."""

import datetime
import json
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zielwerk.evaluation.management.commands.check_method import Command as CheckMethod
from zielwerk.status import (
    DISCLAIMER,
    Assessment,
    Comparator,
    Direction,
    DirectionOnly,
    FixedLimit,
    Interval,
    Level,
    Milestone,
    MilestoneStatus,
    Node,
    ProgressOptions,
    ProgressStatus,
    Relative,
    RollUpRule,
    Series,
    Stages,
    ValueByYear,
    Weather,
    aggregate_indicator,
    rate_milestone,
    rate_progress,
    rate_weather,
    roll_up,
    text,
)
from zielwerk.status.batch import ProgressArrays, WeatherArrays, progress_batch, weather_batch
from zielwerk.status.progress import (
    limit_coefficient,
    score_no_target,
    score_with_target,
    status_from_score,
    thresholds,
)
from zielwerk.status.rollup import lower_median, worst_of
from zielwerk.status.text import Lang
from zielwerk.status.validation import check_cases, rate_dns_case, rate_sdg_case
from zielwerk.status.weather import (
    WeatherRule,
    rating_window,
    requirement,
    shortfall_band,
    to_absolute,
    worst,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT.parent / "shared" / "fixtures" / "status"
DNS_FILE = FIXTURES / "dns_weather_cases.json"
SDG_FILE = FIXTURES / "opensdg_progress_cases.json"
DNS_CASES = json.loads(DNS_FILE.read_text(encoding="utf-8"))["cases"]
SDG_CASES = json.loads(SDG_FILE.read_text(encoding="utf-8"))["cases"]

UP, DOWN = Direction.INCREASE, Direction.DECREASE


def yearly(first_year: int, *values: float) -> Series:
    return Series.of((first_year + i, v) for i, v in enumerate(values))


# --- the published cases -------------------------------------------------------------------


@pytest.mark.parametrize("case", DNS_CASES, ids=[c["id"] for c in DNS_CASES])
def test_dns_case_reproduces_the_published_symbol(case):
    expected = Weather.from_label(case["expected"]["status"])
    got = rate_dns_case(case).weather
    if "expected_exception" in case:
        report = check_cases(DNS_FILE)
        assert case["id"] in {o.case_id for o in report.known_exceptions}
        assert case["id"] not in {o.case_id for o in report.counted}
    else:
        assert got is expected
    publication = case.get("publication", {}).get("series")
    if publication is not None:
        assert rate_dns_case(case, publication).weather is expected


def test_dns_components_of_a_combined_target_reproduce_their_published_symbols():
    combined = [c for c in DNS_CASES if c["target"]["kind"] == "combined"]
    assert combined
    for case in combined:
        result = rate_dns_case(case)
        published = [p["published_component_status"] for p in case["target"]["components"]]
        assert [part.weather for part in result.parts] == [Weather.from_label(p) for p in published]
        assert result.rule is WeatherRule.WORST_OF


@pytest.mark.parametrize("case", SDG_CASES, ids=[c["id"] for c in SDG_CASES])
def test_open_sdg_case_reproduces_the_published_progress(case):
    indicator = rate_sdg_case(case)
    for spec, result in zip(case["series_cases"], indicator.series, strict=True):
        expected = spec["expected"]
        assert result.status.value == expected["status"], spec["series_id"]
        assert _close(result.progress_value, expected["progress_value"]), spec["series_id"]
        assert _close(result.score, expected["score"]), spec["series_id"]
        components = spec["expected_components"]
        if result.base is not None:
            assert result.base.period == components["base_year"]
            assert result.current.period == components["current_year"]
            assert result.sign == components["sign"]
    assert indicator.status.value == case["expected"]["progress_status"]
    assert _close(indicator.score, case["expected"]["score"])


def _close(got, expected, tolerance=1e-6):
    if got is None or expected is None:
        return got is None and expected is None
    return abs(got - expected) <= tolerance


def test_relative_targets_convert_to_the_values_destatis_publishes():
    # The conversions the fixture records in target.relative_to, written as Relative targets.
    relative = {
        "dns:3-2-a/1/1": Relative(2005, -45),
        "dns:7-1-ab/2/3": Relative(2008, -39.3),
        "dns:15-2/1/1": Relative(2005, -35),
    }
    for case in DNS_CASES:
        if case["id"] not in relative:
            continue
        series = Series.of(case["series"])
        exact = case["target"]["relative_to"]["exact_value"]
        assert to_absolute(relative[case["id"]], series) == pytest.approx(exact, abs=1e-5)
        target = ValueByYear(DOWN, relative[case["id"]], case["target"]["year"])
        assert rate_weather(series, target).weather is Weather.from_label(
            case["expected"]["status"]
        )


def test_relative_interval_target_uses_the_weakest_requirement():
    case = next(c for c in DNS_CASES if c["id"] == "dns:11-2-b/1/1")  # −15 to −20 % vs 2015
    series = Series.of(case["series"])
    target = Interval(DOWN, (Relative(2015, -15), Relative(2015, -20)), 2030)
    assert requirement(target, series, 2023).value == pytest.approx(85)
    assert rate_weather(series, target).weather is Weather.SUN


# --- check-method --------------------------------------------------------------------------


def test_check_cases_agrees_with_every_published_weather_case():
    report = check_cases(DNS_FILE)
    assert report.ok
    assert len(report.counted) == len(DNS_CASES) - 2
    assert {o.case_id for o in report.known_exceptions} == {"dns:10-2/1/1", "dns:12-3-abc/2/1"}
    lines = report.lines()
    assert lines[-1] == f"{len(DNS_CASES) - 2} of {len(DNS_CASES) - 2} cases agree"
    assert any("not counted in N or M" in line for line in lines)
    assert any("on the data as published: Wolke (agrees)" in line for line in lines)


def test_check_cases_agrees_with_every_published_progress_case():
    report = check_cases(SDG_FILE)
    assert report.ok
    assert report.lines()[-1] == f"{len(SDG_CASES)} of {len(SDG_CASES)} cases agree"


@pytest.mark.parametrize(
    ("source", "case_id", "field", "value"),
    [
        (DNS_FILE, "dns:2-1-b/1/1", "status", "Sonne"),
        (SDG_FILE, "cif:1-3-1", "progress_status", "moderate_progress"),
    ],
)
def test_an_altered_published_status_fails_the_check_and_names_the_case(
    tmp_path, source, case_id, field, value
):
    data = json.loads(source.read_text(encoding="utf-8"))
    next(c for c in data["cases"] if c["id"] == case_id)["expected"][field] = value
    altered = tmp_path / source.name
    altered.write_text(json.dumps(data), encoding="utf-8")

    report = check_cases(altered)
    assert not report.ok
    assert [o.case_id for o in report.disagreements] == [case_id]
    total = len(report.counted)
    assert report.lines()[-1] == f"{total - 1} of {total} cases agree"
    assert any(line.startswith(f"DISAGREES {case_id}: expected") for line in report.lines())

    with pytest.raises(CommandError, match=case_id):
        call_command(CheckMethod(), str(altered), stdout=_Sink())


def test_check_method_command_prints_the_report():
    out = _Sink()
    call_command(CheckMethod(), str(SDG_FILE), stdout=out)
    assert out.text.splitlines()[-1] == f"{len(SDG_CASES)} of {len(SDG_CASES)} cases agree"


def test_check_method_rejects_a_file_in_neither_format(tmp_path):
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"cases": [{"id": "x"}]}), encoding="utf-8")
    with pytest.raises(CommandError, match="neither"):
        call_command(CheckMethod(), str(other), stdout=_Sink())


class _Sink:
    def __init__(self):
        self.text = ""

    def write(self, chunk):
        self.text += chunk

    def flush(self):
        pass


# --- method A rule by rule -----------------------------------------------------------------


def test_fewer_than_four_points_give_no_evaluation():
    result = rate_weather(yearly(2021, 1, 2, 3), DirectionOnly(UP))
    assert result.weather is Weather.NONE
    assert result.rule is WeatherRule.TOO_FEW_POINTS
    assert result.level is Level.NO_EVALUATION
    assert "mindestens 4 Werte" in result.explanation.de
    assert rate_weather(yearly(2020, 1, 2, 3, 4), DirectionOnly(UP)).weather is Weather.SUN


def test_window_is_the_last_six_points_up_to_the_report_year_after_a_break():
    series = yearly(2010, 100, 0, 1, 2, 3, 4, 5, 6, 50)
    window = rating_window(series, report_period=2017)
    assert [p.period for p in window.points] == [2012, 2013, 2014, 2015, 2016, 2017]
    assert rating_window(series, report_period=2017, series_starts=2015) is None
    cut = rate_weather(series, DirectionOnly(UP), report_period=2017, series_starts=2015)
    assert "Bruch der Zeitreihe" in cut.explanation.de


def test_average_change_spans_the_actual_periods_of_irregular_and_half_year_data():
    series = Series.of([(2010, 10), (2014, 12), (2018, 14), (2022, 16)])
    result = rate_weather(series, DirectionOnly(UP))
    assert result.average_change == pytest.approx(0.5)
    half_years = Series.of([(2022.0, 1), (2022.5, 2), (2023.0, 3), (2023.5, 4)])
    assert rate_weather(half_years, DirectionOnly(UP)).average_change == pytest.approx(2)
    assert "2022–2023,5" in rate_weather(half_years, DirectionOnly(UP)).explanation.de


def test_target_year_projection_bands():
    rising = yearly(2017, 4.5, 5.6, 6.7, 7.8, 8.9, 10)  # a = 1.1, projection 2030 = 18.8
    assert rate_weather(rising, ValueByYear(UP, 18, 2030)).weather is Weather.SUN
    twelve = rate_weather(rising, ValueByYear(UP, 20, 2030))  # misses by 1.2 of 10
    assert twelve.weather is Weather.PARTLY
    assert twelve.shortfall == pytest.approx(1.2)
    assert twelve.gap == pytest.approx(10)
    assert rate_weather(rising, ValueByYear(UP, 30, 2030)).weather is Weather.CLOUD
    falling = yearly(2017, 15, 14, 13, 12, 11, 10)
    assert rate_weather(falling, ValueByYear(UP, 30, 2030)).weather is Weather.THUNDER
    flat = yearly(2017, 10, 12, 8, 10, 11, 10)
    assert rate_weather(flat, ValueByYear(UP, 30, 2030)).weather is Weather.THUNDER


def test_shortfall_band_limits_are_inclusive_as_published():
    assert shortfall_band(0, 0) is Weather.SUN
    assert shortfall_band(0.4999, 10) is Weather.SUN
    assert shortfall_band(0.5, 10) is Weather.PARTLY
    assert shortfall_band(2.0, 10) is Weather.PARTLY
    assert shortfall_band(2.0001, 10) is Weather.CLOUD


def test_target_reached_early_or_target_year_due_is_rated_as_a_limit():
    improving = yearly(2018, 12, 11, 10, 9, 8, 7)
    early = rate_weather(improving, ValueByYear(DOWN, 8, 2030))
    assert (early.weather, early.rule) == (Weather.SUN, WeatherRule.LIMIT)
    assert "schon erreicht" in early.explanation.de
    worsening = yearly(2018, 5, 5.5, 6, 6.5, 7, 7.5)
    assert rate_weather(worsening, ValueByYear(DOWN, 8, 2030)).weather is Weather.PARTLY
    due = rate_weather(improving, ValueByYear(DOWN, 5, 2023))
    assert (due.weather, due.rule) == (Weather.CLOUD, WeatherRule.LIMIT)
    assert "Zieljahr 2023 ist erreicht" in due.explanation.de


def test_strict_comparator_is_not_met_on_the_limit_itself():
    at_zero = yearly(2020, -2, -1.5, -1, -0.5, 0)
    assert rate_weather(at_zero, FixedLimit(UP, 0, Comparator.GT)).weather is Weather.CLOUD
    assert rate_weather(at_zero, FixedLimit(UP, 0, Comparator.GE)).weather is Weather.SUN


def test_fixed_limit_rules():
    def rate(*values):
        return rate_weather(yearly(2019, *values), FixedLimit(DOWN, 1000)).weather

    assert rate(990, 980, 970, 960, 950, 940) is Weather.SUN
    assert rate(950, 950, 950, 950, 950, 950) is Weather.SUN  # a = 0 is not worsening
    assert rate(900, 910, 920, 930, 940, 950) is Weather.PARTLY
    assert rate(1200, 1180, 1160, 1140, 1120, 1100) is Weather.CLOUD
    assert rate(1100, 1100, 1100, 1100, 1100, 1100) is Weather.THUNDER
    assert rate(1000, 1020, 1040, 1060, 1080, 1100) is Weather.THUNDER


def test_direction_only_rules():
    def rate(*values):
        return rate_weather(yearly(2019, *values), DirectionOnly(UP)).weather

    assert rate(1, 2, 3, 4, 5, 6) is Weather.SUN
    assert rate(1, 2, 3, 4, 7, 6) is Weather.PARTLY
    assert rate(1, 2, 3, 4, 6, 6) is Weather.PARTLY  # last change zero
    assert rate(6, 5, 4, 3, 2, 3) is Weather.CLOUD
    assert rate(3, 5, 4, 3, 2, 3) is Weather.CLOUD  # average zero
    assert rate(6, 5, 4, 3, 2, 1) is Weather.THUNDER
    assert rate(3, 3, 3, 3, 3, 3) is Weather.THUNDER


def test_relative_target_needs_a_value_in_its_base_year():
    with pytest.raises(ValueError, match="base year 2005"):
        rate_weather(yearly(2010, 1, 2, 3, 4), ValueByYear(DOWN, Relative(2005, -35), 2030))


def test_interval_uses_its_weakest_requirement():
    series = yearly(2018, 50, 52, 54, 56, 58, 60)
    up = requirement(Interval(UP, (80, 70), 2030), series, 2023)
    down = requirement(Interval(DOWN, (30, 40)), series, 2023)
    assert (up.value, up.rule) == (70, WeatherRule.TARGET_YEAR)
    assert (down.value, down.rule) == (40, WeatherRule.LIMIT)


def test_several_target_years_use_the_nearest_one_still_ahead():
    series = yearly(2018, 50, 52, 54, 56, 58, 60)
    stages = Stages((ValueByYear(UP, 100, 2040), ValueByYear(UP, 65, 2025)))
    assert requirement(stages, series, 2023).year == 2025
    assert requirement(stages, series, 2025).year == 2025  # due now: still the current stage
    assert requirement(stages, series, 2030).year == 2040
    assert requirement(stages, series, 2041).year == 2040  # all passed: the latest, by (b)
    # 2025 stage: projection 60 + 2·2 = 64 misses 65 by 1 of a gap of 5, i.e. by 20 %.
    assert rate_weather(series, stages).weather is Weather.PARTLY


def test_several_simultaneous_targets_show_the_worst():
    series = yearly(2018, 50, 52, 54, 56, 58, 60)
    result = rate_weather(series, [DirectionOnly(UP), ValueByYear(UP, 200, 2030)])
    assert [p.weather for p in result.parts] == [Weather.SUN, Weather.CLOUD]
    assert result.weather is Weather.CLOUD
    assert "(2) Bei Fortsetzung der Entwicklung" in result.explanation.de
    with pytest.raises(ValueError, match="at least one target"):
        rate_weather(series, [])
    unrated = rate_weather(yearly(2022, 1, 2), DirectionOnly(UP))
    assert worst([unrated, result.parts[0]]).weather is Weather.SUN
    assert worst([unrated]).weather is Weather.NONE


def test_status_codes_of_the_batch_functions_round_trip():
    assert all(Weather.from_code(w.code) is w for w in Weather)
    assert all(ProgressStatus.from_code(s.code) is s for s in ProgressStatus)


def test_published_spelling_blitz_means_thunderstorm():
    assert Weather.from_label("Blitz") is Weather.THUNDER
    assert Weather.from_label("Gewitter") is Weather.THUNDER
    assert Weather.from_label("Keine") is Weather.NONE
    assert Weather.THUNDER.label(Lang.EN) == "Thunderstorm"


def test_explanation_is_built_from_the_numbers_in_both_languages():
    result = rate_weather(yearly(2017, 4.5, 5.6, 6.7, 7.8, 8.9, 10), ValueByYear(UP, 20, 2030))
    assert (
        "würde das Ziel für 2030 (≥ 20) um 12,0 % der Differenz verfehlt" in result.explanation.de
    )
    assert "Hochrechnung für 2030 18,8" in result.explanation.de
    assert "im Mittel +1,1 pro Jahr" in result.explanation.de
    assert "the 2030 target (≥ 20) would be missed by 12.0 % of the gap" in result.explanation.en
    assert "Leicht bewölkt" in result.explanation.de
    assert "Partly cloudy" in result.explanation.en


def test_disclaimer_says_no_political_judgement_and_no_forecast():
    assert "keine politische Bewertung und keine Prognose" in DISCLAIMER.de
    assert "no political judgement and no forecast" in DISCLAIMER.en


def test_numbers_are_written_the_german_way_in_german():
    assert text.number(1234.5, Lang.DE, significant=6) == "1.234,5"
    assert text.number(1234.5, Lang.EN, significant=6) == "1,234.5"
    assert text.period(2023.5, Lang.DE) == "2023,5"
    assert text.number(-0.0014, Lang.DE, signed=True) == "−0,0014"
    assert text.percent(0.049999, Lang.DE, thresholds=(0.05,)) == "4,9999 %"
    assert text.fixed(-0.001, Lang.DE, decimals=2) == "0,00"
    assert text.date(datetime.date(2024, 5, 12), Lang.DE) == "12.5.2024"
    assert text.date(datetime.date(2024, 5, 12), Lang.EN) == "12 May 2024"


# --- method B rule by rule -----------------------------------------------------------------


def test_method_1_statuses_and_scores():
    def rate(x0, x1, direction=UP):
        return rate_progress(yearly(2015, x0, x1), ProgressOptions(direction=direction))

    substantial = rate(100, 102)
    assert substantial.status is ProgressStatus.SUBSTANTIAL
    assert substantial.score == pytest.approx(min(500 * 0.02 - 5, 5))
    moderate = rate(100, 101)
    assert moderate.status is ProgressStatus.MODERATE
    assert moderate.score == pytest.approx(250 * 0.01 - 1.25)
    limited = rate(100, 100.3)
    assert limited.status is ProgressStatus.LIMITED
    assert limited.score == pytest.approx(500 * 0.003 - 2.5)
    deterioration = rate(100, 101, DOWN)
    assert deterioration.status is ProgressStatus.DETERIORATION
    assert deterioration.progress_value == pytest.approx(-0.01)
    assert deterioration.score == pytest.approx(125 * -0.01 - 2.5)
    assert rate(100, 80).score == -5
    assert "um +2,00 % pro Jahr" in substantial.explanation.de
    assert ProgressOptions().direction is DOWN  # Open SDG's default: lower is better


def test_cagr_spans_the_years_between_base_and_current():
    result = rate_progress(Series.of([(2015, 100), (2019, 121)]), ProgressOptions(direction=UP))
    assert result.cagr == pytest.approx(1.21**0.25 - 1)


def test_base_year_moves_to_the_first_year_with_data():
    series = Series.of([(2012, 1), (2017, 100), (2020, 110)])
    result = rate_progress(series, ProgressOptions(direction=UP))
    assert (result.base.period, result.current.period) == (2017, 2020)
    too_early = rate_progress(Series.of([(2010, 1), (2012, 2)]), ProgressOptions())
    assert too_early.status is ProgressStatus.NOT_AVAILABLE
    assert "ab dem Basisjahr 2015" in too_early.explanation.de


def test_fewer_than_two_points_are_not_available():
    one = rate_progress(Series.of([(2019, 13.2)]), ProgressOptions(target=10, target_year=2025))
    assert (one.status, one.score, one.progress_value) == (ProgressStatus.NOT_AVAILABLE, None, None)
    assert rate_progress(Series(()), ProgressOptions()).status is ProgressStatus.NOT_AVAILABLE


def test_limit_coefficient_scales_thresholds_near_a_natural_limit():
    assert limit_coefficient(97.4, None) == 1
    assert limit_coefficient(250, 100) == 1
    assert limit_coefficient(50, 100) == pytest.approx(1 - 0.5**4.44)
    assert limit_coefficient(150, 100) == pytest.approx(1 - 0.5**4.44)
    assert limit_coefficient(100, 100) == 0
    assert limit_coefficient(5, 0) == 1
    c = limit_coefficient(97.4, 100)
    assert thresholds(1, c).high == pytest.approx(0.015 * c)
    assert thresholds(2, c).high == 0.95  # method 2 is never scaled
    near = rate_progress(yearly(2015, 97.4, 97.8), ProgressOptions(direction=UP, limit=100))
    assert near.status is ProgressStatus.SUBSTANTIAL  # +0.41 %/year is much near the limit
    assert near.score == 5
    assert "Faktor 0,11" in near.explanation.de


def test_scores_with_a_zero_coefficient_and_below_the_low_threshold():
    at_limit = thresholds(1, 0.0)
    assert score_no_target(0.0, at_limit) == 5
    assert score_no_target(-0.01, at_limit) == pytest.approx(-3.75)
    assert score_with_target(0.6, thresholds(2)) == pytest.approx(7.1429 * 0.6 - 4.2857)
    assert score_with_target(0.5, thresholds(2)) == pytest.approx(4.1667 * 0.5 - 2.5)
    assert score_with_target(-2, thresholds(2)) == -5
    assert score_with_target(2, thresholds(2)) == 5


def test_zero_target_and_zero_base_value_become_one_thousandth():
    zero_target = rate_progress(yearly(2015, 10, 8), ProgressOptions(target=0, target_year=2030))
    assert zero_target.target == 0.001
    assert zero_target.required_cagr == pytest.approx((0.001 / 10) ** (1 / 15) - 1)
    zero_base = rate_progress(yearly(2015, 0, 2), ProgressOptions(direction=UP))
    assert zero_base.base.value == 0.001
    assert zero_base.progress_value == pytest.approx(2000 - 1)


def test_opposite_signs_are_not_available_and_negative_values_turn_the_sign():
    opposite = rate_progress(yearly(2015, -5, 3), ProgressOptions(direction=UP))
    assert opposite.status is ProgressStatus.NOT_AVAILABLE
    assert "verschiedene Vorzeichen" in opposite.explanation.de
    negative = rate_progress(yearly(2015, -100, -90), ProgressOptions(direction=UP))
    assert negative.sign == -1
    assert negative.status is ProgressStatus.SUBSTANTIAL  # −100 → −90 is a rise


def test_method_2_with_target():
    options = ProgressOptions(direction=UP, target=200, target_year=2025)
    on_pace = rate_progress(Series.of([(2015, 100), (2020, 100 * 2**0.5)]), options)
    assert on_pace.progress_value == pytest.approx(1)
    assert on_pace.status is ProgressStatus.SUBSTANTIAL
    assert on_pace.score == pytest.approx(7.1429 - 4.2857)
    assert "100,0 % des nötigen Tempos" in on_pace.explanation.de
    achieved = rate_progress(yearly(2015, 100, 150, 210), options)
    assert (achieved.status, achieved.score) == (ProgressStatus.TARGET_ACHIEVED, 5)
    assert achieved.progress_value is not None  # still computed, as published
    assert rate_progress(yearly(2015, 100, 101), options).status is ProgressStatus.LIMITED


def test_required_growth_undefined_is_not_available():
    same = ProgressOptions(direction=UP, target=100, target_year=2030)
    assert rate_progress(yearly(2015, 100, 90), same).status is ProgressStatus.NOT_AVAILABLE
    due = ProgressOptions(direction=UP, target=200, target_year=2015)
    result = rate_progress(yearly(2015, 100, 90), due)
    assert result.status is ProgressStatus.NOT_AVAILABLE
    assert "keine nötige jährliche Veränderung" in result.explanation.de


def test_options_from_open_sdg_metadata():
    options = ProgressOptions.from_open_sdg({"direction": "positive", "target": 95, "unit": "x"})
    assert options == ProgressOptions(direction=UP, target=95.0)
    assert ProgressOptions.from_open_sdg({}) == ProgressOptions()


def test_indicator_mean_score_banding_and_target_achieved():
    def series_with_score(x1):
        return rate_progress(yearly(2015, 100, x1), ProgressOptions(direction=UP))

    scores = [series_with_score(x) for x in (102, 100, 80)]
    indicator = aggregate_indicator([*scores, rate_progress(Series(()), ProgressOptions())])
    assert indicator.score == pytest.approx((5 - 2.5 - 5) / 3)
    assert indicator.status is ProgressStatus.LIMITED
    assert "3 der 4 Reihen" in indicator.explanation.de
    achieved = ProgressOptions(direction=UP, target=90)
    both_done = [rate_progress(yearly(2015, 80, 95), achieved)] * 2
    assert aggregate_indicator(both_done).status is ProgressStatus.TARGET_ACHIEVED
    one_open = [both_done[0], series_with_score(102)]
    assert aggregate_indicator(one_open).status is ProgressStatus.SUBSTANTIAL
    assert aggregate_indicator([]).status is ProgressStatus.NOT_AVAILABLE
    assert status_from_score(2.5, False) is ProgressStatus.SUBSTANTIAL
    assert status_from_score(0, False) is ProgressStatus.MODERATE
    assert status_from_score(-2.5, False) is ProgressStatus.LIMITED
    assert status_from_score(-2.51, False) is ProgressStatus.DETERIORATION


# --- milestones ----------------------------------------------------------------------------

DEADLINE = datetime.date(2024, 12, 31)


def test_milestone_reached_needs_date_and_evidence():
    done = Milestone(DEADLINE, datetime.date(2024, 5, 12), "Ratsbeschluss 2024/117")
    result = rate_milestone(done, datetime.date(2025, 1, 10))
    assert result.status is MilestoneStatus.REACHED
    assert "Erreicht am 12.5.2024" in result.explanation.de
    assert "Ratsbeschluss 2024/117" in result.explanation.en
    no_evidence = Milestone(DEADLINE, datetime.date(2024, 5, 12), " ")
    unproven = rate_milestone(no_evidence, datetime.date(2025, 1, 10))
    assert unproven.status is MilestoneStatus.OVERDUE
    assert "ohne Nachweis" in unproven.explanation.de
    assert rate_milestone(done, datetime.date(2024, 5, 1)).status is MilestoneStatus.AT_RISK
    late = Milestone(DEADLINE, datetime.date(2025, 2, 1), "Beschluss")
    assert "nach der Frist" in rate_milestone(late, datetime.date(2025, 3, 1)).explanation.de


def test_milestone_overdue_from_the_day_after_the_deadline():
    open_milestone = Milestone(DEADLINE, assessment=Assessment.ON_TRACK)
    assert rate_milestone(open_milestone, DEADLINE).status is MilestoneStatus.ON_TRACK
    assert rate_milestone(open_milestone, datetime.date(2025, 1, 1)).status is (
        MilestoneStatus.OVERDUE
    )


def test_milestone_before_the_deadline_follows_the_owners_assessment():
    day = datetime.date(2024, 6, 1)
    on_track = Milestone(DEADLINE, assessment=Assessment.ON_TRACK, assessed_on=day)
    at_risk = Milestone(DEADLINE, assessment=Assessment.AT_RISK)
    assert rate_milestone(on_track, day).status is MilestoneStatus.ON_TRACK
    assert rate_milestone(at_risk, day).status is MilestoneStatus.AT_RISK
    unassessed = rate_milestone(Milestone(DEADLINE), day)
    assert unassessed.status is MilestoneStatus.AT_RISK
    assert "ohne Einschätzung" in unassessed.explanation.de
    before = rate_milestone(on_track, datetime.date(2024, 5, 1))
    assert before.status is MilestoneStatus.AT_RISK  # the assessment came later


# --- common scale and roll-up --------------------------------------------------------------


def test_every_status_of_every_method_has_a_place_on_the_common_scale():
    assert [w.level for w in Weather] == [
        Level.ON_TRACK,
        Level.SLIGHTLY_OFF_TRACK,
        Level.OFF_TRACK,
        Level.CRITICAL,
        Level.NO_EVALUATION,
    ]
    assert {s: s.level for s in ProgressStatus} == {
        ProgressStatus.SUBSTANTIAL: Level.ON_TRACK,
        ProgressStatus.MODERATE: Level.SLIGHTLY_OFF_TRACK,
        ProgressStatus.LIMITED: Level.OFF_TRACK,
        ProgressStatus.DETERIORATION: Level.CRITICAL,
        ProgressStatus.TARGET_ACHIEVED: Level.ON_TRACK,
        ProgressStatus.NOT_AVAILABLE: Level.NO_EVALUATION,
    }
    assert [m.level for m in MilestoneStatus] == [
        Level.ON_TRACK,
        Level.ON_TRACK,
        Level.OFF_TRACK,
        Level.CRITICAL,
    ]


def test_summary_rules():
    levels = [Level.ON_TRACK, Level.CRITICAL, Level.SLIGHTLY_OFF_TRACK, Level.NO_EVALUATION]
    assert worst_of(levels) is Level.CRITICAL
    assert lower_median(levels) is Level.SLIGHTLY_OFF_TRACK
    assert lower_median([Level.ON_TRACK, Level.CRITICAL]) is Level.CRITICAL
    assert worst_of([Level.NO_EVALUATION]) is None


def test_goal_shows_the_worst_of_its_indicators_and_milestones_of_all_methods():
    weather = rate_weather(yearly(2018, 1, 2, 3, 4, 5, 6), DirectionOnly(UP))
    progress = rate_progress(yearly(2015, 100, 101), ProgressOptions(direction=UP))
    milestone = rate_milestone(Milestone(DEADLINE), datetime.date(2025, 6, 1))
    goal = roll_up(Node("12.5.1", (weather, progress, milestone)))
    assert (goal.level, goal.rule) == (Level.CRITICAL, RollUpRule.WORST_OF)
    assert goal.distribution[Level.ON_TRACK] == 1
    assert goal.distribution[Level.SLIGHTLY_OFF_TRACK] == 1
    assert goal.distribution[Level.CRITICAL] == 1
    assert "schlechtester Status" in goal.explanation.de


def test_goal_without_indicator_or_milestone_is_not_measured_never_fine():
    empty = roll_up(Node("12.3.4"))
    assert (empty.level, empty.rule) == (Level.NOT_MEASURED, RollUpRule.NOT_MEASURED)
    assert empty.distribution[Level.NOT_MEASURED] == 1
    assert "keinen Indikator und keinen Meilenstein" in empty.explanation.de
    above = roll_up(Node("12.3", children=(Node("12.3.1"), Node("12.3.2"))))
    assert above.level is Level.NOT_MEASURED
    assert above.distribution[Level.NOT_MEASURED] == 2


def test_goal_whose_indicators_have_no_rating_says_so():
    unrated = rate_weather(yearly(2022, 1, 2), DirectionOnly(UP))
    goal = roll_up(Node("12.1.1", (unrated,)))
    assert (goal.level, goal.rule) == (Level.NO_EVALUATION, RollUpRule.NO_EVALUATION)


def test_goals_above_take_the_lower_median_of_their_sub_goals():
    def goal(key, *levels):
        return Node(key, tuple(levels))

    strategic = Node(
        "12.1",
        children=(
            goal("12.1.1", Level.ON_TRACK),
            goal("12.1.2", Level.ON_TRACK, Level.OFF_TRACK),
            goal("12.1.3", Level.CRITICAL),
            goal("12.1.4"),
        ),
    )
    field = roll_up(Node("12", children=(strategic, Node("12.2", (Level.ON_TRACK,)))))
    summary = field.children[0]
    assert (summary.level, summary.rule) == (Level.OFF_TRACK, RollUpRule.LOWER_MEDIAN)
    assert summary.distribution[Level.NOT_MEASURED] == 1
    assert summary.distribution[Level.ON_TRACK] == 2
    assert "1 Ziel nicht gemessen" in summary.explanation.de
    assert field.level is Level.OFF_TRACK  # parts: off track, on track → the worse one
    own_and_children = roll_up(
        Node(
            "12.2",
            (Level.CRITICAL,),
            (goal("12.2.1", Level.ON_TRACK), goal("12.2.2", Level.ON_TRACK)),
        )
    )
    assert own_and_children.level is Level.ON_TRACK
    assert "eigenen Indikatoren und Meilensteine als ein Teil" in own_and_children.explanation.de


# --- batch: same statuses as the scalar engine ---------------------------------------------


def _weather_arrays(cases):
    windows, requirements, expected = [], [], []
    for series, target, report_period, starts in cases:
        result = rate_weather(series, target, report_period, starts)
        window = rating_window(series, report_period, starts)
        windows.append(window)
        requirements.append(
            None if window is None else requirement(target, series, window.end.period)
        )
        expected.append(result.weather.code)
    return WeatherArrays.of(windows, requirements), np.array(expected)


def _dns_single_targets():
    from zielwerk.status.validation import dns_target

    for case in DNS_CASES:
        target = case["target"]
        if target["kind"] == "combined":
            for part in target["components"]:
                yield (
                    Series.of(part["series"]),
                    dns_target(part["target"]),
                    case["report_year"],
                    None,
                )
            continue
        for series in (case["series"], case.get("publication", {}).get("series")):
            if series is not None:
                yield (
                    Series.of(series),
                    dns_target(target),
                    case["report_year"],
                    target.get("series_starts"),
                )


def test_weather_batch_matches_the_scalar_engine_on_every_fixture_case():
    arrays, expected = _weather_arrays(list(_dns_single_targets()))
    assert np.array_equal(weather_batch(arrays), expected)


def _random_weather_case(rng):
    step = rng.choice([1, 0.5, 2])
    value, points = rng.uniform(-50, 100), []
    for i in range(rng.randint(0, 9)):
        value += rng.choice([0, rng.uniform(-5, 5)])
        points.append((2010 + i * step, round(value, rng.choice([0, 1, 3]))))
    direction = rng.choice(list(Direction))
    comparator = rng.choice([None, *Comparator])
    goal = points[-1][1] if points and rng.random() < 0.2 else round(rng.uniform(-50, 100), 1)
    target = rng.choice(
        [
            ValueByYear(direction, goal, rng.choice([2012, 2015.5, 2030]), comparator),
            FixedLimit(direction, goal, comparator),
            DirectionOnly(direction),
        ]
    )
    return Series.of(points), target, None, None


def test_weather_batch_matches_the_scalar_engine_on_random_series():
    rng = random.Random(20240512)
    arrays, expected = _weather_arrays([_random_weather_case(rng) for _ in range(4000)])
    got = weather_batch(arrays)
    assert np.array_equal(got, expected)
    assert set(np.unique(got)) == {0, 1, 2, 3, 4}


def _progress_arrays(cases, periods):
    values = np.full((len(cases), len(periods)), np.nan)
    index = {p: i for i, p in enumerate(periods)}
    for row, (series, _) in enumerate(cases):
        for point in series.points:
            values[row, index[point.period]] = point.value
    options = [o for _, o in cases]
    return ProgressArrays(
        periods=np.array(periods, dtype=float),
        values=values,
        direction=np.array([o.direction.sign for o in options], dtype=np.int8),
        base_year=np.array([o.base_year for o in options]),
        target_year=np.array([o.target_year for o in options]),
        target=np.array([np.nan if o.target is None else o.target for o in options]),
        limit=np.array([np.nan if o.limit is None else o.limit for o in options]),
    )


def _assert_progress_batch_matches(cases, periods):
    results = [rate_progress(series, options) for series, options in cases]
    batch = progress_batch(_progress_arrays(cases, periods))
    assert np.array_equal(batch.status, [r.status.code for r in results])
    values = np.array([np.nan if r.progress_value is None else r.progress_value for r in results])
    scores = np.array([np.nan if r.score is None else r.score for r in results])
    np.testing.assert_allclose(batch.progress_value, values, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(batch.score, scores, rtol=1e-9, atol=1e-12)
    return batch


def test_progress_batch_matches_the_scalar_engine_on_every_fixture_series():
    cases = [
        (Series.of(s["series"]), ProgressOptions.from_open_sdg(s["options"]))
        for case in SDG_CASES
        for s in case["series_cases"]
    ]
    periods = sorted({p.period for series, _ in cases for p in series.points})
    _assert_progress_batch_matches(cases, periods)


def test_progress_batch_matches_the_scalar_engine_on_random_series():
    rng = random.Random(7)
    periods = [float(y) for y in range(2005, 2026)]
    cases = []
    for _ in range(4000):
        level = rng.choice([rng.uniform(-100, 100), 50.0, 95.0])
        years = sorted(rng.sample(periods, rng.randint(0, 8)))
        points = [
            (y, 0.0 if rng.random() < 0.05 else round(level + rng.uniform(-8, 8), 1)) for y in years
        ]
        options = ProgressOptions(
            direction=rng.choice(list(Direction)),
            base_year=rng.choice([2015.0, 2005.0, 2020.0]),
            target_year=rng.choice([2030.0, 2020.0]),
            target=rng.choice([None, None, 0.0, 10.0, -10.0, 60.0]),
            limit=rng.choice([None, 100.0, 0.0, 50.0]),
        )
        cases.append((Series.of(points), options))
    batch = _assert_progress_batch_matches(cases, periods)
    assert set(np.unique(batch.status)) == {0, 1, 2, 3, 4, 5}


# --- purity --------------------------------------------------------------------------------


def test_status_engine_imports_nothing_from_django_or_other_apps():
    probe = (
        "import sys\n"
        "import zielwerk.status, zielwerk.status.batch, zielwerk.status.validation\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'django' or "
        "(m.startswith('zielwerk.') and not m.startswith('zielwerk.status')))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""

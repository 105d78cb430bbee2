"""Open SDG import and export with the real data folders of the German sustainability
indicators (Destatis) and the Canadian Indicator Framework."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.indicators_support import OPENSDG, make_indicators
from zielwerk.indicators.models import Direction, Indicator, Value, ValueBatch
from zielwerk.indicators.opensdg import export_opensdg, import_opensdg
from zielwerk.indicators.values import ValuesError, approved_series

DNS = OPENSDG / "dns"
CIF = OPENSDG / "cif"


def stored(code: str, year: int, key: str, month: int = 0) -> Value:
    return Value.objects.get(indicator__code=code, year=year, month=month, disaggregation_key=key)


def test_german_sustainability_indicators(db):
    result = import_opensdg(DNS, create_indicators=True, approve=True)

    assert len(result.created_indicators) == Indicator.objects.count() == 26
    assert result.summary.line() == ("8508 Werte neu, 0 geändert, 0 unverändert, 8508 freigegeben")
    # Revised and provisional flags from COMMENT_OBS_0 and COMMENT_OBS_1.
    debt = stored("12-4", 2023, "Units=percentage")
    assert (debt.value, debt.flags) == (11.566, "rp")
    assert stored("12-4", 2014, "Units=percentage").flags == "r"
    gdp = stored("8-4", 2022, "GeoCode=code08|Units=1,000 euros|länder=baden-wuerttemberg")
    assert (gdp.value, gdp.flags) == (50.525, "rp")
    # The target-year row 2030 has no value ("…") and is skipped with a note.
    assert not Value.objects.filter(indicator__code="12-4", year=2030).exists()
    assert "indicator_12-4.csv: 1 Zeile ohne Wert übersprungen" in " ".join(result.notes)
    # Half-years "2022/1" and "2022/2" become January and July.
    broadband = "Units=percentage|time series=all wired technologies"
    assert stored("9-1-b", 2022, broadband, month=7).value == 70.5
    assert approved_series(Indicator.objects.get(code="9-1-b"), broadband)[:2] == [
        (2018.5, 27.33),
        (2019.0, 34.12),
    ]
    indicator = Indicator.objects.get(code="12-4")
    assert indicator.name == "Verbraucherverschuldung"
    assert indicator.unit == "percentage"
    assert indicator.method == Indicator.Method.WEATHER
    # The DNS metadata name no direction; the note asks to check Open SDG's default.
    assert indicator.direction == Direction.DECREASE
    assert any("Keine Richtung in den Metadaten von 1-1-ab" in note for note in result.notes)


def test_canadian_indicator_framework(db):
    result = import_opensdg(CIF, create_indicators=True)

    assert len(result.created_indicators) == 38
    assert (result.summary.created, Value.objects.count()) == (68111, 68111)
    # "data.<key>" cells and headers are resolved with translations/en/data.yml.
    assert stored("16-6-1", 2014, "GeoCode=10|Geography=Newfoundland and Labrador").value == 71.93
    # A fiscal year "2014/2015" counts as 2014; "2015 Q4" as October 2015.
    assert stored("16-6-1", 2014, "").value == 85.46
    assert stored("1-3-1", 2015, "", month=10).value == 178.8
    vaccines = Indicator.objects.get(code="3-9-1")
    assert vaccines.direction == Direction.INCREASE
    assert vaccines.method == Indicator.Method.CAGR
    assert vaccines.unit == "Percentage"
    assert Indicator.objects.get(code="3-1-1").natural_limit == 100
    assert Indicator.objects.get(code="5-2-1").base_year == 2018
    assert any("„First Nations reserves“" in note for note in result.notes)
    assert not Value.objects.exclude(state=Value.State.ENTERED).exists()


def test_importing_the_same_folder_again_changes_nothing(db):
    import_opensdg(DNS / "data" / "indicator_4-1-a.csv", create_indicators=True)

    again = import_opensdg(DNS / "data" / "indicator_4-1-a.csv")

    assert again.summary.line() == "0 Werte neu, 0 geändert, 833 unverändert"


def test_unknown_indicators_are_errors_without_create(demo):
    make_indicators(demo)
    before = (Indicator.objects.count(), Value.objects.count())
    with pytest.raises(ValuesError) as raised:
        import_opensdg(DNS)

    assert len(raised.value.errors) == 26
    assert raised.value.errors[0] == (
        "indicator_1-1-ab.csv: Den Indikator „1-1-ab“ gibt es nicht. Legen Sie ihn zuerst an "
        "oder lassen Sie ihn beim Import anlegen."
    )
    assert (Indicator.objects.count(), Value.objects.count()) == before


def test_every_problem_of_a_folder_is_reported_and_nothing_stored(db, tmp_path: Path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "indicator_a.csv").write_text(
        "Year,Sex,COMMENT_OBS_0,Value\n"
        "2019,,p,1.5\n"
        "zwanzig,,,2\n"
        "2020,,,abc\n"
        '2021,female,,"3,5"\n'
        "2021,female,,4\n"
        "2022,,1\n"
        "2023,,,…\n",
        encoding="utf-8",
    )
    (data / "indicator_b.csv").write_text("Year,Wert\n2020,1\n", encoding="utf-8")

    with pytest.raises(ValuesError) as raised:
        import_opensdg(tmp_path, create_indicators=True)

    assert raised.value.errors == [
        "indicator_a.csv, Zeile 3, Spalte „Year“: „zwanzig“ ist keine Jahresangabe.",
        "indicator_a.csv, Zeile 4, Spalte „Value“: „abc“ ist keine Zahl.",
        "indicator_a.csv, Zeile 6: derselbe Zeitraum und dieselbe Aufgliederung wie in Zeile 5.",
        "indicator_a.csv, Zeile 7: 3 statt 4 Spalten.",
        "indicator_b.csv, Zeile 1: Die Spalte „Value“ fehlt.",
    ]
    assert not Indicator.objects.exists()
    assert not ValueBatch.objects.exists()


def test_german_decimal_comma(db, tmp_path: Path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "indicator_quote.csv").write_text('Year,Value\n2019,"12,5"\n2020,"1.234,5"\n')

    import_opensdg(tmp_path, create_indicators=True)

    assert list(Value.objects.order_by("year").values_list("value", flat=True)) == [12.5, 1234.5]


def _read(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.*"))}


def test_export_import_export_is_identical(db, tmp_path: Path):
    # Flags in two columns, half-years, Länder, translations and quarters.
    source = tmp_path / "source"
    for folder, ids in [(DNS, ["4-1-a", "9-1-b", "8-4"]), (CIF, ["16-6-1", "1-3-1"])]:
        for name in ids:
            for part in (f"data/indicator_{name}.csv", f"meta/{name}.md"):
                (source / part).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(folder / part, source / part)
    (source / "translations" / "en").mkdir(parents=True)
    shutil.copy(CIF / "translations/en/data.yml", source / "translations/en/data.yml")
    import_opensdg(source, create_indicators=True, approve=True)
    indicators = list(Indicator.objects.order_by("code"))
    first = export_opensdg(indicators, tmp_path / "first")
    assert len(first) == 10
    Value.objects.all()._raw_delete(Value.objects.db)
    Indicator.objects.all().delete()

    import_opensdg(tmp_path / "first", create_indicators=True, approve=True)
    export_opensdg(list(Indicator.objects.order_by("code")), tmp_path / "second")

    assert _read(tmp_path / "first") == _read(tmp_path / "second")
    header = (tmp_path / "first/data/indicator_8-4.csv").read_text().splitlines()[0]
    assert header == "Year,Units,länder,GeoCode,COMMENT_OBS_0,COMMENT_OBS_1,Value"
    assert (
        "2022M07,percentage,,all wired technologies,,70.5"
        in (tmp_path / "first/data/indicator_9-1-b.csv").read_text()
    )

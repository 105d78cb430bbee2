"""The SVG line charts of indicators (report/charts.py): well-formed, accessible, and right
about what they draw, also for unusual series."""

import xml.etree.ElementTree as ET

import pytest

from zielwerk.report.charts import (
    Band,
    Chart,
    Limit,
    Projection,
    TargetPoint,
    nice_ticks,
    render_svg,
    year_ticks,
)

SVG = "{http://www.w3.org/2000/svg}"
DEBT = [(2019, 780.0), (2020, 805.0), (2021, 842.0), (2022, 866.0), (2023, 901.0), (2024, 948.0)]


def german(value: float, decimals: int) -> str:
    """German notation, as the pages pass it in: 1.234,5 and the minus sign."""
    text = f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return text.replace("-", "\N{MINUS SIGN}")


def chart(points=DEBT, **options) -> Chart:
    defaults = {
        "ident": "c1",
        "title": "Verschuldung je Einwohner",
        "description": "Sechs Werte von 2019 bis 2024, zuletzt 948.",
        "points": points,
        "series_label": "freigegebene Werte",
        "format_number": german,
        "unit": "EUR je Einwohner",
        "empty_text": "Noch keine freigegebenen Werte.",
    }
    return Chart(**{**defaults, **options})


def parse(c: Chart) -> ET.Element:
    return ET.fromstring(render_svg(c))


def texts(svg: ET.Element) -> list[str]:
    return [t.text or "" for t in svg.iter(f"{SVG}text")]


def points(svg: ET.Element) -> list[ET.Element]:
    return [c for c in svg.iter(f"{SVG}circle") if c.get("class") == "point"]


def group(svg: ET.Element, name: str) -> ET.Element | None:
    return next((g for g in svg.iter(f"{SVG}g") if g.get("class") == name), None)


def test_chart_is_an_image_named_by_its_title_and_text_alternative():
    svg = parse(chart())
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title.text == "Verschuldung je Einwohner"
    assert desc.text == "Sechs Werte von 2019 bis 2024, zuletzt 948."
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    # Sizes live in the viewBox only, so the chart scales with its container.
    assert svg.get("viewBox").startswith("0 0 640 ")
    assert svg.get("width") is None and svg.get("height") is None
    # No web font, no image, no script: nothing to load.
    markup = render_svg(chart())
    assert "<script" not in markup and "href" not in markup and "@font-face" not in markup


def test_every_value_is_a_point_on_one_solid_line():
    svg = parse(chart())
    assert len(points(svg)) == 6
    line = group(svg, "series").find(f"{SVG}polyline")
    assert len(line.get("points").split()) == 6
    assert line.get("stroke-dasharray") is None
    # Later years to the right, higher values further up.
    xs = [float(p.get("cx")) for p in points(svg)]
    ys = [float(p.get("cy")) for p in points(svg)]
    assert xs == sorted(xs) and ys == sorted(ys, reverse=True)


def test_targets_are_told_apart_by_shape_and_dash_and_named_in_words():
    svg = parse(
        chart(
            marks=[
                Limit(1000, "Grenzwert ≤ 1.000"),
                TargetPoint(2030, 700, "Ziel 2030: 700"),
                Band(850, 900, "Zielkorridor 850–900"),
            ],
            projection=Projection((2024, 948.0), 2030, 20.0, "Projektion 2030: 1.068"),
        )
    )
    limit = group(svg, "target-limit").find(f"{SVG}line")
    projection = group(svg, "projection").find(f"{SVG}polyline")
    assert limit.get("stroke-dasharray") != projection.get("stroke-dasharray")
    assert projection.get("stroke-dasharray")
    assert group(svg, "target-point").find(f"{SVG}polygon") is not None  # a diamond
    band = group(svg, "target-band").find(f"{SVG}rect")
    pattern = svg.find(f"{SVG}defs/{SVG}pattern")
    assert band.get("fill") == f"url(#{pattern.get('id')})"  # hatched, not only tinted
    legend = texts(group(svg, "legend"))
    assert legend == [
        "freigegebene Werte",
        "Projektion 2030: 1.068",
        "Grenzwert ≤ 1.000",
        "Ziel 2030: 700",
        "Zielkorridor 850–900",
    ]
    # The limit line sits at its value: between the ticks 950 and 1.050 … on the y axis.
    assert "1.000" in texts(group(svg, "axes"))


def test_projection_runs_dashed_from_the_last_value_to_the_target_year():
    projection = Projection((2024, 948.0), 2030, 20.0, "Projektion 2030: 1.068")
    svg = parse(chart(projection=projection))
    line = group(svg, "projection").find(f"{SVG}polyline").get("points").split()
    last_point = points(svg)[-1]
    assert line[0] == f"{last_point.get('cx')},{last_point.get('cy')}"
    assert projection.end == (2030, 1068.0)
    assert "Projektion 2030: 1.068" in texts(group(svg, "projection"))
    assert "2030" in texts(group(svg, "axes"))  # the time axis reaches the target year


def test_compound_projection_grows_by_its_rate_each_year():
    projection = Projection((2024, 41.0), 2030, 0.06, "Projektion", compound=True)
    drawn = projection.points()
    assert [p for p, _ in drawn] == [2024, 2025, 2026, 2027, 2028, 2029, 2030]
    assert drawn[1][1] == pytest.approx(41 * 1.06)
    assert projection.end[1] == pytest.approx(41 * 1.06**6)
    svg = parse(chart(points=[(2015, 24.0), (2024, 41.0)], projection=projection))
    assert len(group(svg, "projection").find(f"{SVG}polyline").get("points").split()) == 7


def test_a_projection_label_next_to_a_target_label_is_left_to_the_legend():
    """Projection ending just below its target: the two labels would overlap."""
    projection = Projection((2024, 64.0), 2027, 11.8, "Projektion 2027: 99,4")
    svg = parse(
        chart(
            points=[(2019, 5.0), (2024, 64.0)],
            marks=[TargetPoint(2027, 100, "Ziel 2027: 100")],
            projection=projection,
        )
    )
    assert texts(svg).count("Projektion 2027: 99,4") == 1  # legend only
    assert texts(svg).count("Ziel 2027: 100") == 2  # at the diamond and in the legend


def test_axis_ticks_are_round_and_in_the_notation_passed_in():
    svg = parse(chart(points=[(2019, 1.42), (2021, 1.25), (2024, 0.97)]))
    labels = texts(group(svg, "axes"))
    assert {"0,9", "1,0", "1,2", "1,4"} <= set(labels)
    assert "EUR je Einwohner" in labels


def test_single_value():
    svg = parse(chart(points=[(2024, 948.0)]))
    assert len(points(svg)) == 1
    assert group(svg, "series").find(f"{SVG}polyline") is None
    assert {"2023", "2024", "2025"} <= set(texts(group(svg, "axes")))


def test_no_values_says_so_in_words():
    svg = parse(chart(points=[], marks=[Limit(1000, "Grenzwert ≤ 1.000")]))
    assert points(svg) == []
    assert "Noch keine freigegebenen Werte." in texts(svg)
    assert svg.find(f"{SVG}title").text == "Verschuldung je Einwohner"


def test_negative_values_lie_below_the_marked_zero_line():
    svg = parse(chart(points=[(2020, -3.2), (2021, -0.5), (2022, 1.5), (2023, 4.1)]))
    axes = group(svg, "axes")
    zero = next(line for line in axes.iter(f"{SVG}line") if line.get("stroke-width") == "1.5")
    ys = [float(p.get("cy")) for p in points(svg)]
    zero_y = float(zero.get("y1"))
    assert ys[0] > zero_y and ys[1] > zero_y and ys[2] < zero_y
    assert "\N{MINUS SIGN}2" in texts(axes)


def test_all_equal_values_get_a_range_around_them():
    svg = parse(chart(points=[(2020, 5.0), (2021, 5.0), (2022, 5.0)]))
    ys = {p.get("cy") for p in points(svg)}
    assert len(ys) == 1
    ticks, decimals = nice_ticks(5.0, 5.0)
    assert ticks[0] < 5 < ticks[-1] and decimals == 1
    # The flat line is drawn inside the plot (28 to 288), not on its frame.
    (y,) = ys
    assert 28 < float(y) < 288


def test_interval_band_spans_its_bounds():
    svg = parse(
        chart(
            points=[(2019, 103.0), (2024, 106.0)],
            marks=[Band(90, 110, "Zielkorridor 90–110")],
        )
    )
    band = group(svg, "target-band").find(f"{SVG}rect")
    top, height = float(band.get("y")), float(band.get("height"))
    ticks, _ = nice_ticks(90, 110)
    assert (ticks[0], ticks[-1]) == (90, 110)
    # The band fills the plot from 90 to 110: the whole height.
    assert top == pytest.approx(28) and height == pytest.approx(260)
    assert "Zielkorridor 90–110" in texts(svg)


def test_texts_are_escaped():
    svg = parse(chart(title='Anteil <50 % & "mehr"', description="a < b"))
    assert svg.find(f"{SVG}title").text == 'Anteil <50 % & "mehr"'


def test_nice_ticks_and_year_ticks():
    assert nice_ticks(780, 948) == ([750.0, 800.0, 850.0, 900.0, 950.0], 0)
    assert nice_ticks(0, 0.03) == ([0, 0.01, 0.02, 0.03], 2)
    assert nice_ticks(0, 0.012)[1] == 4  # steps of 0,0025
    ticks, decimals = nice_ticks(4, 100)
    assert ticks == [0, 20, 40, 60, 80, 100] and decimals == 0
    assert year_ticks(2019.5, 2024.5) == [2020, 2021, 2022, 2023, 2024]
    assert year_ticks(1990, 2030) == [1990, 1995, 2000, 2005, 2010, 2015, 2020, 2025, 2030]

"""Line charts of indicator values as SVG, drawn on the server.

Plain Python without Django, like the status engine: the caller passes numbers, translated
labels and a number formatter, and gets one self-contained <svg> element back. It needs no
JavaScript, no web font and no external file, so the same markup serves the pages, the static
export and the PDF.

Accessibility (WCAG 2.1 AA):
- role="img" with <title> and <desc> (the text alternative the caller writes) named by
  aria-labelledby; the page shows the same numbers as a table next to the chart;
- colour is never the only carrier: values are a solid line with round markers, the projection
  is dashed, a target point is a diamond, a limit a dotted line, a target range a hatched band,
  and each of them is labelled in words (legend and direct labels);
- colours from the Okabe–Ito palette, each with at least 3:1 contrast against white
  (WCAG 1.4.11 non-text contrast);
- sizes live in the viewBox, so the chart scales with its container.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

# (value, decimals) -> text in the reader's notation, e.g. 1.234,5 in German; the chart asks
# for as many decimals as its axis ticks need.
Formatter = Callable[[float, int], str]

WIDTH = 640
PLOT_TOP = 28
PLOT_HEIGHT = 260
MARGIN_LEFT = 72
MARGIN_RIGHT = 28
AXIS_GAP = 34  # below the plot: year labels
LEGEND_ROW = 22
FONT_SIZE = 13
CHAR_WIDTH = 6.8  # average width of a character at FONT_SIZE, to lay out the legend
MAX_X_TICKS = 10
Y_TICKS = 5

INK = "#1b1b1b"
GRID = "#c9cfd6"
VALUES = "#0072b2"  # Okabe–Ito blue, 5.2:1 on white
TARGET = "#d55e00"  # Okabe–Ito vermillion, 3.9:1
BAND = "#009e73"  # Okabe–Ito bluish green, 3.4:1
PROJECTION_DASH = "7 5"
LIMIT_DASH = "2 4"


@dataclass(frozen=True)
class TargetPoint:
    """A value to reach in a target year, drawn as a diamond."""

    year: float
    value: float
    label: str


@dataclass(frozen=True)
class Limit:
    """A limit to keep every year, drawn as a dotted line across the chart."""

    value: float
    label: str


@dataclass(frozen=True)
class Band:
    """A target range, drawn as a hatched band across the chart."""

    low: float
    high: float
    label: str


Mark = TargetPoint | Limit | Band


@dataclass(frozen=True)
class Projection:
    """Where the development would lead if it continued unchanged: from the last value to
    `until`, by `change` per year — an amount (linear trend, the weather symbols) or a growth
    rate (compound annual growth, the Open SDG progress measure)."""

    start: tuple[float, float]
    until: float
    change: float
    label: str
    compound: bool = False

    def points(self) -> list[tuple[float, float]]:
        """The line to draw: its two ends, or one point per year for compound growth."""
        period, value = self.start
        if not self.compound:
            return [self.start, (self.until, value + self.change * (self.until - period))]
        steps = max(1, math.ceil(self.until - period))
        periods = [period + (self.until - period) * i / steps for i in range(steps + 1)]
        return [(p, value * (1 + self.change) ** (p - period)) for p in periods]

    @property
    def end(self) -> tuple[float, float]:
        return self.points()[-1]


@dataclass(frozen=True)
class Chart:
    """Everything a chart shows; every text comes translated from the caller.

    `ident` prefixes the ids inside the SVG so that several charts can share a page."""

    ident: str
    title: str
    description: str
    points: Sequence[tuple[float, float]]
    series_label: str
    format_number: Formatter
    unit: str = ""
    marks: Sequence[Mark] = ()
    projection: Projection | None = None
    empty_text: str = ""


# --- scales --------------------------------------------------------------------------------


def nice_ticks(low: float, high: float, count: int = Y_TICKS) -> tuple[list[float], int]:
    """Round tick values covering [low, high] with a step of 1, 2, 2.5 or 5 times a power of
    ten, and the number of decimals they need."""
    if high == low:
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    ticks = [round(i * step, 10) for i in range(first, last + 1)]
    decimals = next(d for d in range(12) if abs(round(step, d) - step) <= step * 1e-9)
    return ticks, decimals


def year_ticks(first: float, last: float) -> list[int]:
    """Whole years between first and last, at most MAX_X_TICKS of them, on round steps."""
    start, end = math.ceil(first), math.floor(last)
    span = max(end - start, 0)
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100) if span / s < MAX_X_TICKS)
    return [year for year in range(start, end + 1) if year % step == 0]


@dataclass(frozen=True)
class _Scale:
    x0: float
    x1: float
    y0: float
    y1: float
    left: float
    right: float
    top: float
    bottom: float

    def x(self, period: float) -> float:
        return self.left + (period - self.x0) / (self.x1 - self.x0) * (self.right - self.left)

    def y(self, value: float) -> float:
        return self.bottom - (value - self.y0) / (self.y1 - self.y0) * (self.bottom - self.top)


def _periods(chart: Chart) -> tuple[float, float]:
    periods = [p for p, _ in chart.points]
    periods += [m.year for m in chart.marks if isinstance(m, TargetPoint)]
    if chart.projection is not None:
        periods.append(chart.projection.until)
    first, last = min(periods), max(periods)
    if first == last:
        return first - 1, last + 1
    # Half a year of room on both sides keeps the end markers inside the plot.
    pad = max(0.5, (last - first) * 0.02)
    return first - pad, last + pad


def _values(chart: Chart) -> list[float]:
    values = [v for _, v in chart.points]
    for mark in chart.marks:
        values += [mark.low, mark.high] if isinstance(mark, Band) else [mark.value]
    if chart.projection is not None:
        values += [v for _, v in chart.projection.points()]
    return values


# --- drawing -------------------------------------------------------------------------------


def _num(x: float) -> str:
    return f"{x:.1f}"


def _attrs(attrs: dict[str, str]) -> str:
    """Keyword arguments as SVG attributes: stroke_width="2" → stroke-width="2"."""
    return "".join(
        f" {name.rstrip('_').replace('_', '-')}={quoteattr(value)}" for name, value in attrs.items()
    )


def _text(x: float, y: float, content: str, anchor: str = "start", **attrs: str) -> str:
    return (
        f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}"{_attrs(attrs)}>'
        f"{escape(content)}</text>"
    )


def _label(x: float, y: float, content: str, anchor: str = "end") -> str:
    """A label inside the plot, with a white halo so that it stays readable over lines."""
    return _text(x, y, content, anchor, stroke="#ffffff", stroke_width="4", paint_order="stroke")


def _polyline(points: Sequence[tuple[float, float]], scale: _Scale, **attrs: str) -> str:
    coords = " ".join(f"{_num(scale.x(p))},{_num(scale.y(v))}" for p, v in points)
    return f'<polyline points="{coords}" fill="none"{_attrs(attrs)}/>'


def _diamond(cx: float, cy: float, r: float = 7) -> str:
    return f"{_num(cx)},{_num(cy - r)} {_num(cx + r)},{_num(cy)} {_num(cx)},{_num(cy + r)} " + (
        f"{_num(cx - r)},{_num(cy)}"
    )


def _axes(chart: Chart, scale: _Scale, ticks: list[float], decimals: int) -> list[str]:
    parts = ['<g class="axes" font-size="12">']
    for tick in ticks:
        y = scale.y(tick)
        colour, width = (INK, "1.5") if tick == 0 else (GRID, "1")
        parts.append(
            f'<line x1="{_num(scale.left)}" x2="{_num(scale.right)}" y1="{_num(y)}" '
            f'y2="{_num(y)}" stroke="{colour}" stroke-width="{width}"/>'
        )
        parts.append(_text(scale.left - 8, y + 4, chart.format_number(tick, decimals), "end"))
    parts.append(
        f'<line x1="{_num(scale.left)}" x2="{_num(scale.right)}" y1="{_num(scale.bottom)}" '
        f'y2="{_num(scale.bottom)}" stroke="{INK}"/>'
    )
    for year in year_ticks(scale.x0, scale.x1):
        x = scale.x(year)
        parts.append(
            f'<line x1="{_num(x)}" x2="{_num(x)}" y1="{_num(scale.bottom)}" '
            f'y2="{_num(scale.bottom + 5)}" stroke="{INK}"/>'
        )
        parts.append(_text(x, scale.bottom + 20, str(year), "middle"))
    if chart.unit:
        parts.append(_text(scale.left - 8, PLOT_TOP - 12, chart.unit, "start", class_="unit"))
    parts.append("</g>")
    return parts


def _marks(chart: Chart, scale: _Scale) -> list[str]:
    parts = []
    # Bands lie behind lines and points.
    for mark in sorted(chart.marks, key=lambda m: not isinstance(m, Band)):
        if isinstance(mark, Band):
            top, bottom = scale.y(mark.high), scale.y(mark.low)
            parts += [
                f'<g class="target-band"><rect x="{_num(scale.left)}" y="{_num(top)}" '
                f'width="{_num(scale.right - scale.left)}" height="{_num(bottom - top)}" '
                f'fill="url(#{chart.ident}-hatch)" stroke="{BAND}" stroke-width="1.5" '
                f'stroke-dasharray="{PROJECTION_DASH}"/>',
                _label(scale.left + 6, top + 16, mark.label, "start"),
                "</g>",
            ]
        elif isinstance(mark, Limit):
            y = scale.y(mark.value)
            parts += [
                f'<g class="target-limit"><line x1="{_num(scale.left)}" '
                f'x2="{_num(scale.right)}" y1="{_num(y)}" y2="{_num(y)}" stroke="{TARGET}" '
                f'stroke-width="2.5" stroke-dasharray="{LIMIT_DASH}" stroke-linecap="round"/>',
                _label(scale.right, y - 7, mark.label),
                "</g>",
            ]
        else:
            cx, cy = scale.x(mark.year), scale.y(mark.value)
            parts += [
                f'<g class="target-point"><polygon points="{_diamond(cx, cy)}" '
                f'fill="{TARGET}" stroke="{INK}" stroke-width="1"/>',
                _label(
                    cx - 10, cy - 10 if _target_label_above(chart, mark) else cy + 20, mark.label
                ),
                "</g>",
            ]
    return parts


def _rising(projection: Projection) -> bool:
    return projection.end[1] >= projection.start[1]


def _target_label_above(chart: Chart, mark: TargetPoint) -> bool:
    """A target point's label goes above it, unless a projection ends higher in the same year:
    then below, away from the projection's end."""
    end = chart.projection.end if chart.projection is not None else None
    return end is None or end[0] != mark.year or mark.value >= end[1]


def _projection_label(chart: Chart, scale: _Scale) -> str:
    """The projection's own label, on the side of its end away from the line (above a rising
    line, below a falling one); left out when a target label sits on the same side close by,
    the legend names the projection anyway."""
    projection = chart.projection
    assert projection is not None
    (period, value), above = projection.end, _rising(projection)
    cx, cy = scale.x(period), scale.y(value)
    for mark in chart.marks:
        if (
            isinstance(mark, TargetPoint)
            and mark.year == period
            and _target_label_above(chart, mark) == above
            and abs(scale.y(mark.value) - cy) < LEGEND_ROW + 4
        ):
            return ""
    return _label(cx - 10, cy - 10 if above else cy + 20, projection.label)


def _series(chart: Chart, scale: _Scale) -> list[str]:
    parts = ['<g class="series">']
    if len(chart.points) > 1:
        parts.append(_polyline(chart.points, scale, stroke=VALUES, stroke_width="2.5"))
    for period, value in chart.points:
        parts.append(
            f'<circle class="point" cx="{_num(scale.x(period))}" cy="{_num(scale.y(value))}" '
            f'r="4.5" fill="{VALUES}" stroke="#ffffff" stroke-width="1.5"/>'
        )
    parts.append("</g>")
    return parts


def _projection(chart: Chart, scale: _Scale) -> list[str]:
    projection = chart.projection
    if projection is None:
        return []
    cx, cy = scale.x(projection.end[0]), scale.y(projection.end[1])
    return [
        '<g class="projection">',
        _polyline(
            projection.points(),
            scale,
            stroke=VALUES,
            stroke_width="2.5",
            stroke_dasharray=PROJECTION_DASH,
        ),
        f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="4.5" fill="#ffffff" stroke="{VALUES}" '
        'stroke-width="2"/>',
        _projection_label(chart, scale),
        "</g>",
    ]


def _legend_entries(chart: Chart) -> list[tuple[str, str]]:
    """(sample drawing at the origin, label) per thing shown."""
    entries = []
    if chart.points:
        entries.append(
            (
                f'<line x1="0" x2="24" y1="0" y2="0" stroke="{VALUES}" stroke-width="2.5"/>'
                f'<circle cx="12" cy="0" r="4.5" fill="{VALUES}"/>',
                chart.series_label,
            )
        )
    if chart.projection is not None:
        entries.append(
            (
                f'<line x1="0" x2="24" y1="0" y2="0" stroke="{VALUES}" stroke-width="2.5" '
                f'stroke-dasharray="{PROJECTION_DASH}"/>',
                chart.projection.label,
            )
        )
    for mark in chart.marks:
        if isinstance(mark, Band):
            sample = (
                f'<rect x="0" y="-7" width="24" height="14" fill="url(#{chart.ident}-hatch)" '
                f'stroke="{BAND}" stroke-dasharray="{PROJECTION_DASH}"/>'
            )
        elif isinstance(mark, Limit):
            sample = (
                f'<line x1="0" x2="24" y1="0" y2="0" stroke="{TARGET}" stroke-width="2.5" '
                f'stroke-dasharray="{LIMIT_DASH}" stroke-linecap="round"/>'
            )
        else:
            sample = f'<polygon points="{_diamond(12, 0)}" fill="{TARGET}" stroke="{INK}"/>'
        entries.append((sample, mark.label))
    return entries


def _legend(chart: Chart, top: float) -> tuple[list[str], float]:
    """The legend below the plot, wrapped into rows; returns it and its height."""
    parts = ['<g class="legend">']
    x, row = MARGIN_LEFT, 0
    for sample, label in _legend_entries(chart):
        width = 32 + len(label) * CHAR_WIDTH + 20
        if x > MARGIN_LEFT and x + width > WIDTH - MARGIN_RIGHT:
            x, row = MARGIN_LEFT, row + 1
        y = top + row * LEGEND_ROW
        parts.append(f'<g transform="translate({_num(x)},{_num(y)})">{sample}</g>')
        parts.append(_text(x + 32, y + 4.5, label))
        x += width
    parts.append("</g>")
    return parts, (row + 1) * LEGEND_ROW


def _open(chart: Chart, height: float) -> list[str]:
    title_id, desc_id = f"{chart.ident}-title", f"{chart.ident}-desc"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {_num(height)}" '
        f'role="img" aria-labelledby="{title_id} {desc_id}" class="chart" '
        f"font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif\" "
        f'font-size="{FONT_SIZE}" fill="{INK}">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{escape(chart.description)}</desc>',
    ]


def render_svg(chart: Chart) -> str:
    """The chart as one <svg> element (a string of well-formed XML)."""
    if not chart.points:
        height = 80
        return "".join(
            [
                *_open(chart, height),
                f'<rect x="0.5" y="0.5" width="{WIDTH - 1}" height="{height - 1}" fill="none" '
                f'stroke="{GRID}"/>',
                _text(WIDTH / 2, height / 2 + 5, chart.empty_text, "middle"),
                "</svg>",
            ]
        )
    values = _values(chart)
    ticks, decimals = nice_ticks(min(values), max(values))
    x0, x1 = _periods(chart)
    bottom = PLOT_TOP + PLOT_HEIGHT
    scale = _Scale(x0, x1, ticks[0], ticks[-1], MARGIN_LEFT, WIDTH - MARGIN_RIGHT, PLOT_TOP, bottom)
    legend, legend_height = _legend(chart, bottom + AXIS_GAP + 12)
    height = bottom + AXIS_GAP + legend_height + 8
    return "".join(
        [
            *_open(chart, height),
            f'<defs><pattern id="{chart.ident}-hatch" width="8" height="8" '
            'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            f'<rect width="8" height="8" fill="{BAND}" fill-opacity="0.12"/>'
            f'<line x1="0" y1="0" x2="0" y2="8" stroke="{BAND}" stroke-width="2"/>'
            "</pattern></defs>",
            *_axes(chart, scale, ticks, decimals),
            *_marks(chart, scale),
            *_projection(chart, scale),
            *_series(chart, scale),
            *legend,
            "</svg>",
        ]
    )

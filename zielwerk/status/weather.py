"""Method A: the weather symbols of the German Sustainable Development Strategy (METHODS.md §1).

Destatis rates each target of the strategy with Sonne, Leicht bewölkt, Wolke or Gewitter. The
functions below follow METHODS.md §1 paragraph by paragraph, with the fine points as
`../shared/fixtures/status/README.md` ("Rules as a reference implementation applies them")
settles them; `rate_weather` chains them:

1. `rating_window`: the last six data points up to the report year (after a documented break
   of the series); fewer than four points: no evaluation.
2. `average_change` and `last_change`: the trend a and the last change.
3. `requirement`: the target as one absolute requirement (`to_absolute` for targets relative
   to a base year, `weakest_requirement` for intervals, `nearest_target_ahead` for several
   target years).
4. `rate_target_year` §1(a), `rate_limit` §1(b), `rate_direction` §1(c).
5. `worst`: several simultaneous targets show the worst single result.

Every result carries the numbers it came from and a German and English explanation built from
exactly these numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from zielwerk.status import text
from zielwerk.status.scale import Level
from zielwerk.status.series import Comparator, Direction, Point, Series
from zielwerk.status.text import Explanation, Lang, both

WINDOW_POINTS = 6
MIN_POINTS = 4
SUN_SHORTFALL = 0.05
PARTLY_SHORTFALL = 0.20


class Weather(Enum):
    """The four published symbols, plus "no evaluation possible" (too few data points)."""

    SUN = "Sonne"
    PARTLY = "Leicht bewölkt"
    CLOUD = "Wolke"
    THUNDER = "Gewitter"
    NONE = "Keine Bewertung"

    @classmethod
    def from_label(cls, label: str) -> Weather:
        """Read a published label; the Destatis data files spell Gewitter "Blitz"."""
        return _LABEL_ALIASES.get(label) or cls(label)

    @property
    def code(self) -> int:
        """4 (Sonne) to 1 (Gewitter), 0 for no evaluation: the codes of the batch functions."""
        return _CODES[self]

    @classmethod
    def from_code(cls, code: int) -> Weather:
        return _BY_CODE[code]

    @property
    def level(self) -> Level:
        return _LEVELS[self]

    def label(self, lang: Lang) -> str:
        return self.value if lang is Lang.DE else _LABELS_EN[self]


_LABEL_ALIASES = {"Blitz": Weather.THUNDER, "Keine": Weather.NONE}
_CODES = {Weather.SUN: 4, Weather.PARTLY: 3, Weather.CLOUD: 2, Weather.THUNDER: 1, Weather.NONE: 0}
_BY_CODE = {code: weather for weather, code in _CODES.items()}
_LEVELS = {
    Weather.SUN: Level.ON_TRACK,
    Weather.PARTLY: Level.SLIGHTLY_OFF_TRACK,
    Weather.CLOUD: Level.OFF_TRACK,
    Weather.THUNDER: Level.CRITICAL,
    Weather.NONE: Level.NO_EVALUATION,
}
_LABELS_EN = {
    Weather.SUN: "Sun",
    Weather.PARTLY: "Partly cloudy",
    Weather.CLOUD: "Cloud",
    Weather.THUNDER: "Thunderstorm",
    Weather.NONE: "no evaluation possible",
}


class WeatherRule(Enum):
    """Which paragraph of METHODS.md §1 decided the symbol."""

    TARGET_YEAR = "a"
    LIMIT = "b"
    DIRECTION = "c"
    TOO_FEW_POINTS = "too_few_points"
    WORST_OF = "worst_of"


class LimitReason(Enum):
    """Why a target-year target is rated as a limit (§1(b), last sentence)."""

    REACHED_EARLY = "reached_early"
    TARGET_YEAR_DUE = "target_year_due"


# --- targets -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Relative:
    """A target value stated against a base year: "−35 % gegenüber 2005" is
    Relative(2005, -35), "auf 55 % des Werts von 2005" is Relative(2005, -45)."""

    base_year: float
    percent_change: float


TargetValue = float | Relative


@dataclass(frozen=True)
class ValueByYear:
    """§1(a): reach a target value in a target year. Without a comparator the target is met
    when the value reaches or passes it in the desired direction."""

    direction: Direction
    value: TargetValue
    year: float
    comparator: Comparator | None = None


@dataclass(frozen=True)
class FixedLimit:
    """§1(b): a limit to be kept every year (e.g. "≤ 1,000 EUR per inhabitant")."""

    direction: Direction
    value: TargetValue
    comparator: Comparator | None = None


@dataclass(frozen=True)
class DirectionOnly:
    """§1(c): only the desired direction is stated ("deutliche Steigerung")."""

    direction: Direction


@dataclass(frozen=True)
class Interval:
    """A target range ("−15 bis −20 %"): rated against its weakest requirement. With a year it
    is a target-year target (a), without one a limit to be kept every year (b)."""

    direction: Direction
    bounds: tuple[TargetValue, TargetValue]
    year: float | None = None


@dataclass(frozen=True)
class Stages:
    """One target with several target years ("40 % bis 2030, 65 % bis 2040")."""

    stages: tuple[ValueByYear | Interval, ...]


Target = ValueByYear | FixedLimit | DirectionOnly | Interval | Stages


@dataclass(frozen=True)
class Requirement:
    """A target reduced to what one rating needs: absolute value, target year, comparison."""

    rule: WeatherRule
    direction: Direction
    value: float | None = None
    year: float | None = None
    comparator: Comparator | None = None

    def met_by(self, value: float) -> bool:
        assert self.value is not None and self.comparator is not None
        return self.comparator.holds(value, self.value)


# --- the chain -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """The data points a rating looks at (at least MIN_POINTS, at most WINDOW_POINTS)."""

    points: tuple[Point, ...]

    @property
    def start(self) -> Point:
        return self.points[0]

    @property
    def end(self) -> Point:
        return self.points[-1]


def usable_points(
    series: Series, report_period: float | None = None, series_starts: float | None = None
) -> Series:
    """§1 and fixture README "Window": the values up to the report year t, and after a
    documented time-series break only those from `series_starts` on."""
    return series.between(series_starts, report_period)


def rating_window(
    series: Series, report_period: float | None = None, series_starts: float | None = None
) -> Window | None:
    """§1 "computed from the last six data points … with fewer than four, no evaluation".

    The last six *available* points, also when they are not consecutive years (survey years,
    gaps): the fixture README, "Ambiguities", says this is how Destatis rates such series.
    """
    points = usable_points(series, report_period, series_starts).points[-WINDOW_POINTS:]
    if len(points) < MIN_POINTS:
        return None
    return Window(points)


def average_change(window: Window) -> float:
    """§1 "Trend a = average of the last five annual changes": (x_t − x_s) / (t − s) with s
    the first point of the window; for yearly data the mean of the last five changes."""
    return (window.end.value - window.start.value) / (window.end.period - window.start.period)


def last_change(window: Window) -> float:
    """§1(c) "the last annual change": between the last two data points."""
    return window.points[-1].value - window.points[-2].value


def to_absolute(value: TargetValue, series: Series) -> float:
    """§1(a) "absolute, or relative to a base year — convert to absolute first"."""
    if not isinstance(value, Relative):
        return float(value)
    base = series.value_at(value.base_year)
    if base is None:
        raise ValueError(f"The series has no value for the base year {value.base_year}")
    return base * (1 + value.percent_change / 100)


def weakest_requirement(interval: Interval, series: Series) -> float:
    """§1 "Interval target → use the weakest requirement of the interval": the bound that is
    easiest to meet, i.e. the lower one when the value should rise, else the higher one."""
    low, high = sorted(to_absolute(bound, series) for bound in interval.bounds)
    return low if interval.direction is Direction.INCREASE else high


def nearest_target_ahead(stages: Stages, report_period: float) -> ValueByYear | Interval:
    """§1 "Several target years → use the nearest target year still ahead".

    A target year equal to the report year still counts as ahead (it is due now and is rated
    by rule (b)); when every target year has passed, the latest one is used (again by (b)).
    """
    ahead = [s for s in stages.stages if _year(s) >= report_period]
    if ahead:
        return min(ahead, key=_year)
    return max(stages.stages, key=_year)


def _year(stage: ValueByYear | Interval) -> float:
    if stage.year is None:
        raise ValueError("Every stage of a Stages target needs a target year")
    return stage.year


def requirement(target: Target, series: Series, report_period: float) -> Requirement:
    """The target as one absolute requirement for the report year (§1 (a)–(c))."""
    if isinstance(target, Stages):
        return requirement(nearest_target_ahead(target, report_period), series, report_period)
    if isinstance(target, DirectionOnly):
        return Requirement(WeatherRule.DIRECTION, target.direction)
    if isinstance(target, Interval):
        value = weakest_requirement(target, series)
        comparator = Comparator.default_for(target.direction)
        rule = WeatherRule.LIMIT if target.year is None else WeatherRule.TARGET_YEAR
        return Requirement(rule, target.direction, value, target.year, comparator)
    comparator = target.comparator or Comparator.default_for(target.direction)
    value = to_absolute(target.value, series)
    if isinstance(target, FixedLimit):
        return Requirement(WeatherRule.LIMIT, target.direction, value, None, comparator)
    return Requirement(WeatherRule.TARGET_YEAR, target.direction, value, target.year, comparator)


@dataclass(frozen=True)
class WeatherResult:
    """A weather symbol with the numbers it was derived from and their explanation."""

    weather: Weather
    rule: WeatherRule
    explanation: Explanation
    window: Window | None = None
    requirement: Requirement | None = None
    average_change: float | None = None
    last_change: float | None = None
    projection: float | None = None
    shortfall: float | None = None
    gap: float | None = None
    limit_reason: LimitReason | None = None
    parts: tuple[WeatherResult, ...] = ()

    @property
    def level(self) -> Level:
        return self.weather.level


def rate_target_year(window: Window, req: Requirement) -> WeatherResult:
    """§1(a) target value Z in target year T.

    Projection x̂_T = x_t + a·(T − t), gap g = |Z − x_t|, shortfall s = how far x̂_T misses Z
    in the desired direction. a zero or pointing away → Gewitter; s = 0 or s < 5 % of g →
    Sonne; s ≤ 20 % of g → Leicht bewölkt; otherwise Wolke. When the report-year value already
    meets the target, or T ≤ t, rule (b) applies instead ("Rule (b) is also used when …"); only
    the report-year value decides this switch.
    """
    assert req.value is not None and req.year is not None
    t, x_t = window.end
    if req.met_by(x_t):
        return rate_limit(window, req, LimitReason.REACHED_EARLY)
    if req.year <= t:
        return rate_limit(window, req, LimitReason.TARGET_YEAR_DUE)
    a = average_change(window)
    if a * req.direction.sign <= 0:
        weather = Weather.THUNDER
        return WeatherResult(
            weather,
            WeatherRule.TARGET_YEAR,
            both(lambda lang: _text_target_year_away(window, req, a, lang)),
            window,
            req,
            average_change=a,
        )
    projection = x_t + a * (req.year - t)
    shortfall = max(0.0, (req.value - projection) * req.direction.sign)
    gap = abs(req.value - x_t)
    weather = shortfall_band(shortfall, gap)
    return WeatherResult(
        weather,
        WeatherRule.TARGET_YEAR,
        both(
            lambda lang: _text_projection(window, req, a, projection, shortfall, gap, weather, lang)
        ),
        window,
        req,
        average_change=a,
        projection=projection,
        shortfall=shortfall,
        gap=gap,
    )


def shortfall_band(shortfall: float, gap: float) -> Weather:
    """§1(a) "Sonne: s < 5 % of g (or target reached); Leicht bewölkt: 5 % ≤ s ≤ 20 % of g;
    Wolke: s > 20 % of g"."""
    if shortfall == 0 or shortfall < SUN_SHORTFALL * gap:
        return Weather.SUN
    if shortfall <= PARTLY_SHORTFALL * gap:
        return Weather.PARTLY
    return Weather.CLOUD


def rate_limit(
    window: Window, req: Requirement, reason: LimitReason | None = None
) -> WeatherResult:
    """§1(b) limit to be kept every year: first the latest value, second the average change.

    Met and a not worsening (a = 0 counts as not worsening) → Sonne; met but worsening →
    Leicht bewölkt; missed and a moving towards the limit → Wolke; missed and a zero or moving
    away → Gewitter. `reason` says why a target-year target is rated this way.
    """
    a = average_change(window)
    towards = a * req.direction.sign
    if req.met_by(window.end.value):
        weather = Weather.SUN if towards >= 0 else Weather.PARTLY
    else:
        weather = Weather.CLOUD if towards > 0 else Weather.THUNDER
    return WeatherResult(
        weather,
        WeatherRule.LIMIT,
        both(lambda lang: _text_limit(window, req, a, weather, reason, lang)),
        window,
        req,
        average_change=a,
        limit_reason=reason,
    )


def rate_direction(window: Window, req: Requirement) -> WeatherResult:
    """§1(c) direction only: first the average change, second the last annual change.

    Both in the desired direction → Sonne; average right, last wrong or zero → Leicht bewölkt;
    average wrong or zero, last right → Wolke; both wrong or zero → Gewitter.
    """
    a = average_change(window)
    last = last_change(window)
    average_right = a * req.direction.sign > 0
    last_right = last * req.direction.sign > 0
    if average_right:
        weather = Weather.SUN if last_right else Weather.PARTLY
    else:
        weather = Weather.CLOUD if last_right else Weather.THUNDER
    return WeatherResult(
        weather,
        WeatherRule.DIRECTION,
        both(lambda lang: _text_direction(window, req, a, last, weather, lang)),
        window,
        req,
        average_change=a,
        last_change=last,
    )


def worst(results: Sequence[WeatherResult]) -> WeatherResult:
    """§1 "Several simultaneous targets → the indicator shows the worst single result".

    Only rated targets take part; the indicator has no evaluation only when none of its
    targets could be rated.
    """
    rated = [r for r in results if r.weather is not Weather.NONE]
    weather = min((r.weather for r in rated), key=lambda w: w.code, default=Weather.NONE)
    return WeatherResult(
        weather,
        WeatherRule.WORST_OF,
        both(lambda lang: _text_worst(results, weather, lang)),
        parts=tuple(results),
    )


def rate_weather(
    series: Series,
    targets: Target | Sequence[Target],
    report_period: float | None = None,
    series_starts: float | None = None,
) -> WeatherResult:
    """The weather symbol of one indicator series for the report period (default: its last
    period), by the rules of METHODS.md §1 in the order of that section."""
    if isinstance(targets, Sequence):
        if not targets:
            raise ValueError("rate_weather needs at least one target")
        results = [rate_weather(series, t, report_period, series_starts) for t in targets]
        return results[0] if len(results) == 1 else worst(results)
    window = rating_window(series, report_period, series_starts)
    if window is None:
        available = len(usable_points(series, report_period, series_starts))
        return WeatherResult(
            Weather.NONE,
            WeatherRule.TOO_FEW_POINTS,
            both(lambda lang: _text_too_few(available, report_period, series_starts, lang)),
        )
    req = requirement(targets, series, window.end.period)
    if req.rule is WeatherRule.DIRECTION:
        return rate_direction(window, req)
    if req.rule is WeatherRule.LIMIT:
        return rate_limit(window, req)
    return rate_target_year(window, req)


# --- explanations --------------------------------------------------------------------------


def _value(x: float, lang: Lang) -> str:
    return text.number(x, lang, significant=6)


def _projection(x: float, lang: Lang) -> str:
    return text.number(x, lang, significant=4)


def _change(x: float, lang: Lang) -> str:
    return text.number(x, lang, significant=3, signed=True)


def _target(req: Requirement, lang: Lang) -> str:
    assert req.comparator is not None and req.value is not None
    return f"{req.comparator.symbol} {_value(req.value, lang)}"


def _rating(weather: Weather, lang: Lang) -> str:
    return (
        f"Bewertung: {weather.label(lang)}" if lang is Lang.DE else f"Rating: {weather.label(lang)}"
    )


def _text_too_few(
    available: int, report_period: float | None, series_starts: float | None, lang: Lang
) -> str:
    until = "" if report_period is None else text.period(report_period, lang)
    if lang is Lang.DE:
        where = f"bis {until} liegen {available} vor" if until else f"vorhanden sind {available}"
        after = (
            ""
            if series_starts is None
            else f" (ab {text.period(series_starts, lang)}, nach einem Bruch der Zeitreihe)"
        )
        return (
            f"Keine Bewertung möglich: Das Wettersymbol braucht mindestens {MIN_POINTS} Werte, "
            f"{where}{after}."
        )
    where = f"up to {until} there are {available}" if until else f"there are {available}"
    after = (
        ""
        if series_starts is None
        else f" (from {text.period(series_starts, lang)} on, after a break in the time series)"
    )
    return (
        f"No evaluation possible: the weather symbol needs at least {MIN_POINTS} values; "
        f"{where}{after}."
    )


def _text_target_year_away(window: Window, req: Requirement, a: float, lang: Lang) -> str:
    assert req.year is not None
    t, x_t = window.end
    years = text.span(window.start.period, t, lang)
    if lang is Lang.DE:
        how = "also vom Ziel weg" if a != 0 else "also gar nicht"
        wanted = "steigenden" if req.direction is Direction.INCREASE else "sinkenden"
        return (
            f"Der Wert ({_value(x_t, lang)} im Jahr {text.period(t, lang)}) hat sich in den "
            f"Jahren {years} im Mittel um {_change(a, lang)} pro Jahr verändert, {how}; das "
            f"Ziel für {text.period(req.year, lang)} ({_target(req, lang)}) verlangt einen "
            f"{wanted} Wert. {_rating(Weather.THUNDER, lang)}."
        )
    how = "i.e. away from the target" if a != 0 else "i.e. not at all"
    wanted = "rising" if req.direction is Direction.INCREASE else "falling"
    return (
        f"The value ({_value(x_t, lang)} in {text.period(t, lang)}) changed by "
        f"{_change(a, lang)} per year on average over the years {years}, {how}; the "
        f"{text.period(req.year, lang)} target ({_target(req, lang)}) requires a {wanted} "
        f"value. {_rating(Weather.THUNDER, lang)}."
    )


def _text_projection(
    window: Window,
    req: Requirement,
    a: float,
    projection: float,
    shortfall: float,
    gap: float,
    weather: Weather,
    lang: Lang,
) -> str:
    assert req.year is not None
    t, x_t = window.end
    years = text.span(window.start.period, t, lang)
    year = text.period(req.year, lang)
    outcome, band = _outcome(shortfall, gap, weather, lang)
    if lang is Lang.DE:
        return (
            f"Bei Fortsetzung der Entwicklung der Jahre {years} (im Mittel {_change(a, lang)} "
            f"pro Jahr) würde das Ziel für {year} ({_target(req, lang)}) {outcome}: "
            f"Hochrechnung für {year} {_projection(projection, lang)}, Wert {text.period(t, lang)} "
            f"{_value(x_t, lang)}. {_rating(weather, lang)} ({band})."
        )
    return (
        f"If the trend of the years {years} (on average {_change(a, lang)} per year) "
        f"continues, the {year} target ({_target(req, lang)}) would be {outcome}: projection "
        f"for {year} {_projection(projection, lang)}, value {text.period(t, lang)} "
        f"{_value(x_t, lang)}. {_rating(weather, lang)} ({band})."
    )


def _outcome(shortfall: float, gap: float, weather: Weather, lang: Lang) -> tuple[str, str]:
    """How far the projection misses the target, and the band of §1(a) this falls in."""
    if shortfall == 0:
        if lang is Lang.DE:
            return "erreicht", "Ziel erreicht"
        return "reached", "target reached"
    share = text.percent(shortfall / gap, lang, thresholds=(SUN_SHORTFALL, PARTLY_SHORTFALL))
    if lang is Lang.DE:
        return f"um {share} der Differenz verfehlt", {
            Weather.SUN: "Verfehlung unter 5 % der Differenz",
            Weather.PARTLY: "Verfehlung 5 bis 20 % der Differenz",
            Weather.CLOUD: "Verfehlung über 20 % der Differenz",
        }[weather]
    return f"missed by {share} of the gap", {
        Weather.SUN: "shortfall below 5 % of the gap",
        Weather.PARTLY: "shortfall 5 to 20 % of the gap",
        Weather.CLOUD: "shortfall above 20 % of the gap",
    }[weather]


def _limit_intro(req: Requirement, t: float, reason: LimitReason | None, lang: Lang) -> str:
    year = "" if req.year is None else text.period(req.year, lang)
    target = _target(req, lang)
    if reason is LimitReason.REACHED_EARLY:
        if lang is Lang.DE:
            return (
                f"Das Ziel für {year} ({target}) ist {text.period(t, lang)} schon erreicht; ab "
                "jetzt gilt es als Grenze, die jedes Jahr einzuhalten ist. "
            )
        return (
            f"The {year} target ({target}) is already met in {text.period(t, lang)}; from now "
            "on it counts as a limit to be kept every year. "
        )
    if reason is LimitReason.TARGET_YEAR_DUE:
        if lang is Lang.DE:
            return (
                f"Das Zieljahr {year} ist erreicht; das Ziel ({target}) gilt als Grenze, die "
                "jedes Jahr einzuhalten ist. "
            )
        return (
            f"The target year {year} has come; the target ({target}) counts as a limit to be "
            "kept every year. "
        )
    return ""


def _text_limit(
    window: Window,
    req: Requirement,
    a: float,
    weather: Weather,
    reason: LimitReason | None,
    lang: Lang,
) -> str:
    t, x_t = window.end
    years = text.span(window.start.period, t, lang)
    towards = a * req.direction.sign
    intro = _limit_intro(req, t, reason, lang)
    if lang is Lang.DE:
        kept = "eingehalten" if req.met_by(x_t) else "nicht eingehalten"
        trend = (
            "in Richtung einer Verbesserung"
            if towards > 0
            else "in Richtung einer Verschlechterung"
            if towards < 0
            else "also gar nicht"
        )
        return (
            f"{intro}Die Grenze {_target(req, lang)} ist {text.period(t, lang)} {kept} (Wert "
            f"{_value(x_t, lang)}); im Mittel der Jahre {years} veränderte sich der Wert um "
            f"{_change(a, lang)} pro Jahr, {trend}. {_rating(weather, lang)}."
        )
    kept = "kept" if req.met_by(x_t) else "not kept"
    trend = (
        "towards an improvement"
        if towards > 0
        else "towards a deterioration"
        if towards < 0
        else "i.e. not at all"
    )
    return (
        f"{intro}The limit {_target(req, lang)} is {kept} in {text.period(t, lang)} (value "
        f"{_value(x_t, lang)}); over the years {years} the value changed by {_change(a, lang)} "
        f"per year on average, {trend}. {_rating(weather, lang)}."
    )


def _text_direction(
    window: Window, req: Requirement, a: float, last: float, weather: Weather, lang: Lang
) -> str:
    years = text.span(window.start.period, window.end.period, lang)
    last_years = text.span(window.points[-2].period, window.end.period, lang)
    wanted = req.direction.label(lang)

    def judged(change: float) -> str:
        towards = change * req.direction.sign
        if lang is Lang.DE:
            return (
                "in die gewünschte Richtung"
                if towards > 0
                else "in die falsche Richtung"
                if towards < 0
                else "gar nicht"
            )
        return (
            "in the desired direction"
            if towards > 0
            else "in the wrong direction"
            if towards < 0
            else "not at all"
        )

    if lang is Lang.DE:
        return (
            f"Gewünscht ist ein {wanted}. Im Mittel der Jahre {years} veränderte er sich um "
            f"{_change(a, lang)} pro Jahr ({judged(a)}), zuletzt ({last_years}) um "
            f"{_change(last, lang)} ({judged(last)}). {_rating(weather, lang)}."
        )
    return (
        f"{wanted.capitalize()} is desired. Over the years {years} it changed by "
        f"{_change(a, lang)} per year on average ({judged(a)}), most recently ({last_years}) "
        f"by {_change(last, lang)} ({judged(last)}). {_rating(weather, lang)}."
    )


def _text_worst(results: Sequence[WeatherResult], weather: Weather, lang: Lang) -> str:
    labels = ", ".join(r.weather.label(lang) for r in results)
    parts = " ".join(
        f"({number}) {getattr(r.explanation, lang.value)}"
        for number, r in enumerate(results, start=1)
    )
    if lang is Lang.DE:
        return (
            f"Es gelten {len(results)} Ziele gleichzeitig ({labels}); gezeigt wird das "
            f"schlechteste bewertete Einzelergebnis. {_rating(weather, lang)}. {parts}"
        )
    return (
        f"{len(results)} targets apply at the same time ({labels}); the worst rated single "
        f"result is shown. {_rating(weather, lang)}. {parts}"
    )

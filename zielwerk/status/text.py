"""Plain-language texts of the status engine: numbers, periods and dates in German and English.

Every explanation is built twice from the same numbers, once per language, so that the German
and the English text can never tell different stories. German uses the decimal comma and the
dot as thousands separator, English the decimal point and the comma; both use the real minus
sign, which screen readers announce as "minus".
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

MINUS = "\N{MINUS SIGN}"
EN_DASH = "\N{EN DASH}"


class Lang(StrEnum):
    DE = "de"
    EN = "en"


@dataclass(frozen=True)
class Explanation:
    """The same statement in German and in English."""

    de: str
    en: str


def both(build: Callable[[Lang], str]) -> Explanation:
    """Build a text once per language from the same numbers."""
    return Explanation(de=build(Lang.DE), en=build(Lang.EN))


DISCLAIMER = Explanation(
    de=(
        "Das Symbol ist keine politische Bewertung und keine Prognose. Es zeigt, wohin die "
        "bisherige Entwicklung führen würde, wenn sie sich unverändert fortsetzte."
    ),
    en=(
        "The symbol is no political judgement and no forecast. It shows where the development "
        "so far would lead if it continued unchanged."
    ),
)


def number(value: float, lang: Lang, *, significant: int = 4, signed: bool = False) -> str:
    """A measured value rounded to a few significant digits, in the reader's notation."""
    if value == 0:
        return "0"
    decimals = max(0, significant - 1 - math.floor(math.log10(abs(value))))
    return _render(value, decimals, lang, signed=signed, strip=True)


def fixed(value: float, lang: Lang, *, decimals: int) -> str:
    """A value with a fixed number of decimals (scores, which readers compare with each other)."""
    return _render(value, decimals, lang, signed=False, strip=False)


def percent(
    ratio: float,
    lang: Lang,
    *,
    decimals: int = 1,
    signed: bool = False,
    thresholds: tuple[float, ...] = (),
) -> str:
    """A ratio as percent.

    More decimals are shown when the given ones would round the value onto a threshold it is
    not on (4.96 % is not "5.0 %" when the rule says "below 5 %").
    """
    value = ratio * 100
    while decimals < 6 and any(
        round(value, decimals) == round(t * 100, 9) != round(value, 9) for t in thresholds
    ):
        decimals += 1
    return _render(value, decimals, lang, signed=signed, strip=False) + " %"


def _render(value: float, decimals: int, lang: Lang, *, signed: bool, strip: bool) -> str:
    digits = f"{abs(value):,.{decimals}f}"
    if strip and "." in digits:
        digits = digits.rstrip("0").rstrip(".")
    if lang is Lang.DE:
        digits = digits.replace(",", "\0").replace(".", ",").replace("\0", ".")
    if round(abs(value), decimals) == 0:
        return digits
    if value < 0:
        return MINUS + digits
    return "+" + digits if signed else digits


def period(value: float, lang: Lang) -> str:
    """A period (year, or a fraction of a year such as 2023.5 for the second half-year)."""
    if float(value).is_integer():
        return str(int(value))
    written = f"{value:.4f}".rstrip("0")
    return written.replace(".", ",") if lang is Lang.DE else written


def span(start: float, end: float, lang: Lang) -> str:
    return f"{period(start, lang)}{EN_DASH}{period(end, lang)}"


MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def date(value: datetime.date, lang: Lang) -> str:
    if lang is Lang.DE:
        return f"{value.day}.{value.month}.{value.year}"
    return f"{value.day} {MONTHS_EN[value.month - 1]} {value.year}"

"""Reading single cells of value files as people and statistical offices write them:
German or English decimals, periods such as "2019-2020", "2015 Q4" or "2022/1", and the
placeholders of official tables ("…" not yet available, "." unknown, "x" withheld)."""

from __future__ import annotations

import math
import re

PLACEHOLDERS = frozenset({"", "…", "...", ".", "x", "X", "-", "–", "/", "NA", "N/A", "n/a"})

_GERMAN_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_PERIODS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(\d{4})$"), "year"),
    # A range or a fiscal year counts as its first year: 2019-2020, 2019/20.
    (re.compile(r"^(\d{4})\s*[-–/]\s*(\d{4}|\d{2})$"), "range"),
    # Half-years as Destatis writes them (2022/1) and in SDMX notation (2022-S1, 2022H1).
    (re.compile(r"^(\d{4})\s*(?:/|-?\s*[SsHh])\s*([12])$"), "half"),
    (re.compile(r"^(\d{4})\s*-?\s*[Qq]([1-4])$"), "quarter"),
    # Months in SDMX notation, which the Open SDG export writes: 2024M03.
    (re.compile(r"^(\d{4})M(0[1-9]|1[0-2])$"), "month"),
]


def parse_number(text: str) -> float | None:
    """A finite number, or None. A comma is a German decimal comma ("1.234,5")."""
    if text.isascii() and text.replace(".", "", 1).replace("-", "", 1).isdigit():
        # The common case of a plain number, without the checks below.
        return float(text)
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace("−", "-")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif _GERMAN_THOUSANDS.match(cleaned) and cleaned.count(".") > 1:
        cleaned = cleaned.replace(".", "")
    if not cleaned or "_" in cleaned:
        return None
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def parse_period(text: str) -> tuple[int, int] | None:
    """(year, month) of a period; month 0 for a whole year, otherwise the period's first month."""
    if len(text) == 4 and text.isdigit():
        return int(text), 0
    cleaned = text.strip()
    for pattern, kind in _PERIODS:
        match = pattern.match(cleaned)
        if match is None:
            continue
        year = int(match.group(1))
        if kind == "year":
            return year, 0
        if kind == "range":
            return (year, 0) if _closes_range(year, match.group(2)) else None
        part = int(match.group(2))
        return year, {"half": 6 * (part - 1) + 1, "quarter": 3 * (part - 1) + 1}.get(kind, part)
    return None


def _closes_range(start: int, end: str) -> bool:
    """Whether end closes a range of at most ten years after start ("2019-13" does not)."""
    last = int(end) if len(end) == 4 else start - start % 100 + int(end)
    if len(end) == 2 and last <= start:
        last += 100
    return start < last <= start + 10


def format_period(year: int, month: int) -> str:
    return f"{year}M{month:02d}" if month else str(year)


def format_number(value: float) -> str:
    """The shortest text that reads back as the same float."""
    text = repr(value)
    return text[:-2] if text.endswith(".0") else text

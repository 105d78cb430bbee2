"""The Open SDG data format: `data/indicator_<id>.csv` with metadata in `meta/<id>.md`.

Import reads a whole data folder or a single file, as the German sustainability indicators
(Destatis) and the Canadian Indicator Framework publish them: columns Year and Value, flag
columns COMMENT_OBS_0, COMMENT_OBS_1, … and every other column a disaggregation (Units, Series
and GeoCode included, so a series is addressed exactly by the CSV values that select it).
Cells and headers written as `data.<key>` are resolved with `translations/en/data.yml`. Rows
without a value ("…", ".", empty — the target-year rows of the DNS) are skipped with a note.
The whole folder is checked first; only a clean folder is stored.

Export writes the approved values of an indicator back in the same layout, with a small
metadata file from which an import can recreate the indicator; export → import → export gives
identical files."""

from __future__ import annotations

import csv
import html
import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zielwerk.indicators.cells import (
    PLACEHOLDERS,
    format_number,
    format_period,
    parse_number,
    parse_period,
)
from zielwerk.indicators.disaggregation import canonical, column_order
from zielwerk.indicators.models import Direction, Indicator, Value
from zielwerk.indicators.values import (
    ImportResult,
    ValueRow,
    ValuesError,
    clean_flags,
    row_problems,
    store_values,
)

FILE_PATTERN = re.compile(r"^indicator_([A-Za-z0-9_-]+)\.csv$")
CODE_MAX_LENGTH = Indicator._meta.get_field("code").max_length
YEAR, VALUE, COMMENT = "Year", "Value", "COMMENT_OBS"
# Open SDG's default when a progress calculation names no direction.
OPEN_SDG_DEFAULT_DIRECTION = Direction.DECREASE
FORMAT = "opensdg"


@dataclass
class ParsedFile:
    path: Path
    code: str
    # (line, year, month, disaggregation, value, flags, note)
    rows: list[tuple[int, int, int, dict[str, str], float, str, str]] = field(default_factory=list)
    units: set[str] = field(default_factory=set)


class _Translations:
    """`data.<key>` cells of the CIF become the English text of <key>."""

    def __init__(self, root: Path) -> None:
        path = root / "translations" / "en" / "data.yml"
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
        self.texts = {str(k): str(v) for k, v in (loaded or {}).items()}
        self.missing: Counter[str] = Counter()

    def __call__(self, text: str) -> str:
        if not text.startswith("data."):
            return text
        key = text.removeprefix("data.")
        if key not in self.texts:
            # Without a translation sdg-build shows the key itself.
            self.missing[key] += 1
            return key
        return self.texts[key]


def _layout(path: Path) -> tuple[Path, list[Path]]:
    """The folder holding meta/ and translations/, and the data files to read."""
    if path.is_dir():
        data = path / "data" if (path / "data").is_dir() else path
        files = sorted(p for p in data.iterdir() if FILE_PATTERN.match(p.name))
    else:
        data, files = path.parent, [path]
    root = data.parent if data.name == "data" else data
    return root, files


def read_folder(path: Path) -> tuple[list[ParsedFile], list[str], list[str]]:
    """Every data file under path, parsed; (files, errors, notes)."""
    root, files = _layout(path)
    errors: list[str] = []
    notes: list[str] = []
    if not files:
        errors.append(
            _("%(path)s: keine Dateien „indicator_<Kennung>.csv“ gefunden.") % {"path": path}
        )
    try:
        translate = _Translations(root)
    except (yaml.YAMLError, OSError) as error:
        raise ValuesError(
            [_("translations/en/data.yml ist nicht lesbar: %(error)s") % {"error": error}]
        ) from error
    parsed = [_read_file(file, translate, errors, notes) for file in files]
    if translate.missing:
        notes.append(
            _("Ohne Übersetzung, der Schlüssel selbst übernommen: %(keys)s")
            % {"keys": ", ".join(f"„{key}“" for key in sorted(translate.missing))}
        )
    return [p for p in parsed if p is not None], errors, notes


def _read_file(
    path: Path, translate: _Translations, errors: list[str], notes: list[str]
) -> ParsedFile | None:
    match = FILE_PATTERN.match(path.name)
    if match is None or len(match.group(1)) > CODE_MAX_LENGTH:
        errors.append(
            _("%(file)s: Der Dateiname muss „indicator_<Kennung>.csv“ lauten.")
            % {"file": path.name}
        )
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        errors.append(
            _("%(file)s: nicht lesbar (%(error)s).") % {"file": path.name, "error": error}
        )
        return None
    parsed = ParsedFile(path, match.group(1))
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [translate(name.strip()) for name in next(reader, [])]
    where = path.name
    missing = [name for name in (YEAR, VALUE) if name not in header]
    doubled = sorted(name for name, count in Counter(header).items() if count > 1)
    if missing or doubled:
        errors += [
            _("%(file)s, Zeile 1: Die Spalte „%(column)s“ fehlt.") % {"file": where, "column": name}
            for name in missing
        ]
        errors += [
            _("%(file)s, Zeile 1: Die Spalte „%(column)s“ steht mehrmals da.")
            % {"file": where, "column": name}
            for name in doubled
        ]
        return None
    year_at, value_at = header.index(YEAR), header.index(VALUE)
    comments = [i for i, name in enumerate(header) if name.upper().startswith(COMMENT)]
    columns = [
        (i, name) for i, name in enumerate(header) if i not in (year_at, value_at, *comments)
    ]
    pick = _picker([i for i, _name in columns])
    cells: dict[tuple[str, ...], tuple[dict[str, str], str]] = {}
    lines: dict[tuple[int, int, str], int] = {}
    skipped = 0
    for row in reader:
        line = reader.line_num
        if not row:
            continue
        if len(row) != len(header):
            errors.append(
                _("%(file)s, Zeile %(line)d: %(found)d statt %(expected)d Spalten.")
                % {"file": where, "line": line, "found": len(row), "expected": len(header)}
            )
            continue
        raw_value = row[value_at].strip()
        if raw_value in PLACEHOLDERS:
            skipped += 1
            continue
        problems = []
        period = parse_period(row[year_at])
        if period is None:
            problems.append((YEAR, _("„%(text)s“ ist keine Jahresangabe") % {"text": row[year_at]}))
        number = parse_number(raw_value)
        if number is None:
            problems.append((VALUE, _("„%(text)s“ ist keine Zahl") % {"text": raw_value}))
        errors += [
            _("%(file)s, Zeile %(line)d, Spalte „%(column)s“: %(problem)s.")
            % {"file": where, "line": line, "column": column, "problem": problem}
            for column, problem in problems
        ]
        if period is None or number is None:
            continue
        labels = pick(row)
        known = cells.get(labels)
        if known is None:
            known = cells[labels] = canonical(
                {name: translate(row[i].strip()) for i, name in columns}
            )
        disaggregation, key = known
        marks = [row[i].strip() for i in comments]
        flags, notes_in_row = _comments(marks) if any(marks) else ("", "")
        year, month = period
        for problem in row_problems(year, month, number, flags, key, "", notes_in_row):
            errors.append(
                _("%(file)s, Zeile %(line)d: %(problem)s")
                % {"file": where, "line": line, "problem": problem}
            )
        earlier = lines.setdefault((year, month, key), line)
        if earlier != line:
            errors.append(
                _(
                    "%(file)s, Zeile %(line)d: derselbe Zeitraum und dieselbe Aufgliederung wie "
                    "in Zeile %(earlier)d."
                )
                % {"file": where, "line": line, "earlier": earlier}
            )
        parsed.rows.append((line, year, month, disaggregation, number, flags, notes_in_row))
    parsed.units = {d["Units"] for d, _key in cells.values() if "Units" in d}
    if skipped:
        notes.append(
            ngettext(
                "%(file)s: %(count)d Zeile ohne Wert übersprungen (leer oder Platzhalter).",
                "%(file)s: %(count)d Zeilen ohne Wert übersprungen (leer oder Platzhalter).",
                skipped,
            )
            % {"file": where, "count": skipped}
        )
    return parsed


def _picker(indices: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    """The cells at indices as a tuple, quickly: this runs for every value of a file."""
    if len(indices) > 1:
        return itemgetter(*indices)
    if indices:
        return lambda row: (row[indices[0]],)
    return lambda row: ()


def _comments(cells: list[str]) -> tuple[str, str]:
    """Short symbols in COMMENT_OBS columns are flags (r, p, s, |, …); longer text is a note."""
    symbols = [cell for cell in cells if cell and len(cell) <= 3 and " " not in cell]
    texts = [cell for cell in cells if cell and cell not in symbols]
    return clean_flags("".join(symbols)), "; ".join(texts)


# --- metadata ---------------------------------------------------------------------------------


def read_meta(path: Path) -> dict[str, Any]:
    """The YAML front matter of a meta/<id>.md file."""
    text = path.read_text(encoding="utf-8-sig")
    match = re.match(r"^---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(\r?\n|$)", text, re.S)
    data = yaml.safe_load(match.group(1) if match else text)
    if not isinstance(data, dict):
        raise ValueError(_("keine Metadaten im YAML-Kopf"))
    return data


def _plain(text: Any) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", str(text or ""))).strip()


def _url(text: Any) -> str:
    url = str(text or "").strip()
    try:
        URLValidator()(url)
    except ValidationError:
        return ""
    return url if len(url) <= Indicator._meta.get_field("source_url").max_length else ""


def indicator_from_meta(code: str, meta: dict[str, Any], units: set[str]) -> tuple[Indicator, bool]:
    """A new indicator described by Open SDG metadata, and whether its direction was assumed
    (Open SDG's default) because the metadata name none."""
    options = meta.get("progress_calculation_options") or [{}]
    option = options[0] if isinstance(options, list) and isinstance(options[0], dict) else {}
    direction = {"positive": Direction.INCREASE, "negative": Direction.DECREASE}.get(
        option.get("direction")
    )
    assumed = direction is None
    if assumed:
        direction = OPEN_SDG_DEFAULT_DIRECTION
    if "zielwerk_method" in meta:
        method = meta["zielwerk_method"]
    elif "progress_calculation_options" in meta:
        method = Indicator.Method.CAGR
    else:
        method = Indicator.Method.WEATHER
    name = _plain(meta.get("indicator_name") or meta.get("graph_title") or code)
    unit = _plain(meta.get("computation_units")) or (next(iter(units)) if len(units) == 1 else "")
    indicator = Indicator(
        code=code,
        name=name[: Indicator._meta.get_field("name").max_length],
        definition=_plain(
            meta.get("national_indicator_description") or meta.get("dns_indicator_definition")
        ),
        unit=unit[: Indicator._meta.get_field("unit").max_length],
        source=_plain(meta.get("source_organisation_1"))[:300],
        source_url=_url(meta.get("source_url_1")),
        direction=direction,
        method=method,
        base_year=option.get("base_year") or Indicator._meta.get_field("base_year").default,
        natural_limit=option.get("limit"),
    )
    if "zielwerk_decimals" in meta:
        indicator.decimals = meta["zielwerk_decimals"]
    if "zielwerk_series_starts" in meta:
        indicator.series_starts = meta["zielwerk_series_starts"]
    try:
        indicator.full_clean(exclude=["owner", "operative_goals"], validate_unique=False)
    except ValidationError as error:
        raise ValueError(
            "; ".join(f"{k}: {', '.join(v)}" for k, v in error.message_dict.items())
        ) from error
    return indicator, assumed


# --- import -----------------------------------------------------------------------------------


def import_opensdg(
    path: str | Path,
    *,
    create_indicators: bool = False,
    approve: bool = False,
    user: AbstractBaseUser | AnonymousUser | None = None,
    source: str = "",
    revision_reason: str = "",
) -> ImportResult:
    """Import a data folder or one data file; all or nothing (ValuesError lists every problem).

    Files are matched to indicators by code. With create_indicators unknown codes become new
    indicators described by meta/<id>.md; otherwise they are errors. `revision_reason` allows
    changes of closed reporting years (store_values)."""
    path = Path(path)
    files, errors, notes = read_folder(path)
    root = _layout(path)[0]
    known = {i.code: i for i in Indicator.objects.filter(code__in=[f.code for f in files])}
    new: list[Indicator] = []
    assumed_direction: list[str] = []
    for parsed in files:
        if parsed.code in known:
            continue
        if not create_indicators:
            errors.append(
                _(
                    "%(file)s: Den Indikator „%(code)s“ gibt es nicht. Legen Sie ihn zuerst an "
                    "oder lassen Sie ihn beim Import anlegen."
                )
                % {"file": parsed.path.name, "code": parsed.code}
            )
            continue
        meta_path = root / "meta" / f"{parsed.code}.md"
        try:
            meta = read_meta(meta_path) if meta_path.is_file() else {}
            indicator, assumed = indicator_from_meta(parsed.code, meta, parsed.units)
            if assumed:
                assumed_direction.append(parsed.code)
        except (ValueError, yaml.YAMLError, OSError) as error:
            errors.append(_("meta/%(code)s.md: %(error)s") % {"code": parsed.code, "error": error})
            continue
        if not meta:
            notes.append(
                _("%(code)s: keine Metadaten gefunden; Kennung als Name übernommen.")
                % {"code": parsed.code}
            )
        new.append(indicator)
    if assumed_direction:
        notes.append(
            _(
                "Keine Richtung in den Metadaten von %(codes)s; angenommen „%(label)s“ "
                "(Voreinstellung von Open SDG) – bitte prüfen."
            )
            % {"codes": ", ".join(assumed_direction), "label": OPEN_SDG_DEFAULT_DIRECTION.label}
        )
    if new and user is not None and not user.has_perm("indicators.add_indicator"):
        errors.append(_("Indikatoren anlegen darf nur die Strategiestelle."))
    if errors:
        raise ValuesError(errors)
    with transaction.atomic():
        # In bulk: a first import may bring a thousand indicators.
        Indicator.objects.bulk_create(new)
        Indicator.history.bulk_history_create(
            new,
            default_user=user if user and user.is_authenticated else None,
            default_change_reason=_("Open-SDG-Import"),
        )
        known.update((indicator.code, indicator) for indicator in new)
        rows = [
            ValueRow(
                indicator=known[parsed.code],
                year=year,
                month=month,
                disaggregation=disaggregation,
                value=number,
                flags=flags,
                note=note,
                source=source,
            )
            for parsed in files
            for _line, year, month, disaggregation, number, flags, note in parsed.rows
        ]
        summary = store_values(
            rows,
            source_name=path.name,
            user=user,
            file_format=FORMAT,
            approve=approve,
            revision_reason=revision_reason,
        )
    return ImportResult(summary, notes, new)


# --- export -----------------------------------------------------------------------------------


def export_csv(indicator: Indicator) -> str:
    """The approved values of the indicator as the text of data/indicator_<code>.csv."""
    values = sorted(
        Value.objects.filter(indicator=indicator, state=Value.State.APPROVED).values_list(
            "year", "month", "disaggregation", "value", "flags", "disaggregation_key"
        ),
        # Headline rows first, then the finer breakdowns, each series in time order.
        key=lambda v: (len(v[2]), v[5], v[0], v[1]),
    )
    names = column_order({name for v in values for name in v[2]})
    width = max((len(v[4]) for v in values), default=0)
    comments = [f"{COMMENT}_{i}" for i in range(width)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([YEAR, *names, *comments, VALUE])
    for year, month, disaggregation, number, flags, _key in values:
        writer.writerow(
            [
                format_period(year, month),
                *(disaggregation.get(name, "") for name in names),
                *(flags[i] if i < len(flags) else "" for i in range(width)),
                format_number(number),
            ]
        )
    return out.getvalue()


def export_meta(indicator: Indicator) -> str:
    """Metadata in Open SDG terms, plus what zielwerk needs to recreate the indicator."""
    option: dict[str, Any] = {
        "direction": "positive" if indicator.direction == Direction.INCREASE else "negative",
        "base_year": indicator.base_year,
    }
    if indicator.natural_limit is not None:
        option["limit"] = indicator.natural_limit
    meta: dict[str, Any] = {
        "indicator_name": indicator.name,
        "computation_units": indicator.unit,
        "national_indicator_description": indicator.definition,
        "source_organisation_1": indicator.source,
        "source_url_1": indicator.source_url,
        "progress_calculation_options": [option],
        "zielwerk_method": indicator.method,
        "zielwerk_decimals": indicator.decimals,
        "zielwerk_series_starts": indicator.series_starts,
    }
    meta = {k: v for k, v in meta.items() if v not in ("", None)}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=False)
    return f"---\n{front}---\n"


def export_opensdg(indicators: list[Indicator], folder: str | Path) -> list[Path]:
    """Write data/indicator_<code>.csv and meta/<code>.md for each indicator; the written
    files."""
    folder = Path(folder)
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "meta").mkdir(exist_ok=True)
    written = []
    for indicator in indicators:
        data = folder / "data" / f"indicator_{indicator.code}.csv"
        meta = folder / "meta" / f"{indicator.code}.md"
        data.write_text(export_csv(indicator), encoding="utf-8", newline="")
        meta.write_text(export_meta(indicator), encoding="utf-8", newline="")
        written += [data, meta]
    return written

"""Exchange format "zielwerk-goals" (version 1): a whole edition of the goal system as one file.

The export holds no database ids or timestamps, so the same goal system always gives the same
bytes and a file can be compared, versioned and moved between installations. The import checks
the whole document first (JSON Schema plus the rules a schema cannot express) and reports every
problem at once; only a clean document is stored, through goals.importing.store_fields like an
SEK chapter. The format is described in docs/exchange-format.md."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from django.db import transaction
from jsonschema import Draft202012Validator, ValidationError

from zielwerk.goals.importing import GoalImportError, ImportSummary, store_fields
from zielwerk.goals.models import Edition, Field
from zielwerk.goals.sek_parser import (
    CrossReferenceText,
    FieldText,
    OperativeGoalText,
    StrategicGoalText,
)
from zielwerk.goals.translations import (
    CROSS_REFERENCES,
    ENGLISH,
    TranslationError,
    store_translations,
)
from zielwerk.org.models import OrgUnit

FORMAT_NAME = "zielwerk-goals"
FORMAT_VERSION = 1
SCHEMA_PATH = Path(__file__).parent / "data" / "goals-format-v1.schema.json"

Format = Literal["json", "yaml"]
FORMATS: tuple[Format, ...] = ("json", "yaml")
SUFFIXES: dict[str, Format] = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}

SLUG_PATTERN = "^[-a-zA-Z0-9_]+$"
EDITION_NAME_MAX_LENGTH = 60

TYPE_NAMES = {
    "string": "Text",
    "integer": "ganze Zahl",
    "number": "Zahl",
    "boolean": "Wahrheitswert (true/false)",
    "null": "null",
    "array": "Liste",
    "object": "Objekt",
}

# Python's JSON parser explains in English; these are the problems a hand-edited file has.
JSON_PROBLEMS = {
    "Expecting value": "Wert erwartet",
    "Expecting ',' delimiter": "Komma erwartet",
    "Expecting ':' delimiter": "Doppelpunkt erwartet",
    "Expecting property name enclosed in double quotes": (
        "Schlüssel in doppelten Anführungszeichen erwartet (oder ein Komma zu viel)"
    ),
    "Unterminated string starting at": "Text ohne schließendes Anführungszeichen",
    "Extra data": "weiterer Inhalt nach dem Ende des Dokuments",
    "Invalid control character at": "unzulässiges Steuerzeichen",
}


class ExchangeError(ValueError):
    """A document that cannot be read or stored; nothing was changed. Holds every problem."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class DocumentImport:
    summary: ImportSummary
    created_units: list[str]


# --- export -------------------------------------------------------------------------------


def export_edition(edition: Edition) -> dict[str, Any]:
    """The edition as a version-1 document: plain dicts and lists, ready for dump()."""
    fields = list(
        edition.fields.order_by("number").prefetch_related(
            "responsible_units",
            "feedback",
            "strategic_goals__responsible_units",
            "strategic_goals__cross_references",
            "strategic_goals__operative_goals__responsible_units",
        )
    )
    unit_ids: set[int] = set()
    for f in fields:
        unit_ids.update(u.pk for u in f.responsible_units.all())
        for sg in f.strategic_goals.all():
            unit_ids.update(u.pk for u in sg.responsible_units.all())
            for og in sg.operative_goals.all():
                unit_ids.update(u.pk for u in og.responsible_units.all())
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "edition": {
            "name": edition.name,
            "title": edition.title,
            "city": edition.city,
            "description": edition.description,
        },
        "organisation_units": [_export_unit(u) for u in _units_parents_first(unit_ids)],
        "fields": [_export_field(f) for f in fields],
    }


def _codes(obj) -> list[str]:
    return sorted(u.code for u in obj.responsible_units.all())


def _english(obj, name: str) -> dict[str, str]:
    """The optional English key beside a German one; left out while there is no translation,
    so that a goal system without English texts gives the same file as before they existed."""
    text = getattr(obj, f"{name}{ENGLISH}")
    return {f"{name}{ENGLISH}": text} if text else {}


def _export_field(f: Field) -> dict[str, Any]:
    return {
        "number": f.number,
        "title": f.title,
        **_english(f, "title"),
        "title_changed": f.title_changed,
        "former_title": f.former_title,
        "structure_changed": f.structure_changed,
        "structure_change_note": f.structure_change_note,
        "leitsatz": f.leitsatz,
        **_english(f, "leitsatz"),
        "feedback": [item.text for item in f.feedback.all()],
        "responsible_units": _codes(f),
        "strategic_goals": [
            {
                "number": sg.number,
                "title": sg.title,
                **_english(sg, "title"),
                "text": sg.text,
                **_english(sg, "text"),
                "responsible_units": _codes(sg),
                "cross_references": [
                    {
                        "text": ref.text,
                        **_english(ref, "text"),
                        "target_field_number": ref.target_field_number,
                        "target_goal_number": ref.target_goal_number,
                    }
                    for ref in sg.cross_references.all()
                ],
                "operative_goals": [
                    {
                        "number": og.number,
                        "title": og.title,
                        **_english(og, "title"),
                        "text": og.text,
                        **_english(og, "text"),
                        "responsible_units": _codes(og),
                    }
                    for og in sg.operative_goals.all()
                ],
            }
            for sg in f.strategic_goals.all()
        ],
    }


def _export_unit(unit: OrgUnit) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "parent": unit.parent.code if unit.parent_id else None,
        "sample": unit.is_sample,
    }


def _units_parents_first(unit_ids: set[int]) -> list[OrgUnit]:
    """The units with all their ancestors, depth-first by code: each parent before its subtree,
    so an importer can create them in file order."""
    units: dict[int, OrgUnit] = {}
    pending = list(OrgUnit.objects.filter(pk__in=unit_ids).select_related("parent"))
    while pending:
        unit = pending.pop()
        if unit.pk not in units:
            units[unit.pk] = unit
            if unit.parent_id is not None:
                pending.append(unit.parent)
    children: dict[int | None, list[OrgUnit]] = {}
    for unit in units.values():
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[OrgUnit] = []

    def walk(parent_id: int | None) -> None:
        for unit in sorted(children.get(parent_id, []), key=lambda u: u.code):
            ordered.append(unit)
            walk(unit.pk)

    walk(None)
    return ordered


def dump(data: dict[str, Any], fmt: Format) -> str:
    """Serialise a document; the same data always gives the same text."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "yaml":
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)
    raise ValueError(f"Unbekanntes Dateiformat „{fmt}“; möglich sind: {', '.join(FORMATS)}.")


def format_for_path(path: str | Path) -> Format | None:
    return SUFFIXES.get(Path(path).suffix.lower())


# --- reading ------------------------------------------------------------------------------


def detect_format(path: str | Path, text: str) -> Format:
    """By file extension; otherwise a JSON document is recognised by its opening brace."""
    return format_for_path(path) or ("json" if text.lstrip().startswith("{") else "yaml")


def load(text: str, fmt: Format) -> dict[str, Any]:
    """Parse a document; syntax errors name line and column."""
    if fmt == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            problem = JSON_PROBLEMS.get(error.msg, error.msg)
            raise ExchangeError(
                [f"Zeile {error.lineno}, Spalte {error.colno}: kein gültiges JSON – {problem}."]
            ) from error
    else:
        try:
            data = yaml.safe_load(text)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            where = f"Zeile {mark.line + 1}, Spalte {mark.column + 1}: " if mark else ""
            raise ExchangeError(
                [f"{where}kein gültiges YAML – {error.problem or error.context}."]
            ) from error
        except yaml.YAMLError as error:
            raise ExchangeError([f"Kein gültiges YAML: {error}"]) from error
    if not isinstance(data, dict):
        raise ExchangeError(
            [
                "Dokument: erwartet wird ein Objekt mit den Schlüsseln format, version, edition, "
                "organisation_units und fields."
            ]
        )
    return data


def read_document(path: str | Path) -> dict[str, Any]:
    """Read and parse an exchange file (UTF-8, with or without BOM)."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ExchangeError(
            [f"Die Datei ist nicht UTF-8-kodiert (ungültiges Byte an Position {error.start})."]
        ) from error
    return load(text, detect_format(path, text))


# --- validation ---------------------------------------------------------------------------


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


def validate(data: Any) -> list[str]:
    """Every problem of the document, each with its path, e.g. "fields[0].title: …"; empty when
    the document can be stored. Looks up organisation units in the database."""
    if not isinstance(data, dict):
        return ["Dokument: erwartet wird ein Objekt."]
    header = _header_errors(data)
    if header:
        # A different format or version would drown the one useful message in schema noise.
        return header
    errors = [m for error in _validator().iter_errors(data) for m in _schema_messages(error)]
    errors += _semantic_errors(data)
    return list(dict.fromkeys(errors))


def _header_errors(data: dict[str, Any]) -> list[str]:
    if "format" not in data:
        return [
            f"format: fehlt – die Datei ist keine Zielwerk-Austauschdatei "
            f"(erwartet: „format“: „{FORMAT_NAME}“)."
        ]
    if data["format"] != FORMAT_NAME:
        return [
            f"format: unbekanntes Format {_show(data['format'])}; gelesen wird nur „{FORMAT_NAME}“."
        ]
    if "version" not in data:
        return [f"version: fehlt (erwartet: {FORMAT_VERSION})."]
    version = data["version"]
    if isinstance(version, bool) or version != FORMAT_VERSION:
        return [
            f"version: Version {_show(version)} des Formats „{FORMAT_NAME}“ wird nicht "
            f"unterstützt; diese Zielwerk-Version liest nur Version {FORMAT_VERSION}."
        ]
    return []


def _path(parts) -> str:
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "Dokument"


def _child(path: str, key: str) -> str:
    return key if path == "Dokument" else f"{path}.{key}"


def _show(value: Any) -> str:
    shown = json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= 60 else shown[:57] + "…"


def _schema_messages(error: ValidationError) -> list[str]:
    path = _path(error.absolute_path)
    rule, limit, value = error.validator, error.validator_value, error.instance
    if rule == "required":
        return [f"{_child(path, key)}: fehlt (Pflichtangabe)." for key in limit if key not in value]
    if rule == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        return [
            f"{_child(path, key)}: unbekannter Schlüssel (erlaubt: {', '.join(allowed)})."
            for key in value
            if key not in allowed
        ]
    if rule == "type":
        expected = " oder ".join(
            TYPE_NAMES[t] for t in ([limit] if isinstance(limit, str) else limit)
        )
        return [f"{path}: erwartet {expected}, gefunden {_show(value)}."]
    if rule == "minLength":
        return [f"{path}: ist zu kurz (mindestens {limit} Zeichen)."]
    if rule == "maxLength":
        return [f"{path}: ist zu lang ({len(value)} Zeichen, höchstens {limit})."]
    if rule == "minimum":
        return [f"{path}: {value} ist zu klein (mindestens {limit})."]
    if rule == "maximum":
        return [f"{path}: {value} ist zu groß (höchstens {limit})."]
    if rule == "enum":
        return [f"{path}: {_show(value)} ist nicht erlaubt; möglich: {', '.join(limit)}."]
    if rule == "pattern" and limit == SLUG_PATTERN:
        return [
            f"{path}: {_show(value)} enthält unzulässige Zeichen (erlaubt: Buchstaben ohne "
            "Umlaute, Ziffern, - und _)."
        ]
    if rule == "uniqueItems":
        return [f"{path}: enthält Einträge doppelt."]
    return [f"{path}: {error.message}"]


def _dicts(value: Any) -> list[tuple[int, dict]]:
    """The well-formed entries of a list; the schema check reports the others."""
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _is_number(value: Any) -> bool:
    # JSON Schema counts 2.0 as an integer, so the numbering rules must see it as one too.
    return isinstance(value, int | float) and not isinstance(value, bool)


def _sequence_errors(items: Any, path: str, what: str) -> list[str]:
    """Numbers must be 1, 2, 3, … in list order; after the first mismatch every later number
    would be off as well, so only that one is reported."""
    for i, item in _dicts(items):
        number = item.get("number")
        if _is_number(number) and number != i + 1:
            return [
                f"{path}[{i}].number: erwartet {i + 1}, gefunden {number} – die Nummern der "
                f"{what} beginnen bei 1 und steigen ohne Lücke."
            ]
    return []


def _semantic_errors(data: dict[str, Any]) -> list[str]:
    errors: list[str] = []
    units = _dicts(data.get("organisation_units"))
    references: list[tuple[str, list]] = []
    seen_fields: dict[int, int] = {}
    for i, f in _dicts(data.get("fields")):
        path = f"fields[{i}]"
        number = f.get("number")
        if _is_number(number):
            if number in seen_fields:
                errors.append(
                    f"{path}.number: Handlungsfeld {number} steht schon in "
                    f"fields[{seen_fields[number]}]."
                )
            seen_fields.setdefault(number, i)
        references.append((path, f.get("responsible_units")))
        goals = f.get("strategic_goals")
        errors += _sequence_errors(goals, f"{path}.strategic_goals", "strategischen Ziele")
        for j, sg in _dicts(goals):
            sg_path = f"{path}.strategic_goals[{j}]"
            references.append((sg_path, sg.get("responsible_units")))
            operatives = sg.get("operative_goals")
            errors += _sequence_errors(operatives, f"{sg_path}.operative_goals", "operativen Ziele")
            for k, og in _dicts(operatives):
                references.append((f"{sg_path}.operative_goals[{k}]", og.get("responsible_units")))

    referenced = {
        code
        for _, codes in references
        if isinstance(codes, list)
        for code in codes
        if isinstance(code, str)
    }
    for _, unit in units:
        referenced.update(c for c in (unit.get("code"), unit.get("parent")) if isinstance(c, str))
    in_database = set(OrgUnit.objects.filter(code__in=referenced).values_list("code", flat=True))

    in_file: dict[str, int] = {}
    for i, unit in units:
        code, parent = unit.get("code"), unit.get("parent")
        if not isinstance(code, str):
            continue
        if code in in_file:
            errors.append(
                f"organisation_units[{i}].code: „{code}“ steht schon in "
                f"organisation_units[{in_file[code]}]."
            )
        elif (
            isinstance(parent, str)
            and code not in in_database
            and parent not in in_file
            and parent not in in_database
        ):
            # Units are created in file order, so a parent has to be there already.
            errors.append(
                f"organisation_units[{i}].parent: übergeordnete Einheit „{parent}“ steht weder "
                "weiter oben in organisation_units noch in der Datenbank."
            )
        in_file.setdefault(code, i)

    for path, codes in references:
        if not isinstance(codes, list):
            continue
        for n, code in enumerate(codes):
            if isinstance(code, str) and code not in in_file and code not in in_database:
                errors.append(
                    f"{path}.responsible_units[{n}]: unbekannte Organisationseinheit „{code}“ "
                    "(steht weder in organisation_units noch in der Datenbank)."
                )
    return errors


# --- import -------------------------------------------------------------------------------


def import_document(
    data: Any,
    edition_name: str | None = None,
    replace: bool = False,
    reason: str = "Import",
) -> DocumentImport:
    """Store a document as an edition (by default the one named in it), all or nothing.

    Organisation units missing in the database are created from the document; units that
    exist (same code) are used as they are. An existing edition keeps its title, city and
    description; with replace, Handlungsfelder of the same number are replaced."""
    errors = validate(data)
    if edition_name is not None and not (
        re.fullmatch(SLUG_PATTERN, edition_name) and len(edition_name) <= EDITION_NAME_MAX_LENGTH
    ):
        errors.append(
            f"Kennung der Ausgabe: „{edition_name}“ ist ungültig (erlaubt: bis zu "
            f"{EDITION_NAME_MAX_LENGTH} Buchstaben ohne Umlaute, Ziffern, - und _)."
        )
    if errors:
        raise ExchangeError(errors)
    edition = data["edition"]
    try:
        # One transaction around both, so units created here vanish again if storing fails.
        with transaction.atomic():
            created_units = _create_missing_units(data["organisation_units"], reason)
            summary = store_fields(
                [_field_text(f) for f in data["fields"]],
                edition_name or edition["name"],
                edition_title=edition["title"],
                edition_city=edition["city"],
                edition_description=edition["description"],
                replace=replace,
                reason=reason,
            )
            translations = _translations(data["fields"])
            if translations:
                store_translations(summary.edition, translations, reason)
    except GoalImportError as error:
        raise ExchangeError([str(error)]) from error
    except TranslationError as error:
        raise ExchangeError(error.errors) from error
    return DocumentImport(summary=summary, created_units=created_units)


def _create_missing_units(entries: list[dict[str, Any]], reason: str) -> list[str]:
    codes = {e["code"] for e in entries} | {e["parent"] for e in entries if e["parent"]}
    known = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    created = []
    for entry in entries:
        if entry["code"] in known:
            continue
        unit = OrgUnit(
            code=entry["code"],
            name=entry["name"],
            kind=entry["kind"],
            parent=known[entry["parent"]] if entry["parent"] else None,
            is_sample=entry.get("sample", False),
        )
        unit._change_reason = reason
        unit.save()
        known[unit.code] = unit
        created.append(unit.code)
    return created


def _translations(fields: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The *_en keys of the document by goal code, as goals.translations stores them."""

    def english(item: dict[str, Any], *names: str) -> dict[str, Any]:
        return {name: item[f"{name}{ENGLISH}"] for name in names if f"{name}{ENGLISH}" in item}

    translations: dict[str, dict[str, Any]] = {}
    for f in fields:
        translations[f"{f['number']}"] = english(f, "title", "leitsatz")
        for sg in f["strategic_goals"]:
            code = f"{f['number']}.{sg['number']}"
            translations[code] = english(sg, "title", "text")
            references = [ref.get(f"text{ENGLISH}", "") for ref in sg["cross_references"]]
            if any(references):
                translations[code][CROSS_REFERENCES] = references
            for og in sg["operative_goals"]:
                translations[f"{code}.{og['number']}"] = english(og, "title", "text")
    return {code: texts for code, texts in translations.items() if texts}


def _field_text(f: dict[str, Any]) -> FieldText:
    return FieldText(
        number=f["number"],
        title=f["title"],
        title_changed=f["title_changed"],
        former_title=f["former_title"],
        structure_changed=f["structure_changed"],
        structure_change_note=f["structure_change_note"],
        leitsatz=f["leitsatz"],
        feedback=list(f["feedback"]),
        responsible_units=list(f["responsible_units"]),
        strategic_goals=[
            StrategicGoalText(
                number=sg["number"],
                title=sg["title"],
                text=sg["text"],
                responsible_units=list(sg["responsible_units"]),
                cross_references=[
                    CrossReferenceText(
                        text=ref["text"],
                        target_field_number=ref["target_field_number"],
                        target_goal_number=ref["target_goal_number"],
                    )
                    for ref in sg["cross_references"]
                ],
                operative_goals=[
                    OperativeGoalText(
                        number=og["number"],
                        title=og["title"],
                        text=og["text"],
                        responsible_units=list(og["responsible_units"]),
                    )
                    for og in sg["operative_goals"]
                ],
            )
            for sg in f["strategic_goals"]
        ],
    )

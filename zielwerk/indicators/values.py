"""Entering, revising and approving indicator values.

Every way values come in — staff pages, API, Open SDG, Excel and CSV files, indicator
definitions — ends in store_values() or save_value(), so one set of rules applies:

- a value is identified by indicator, period (year, month) and disaggregation; storing it again
  updates it (upsert);
- an approved value whose content changes goes back to "entered" and waits for approval again;
  when its number changes it is marked revised ("r");
- history: a single edit is recorded by save(); a bulk import records only the rows it changes,
  which keeps a first import of a million values fast (their provenance is the ValueBatch). The
  first time such a row changes, the state it had is recorded as well, so no earlier figure is
  lost;
- a value of a closed reporting year (periods.py) is created or changed only as a revision with
  a reason: a ValueRevision records it, a new or changed number is marked revised ("r"). Without
  a reason such a change is refused; values of closed years are never deleted or moved away;
- the public only ever sees approved values (public_values, approved_series).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zielwerk.indicators.disaggregation import canonical
from zielwerk.indicators.models import Indicator, Value, ValueBatch, ValueRevision
from zielwerk.indicators.periods import closed_year_message, closed_years, is_closed
from zielwerk.indicators.responsibility import indicators_acted_for

REVISED = "r"
# Flag of a figure that may still change (e.g. the current year of a running count).
PROVISIONAL = "p"
FLAGS_MAX_LENGTH = Value._meta.get_field("flags").max_length
KEY_MAX_LENGTH = Value._meta.get_field("disaggregation_key").max_length
SOURCE_MAX_LENGTH = Value._meta.get_field("source").max_length
NOTE_MAX_LENGTH = Value._meta.get_field("note").max_length
YEARS = range(1800, 2201)
CHUNK = 2000
Ident = tuple[int, int, int, str]  # indicator id, year, month, disaggregation key

User = AbstractBaseUser | AnonymousUser


class ValuesError(ValueError):
    """Values that cannot be stored; nothing was changed. Holds every problem."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


class RevisionReasonMissing(ValuesError):
    """The change touches a closed reporting year and would be allowed with a reason."""


@dataclass(slots=True)
class ValueRow:
    """One value as it comes in. `state` approved asks to approve it while storing."""

    indicator: Indicator
    year: int
    value: float
    month: int = 0
    disaggregation: Mapping[str, str] = field(default_factory=dict)
    flags: str = ""
    source: str = ""
    note: str = ""
    state: str = Value.State.ENTERED


@dataclass
class StoreSummary:
    batch: ValueBatch
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    approved: int = 0
    revised: int = 0

    def line(self) -> str:
        """The summary for people: "N Werte neu, N geändert, N unverändert"."""
        text = _("%(created)d Werte neu, %(updated)d geändert, %(unchanged)d unverändert") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if self.approved:
            text += ", " + _("%(approved)d freigegeben") % {"approved": self.approved}
        if self.revised:
            text += ", " + _("%(revised)d als Berichtigung erfasst") % {"revised": self.revised}
        return text


def clean_flags(flags: str) -> str:
    """Flags are single symbols; each counts once, in the order given."""
    if not flags:
        return ""
    return "".join(dict.fromkeys(flags.replace(" ", "")))


def period_of(year: int, month: int) -> float:
    """The period as a year number; month m of a year starts at year + (m − 1)/12."""
    return year + (month - 1) / 12 if month else float(year)


def row_problems(
    year: int, month: int, value: float, flags: str, key: str, source: str, note: str
) -> list[str]:
    """What is wrong with one value regardless of where it came from (empty when fine)."""
    if (
        year in YEARS
        and 0 <= month <= 12
        and math.isfinite(value)
        and len(flags) <= FLAGS_MAX_LENGTH
        and len(key) <= KEY_MAX_LENGTH
        and len(source) <= SOURCE_MAX_LENGTH
        and len(note) <= NOTE_MAX_LENGTH
    ):
        # The common case, checked at once: imports call this for every row.
        return []
    problems = []
    if year not in YEARS:
        problems.append(_("Jahr %(year)d liegt nicht zwischen 1800 und 2200.") % {"year": year})
    if not 0 <= month <= 12:
        problems.append(_("Monat %(month)d liegt nicht zwischen 0 und 12.") % {"month": month})
    if not math.isfinite(value):
        problems.append(_("Der Wert muss eine endliche Zahl sein."))
    if len(flags) > FLAGS_MAX_LENGTH:
        problems.append(
            _("Höchstens %(max)d Kennzeichen, nicht „%(flags)s“.")
            % {"max": FLAGS_MAX_LENGTH, "flags": flags}
        )
    if len(key) > KEY_MAX_LENGTH:
        problems.append(
            _("Die Aufgliederung ist zu lang (höchstens %(max)d Zeichen).")
            % {"max": KEY_MAX_LENGTH}
        )
    if len(source) > SOURCE_MAX_LENGTH:
        problems.append(
            _("Die Quelle ist zu lang (höchstens %(max)d Zeichen).") % {"max": SOURCE_MAX_LENGTH}
        )
    if len(note) > NOTE_MAX_LENGTH:
        problems.append(
            _("Die Anmerkung ist zu lang (höchstens %(max)d Zeichen).") % {"max": NOTE_MAX_LENGTH}
        )
    return problems


def _describe(indicator: Indicator, year: int, month: int, key: str) -> str:
    period = f"{year}-{month:02d}" if month else str(year)
    return f"{indicator.code} {period}" + (f" ({key})" if key else "")


@dataclass
class ImportResult:
    """What an import of a file stored, the indicators it created and what it noticed."""

    summary: StoreSummary
    notes: list[str] = field(default_factory=list)
    created_indicators: list[Indicator] = field(default_factory=list)


# --- permissions ------------------------------------------------------------------------------


def check_may_store(user: User, indicators: Iterable[Indicator], approve: bool) -> None:
    """Raise ValuesError naming every indicator the user may not enter values for."""
    problems = []
    if approve and not user.has_perm("indicators.approve_value"):
        problems.append(_("Werte freigeben darf nur die Strategiestelle."))
    wanted = {indicator.pk: indicator for indicator in indicators}
    allowed = set(indicators_acted_for(user).filter(pk__in=wanted).values_list("pk", flat=True))
    problems += [
        _("Sie dürfen keine Werte für den Indikator „%(code)s“ erfassen.") % {"code": i.code}
        for pk, i in sorted(wanted.items(), key=lambda item: item[1].code)
        if pk not in allowed
    ]
    if problems:
        raise ValuesError(problems)


# --- storing many values ----------------------------------------------------------------------


class _Disaggregations:
    """Canonical form, key and database parameter per distinct disaggregation: a million rows
    share a few thousand breakdowns, so each is worked out once."""

    def __init__(self) -> None:
        self.field = Value._meta.get_field("disaggregation")
        self.cache: dict[tuple[tuple[str, str], ...], tuple[str, Any]] = {}

    def __call__(self, disaggregation: Mapping[str, str]) -> tuple[str, Any]:
        items = tuple(disaggregation.items())
        found = self.cache.get(items)
        if found is None:
            normalised, key = canonical(disaggregation)
            found = self.cache[items] = (key, self.field.get_db_prep_save(normalised, connection))
        return found


def _existing(indicator_ids: Sequence[int]) -> dict[Ident, tuple]:
    found = {}
    for start in range(0, len(indicator_ids), 500):
        rows = Value.objects.filter(indicator_id__in=indicator_ids[start : start + 500])
        for row in rows.values_list(
            "indicator_id",
            "year",
            "month",
            "disaggregation_key",
            "pk",
            "value",
            "flags",
            "source",
            "note",
            "state",
        ).order_by():
            found[row[:4]] = row[4:]
    return found


def _checked(rows: list[ValueRow], approve: bool) -> list[tuple]:
    """Each row as ((indicator, year, month, key), JSON parameter, value, flags, source, note,
    approving); raises ValuesError with every problem."""
    disaggregations = _Disaggregations()
    seen: set[Ident] = set()
    checked = []
    errors = []
    for row in rows:
        key, prepared = disaggregations(row.disaggregation)
        ident = (row.indicator.pk, row.year, row.month, key)
        flags = clean_flags(row.flags)
        problems = row_problems(row.year, row.month, row.value, flags, key, row.source, row.note)
        if ident in seen:
            problems.append(_("steht mehrfach in den Daten."))
        seen.add(ident)
        if problems:
            where = _describe(row.indicator, row.year, row.month, key)
            errors += [f"{where}: {problem}" for problem in problems]
        approving = approve or row.state == Value.State.APPROVED
        checked.append((ident, prepared, row.value, flags, row.source, row.note, approving))
    if errors:
        raise ValuesError(errors)
    return checked


def store_values(
    rows: Iterable[ValueRow],
    *,
    source_name: str,
    user: User | None = None,
    file_format: str = "",
    approve: bool = False,
    reason: str = "",
    revision_reason: str = "",
) -> StoreSummary:
    """Store values all or nothing: new ones are added, existing ones updated where they differ.

    `user` is who enters them (checked against the permissions; None for system jobs such as
    the command line). `approve` (or a row with state approved) approves the values at once.
    An empty source or note in a row keeps the one stored; revision marks ("r") stay once set,
    so importing the same file twice changes nothing the second time.

    Rows that would add or change a value of a closed reporting year are refused, each named,
    unless `revision_reason` is given: then each such change is recorded as a ValueRevision.
    Approving needs no reason, it changes no figure. `reason` is the change reason of the
    history (by default "Import aus <source_name>")."""
    rows = list(rows)
    revision_reason = revision_reason.strip()
    indicators = {row.indicator.pk: row.indicator for row in rows}
    if user is not None:
        wants_approval = approve or any(r.state == Value.State.APPROVED for r in rows)
        check_may_store(user, indicators.values(), wants_approval)
    checked = _checked(rows, approve)

    author = user if user is not None and user.is_authenticated else None
    now = timezone.now()
    closed = closed_years()
    with transaction.atomic():
        batch = ValueBatch.objects.create(
            source_name=source_name[:300], file_format=file_format, created_by=author
        )
        summary = StoreSummary(batch)
        existing = _existing(sorted(indicators))
        new: list[tuple] = []
        changes: dict[int, dict[str, Any]] = {}
        revisions = _Revisions(closed, revision_reason)
        approved_at = Value._meta.get_field("approved_at").get_db_prep_save(now, connection)
        author_id = author.pk if author else None
        for ident, prepared, number, flags, source, note, approving in checked:
            old = existing.get(ident)
            if old is None:
                flags = revisions.admit(indicators[ident[0]], ident, None, number, flags)
                if flags is None:
                    continue
                new.append(
                    (
                        *ident[:3],
                        prepared,
                        ident[3],
                        number,
                        flags,
                        source,
                        note,
                        Value.State.APPROVED if approving else Value.State.ENTERED,
                        approved_at if approving else None,
                        author_id if approving else None,
                    )
                )
                summary.approved += approving
                continue
            pk, old_value, old_flags, old_source, old_note, old_state = old
            was_approved = old_state == Value.State.APPROVED
            if REVISED in old_flags or (was_approved and old_value != number):
                flags = clean_flags(flags + REVISED)
            source, note = source or old_source, note or old_note
            if (number, flags, source, note) != (old_value, old_flags, old_source, old_note):
                flags = revisions.admit(indicators[ident[0]], ident, old_value, number, flags)
                if flags is None:
                    continue
                summary.updated += 1
                changes[pk] = {
                    "value": number,
                    "flags": flags,
                    "source": source,
                    "note": note,
                    "batch_id": batch.pk,
                    "entered_at": now,
                    "entered_by_id": author_id,
                    **_approval(approving, now, author_id),
                }
                summary.approved += approving
            elif approving and not was_approved:
                changes[pk] = _approval(True, now, author_id)
                summary.approved += 1
            else:
                summary.unchanged += 1
        if revisions.refused:
            raise ValuesError(revisions.refused)
        summary.created = len(new)
        _insert(new, batch, now, author)
        _update(changes, author, reason or _("Import aus %(name)s") % {"name": source_name})
        summary.revised = revisions.record(batch, author)
        batch.created_rows = summary.created
        batch.updated_rows = summary.updated
        batch.save(update_fields=["created_rows", "updated_rows"])
    return summary


@dataclass
class _Revisions:
    """Changes of closed reporting years met while storing: revisions when there is a reason,
    otherwise refused."""

    closed: set[int]
    reason: str
    refused: list[str] = field(default_factory=list)
    # (ident, old number or None for a new value, new number)
    found: list[tuple[Ident, float | None, float]] = field(default_factory=list)

    def admit(
        self, indicator: Indicator, ident: Ident, old: float | None, number: float, flags: str
    ) -> str | None:
        """The flags to store with this new or changed value, or None when it is refused."""
        if ident[1] not in self.closed:
            return flags
        if not self.reason:
            where = _describe(indicator, *ident[1:])
            self.refused.append(f"{where}: {closed_year_message(ident[1])}")
            return None
        self.found.append((ident, old, number))
        return clean_flags(flags + REVISED) if number != old else flags

    def record(self, batch: ValueBatch, user: AbstractBaseUser | None) -> int:
        if not self.found:
            return 0
        # Every revised value was written by this batch; new ones get their id only now.
        ids = {
            row[:4]: row[4]
            for row in Value.objects.filter(
                batch=batch, year__in={ident[1] for ident, _old, _new in self.found}
            ).values_list("indicator_id", "year", "month", "disaggregation_key", "pk")
        }
        ValueRevision.objects.bulk_create(
            [
                ValueRevision(
                    value_id=ids[ident],
                    indicator_id=ident[0],
                    year=ident[1],
                    month=ident[2],
                    disaggregation_key=ident[3],
                    old_value=old,
                    new_value=number,
                    reason=self.reason,
                    revised_by=user,
                )
                for ident, old, number in self.found
            ],
            batch_size=500,
        )
        return len(self.found)


def _approval(approving: bool, now, user_id: int | None) -> dict[str, Any]:
    if approving:
        return {"state": Value.State.APPROVED, "approved_at": now, "approved_by_id": user_id}
    return {"state": Value.State.ENTERED, "approved_at": None, "approved_by_id": None}


VARYING = (
    "indicator_id",
    "year",
    "month",
    "disaggregation",
    "disaggregation_key",
    "value",
    "flags",
    "source",
    "note",
    "state",
    "approved_at",
    "approved_by_id",
)


def _insert(rows: list[tuple], batch: ValueBatch, now, user: AbstractBaseUser | None) -> None:
    """Insert new values without building model instances: for a million rows the ORM's
    per-object work would take longer than the import may. Columns other than VARYING take the
    same value in every row (their defaults, if the model grows)."""
    if not rows:
        return
    constant = {"entered_at": now, "entered_by_id": user.pk if user else None, "batch_id": batch.pk}
    fields = [f for f in Value._meta.concrete_fields if not f.primary_key]
    others = [f for f in fields if f.attname not in VARYING]
    tail = tuple(
        f.get_db_prep_save(
            constant[f.attname] if f.attname in constant else f.get_default(), connection
        )
        for f in others
    )
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in (*VARYING, *(f.attname for f in others)))
    table = quote(Value._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is several times faster than INSERT for bulk loads on PostgreSQL.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy_in:
                for row in rows:
                    copy_in.write_row(row + tail)
            return
        placeholders = ", ".join(["%s"] * (len(VARYING) + len(others)))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
        for start in range(0, len(rows), 10_000):
            cursor.executemany(sql, [row + tail for row in rows[start : start + 10_000]])


_FIELDS_BY_ATTNAME = {field.attname: field for field in Value._meta.concrete_fields}


def _chunks(items: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _update(changes: dict[int, dict[str, Any]], user: AbstractBaseUser | None, reason: str) -> None:
    """Apply the changes (attribute name → new value, per id) and record history for exactly
    these rows."""
    for ids in _chunks(sorted(changes)):
        current = Value.objects.select_related("entered_by").in_bulk(ids)
        before = [copy.copy(current[pk]) for pk in ids]
        after = []
        statements: dict[tuple[str, ...], list[tuple]] = {}
        for pk in ids:
            value = current[pk]
            for name, new in changes[pk].items():
                setattr(value, name, new)
            after.append(value)
            names = tuple(changes[pk])
            statements.setdefault(names, []).append(
                (*(_prepared(value, name) for name in names), pk)
            )
        _execute_updates(statements)
        _record_history(before, after, user, reason)


def _prepared(value: Value, attname: str) -> Any:
    field = _FIELDS_BY_ATTNAME[attname]
    return field.get_db_prep_save(getattr(value, attname), connection)


def _execute_updates(statements: dict[tuple[str, ...], list[tuple]]) -> None:
    # Plain UPDATE statements: the ORM's bulk_update builds a CASE expression per field and
    # row, which for ten thousand changed values takes longer than the rest of the import.
    quote = connection.ops.quote_name
    table = quote(Value._meta.db_table)
    with connection.cursor() as cursor:
        for names, params in statements.items():
            assignments = ", ".join(f"{quote(_FIELDS_BY_ATTNAME[n].column)} = %s" for n in names)
            cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", params)


def _record_history(
    before: list[Value], after: list[Value], user: AbstractBaseUser | None, reason: str
) -> None:
    historical = Value.history.model
    recorded = set(
        historical.objects.filter(id__in=[v.pk for v in before]).values_list("id", flat=True)
    )
    # Rows added by an import have no history yet; record the state they had before this
    # change, dated and signed as it was entered.
    first = [v for v in before if v.pk not in recorded]
    for value in first:
        value._history_date = value.entered_at
        value._history_user = value.entered_by
        value._change_reason = _("Stand vor der ersten Änderung")
    Value.history.bulk_history_create(first, batch_size=500)
    Value.history.bulk_history_create(
        after, batch_size=500, update=True, default_user=user, default_change_reason=reason
    )


# --- single values ----------------------------------------------------------------------------


def duplicate_of(value: Value) -> Value | None:
    """Another stored value with the same indicator, period and disaggregation."""
    key = canonical(value.disaggregation)[1]
    others = Value.objects.filter(
        indicator_id=value.indicator_id,
        year=value.year,
        month=value.month,
        disaggregation_key=key,
    )
    if value.pk is not None:
        others = others.exclude(pk=value.pk)
    return others.first()


def save_value(value: Value, user: User, revision_reason: str = "") -> Value:
    """Save one value entered or changed by a person (staff pages, API).

    A new value is "entered" by the user. Changing an approved value sends it back for approval,
    and a changed number marks it revised. Flags otherwise are as the person set them. A change
    of a closed reporting year needs `revision_reason` and is recorded as a ValueRevision
    (ValuesError otherwise, see check_closed_year)."""
    value.disaggregation, value.disaggregation_key = canonical(value.disaggregation)
    value.flags = clean_flags(value.flags)
    author = user if user.is_authenticated else None
    previous = Value.objects.get(pk=value.pk) if value.pk is not None else None
    revision = _revision(value, previous, revision_reason)
    if previous is None:
        value.entered_by = author
        value.state = Value.State.ENTERED
        value.approved_at = value.approved_by = None
    elif previous.state == Value.State.APPROVED and (
        (_place(previous), _figures(previous)) != (_place(value), _figures(value))
    ):
        if previous.value != value.value:
            value.flags = clean_flags(value.flags + REVISED)
        value.state = Value.State.ENTERED
        value.approved_at = value.approved_by = None
    value._history_user = author
    if revision is not None:
        if revision.old_value != revision.new_value:
            value.flags = clean_flags(value.flags + REVISED)
        value._change_reason = revision.reason
    with transaction.atomic():
        value.save()
        if revision is not None:
            revision.value = value
            revision.revised_by = author
            revision.save()
    return value


def check_closed_year(value: Value, revision_reason: str) -> None:
    """Raise ValuesError when saving the value like this would change a closed reporting year
    in a way that is not allowed; RevisionReasonMissing when only the reason is missing. Forms
    call it to show the problem at the right field before save_value."""
    previous = Value.objects.get(pk=value.pk) if value.pk is not None else None
    _revision(value, previous, revision_reason)


def _revision(value: Value, previous: Value | None, reason: str) -> ValueRevision | None:
    """The (unsaved) revision that saving the value makes, None when no closed year changes."""
    place = _place(value)
    stays = previous is not None and _place(previous) == place
    if previous is not None and not stays and is_closed(previous.year):
        # Moving it away would delete it from its closed year.
        raise ValuesError(
            [
                _(
                    "%(where)s: Das Berichtsjahr %(year)d ist abgeschlossen; seine Werte lassen "
                    "sich nicht in einen anderen Zeitraum, eine andere Aufgliederung oder zu "
                    "einem anderen Indikator verschieben."
                )
                % {"where": _describe_value(previous), "year": previous.year}
            ]
        )
    if not is_closed(value.year) or (stays and _figures(previous) == _figures(value)):
        return None
    reason = reason.strip()
    if not reason:
        where = _describe_value(value)
        raise RevisionReasonMissing([f"{where}: {closed_year_message(value.year)}"])
    return ValueRevision(
        indicator_id=value.indicator_id,
        year=value.year,
        month=value.month,
        disaggregation_key=place[3],
        old_value=previous.value if stays else None,
        new_value=value.value,
        reason=reason,
    )


def deletion_refused(value: Value) -> str:
    """Why nobody may delete the value ("" when it may be deleted)."""
    if not is_closed(value.year):
        return ""
    return _(
        "%(where)s: Das Berichtsjahr %(year)d ist abgeschlossen; seine Werte lassen sich nicht "
        "löschen, nur mit Begründung berichtigen."
    ) % {"where": _describe_value(value), "year": value.year}


def _describe_value(value: Value) -> str:
    return _describe(value.indicator, *_place(value)[1:])


def _place(value: Value) -> Ident:
    return (value.indicator_id, value.year, value.month, canonical(value.disaggregation)[1])


def _figures(value: Value) -> tuple:
    return (value.value, clean_flags(value.flags), value.source, value.note)


def approve(values: Iterable[Value] | QuerySet[Value], user: User) -> int:
    """Approve the values that wait for approval; returns how many were approved."""
    if not user.has_perm("indicators.approve_value"):
        raise PermissionDenied(_("Werte freigeben darf nur die Strategiestelle."))
    if isinstance(values, QuerySet):
        ids = list(values.exclude(state=Value.State.APPROVED).values_list("pk", flat=True))
    else:
        ids = [v.pk for v in values if v.state != Value.State.APPROVED]
    author = user if user.is_authenticated else None
    change = _approval(True, timezone.now(), author.pk if author else None)
    with transaction.atomic():
        _update({pk: change for pk in ids}, author, _("Freigabe"))
    return len(ids)


# --- reading ----------------------------------------------------------------------------------


def public_values() -> QuerySet[Value]:
    """Values the public may see: approved ones only."""
    return Value.objects.filter(state=Value.State.APPROVED)


def approved_series(
    indicator: Indicator, disaggregation_key: str = ""
) -> list[tuple[float, float]]:
    """(period, value) of the approved values of one series, in time order."""
    rows = (
        public_values()
        .filter(indicator=indicator, disaggregation_key=disaggregation_key)
        .order_by("year", "month")
        .values_list("year", "month", "value")
    )
    return [(period_of(year, month), value) for year, month, value in rows]

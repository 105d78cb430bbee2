"""Who owes which update, the "my updates" list, the stale overview and the reminder e-mails.

Responsibility for an update: the item's update owner; for a measure without one its contact
person; otherwise the editors of the responsible unit (a measure's responsible unit, an
indicator's owner unit), or of the nearest unit above it that has editors. People whose login
is deactivated do not count. Closed measures owe nothing.

Everything is computed from eight queries, whatever the number of items: measures, indicators,
editors and units once, the periods covered by reports and values once each (from the first
tracked year on), and the date of the last delivery once each."""

from __future__ import annotations

import datetime
import smtplib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zielwerk.indicators.models import Indicator, Value
from zielwerk.measures.models import Measure, StatusReport, WorkItem
from zielwerk.org.models import OrgUnit, Person
from zielwerk.org.services import acting_unit_ids, subtree_ids
from zielwerk.updates.models import Reminder
from zielwerk.updates.schedule import Cycle, Duty, DutyState, Period, open_duties

# What one person's mail is made of (their due updates, their overdue cases …).
M = TypeVar("M")


class ItemKind(StrEnum):
    MEASURE = "measure"
    INDICATOR = "indicator"


@dataclass(frozen=True)
class TrackedItem:
    """A measure or indicator with its update schedule resolved: who, and what is open."""

    kind: ItemKind
    pk: int
    name: str
    unit: OrgUnit | None
    cycle: Cycle
    # The person named for the update (update owner, or a measure's contact), if any.
    owner: Person | None
    responsible: tuple[Person, ...]
    last_delivery: datetime.date | None
    duties: tuple[Duty, ...]

    @property
    def kind_label(self) -> str:
        return _("Maßnahme") if self.kind == ItemKind.MEASURE else _("Indikator")

    @property
    def admin_path(self) -> str:
        name = (
            "admin:measures_measure_change"
            if self.kind == ItemKind.MEASURE
            else "admin:indicators_indicator_change"
        )
        return reverse(name, args=[self.pk])


@dataclass(frozen=True)
class OpenUpdate:
    """One period of one item for which nothing was delivered yet; `days` counts how late it
    is, or, while due, how many days are left."""

    item: TrackedItem
    duty: Duty
    days: int

    @property
    def period_name(self) -> str:
        return period_name(self.duty.period)

    @property
    def is_overdue(self) -> bool:
        return self.duty.state == DutyState.OVERDUE


def period_name(period: Period) -> str:
    """How a period reads in German: "3. Quartal 2026", "1. Halbjahr 2026", "März 2026"."""
    match period.cycle:
        case Cycle.YEARLY:
            return str(period.year)
        case Cycle.HALF_YEARLY:
            return _("%(index)s. Halbjahr %(year)s") % {"index": period.index, "year": period.year}
        case Cycle.QUARTERLY:
            return _("%(index)s. Quartal %(year)s") % {"index": period.index, "year": period.year}
    return date_format(period.start, "F Y")


class People:
    """Active people and the unit tree, read once, to find who answers for a unit."""

    def __init__(self) -> None:
        self.parents = dict(OrgUnit.objects.values_list("pk", "parent_id"))
        self.editors: dict[int, list[Person]] = defaultdict(list)
        editors = Person.objects.filter(
            role=Person.Role.EDITOR, user__is_active=True, unit__isnull=False
        ).select_related("user")
        for person in editors.order_by("user__username"):
            self.editors[person.unit_id].append(person)

    def for_unit(self, unit_id: int | None) -> tuple[Person, ...]:
        """Editors of the unit, or of the nearest unit above it that has any."""
        seen = set()
        while unit_id is not None and unit_id not in seen:
            seen.add(unit_id)
            if self.editors.get(unit_id):
                return tuple(self.editors[unit_id])
            unit_id = self.parents.get(unit_id)
        return ()


def _named(*candidates: Person | None) -> Person | None:
    return next((p for p in candidates if p is not None and p.user.is_active), None)


def _measure_items(today: datetime.date, people: People, where: Q) -> list[TrackedItem]:
    chosen = Measure.objects.filter(where, status__is_closed=False)
    measures = list(
        chosen.select_related("responsible_unit", "update_owner__user", "contact__user")
    )
    if not measures:
        return []
    since = {m.pk: max(m.updates_since, m.start or m.updates_since) for m in measures}
    reports: dict[int, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
    rows = StatusReport.objects.filter(
        measure__in=chosen.values("pk"), period_end__gte=min(since.values())
    ).values_list("measure_id", "period_start", "period_end")
    for measure_id, start, end in rows:
        reports[measure_id].append((start, end))
    last = dict(
        StatusReport.objects.filter(measure__in=chosen.values("pk"))
        .values("measure_id")
        .annotate(last=Max("created_at"))
        .values_list("measure_id", "last")
    )
    return [
        _tracked(
            ItemKind.MEASURE,
            measure,
            unit=measure.responsible_unit,
            owner=_named(measure.update_owner, measure.contact),
            since=since[measure.pk],
            last=last.get(measure.pk),
            delivered=lambda p, d=reports[measure.pk]: any(
                start <= p.end and end >= p.start for start, end in d
            ),
            today=today,
            people=people,
        )
        for measure in measures
    ]


def _indicator_items(today: datetime.date, people: People, where: Q) -> list[TrackedItem]:
    chosen = Indicator.objects.filter(where)
    indicators = list(chosen.select_related("owner", "update_owner__user"))
    if not indicators:
        return []
    first_year = min(i.updates_since.year for i in indicators)
    months: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    values = Value.objects.filter(indicator__in=chosen.values("pk"))
    rows = values.filter(year__gte=first_year).values_list("indicator_id", "year", "month")
    for indicator_id, year, month in rows.distinct():
        months[indicator_id][year].add(month)
    last = dict(
        values.values("indicator_id")
        .annotate(last=Max("entered_at"))
        .values_list("indicator_id", "last")
    )
    return [
        _tracked(
            ItemKind.INDICATOR,
            indicator,
            unit=indicator.owner,
            owner=_named(indicator.update_owner),
            since=indicator.updates_since,
            last=last.get(indicator.pk),
            delivered=lambda p, y=months[indicator.pk]: any(
                p.contains_month(p.year, m) for m in y.get(p.year, ())
            ),
            today=today,
            people=people,
        )
        for indicator in indicators
    ]


def _tracked(
    kind: ItemKind,
    item: Measure | Indicator,
    *,
    unit: OrgUnit | None,
    owner: Person | None,
    since: datetime.date,
    last: datetime.datetime | None,
    delivered: Callable[[Period], bool],
    today: datetime.date,
    people: People,
) -> TrackedItem:
    return TrackedItem(
        kind=kind,
        pk=item.pk,
        name=str(item),
        unit=unit,
        cycle=item.cycle,
        owner=owner,
        responsible=(owner,) if owner else people.for_unit(unit.pk if unit else None),
        last_delivery=_local_date(last),
        duties=tuple(
            open_duties(
                item.cycle,
                since=since,
                today=today,
                due_days=item.update_due_days,
                delivered=delivered,
            )
        ),
    )


def _local_date(moment: datetime.datetime | None) -> datetime.date | None:
    return None if moment is None else timezone.localdate(moment)


def tracked_items(
    today: datetime.date, *, measures: Q | None = None, indicators: Q | None = None
) -> list[TrackedItem]:
    """Every open measure and every indicator (or those the filters select) with its open
    duties as of `today`."""
    people = People()
    return _measure_items(today, people, measures or Q()) + _indicator_items(
        today, people, indicators or Q()
    )


def open_updates(items: Iterable[TrackedItem], today: datetime.date) -> list[OpenUpdate]:
    """The open duties of the items, oldest due date first."""
    updates = [
        OpenUpdate(
            item,
            duty,
            duty.days_late(today) if duty.state == DutyState.OVERDUE else duty.days_left(today),
        )
        for item in items
        for duty in item.duties
    ]
    return sorted(updates, key=lambda u: (u.duty.due, u.item.kind, u.item.name))


@dataclass
class MyUpdates:
    person: Person | None
    due: list[OpenUpdate] = field(default_factory=list)
    overdue: list[OpenUpdate] = field(default_factory=list)
    tasks: list[WorkItem] = field(default_factory=list)


def my_updates(person: Person | None, today: datetime.date) -> MyUpdates:
    """What a person has to update: items named for them, and, for an editor, items of their
    unit's subtree that name nobody; plus their open tasks, earliest first."""
    mine = MyUpdates(person)
    if person is None:
        return mine
    units = acting_unit_ids(person.user)

    def is_mine(item: TrackedItem) -> bool:
        if item.owner is not None:
            return item.owner.pk == person.pk
        return item.unit is not None and item.unit.pk in units

    # The filters select a superset in the database (an owner whose login is deactivated hands
    # the item on to the contact or the unit); is_mine decides exactly.
    candidates = tracked_items(
        today,
        measures=Q(update_owner=person) | Q(contact=person) | Q(responsible_unit__in=units),
        indicators=Q(update_owner=person) | Q(owner__in=units),
    )
    items = [item for item in candidates if is_mine(item)]
    for update in open_updates(items, today):
        (mine.overdue if update.is_overdue else mine.due).append(update)
    mine.tasks = list(
        WorkItem.objects.filter(kind=WorkItem.Kind.TASK, assignee=person, done_on__isnull=True)
        .select_related("measure")
        .order_by("due_on", "pk")
    )
    return mine


@dataclass(frozen=True)
class UnitCount:
    unit: OrgUnit | None
    overdue: int
    due: int
    unassigned: int


@dataclass
class StaleOverview:
    overdue: list[OpenUpdate]
    unassigned: list[TrackedItem]
    per_unit: list[UnitCount]


def stale_overview(today: datetime.date, unit: OrgUnit | None = None) -> StaleOverview:
    """For the strategy office: every overdue update, oldest first, the items nobody answers
    for, and the counts per responsible unit; with `unit`, only that unit and those below."""
    if unit is None:
        items = tracked_items(today)
    else:
        units = subtree_ids(unit)
        items = tracked_items(
            today, measures=Q(responsible_unit__in=units), indicators=Q(owner__in=units)
        )
    updates = open_updates(items, today)
    counts: dict[OrgUnit | None, list[int]] = defaultdict(lambda: [0, 0, 0])
    for update in updates:
        counts[update.item.unit][0 if update.is_overdue else 1] += 1
    unassigned = [item for item in items if not item.responsible]
    for item in unassigned:
        counts[item.unit][2] += 1
    # Units by code, updates without a unit last.
    order = sorted(counts, key=lambda unit: (unit is None, unit.code if unit else ""))
    per_unit = [UnitCount(unit, *counts[unit]) for unit in order]
    return StaleOverview(
        overdue=[u for u in updates if u.is_overdue], unassigned=unassigned, per_unit=per_unit
    )


@dataclass(frozen=True)
class PlannedReminder:
    update: OpenUpdate
    kind: Reminder.Kind
    recipients: tuple[Person, ...]


@dataclass
class ReminderRun:
    """What one run of the reminders did (or, as a dry run, would do)."""

    dry_run: bool
    reminders: list[PlannedReminder] = field(default_factory=list)
    mails: dict[Person, list[PlannedReminder]] = field(default_factory=dict)
    without_email: list[Person] = field(default_factory=list)
    unassigned: list[OpenUpdate] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One German line, e.g. "3 Erinnerungen an 2 Personen gesendet, 1 Person ohne …"."""
        reminders = ngettext(
            "%(count)s Erinnerung", "%(count)s Erinnerungen", len(self.reminders)
        ) % {"count": len(self.reminders)}
        people = ngettext("an %(count)s Person", "an %(count)s Personen", len(self.mails)) % {
            "count": len(self.mails)
        }
        if not self.reminders:
            line = _("Keine Erinnerung zu senden")
        elif self.dry_run:
            line = _("Probelauf: %(reminders)s %(people)s würden gesendet") % {
                "reminders": reminders,
                "people": people,
            }
        else:
            line = _("%(reminders)s %(people)s gesendet") % {
                "reminders": reminders,
                "people": people,
            }
        parts = [line]
        if self.without_email:
            parts.append(
                ngettext(
                    "%(count)s Person ohne E-Mail-Adresse: %(names)s",
                    "%(count)s Personen ohne E-Mail-Adresse: %(names)s",
                    len(self.without_email),
                )
                % {
                    "count": len(self.without_email),
                    "names": ", ".join(str(p) for p in self.without_email),
                }
            )
        if self.unassigned:
            parts.append(
                ngettext(
                    "%(count)s Aktualisierung ohne Zuständige: %(items)s",
                    "%(count)s Aktualisierungen ohne Zuständige: %(items)s",
                    len(self.unassigned),
                )
                % {
                    "count": len(self.unassigned),
                    "items": ", ".join(
                        f"{u.item.name} ({u.duty.period.label})" for u in self.unassigned
                    ),
                }
            )
        if self.failed:
            parts.append(
                _("Versand gescheitert an: %(addresses)s") % {"addresses": ", ".join(self.failed)}
            )
        return "; ".join(parts) + "."


def _reminder_kind(duty: Duty, today: datetime.date, days_before: int) -> Reminder.Kind | None:
    if duty.state == DutyState.OVERDUE:
        return Reminder.Kind.AFTER
    if duty.days_left(today) <= days_before:
        return Reminder.Kind.BEFORE
    return None


def _item_key(item: TrackedItem) -> tuple[int | None, int | None]:
    """(measure id, indicator id) as the reminder log stores them."""
    return (item.pk, None) if item.kind == ItemKind.MEASURE else (None, item.pk)


def absolute_url(path: str) -> str:
    return settings.ZIELWERK_BASE_URL.rstrip("/") + path


def send_reminders(today: datetime.date, *, dry_run: bool = False) -> ReminderRun:
    """Remind people of updates due within ZIELWERK_REMINDER_DAYS_BEFORE days ("before") and
    of updates past their due date ("after"): one e-mail per person listing all their items.
    Each (item, period, kind) is reminded once; the log records it only when a mail went out,
    so items whose people have no address are reminded once someone with an address answers."""
    run = ReminderRun(dry_run=dry_run)
    days_before = settings.ZIELWERK_REMINDER_DAYS_BEFORE
    updates = open_updates(tracked_items(today), today)
    sent = set(
        Reminder.objects.filter(due__gte=min((u.duty.due for u in updates), default=today))
        .values_list("measure_id", "indicator_id", "period", "kind")
        .iterator()
    )
    without_email: dict[int, Person] = {}
    for update in updates:
        kind = _reminder_kind(update.duty, today, days_before)
        if kind is None or (*_item_key(update.item), update.duty.period.label, kind) in sent:
            continue
        if not update.item.responsible:
            run.unassigned.append(update)
            continue
        recipients = tuple(p for p in update.item.responsible if p.user.email)
        without_email.update((p.pk, p) for p in update.item.responsible if not p.user.email)
        if not recipients:
            continue
        planned = PlannedReminder(update, kind, recipients)
        run.reminders.append(planned)
        for person in recipients:
            run.mails.setdefault(person, []).append(planned)
    run.without_email = sorted(without_email.values(), key=str)
    if dry_run:
        return run
    reached = _send_mails(run)
    Reminder.objects.bulk_create(
        [
            Reminder(
                measure_id=_item_key(p.update.item)[0],
                indicator_id=_item_key(p.update.item)[1],
                period=p.update.duty.period.label,
                kind=p.kind,
                due=p.update.duty.due,
                recipients=", ".join(r.user.email for r in p.recipients if r.pk in reached),
            )
            for p in run.reminders
            if any(r.pk in reached for r in p.recipients)
        ],
        ignore_conflicts=True,
    )
    return run


def _send_mails(run: ReminderRun) -> set[int]:
    def compose(person: Person, planned: list[PlannedReminder]) -> tuple[str, str]:
        subject = ngettext(
            "zielwerk: Erinnerung an %(count)s Aktualisierung",
            "zielwerk: Erinnerung an %(count)s Aktualisierungen",
            len(planned),
        ) % {"count": len(planned)}
        return subject, reminder_text(person, planned)

    return send_personal_mails(run.mails, compose, run.failed)


def send_personal_mails(
    mails: Mapping[Person, M], compose: Callable[[Person, M], tuple[str, str]], failed: list[str]
) -> set[int]:
    """One mail (subject, body from `compose`) per person over one connection, in the source
    language; returns the people reached and adds the addresses that failed to `failed`."""
    connection = get_connection()
    try:
        connection.open()
    except (smtplib.SMTPException, OSError):
        failed.extend(person.user.email for person in mails)
        return set()
    reached = set()
    with translation.override(settings.LANGUAGE_CODE):
        try:
            for person, content in mails.items():
                subject, body = compose(person, content)
                message = EmailMessage(subject, body, to=[person.user.email], connection=connection)
                try:
                    message.send()
                except (smtplib.SMTPException, OSError):
                    failed.append(person.user.email)
                else:
                    reached.add(person.pk)
        finally:
            connection.close()
    return reached


def reminder_text(person: Person, planned: list[PlannedReminder]) -> str:
    def entries(kind: Reminder.Kind) -> list[dict]:
        return [
            {"update": p.update, "url": absolute_url(p.update.item.admin_path)}
            for p in planned
            if p.kind == kind
        ]

    return render_to_string(
        "updates/reminder_mail.txt",
        {
            "person": person,
            "overdue": entries(Reminder.Kind.AFTER),
            "due": entries(Reminder.Kind.BEFORE),
            "my_updates_url": absolute_url(reverse("updates:mine")),
        },
    )

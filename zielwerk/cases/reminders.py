"""Reminders about overdue cases: one e-mail per person listing their overdue cases.

Who is reminded: the case's owner while their login is active; otherwise the editors of the
case's unit (or of the category's unit for a case without one), or of the nearest unit above
it that has editors — the same fallback as update reminders (updates/services.py). Each
(case, kind) is reminded once: CaseReminder records it when a mail reached someone, so a case
whose people have no address is reminded once someone with an address answers for it. The
mail names cases by number, kind, category and due date only, never the sender's data."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zielwerk.cases.models import CaseReminder
from zielwerk.cases.servicelevel import Overdue, overdue_cases
from zielwerk.org.models import Person
from zielwerk.updates.services import People, send_personal_mails


@dataclass
class CaseReminderRun:
    """What one run did (or, as a dry run, would do)."""

    dry_run: bool
    mails: dict[Person, list[Overdue]] = field(default_factory=dict)
    without_email: list[Person] = field(default_factory=list)
    unassigned: list[Overdue] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def reminders(self) -> int:
        return len({(o.case.pk, o.kind) for found in self.mails.values() for o in found})

    def summary(self) -> str:
        count = self.reminders
        reminders = ngettext(
            "%(count)s Erinnerung zu Fällen", "%(count)s Erinnerungen zu Fällen", count
        ) % {"count": count}
        people = ngettext("an %(count)s Person", "an %(count)s Personen", len(self.mails)) % {
            "count": len(self.mails)
        }
        if not count:
            parts = [_("Keine Erinnerung zu Fällen zu senden")]
        elif self.dry_run:
            parts = [
                _("Probelauf: %(reminders)s %(people)s würden gesendet")
                % {"reminders": reminders, "people": people}
            ]
        else:
            parts = [
                _("%(reminders)s %(people)s gesendet") % {"reminders": reminders, "people": people}
            ]
        if self.without_email:
            parts.append(
                _("ohne E-Mail-Adresse: %(names)s")
                % {"names": ", ".join(str(p) for p in self.without_email)}
            )
        if self.unassigned:
            parts.append(
                _("Fälle ohne Zuständige: %(numbers)s")
                % {"numbers": ", ".join(sorted({o.case.number for o in self.unassigned}))}
            )
        if self.failed:
            parts.append(
                _("Versand gescheitert an: %(addresses)s") % {"addresses": ", ".join(self.failed)}
            )
        return "; ".join(parts) + "."


def _responsible(overdue: Overdue, people: People) -> tuple[Person, ...]:
    case = overdue.case
    if case.owner is not None and case.owner.user.is_active:
        return (case.owner,)
    unit_id = case.unit_id or (case.category.unit_id if case.category else None)
    return people.for_unit(unit_id)


def send_case_reminders(today: datetime.date, *, dry_run: bool = False) -> CaseReminderRun:
    """Remind the responsible people of every overdue deadline not reminded yet."""
    run = CaseReminderRun(dry_run=dry_run)
    found = overdue_cases(today)
    sent = set(
        CaseReminder.objects.filter(case__in=[o.case.pk for o in found]).values_list(
            "case_id", "kind"
        )
    )
    people = People()
    without_email: dict[int, Person] = {}
    for overdue in found:
        if (overdue.case.pk, overdue.kind) in sent:
            continue
        responsible = _responsible(overdue, people)
        if not responsible:
            run.unassigned.append(overdue)
            continue
        without_email.update((p.pk, p) for p in responsible if not p.user.email)
        for person in responsible:
            if person.user.email:
                run.mails.setdefault(person, []).append(overdue)
    run.without_email = sorted(without_email.values(), key=str)
    if dry_run or not run.mails:
        return run
    reached = _send(run)
    now = timezone.now()
    recipients: dict[tuple[int, str], Person] = {}
    for person, overdues in run.mails.items():
        if person.pk in reached:
            for overdue in overdues:
                recipients.setdefault((overdue.case.pk, overdue.kind), person)
    CaseReminder.objects.bulk_create(
        [
            CaseReminder(case_id=case_id, kind=kind, sent_at=now, recipient=person)
            for (case_id, kind), person in recipients.items()
        ],
        ignore_conflicts=True,
    )
    return run


def _send(run: CaseReminderRun) -> set[int]:
    def compose(person: Person, overdues: list[Overdue]) -> tuple[str, str]:
        subject = ngettext(
            "zielwerk: %(count)s überfällige Frist bei Fällen",
            "zielwerk: %(count)s überfällige Fristen bei Fällen",
            len(overdues),
        ) % {"count": len(overdues)}
        body = render_to_string("cases/reminder_mail.txt", {"person": person, "overdues": overdues})
        return subject, body

    return send_personal_mails(run.mails, compose, run.failed)

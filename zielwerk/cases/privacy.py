"""Personal data of cases under the DSGVO: erasure after the retention period and the export of
everything stored about one person (Auskunft, Art. 15 DSGVO).

Erasure removes the `Contact` and the free text of the case, which the person wrote and which may
name people; everything the figures need (kind, category, unit, dates, states, decision) and the
texts staff wrote for the public stay, so service levels and statistics do not change."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from zielwerk.cases.models import Case, CaseEvent, Contact

# Stored untranslated like every history step (intake.RECEIVED_STEP); pages translate them.
PURGED_TEXT = gettext_noop("[nach Ablauf der Aufbewahrungsfrist gelöscht]")
PURGED_STEP = gettext_noop("personenbezogene Daten gelöscht")
BATCH = 1000


@dataclass
class PurgeSummary:
    cases: int
    contacts: int
    dry_run: bool
    answered_before: datetime.datetime
    received_before: datetime.datetime

    def line(self) -> str:
        """Counts only: the output of a scheduled job ends up in logs."""
        verb = "würden gelöscht" if self.dry_run else "gelöscht"
        return (
            f"Personenbezogene Daten von {self.cases} Fällen {verb} "
            f"({self.contacts} Kontaktdaten; beantwortet vor dem "
            f"{self.answered_before:%d.%m.%Y}, unbeantwortet eingegangen vor dem "
            f"{self.received_before:%d.%m.%Y})."
        )


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def cases_due_for_purge(
    answered_before: datetime.datetime, received_before: datetime.datetime
) -> QuerySet[Case]:
    """Cases past their retention period that still hold personal data."""
    return Case.objects.filter(
        Q(completed_at__lt=answered_before)
        | Q(completed_at__isnull=True, received_at__lt=received_before)
    ).filter(Q(contact__isnull=False) | ~Q(text=PURGED_TEXT))


@transaction.atomic
def purge_personal_data(
    today: datetime.date | None = None, *, dry_run: bool = False
) -> PurgeSummary:
    """Erase contact data and free text of every case past its retention period and note the
    erasure in the case's internal history. Running it again erases nothing twice.

    Answered cases are kept for ZIELWERK_CASE_RETENTION_DAYS after their answer; a case never
    answered is kept twice as long after it came in, so a forgotten case cannot hold data for
    ever."""
    today = today or timezone.localdate()
    days = settings.ZIELWERK_CASE_RETENTION_DAYS
    answered_before = _start_of(today - datetime.timedelta(days=days))
    received_before = _start_of(today - datetime.timedelta(days=2 * days))
    due = cases_due_for_purge(answered_before, received_before)
    ids = list(due.values_list("pk", flat=True))
    contacts = Contact.objects.filter(case__in=due).count()
    summary = PurgeSummary(len(ids), contacts, dry_run, answered_before, received_before)
    if dry_run:
        return summary
    now = timezone.now()
    # In batches: a first run on years of cases must stay within SQLite's limit of parameters.
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        Contact.objects.filter(case_id__in=batch).delete()
        states = dict(Case.objects.filter(pk__in=batch).values_list("pk", "state"))
        # The fingerprint is a hash of the text: short texts could be found again by trying.
        Case.objects.filter(pk__in=batch).update(text=PURGED_TEXT, fingerprint="")
        CaseEvent.objects.bulk_create(
            CaseEvent(case_id=pk, at=now, state=states[pk], step=PURGED_STEP, is_public=False)
            for pk in batch
        )
    return summary


def _moment(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def export_personal_data(email: str) -> dict[str, Any]:
    """Everything stored about the person with this e-mail address (case-insensitive), as
    JSON-ready data with German keys: their contact data and, per case, what they wrote and what
    the administration told them (states, public history, decision, reasons, answer). Internal
    notes and the internal history are staff working material, not listed here."""
    cases = (
        Case.objects.filter(contact__email__iexact=email.strip())
        .select_related("contact", "category")
        .prefetch_related("events")
        .order_by("received_at", "pk")
    )
    # Labels in German like the keys, whatever language the caller runs in.
    with translation.override("de"):
        records = [_case_record(case) for case in cases]
    return {
        "auskunft_zu_email": email.strip(),
        "erstellt_am": _moment(timezone.now()),
        "anzahl_faelle": len(records),
        "faelle": records,
    }


def _case_record(case: Case) -> dict[str, Any]:
    contact = case.contact
    return {
        "nummer": case.number,
        "art": str(case.get_kind_display()),
        "kategorie": case.category.name if case.category else None,
        "eingangsweg": str(case.get_channel_display()),
        "sprache": case.language,
        "anliegen": case.text,
        "stand": str(case.get_state_display()),
        "entscheidung": str(case.get_decision_display()) if case.decision else None,
        "begruendung": case.public_reason,
        "antwort": case.answer,
        "eingegangen_am": _moment(case.received_at),
        "erste_antwort_am": _moment(case.first_answer_at),
        "erledigt_am": _moment(case.completed_at),
        "kontaktdaten": {
            "name": contact.name,
            "email": contact.email,
            "telefon": contact.phone,
            "benachrichtigung_gewuenscht": contact.notify,
            "einwilligung_am": _moment(contact.consent_at),
        },
        "verlauf": [
            {
                "zeitpunkt": _moment(event.at),
                "schritt": event.step,
                "stand": str(event.get_state_display()),
            }
            for event in case.events.all()
            if event.is_public
        ],
    }

"""Intake of cases (C6, C7): the one service both the public form and staff intake (meetings,
employee dialogue, e-mail, phone) go through, so that every case gets its number, unit,
history and duplicate check the same way."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zielwerk.cases.models import Case, CaseEvent, Category, Contact
from zielwerk.goals.models import OperativeGoal

MAX_TEXT_LENGTH = 5000
DUPLICATE_WINDOW = timedelta(minutes=10)
NUMBER_PREFIX = "A"
NUMBER_DIGITS = 5
NUMBER_ATTEMPTS = 5
# Stored untranslated in the history; status pages translate it for the reader's language.
RECEIVED_STEP = gettext_noop("eingegangen")


class DuplicateCase(ValueError):
    """The same text of the same kind and category arrived moments ago (a double submit)."""

    def __init__(self, case: Case) -> None:
        super().__init__(
            _("Dieses Anliegen ist bereits als %(number)s eingegangen.") % {"number": case.number}
        )
        self.case = case


@dataclass(frozen=True)
class ContactData:
    name: str = ""
    email: str = ""
    phone: str = ""
    notify: bool = False
    consent: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.name.strip() or self.email.strip() or self.phone.strip())


def normalise_text(text: str) -> str:
    """Whitespace and case do not make a second submission a different one."""
    return " ".join(text.split()).casefold()


def fingerprint(
    text: str, kind: str, category: Category | None, contact: ContactData | None = None
) -> str:
    """What makes a submission the same: the sender too, so that people sending one campaign
    text are separate cases and a copied text never leads to someone else's status link."""
    key = category.key if category else ""
    sender = (
        "" if contact is None else normalise_text(f"{contact.email} {contact.name} {contact.phone}")
    )
    material = f"{kind}\n{key}\n{sender}\n{normalise_text(text)}"
    return hashlib.sha256(material.encode()).hexdigest()


def _validate(kind: str, text: str, channel: str, contact: ContactData | None) -> None:
    errors: dict[str, str] = {}
    if kind not in Case.Kind.values:
        errors["kind"] = _("Unbekannte Art „%(kind)s“; erlaubt sind: %(allowed)s.") % {
            "kind": kind,
            "allowed": ", ".join(Case.Kind.values),
        }
    if channel not in Case.Channel.values:
        errors["channel"] = _(
            "Unbekannter Eingangsweg „%(channel)s“; erlaubt sind: %(allowed)s."
        ) % {
            "channel": channel,
            "allowed": ", ".join(Case.Channel.values),
        }
    if not text.strip():
        errors["text"] = _("Das Anliegen ist leer.")
    elif len(text) > MAX_TEXT_LENGTH:
        errors["text"] = _(
            "Das Anliegen ist zu lang: %(length)d Zeichen, höchstens %(limit)d sind möglich."
        ) % {"length": len(text), "limit": MAX_TEXT_LENGTH}
    if contact is not None and not contact.is_empty:
        if not contact.consent:
            errors["consent"] = _(
                "Kontaktdaten werden nur mit Einwilligung gespeichert; die Einwilligung fehlt."
            )
        if contact.notify and not contact.email.strip():
            errors["email"] = _(
                "Für eine Benachrichtigung per E-Mail wird eine E-Mail-Adresse gebraucht."
            )
    if errors:
        raise ValidationError(errors)


def find_duplicate(print_: str, received_at: datetime) -> Case | None:
    return (
        Case.objects.filter(
            fingerprint=print_,
            received_at__gte=received_at - DUPLICATE_WINDOW,
            received_at__lte=received_at + DUPLICATE_WINDOW,
        )
        .order_by("received_at")
        .first()
    )


def next_number(year: int) -> str:
    prefix = f"{NUMBER_PREFIX}-{year}-"
    # Longest first, then highest, so that numbers past 99999 still sort after shorter ones.
    last = (
        Case.objects.filter(number__startswith=prefix)
        .order_by(Length("number").desc(), "-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{sequence:0{NUMBER_DIGITS}d}"


def _insert_with_number(case: Case) -> None:
    """Two intakes at the same moment may compute the same number: the unique constraint
    rejects the second, which then takes the next free one."""
    year = timezone.localtime(case.received_at).year
    for attempt in range(NUMBER_ATTEMPTS):
        case.number = next_number(year)
        try:
            with transaction.atomic():
                case.save(force_insert=True)
            return
        except IntegrityError:
            taken = Case.objects.filter(number=case.number).exists()
            if not taken or attempt == NUMBER_ATTEMPTS - 1:
                raise
            case.pk = None


def create_case(
    *,
    kind: str,
    text: str,
    channel: str,
    category: Category | None = None,
    contact: ContactData | None = None,
    user=None,
    language: str = "de",
    received_at: datetime | None = None,
    operative_goals: Iterable[OperativeGoal] = (),
) -> Case:
    """Store a new case with its first history entry and, given data and consent, its contact.

    Raises ValidationError (by field) for bad input and DuplicateCase for a double submit;
    nothing is stored in either case."""
    _validate(kind, text, channel, contact)
    received_at = received_at or timezone.now()
    print_ = fingerprint(text, kind, category, contact)
    with transaction.atomic():
        existing = find_duplicate(print_, received_at)
        if existing is not None:
            raise DuplicateCase(existing)
        case = Case(
            kind=kind,
            category=category,
            text=text,
            channel=channel,
            unit=category.unit if category else None,
            received_at=received_at,
            language=language,
            created_by=user if user is not None and user.is_authenticated else None,
            fingerprint=print_,
        )
        _insert_with_number(case)
        goals = list(operative_goals)
        if goals:
            case.operative_goals.set(goals)
        if contact is not None and not contact.is_empty:
            Contact.objects.create(
                case=case,
                name=contact.name.strip(),
                email=contact.email.strip(),
                phone=contact.phone.strip(),
                notify=contact.notify,
                consent_at=timezone.now(),
            )
        CaseEvent.objects.create(
            case=case,
            at=received_at,
            actor=case.created_by,
            state=Case.State.RECEIVED,
            step=RECEIVED_STEP,
            is_public=True,
        )
    return case

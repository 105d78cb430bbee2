"""The work on a case after intake (C6, C7), step by step.

Impulses go received → evaluated (against the Handlungsleitbild and the goals, with reasons) →
decided (accepted, rejected with a public reason, or "in Prüfung", which is decided again later)
→ implemented (by a measure or goals; accepted impulses only) → answered. An impulse can be
answered from every state after its evaluation, so one that does not fit or was rejected is
closed with an answer too. Complaints and praise are not evaluated against the Leitbild: once
a unit is assigned they are answered directly.

Every step is a function here that checks the permission, refuses a step that does not fit the
state with a German message, records a CaseEvent and saves, all in one transaction. Public steps
(what the sender may follow on their status page) count as the first answer if none is recorded
yet and notify the sender after the commit. Assignment, a first answer recorded by hand,
changed public texts and the withdrawal from the public page stay internal; internal notes
write no event at all, so their text never reaches a status page or a mail."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zielwerk.cases.intake import create_case
from zielwerk.cases.models import Case, CaseEvent, CaseNote
from zielwerk.cases.notifications import notify_sender
from zielwerk.goals.models import OperativeGoal
from zielwerk.measures.models import Measure
from zielwerk.org.models import OrgUnit, Person
from zielwerk.org.services import person_of

# Steps are stored untranslated like intake.RECEIVED_STEP; pages translate them.
EVALUATED_STEP = gettext_noop("bewertet")
DECISION_STEPS = {
    Case.Decision.ACCEPTED: gettext_noop("angenommen"),
    Case.Decision.REJECTED: gettext_noop("abgelehnt"),
    Case.Decision.CONSIDERING: gettext_noop("in Prüfung"),
}
IMPLEMENTED_STEP = gettext_noop("umgesetzt")
ANSWERED_STEP = gettext_noop("beantwortet")
RELEASED_STEP = gettext_noop("veröffentlicht unter „Sie haben gesagt – wir haben getan“")
FIRST_ANSWER_STEP = gettext_noop("erste Antwort vermerkt")
RETEXTED_STEP = gettext_noop("öffentlichen Text geändert")
WITHDRAWN_STEP = gettext_noop("Veröffentlichung zurückgenommen")

S = Case.State
OPEN_FOR_ANSWER = (S.EVALUATED, S.DECIDED, S.IMPLEMENTED)


class CaseError(ValueError):
    """A step on a case that cannot be done; the message says why (German)."""


class CasePermissionError(CaseError):
    """The user may not do this step."""


def _refuse(reason: str | None) -> None:
    if reason is not None:
        raise CaseError(reason)


def _require_work(case: Case, user: AbstractBaseUser) -> None:
    if not user.has_perm("cases.work_on_case", case):
        raise CasePermissionError(
            _(
                "Sie dürfen den Fall %(number)s nicht bearbeiten: Das dürfen die Strategiestelle, "
                "Bearbeitende der zuständigen Einheit und die Person, der er zugewiesen ist."
            )
            % {"number": case.number}
        )


def _require_office(user: AbstractBaseUser) -> None:
    if not user.has_perm("cases.release_case"):
        raise CasePermissionError(_("Diesen Schritt macht nur die Strategiestelle."))


def _lock(case: Case) -> None:
    """Work on the stored state, and keep a second tab from doing the same step at once."""
    Case.objects.select_for_update().get(pk=case.pk)
    case.refresh_from_db()


def _required(text: str, message: str) -> str:
    text = text.strip()
    if not text:
        raise CaseError(message)
    return text


def _state_text(case: Case) -> str:
    if case.state == S.DECIDED and case.decision:
        return f"{case.get_state_display()} ({case.get_decision_display()})"
    return str(case.get_state_display())


def _in_state(case: Case, allowed: str) -> str:
    return _("Der Fall %(number)s ist „%(state)s“; %(allowed)s") % {
        "number": case.number,
        "state": _state_text(case),
        "allowed": allowed,
    }


def _record(
    case: Case, user: AbstractBaseUser, step: str, *, public: bool, answers: bool = False
) -> CaseEvent:
    """Save the case with the event of step; a public step (or one that answers) is the first
    answer if none is recorded yet."""
    now = timezone.now()
    if (public or answers) and case.first_answer_at is None:
        case.first_answer_at = now
    case.save()
    event = CaseEvent.objects.create(
        case=case, at=now, actor=user, state=case.state, step=step, is_public=public
    )
    if public:
        # After the commit only: a step undone by a later error must not be announced.
        transaction.on_commit(partial(notify_sender, case, event))
    return event


# Why a step does not fit the case's state, or None; shared by the steps and allowed_steps.


def _assign_refusal(case: Case) -> str | None:
    if case.state == S.ANSWERED:
        return _in_state(case, _("ein beantworteter Fall wird nicht mehr zugewiesen."))
    return None


def _unit_refusal(case: Case) -> str | None:
    if case.unit_id is None:
        return _(
            "Der Fall %(number)s ist noch keiner Einheit zugewiesen; bitte zuerst zuweisen."
        ) % {"number": case.number}
    return None


def _impulse_refusal(case: Case) -> str | None:
    if case.kind != Case.Kind.IMPULSE:
        return _(
            "Der Fall %(number)s ist „%(kind)s“: Beschwerden und Lob werden nicht gegen das "
            "Handlungsleitbild bewertet, sondern nach der Zuweisung direkt beantwortet."
        ) % {"number": case.number, "kind": case.get_kind_display()}
    return _unit_refusal(case)


def _evaluate_refusal(case: Case) -> str | None:
    if (refusal := _impulse_refusal(case)) is not None:
        return refusal
    if case.state not in (S.RECEIVED, S.EVALUATED):
        return _in_state(case, _("bewertet werden nur eingegangene oder bewertete Impulse."))
    return None


def _decide_refusal(case: Case) -> str | None:
    if (refusal := _impulse_refusal(case)) is not None:
        return refusal
    open_decision = case.state == S.DECIDED and case.decision == Case.Decision.CONSIDERING
    if case.state != S.EVALUATED and not open_decision:
        return _in_state(
            case, _("entschieden wird über bewertete Impulse oder solche „in Prüfung“.")
        )
    return None


def _implement_refusal(case: Case) -> str | None:
    if (refusal := _impulse_refusal(case)) is not None:
        return refusal
    if case.state != S.DECIDED or case.decision != Case.Decision.ACCEPTED:
        return _in_state(case, _("umgesetzt werden nur angenommene Impulse."))
    return None


def _answer_refusal(case: Case) -> str | None:
    if (refusal := _unit_refusal(case)) is not None:
        return refusal
    if case.state == S.ANSWERED:
        return _in_state(case, _("er ist schon beantwortet."))
    if case.kind == Case.Kind.IMPULSE and case.state not in OPEN_FOR_ANSWER:
        return _in_state(
            case, _("ein Impuls wird erst gegen das Handlungsleitbild bewertet, dann beantwortet.")
        )
    return None


def _first_answer_refusal(case: Case) -> str | None:
    if case.first_answer_at is not None:
        return _("Die erste Antwort zu %(number)s ist schon am %(date)s vermerkt.") % {
            "number": case.number,
            "date": formats.date_format(
                timezone.localtime(case.first_answer_at), "SHORT_DATETIME_FORMAT"
            ),
        }
    return None


def _release_refusal(case: Case) -> str | None:
    accepted = case.kind == Case.Kind.IMPULSE and case.decision == Case.Decision.ACCEPTED
    if not accepted or case.state not in (S.IMPLEMENTED, S.ANSWERED):
        return _in_state(
            case,
            _(
                "veröffentlicht werden nur angenommene Impulse, die umgesetzt oder "
                "beantwortet sind."
            ),
        )
    return None


def _withdraw_refusal(case: Case) -> str | None:
    if not case.is_public:
        return _("Der Fall %(number)s ist nicht veröffentlicht.") % {"number": case.number}
    return None


@dataclass(frozen=True)
class Allowed:
    """The steps a user may take now on a case (for showing the right forms)."""

    assign: bool = False
    evaluate: bool = False
    decide: bool = False
    implement: bool = False
    answer: bool = False
    first_answer: bool = False
    note: bool = False
    release: bool = False
    withdraw: bool = False


def allowed_steps(case: Case, user: AbstractBaseUser) -> Allowed:
    works = user.has_perm("cases.work_on_case", case)
    office = user.has_perm("cases.release_case")
    return Allowed(
        assign=works and _assign_refusal(case) is None,
        evaluate=works and _evaluate_refusal(case) is None,
        decide=works and _decide_refusal(case) is None,
        implement=works and _implement_refusal(case) is None,
        answer=works and _answer_refusal(case) is None,
        first_answer=works and _first_answer_refusal(case) is None,
        note=works,
        release=office and _release_refusal(case) is None,
        withdraw=office and _withdraw_refusal(case) is None,
    )


@transaction.atomic
def assign(case: Case, unit: OrgUnit | None, owner: Person | None, user: AbstractBaseUser) -> Case:
    """Give the case to a unit and optionally a person of the administration; an editor may
    also pass a case on to another unit."""
    _lock(case)
    _require_work(case, user)
    _refuse(_assign_refusal(case))
    if unit is None:
        raise CaseError(_("Bitte die zuständige Einheit wählen."))
    if owner is not None and owner.role == Person.Role.VIEWER:
        raise CaseError(
            _("%(person)s hat nur Leserechte und kann keine Fälle bearbeiten.") % {"person": owner}
        )
    if (case.unit_id, case.owner_id) == (unit.pk, owner.pk if owner else None):
        return case
    _record_assignment(case, unit, owner, user)
    return case


def _record_assignment(
    case: Case, unit: OrgUnit, owner: Person | None, user: AbstractBaseUser
) -> None:
    case.unit, case.owner = unit, owner
    # Names of units and people cannot be translated later: this step is stored in German.
    with translation.override(settings.LANGUAGE_CODE):
        if owner is None:
            step = _("zugewiesen an %(unit)s") % {"unit": unit}
        else:
            step = _("zugewiesen an %(unit)s, bearbeitet von %(person)s") % {
                "unit": unit,
                "person": owner,
            }
    _record(case, user, step[:200], public=False)


@transaction.atomic
def take_in(user: AbstractBaseUser, **data: Any) -> Case:
    """Staff intake through intake.create_case (same validation, number and duplicate check).
    A case whose category names no unit goes to the editor who took it in, so that it does
    not sit where only the strategy office can see to it."""
    if not user.has_perm("cases.add_case"):
        raise CasePermissionError(
            _("Fälle erfassen dürfen die Strategiestelle und Bearbeitende der Einheiten.")
        )
    case = create_case(user=user, **data)
    person = person_of(user)
    is_editor = person is not None and person.role == Person.Role.EDITOR
    if case.unit_id is None and is_editor and person.unit is not None:
        _record_assignment(case, person.unit, person, user)
    return case


@transaction.atomic
def evaluate(
    case: Case,
    fits: bool,
    reasons: str,
    user: AbstractBaseUser,
    goals: Iterable[OperativeGoal] = (),
) -> Case:
    """Record whether the impulse fits the Handlungsleitbild and the goals, and why; goals
    are linked to the case in addition to those it already has."""
    _lock(case)
    _require_work(case, user)
    _refuse(_evaluate_refusal(case))
    reasons = _required(
        reasons,
        _(
            "Zur Bewertung fehlt die Begründung: Warum passt der Impuls zum Handlungsleitbild "
            "und zu den Zielen oder nicht?"
        ),
    )
    case.fits_leitbild, case.evaluation, case.state = bool(fits), reasons, S.EVALUATED
    case.operative_goals.add(*goals)
    _record(case, user, EVALUATED_STEP, public=True)
    return case


@transaction.atomic
def decide(case: Case, decision: str, public_reason: str, user: AbstractBaseUser) -> Case:
    """Accept, reject (with a reason the sender reads) or keep an evaluated impulse "in
    Prüfung"; an impulse in Prüfung is decided again later."""
    _lock(case)
    _require_work(case, user)
    _refuse(_decide_refusal(case))
    if decision not in Case.Decision.values:
        raise CaseError(
            _("Unbekannte Entscheidung „%(decision)s“; erlaubt sind: %(allowed)s.")
            % {"decision": decision, "allowed": ", ".join(Case.Decision.values)}
        )
    public_reason = public_reason.strip()
    if decision == Case.Decision.REJECTED and not public_reason:
        raise CaseError(
            _("Eine Ablehnung braucht eine öffentliche Begründung; sie wird der Person mitgeteilt.")
        )
    if decision == Case.Decision.ACCEPTED and case.fits_leitbild is False:
        raise CaseError(
            _(
                "Der Impuls %(number)s passt laut Bewertung nicht zum Handlungsleitbild und kann "
                "nicht angenommen werden; bitte zuerst neu bewerten."
            )
            % {"number": case.number}
        )
    case.decision, case.public_reason, case.state = decision, public_reason, S.DECIDED
    _record(case, user, DECISION_STEPS[Case.Decision(decision)], public=True)
    return case


@transaction.atomic
def implement(
    case: Case,
    user: AbstractBaseUser,
    measure: Measure | None = None,
    goals: Iterable[OperativeGoal] = (),
) -> Case:
    """Mark an accepted impulse as implemented by a measure or operative goals."""
    _lock(case)
    _require_work(case, user)
    _refuse(_implement_refusal(case))
    goals = list(goals)
    if measure is None and not goals:
        raise CaseError(
            _(
                "Bitte die Maßnahme oder mindestens ein operatives Ziel angeben, mit dem der "
                "Impuls umgesetzt wird."
            )
        )
    if measure is not None:
        case.measure = measure
    case.operative_goals.add(*goals)
    case.state = S.IMPLEMENTED
    _record(case, user, IMPLEMENTED_STEP, public=True)
    return case


@transaction.atomic
def answer(case: Case, text: str, user: AbstractBaseUser) -> Case:
    """Send the city's answer and close the case (completion for the service standard)."""
    _lock(case)
    _require_work(case, user)
    _refuse(_answer_refusal(case))
    case.answer = _required(text, _("Die Antwort ist leer."))
    case.state, case.completed_at = S.ANSWERED, timezone.now()
    _record(case, user, ANSWERED_STEP, public=True)
    return case


@transaction.atomic
def record_first_answer(case: Case, user: AbstractBaseUser) -> Case:
    """Note that the sender got a first answer outside zielwerk (a call, a letter); the first
    public step records it by itself."""
    _lock(case)
    _require_work(case, user)
    _refuse(_first_answer_refusal(case))
    _record(case, user, FIRST_ANSWER_STEP, public=False, answers=True)
    return case


@transaction.atomic
def add_note(case: Case, text: str, user: AbstractBaseUser) -> CaseNote:
    """An internal note; never shown to the sender or the public."""
    _require_work(case, user)
    text = _required(text, _("Die Notiz ist leer."))
    return CaseNote.objects.create(case=case, author=user, text=text)


@transaction.atomic
def release(case: Case, public_title: str, public_summary: str, user: AbstractBaseUser) -> Case:
    """Publish an accepted impulse on "Sie haben gesagt – wir haben getan" under a title and a
    summary written without personal data; again on a public case, it changes the texts."""
    _require_office(user)
    _lock(case)
    _refuse(_release_refusal(case))
    title = _required(public_title, _("Für die Veröffentlichung fehlt der öffentliche Titel."))
    limit = Case._meta.get_field("public_title").max_length
    if len(title) > limit:
        raise CaseError(
            _("Der öffentliche Titel ist zu lang: %(length)d Zeichen, höchstens %(limit)d.")
            % {"length": len(title), "limit": limit}
        )
    summary = _required(
        public_summary, _("Für die Veröffentlichung fehlt die öffentliche Zusammenfassung.")
    )
    first_time = not case.is_public
    case.public_title, case.public_summary, case.is_public = title, summary, True
    if first_time:
        _record(case, user, RELEASED_STEP, public=True)
    else:
        _record(case, user, RETEXTED_STEP, public=False)
    return case


@transaction.atomic
def withdraw(case: Case, user: AbstractBaseUser) -> Case:
    """Take a released impulse off the public page again."""
    _require_office(user)
    _lock(case)
    _refuse(_withdraw_refusal(case))
    case.is_public = False
    _record(case, user, WITHDRAWN_STEP, public=False)
    return case

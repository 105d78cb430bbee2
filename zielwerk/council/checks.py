"""The SEK-Check of a council paper (METHODS.md §5), step by step.

A responsible person starts the check (the suggestion engine proposes goals as hints), rates
the affected operative goals from −2 to +2 with a justification or records why the paper is
exempt, and submits it; the strategy office approves it or returns it for rework, and publishes
approved checks. Every step is a function here that checks the permission, refuses a step that
does not fit the state with a German message, and records who did what in the history of the
check and its ratings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zielwerk.council.models import Check, Paper, Rating
from zielwerk.council.suggestions import store_suggestions
from zielwerk.goals.models import OperativeGoal
from zielwerk.goals.queries import current_edition
from zielwerk.org.models import Person
from zielwerk.org.services import person_of


class CheckError(ValueError):
    """A step of the check that cannot be done; the message says why (German)."""


class CheckPermissionError(CheckError):
    """The user may not do this step."""


class RatingErrors(CheckError):
    """Ratings of several goals were refused; nothing of the batch was stored."""

    def __init__(self, errors: dict[int, str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors.values()))


class PaperStatus(models.TextChoices):
    OPEN = "open", gettext_lazy("offen")
    IN_PROGRESS = "in_progress", gettext_lazy("in Bearbeitung")
    CHECKED = "checked", gettext_lazy("geprüft")
    EXEMPT = "exempt", gettext_lazy("ausgenommen")


STATES_OF_STATUS = {
    PaperStatus.IN_PROGRESS: [Check.State.IN_PROGRESS, Check.State.REVIEW],
    PaperStatus.CHECKED: [Check.State.CHECKED],
    PaperStatus.EXEMPT: [Check.State.EXEMPT],
}
APPROVED = (Check.State.CHECKED, Check.State.EXEMPT)
SCORES = frozenset(Rating.Score.values)


@dataclass(frozen=True)
class StatusInfo:
    status: PaperStatus
    in_review: bool
    deadline: dt.date | None
    overdue: bool

    @property
    def label(self) -> str:
        if self.in_review:
            return _("in Bearbeitung (zur Freigabe vorgelegt)")
        return str(self.status.label)


def check_of(paper: Paper) -> Check | None:
    try:
        return paper.sek_check
    except Check.DoesNotExist:
        return None


def paper_status(paper: Paper, today: dt.date | None = None) -> StatusInfo:
    """Where the paper's check stands and whether its deadline has passed unfinished.

    The deadline lies ZIELWERK_SEK_CHECK_DAYS_BEFORE_MEETING days before the meeting; only
    papers that need a check (by their type) can be overdue."""
    today = today or timezone.localdate()
    check = check_of(paper)
    if check is None:
        status = PaperStatus.OPEN
    else:
        status = next(s for s, states in STATES_OF_STATUS.items() if check.state in states)
    deadline = paper.check_deadline
    unfinished = status in (PaperStatus.OPEN, PaperStatus.IN_PROGRESS)
    overdue = (
        paper.needs_check
        and not paper.deleted
        and unfinished
        and deadline is not None
        and today > deadline
    )
    in_review = check is not None and check.state == Check.State.REVIEW
    return StatusInfo(status, in_review, deadline, overdue)


def filter_status(papers: QuerySet[Paper], status: PaperStatus) -> QuerySet[Paper]:
    if status == PaperStatus.OPEN:
        return papers.filter(sek_check__isnull=True)
    return papers.filter(sek_check__state__in=STATES_OF_STATUS[status])


def needing_check(papers: QuerySet[Paper]) -> QuerySet[Paper]:
    return papers.filter(paper_type__in=settings.ZIELWERK_SEK_CHECK_PAPER_TYPES, deleted=False)


def filter_overdue(papers: QuerySet[Paper], today: dt.date | None = None) -> QuerySet[Paper]:
    """Papers needing a check whose deadline (meeting date − days) lies before today and whose
    check is not approved."""
    today = today or timezone.localdate()
    # deadline < today  ⇔  meeting_date < today + days
    latest = today + dt.timedelta(days=settings.ZIELWERK_SEK_CHECK_DAYS_BEFORE_MEETING)
    return needing_check(papers).filter(
        Q(sek_check__isnull=True) | ~Q(sek_check__state__in=APPROVED),
        meeting_date__lt=latest,
    )


@dataclass(frozen=True)
class OverviewRow:
    paper: Paper
    status: StatusInfo


@dataclass(frozen=True)
class Overview:
    overdue: list[OverviewRow]
    pending: list[OverviewRow]
    """Open or in progress, not submitted, deadline not passed (or no meeting date yet)."""
    review: list[OverviewRow]
    """Submitted and waiting for the strategy office."""


def check_overview(today: dt.date | None = None) -> Overview:
    """Every paper needing a check that is not approved yet, soonest deadline first."""
    today = today or timezone.localdate()
    papers = (
        needing_check(Paper.objects.all())
        .filter(Q(sek_check__isnull=True) | ~Q(sek_check__state__in=APPROVED))
        .select_related("unit", "sek_check__responsible__user")
        .order_by(models.F("meeting_date").asc(nulls_last=True), "reference")
    )
    overdue, pending, review = [], [], []
    for paper in papers:
        row = OverviewRow(paper, paper_status(paper, today))
        if row.status.in_review:
            review.append(row)
        if row.status.overdue:
            overdue.append(row)
        elif not row.status.in_review:
            pending.append(row)
    return Overview(overdue, pending, review)


@dataclass(frozen=True)
class Allowed:
    """The steps a user may take now on a paper's check (for showing the right buttons)."""

    start: bool = False
    work: bool = False
    approve: bool = False
    give_back: bool = False
    publish: bool = False


def allowed_steps(paper: Paper, user: AbstractBaseUser) -> Allowed:
    check = check_of(paper)
    if check is None:
        return Allowed(start=not paper.deleted and user.has_perm("council.start_check", paper))
    office = user.has_perm("council.approve_check", check)
    return Allowed(
        work=check.state == Check.State.IN_PROGRESS
        and user.has_perm("council.work_on_check", check),
        approve=office and check.state == Check.State.REVIEW,
        give_back=office and check.state != Check.State.IN_PROGRESS,
        publish=check.state in APPROVED
        and not check.is_public
        and user.has_perm("council.publish_check", check),
    )


def _require(user: AbstractBaseUser, perm: str, obj: Paper | Check, message: str) -> None:
    if not user.has_perm(perm, obj):
        raise CheckPermissionError(message)


def _record(obj: Check | Rating, user: AbstractBaseUser, reason: str) -> None:
    obj._history_user = user
    obj._change_reason = reason
    obj.save()


def _require_work(check: Check, user: AbstractBaseUser) -> None:
    _require(
        user,
        "council.work_on_check",
        check,
        _(
            "Sie dürfen den SEK-Check zu „%(paper)s“ nicht bearbeiten: Das dürfen die "
            "Strategiestelle, Bearbeitende der federführenden Einheit und die verantwortliche "
            "Person."
        )
        % {"paper": check.paper},
    )
    if check.state != Check.State.IN_PROGRESS:
        raise CheckError(
            _(
                "Der SEK-Check zu „%(paper)s“ ist „%(state)s“ und kann nicht mehr geändert "
                "werden; die Strategiestelle kann ihn zur Überarbeitung zurückgeben."
            )
            % {"paper": check.paper, "state": check.get_state_display()}
        )


@transaction.atomic
def start_check(paper: Paper, user: AbstractBaseUser, responsible: Person | None = None) -> Check:
    """Begin the check of paper against the goals of the current edition and store the goal
    suggestions; responsible defaults to the person starting it, and only the strategy office
    names someone else."""
    _require(
        user,
        "council.start_check",
        paper,
        _(
            "Sie dürfen für „%(paper)s“ keinen SEK-Check beginnen: Das dürfen die "
            "Strategiestelle und Bearbeitende der federführenden Einheit."
        )
        % {"paper": paper},
    )
    starter = person_of(user)
    if responsible not in (None, starter) and not user.has_perm("council.approve_check", paper):
        raise CheckPermissionError(_("Wer verantwortlich ist, legt die Strategiestelle fest."))
    if paper.deleted:
        raise CheckError(
            _("Die Vorlage „%(paper)s“ ist in der Quelle gelöscht.") % {"paper": paper}
        )
    if check_of(paper) is not None:
        raise CheckError(_("Für „%(paper)s“ gibt es schon einen SEK-Check.") % {"paper": paper})
    edition = current_edition()
    if edition is None:
        raise CheckError(
            _(
                "Es gibt keine aktuelle veröffentlichte Ausgabe des SEK, deren Ziele bewertet "
                "werden können."
            )
        )
    check = Check(paper=paper, edition=edition, responsible=responsible or starter)
    _record(check, user, _("SEK-Check begonnen"))
    store_suggestions(check)
    return check


def rate(
    check: Check,
    goal: OperativeGoal,
    score: int | None,
    justification: str,
    user: AbstractBaseUser,
) -> Rating | None:
    """Rate how the paper affects goal (−2 … +2, with a justification); score None means
    "nicht betroffen" and removes a rating given before."""
    _require_work(check, user)
    if goal.strategic_goal.field.edition_id != check.edition_id:
        raise CheckError(
            _("Das Ziel %(goal)s gehört nicht zur Ausgabe „%(edition)s“ dieses Checks.")
            % {"goal": goal.code, "edition": check.edition.name}
        )
    existing = check.ratings.filter(goal=goal).first()
    if score is None:
        if existing is not None:
            existing._history_user = user
            existing._change_reason = _("%(goal)s: nicht betroffen (Bewertung entfernt)") % {
                "goal": goal.code
            }
            existing.delete()
        return None
    if isinstance(score, bool) or score not in SCORES:
        raise CheckError(
            _("%(goal)s: Die Bewertung muss eine ganze Zahl von −2 bis +2 sein, nicht „%(score)s“.")
            % {"goal": goal.code, "score": score}
        )
    justification = justification.strip()
    if not justification:
        raise CheckError(_("%(goal)s: Zur Bewertung fehlt die Begründung.") % {"goal": goal.code})
    if existing and (existing.score, existing.justification) == (score, justification):
        return existing
    rating = existing or Rating(check_ref=check, goal=goal)
    rating.score, rating.justification = score, justification
    _record(
        rating,
        user,
        _("%(goal)s bewertet: %(score)s")
        % {"goal": goal.code, "score": rating.get_score_display()},
    )
    return rating


@transaction.atomic
def save_ratings(
    check: Check,
    entries: list[tuple[OperativeGoal, int | None, str]],
    user: AbstractBaseUser,
) -> None:
    """Rate several goals at once (as the check page sends them): all or nothing, every refused
    goal named (RatingErrors keyed by goal id)."""
    _require_work(check, user)
    errors: dict[int, str] = {}
    for goal, score, justification in entries:
        try:
            rate(check, goal, score, justification, user)
        except CheckPermissionError:
            raise
        except CheckError as error:
            errors[goal.pk] = str(error)
    if errors:
        # Raising leaves the atomic block, which undoes the ratings stored before.
        raise RatingErrors(errors)


def goals_to_rate(check: Check) -> tuple[list[OperativeGoal], list[OperativeGoal]]:
    """The goals of the check's edition in two groups: those suggested (best first) or already
    rated, and all others in the order of their codes."""
    goals = list(
        OperativeGoal.objects.filter(strategic_goal__field__edition=check.edition)
        .select_related("strategic_goal__field")
        .order_by("strategic_goal__field__number", "strategic_goal__number", "number")
    )
    ranks = {s.goal_id: s.rank for s in check.suggestions.all()}
    rated = set(check.ratings.values_list("goal_id", flat=True))
    featured = sorted(
        (g for g in goals if g.pk in ranks or g.pk in rated),
        key=lambda g: ranks.get(g.pk, len(ranks) + 1),
    )
    return featured, [g for g in goals if g.pk not in ranks and g.pk not in rated]


def record_exemption(check: Check, reason: str, user: AbstractBaseUser) -> Check:
    """Note why the paper is exempt from the check; an empty reason takes the exemption back."""
    _require_work(check, user)
    reason = reason.strip()
    if reason != check.exemption_reason:
        check.exemption_reason = reason
        _record(check, user, _("Ausnahme eingetragen") if reason else _("Ausnahme aufgehoben"))
    return check


def submit(check: Check, user: AbstractBaseUser) -> Check:
    """Hand the check to the strategy office: it needs ratings or an exemption, not both."""
    _require_work(check, user)
    rated = check.ratings.exists()
    if rated and check.exemption_reason:
        raise CheckError(
            _(
                "Der Check enthält Bewertungen und einen Grund der Ausnahme. Bitte entweder die "
                "Bewertungen auf „nicht betroffen“ setzen oder den Grund der Ausnahme löschen."
            )
        )
    if not rated and not check.exemption_reason:
        raise CheckError(
            _(
                "Bitte mindestens ein betroffenes Ziel bewerten oder einen Grund der Ausnahme "
                "eintragen."
            )
        )
    check.state = Check.State.REVIEW
    check.submitted_at = timezone.now()
    _record(check, user, _("zur Freigabe vorgelegt"))
    return check


def _require_office(check: Check, user: AbstractBaseUser, perm: str) -> None:
    _require(user, perm, check, _("Diesen Schritt macht nur die Strategiestelle."))


def approve(check: Check, user: AbstractBaseUser) -> Check:
    """Approve a submitted check; it counts as checked, or as exempt with a reason."""
    _require_office(check, user, "council.approve_check")
    if check.state != Check.State.REVIEW:
        raise CheckError(
            _(
                "Nur ein zur Freigabe vorgelegter Check kann freigegeben werden; dieser ist "
                "„%(state)s“."
            )
            % {"state": check.get_state_display()}
        )
    check.state = Check.State.EXEMPT if check.exemption_reason else Check.State.CHECKED
    check.approved_at, check.approved_by = timezone.now(), user
    check.review_note = ""
    _record(check, user, _("freigegeben"))
    return check


def return_for_rework(check: Check, user: AbstractBaseUser, note: str) -> Check:
    """Give a submitted or approved check back to the responsible person with a note; an
    approved check loses its approval and publication."""
    _require_office(check, user, "council.approve_check")
    if check.state == Check.State.IN_PROGRESS:
        raise CheckError(_("Der Check ist schon in Bearbeitung."))
    note = note.strip()
    if not note:
        raise CheckError(_("Bitte angeben, was überarbeitet werden soll."))
    check.state = Check.State.IN_PROGRESS
    check.review_note = note
    check.approved_at = check.approved_by = None
    check.is_public = False
    _record(check, user, _("zur Überarbeitung zurückgegeben: %(note)s") % {"note": note})
    return check


def publish(check: Check, user: AbstractBaseUser) -> Check:
    """Show an approved check in the public report."""
    _require_office(check, user, "council.publish_check")
    if check.state not in APPROVED:
        raise CheckError(_("Nur freigegebene Checks können veröffentlicht werden."))
    if not check.is_public:
        check.is_public = True
        _record(check, user, _("veröffentlicht"))
    return check


@dataclass(frozen=True)
class Step:
    when: dt.datetime
    who: str
    what: str


def check_history(check: Check) -> list[Step]:
    """Every recorded step of the check and its ratings, oldest first."""
    records = [
        *check.history.select_related("history_user"),
        *Rating.history.filter(check_ref_id=check.pk).select_related("history_user"),
    ]
    records.sort(key=lambda record: record.history_date)
    return [
        Step(
            record.history_date,
            person_name(record.history_user),
            record.history_change_reason or "",
        )
        for record in records
    ]


def person_name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return "–"
    return user.get_full_name() or user.get_username()

"""Reading papers and SEK-Checks for the public report and the API.

The public sees a check only when the strategy office approved it ("checked") and published it,
its paper is not deleted in the source and its edition is published. Public pages and records
show the paper's number, title, dates, type and leading department, the check's summary and
its ratings with their justification; never the paper's text, an exemption, the person
responsible, who approved it or a note of the review."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from zielwerk.council.models import Check, Paper, Rating
from zielwerk.goals.models import Edition, OperativeGoal
from zielwerk.goals.queries import find_goal

# How many decisions a goal page lists before it links to the full list.
GOAL_PAGE_LIMIT = 10


def sees_all_checks(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Staff with a role read every paper and check, published or not (council/rules.py)."""
    return user.has_perm("council.view_check")


def ratings_with_goals(path: str = "ratings") -> Prefetch:
    """Prefetch the ratings (at `path`) with their goals and the goals' editions."""
    return Prefetch(
        path, queryset=Rating.objects.select_related("goal__strategic_goal__field__edition")
    )


def published_checks() -> QuerySet[Check]:
    return (
        Check.objects.filter(
            state=Check.State.CHECKED,
            is_public=True,
            paper__deleted=False,
            edition__is_published=True,
        )
        .select_related("paper", "edition")
        .prefetch_related(ratings_with_goals())
        .order_by("-paper__date", "-paper__reference", "-pk")
    )


def published_papers() -> QuerySet[Paper]:
    """Papers with a published check."""
    return Paper.objects.filter(sek_check__in=published_checks().values("pk"))


def public_check(paper_id: int) -> Check | None:
    """The published check of the paper, with its ratings and their goals."""
    return published_checks().filter(paper_id=paper_id).first()


@dataclass(frozen=True)
class GoalDecisions:
    """Published ratings of one goal, newest paper first: the first few, and how many."""

    ratings: list[Rating]
    total: int


def decisions_of_goal(goal: OperativeGoal, limit: int = GOAL_PAGE_LIMIT) -> GoalDecisions:
    ratings = (
        Rating.objects.filter(goal=goal, check_ref__in=published_checks().values("pk"))
        .select_related("check_ref__paper")
        .order_by("-check_ref__paper__date", "-check_ref__paper__reference", "-pk")
    )
    shown = list(ratings[:limit])
    total = len(shown) if len(shown) < limit else ratings.count()
    return GoalDecisions(shown, total)


@dataclass(frozen=True)
class CheckFilter:
    year: int | None = None
    goal: OperativeGoal | None = None

    @property
    def is_active(self) -> bool:
        return self.year is not None or self.goal is not None

    def apply(self, checks: QuerySet[Check]) -> QuerySet[Check]:
        if self.year is not None:
            checks = checks.filter(paper__date__year=self.year)
        if self.goal is not None:
            checks = checks.filter(ratings__goal=self.goal)
        return checks


def read_check_filter(
    params: Mapping[str, str], edition: Edition | None
) -> tuple[CheckFilter, dict[str, str]]:
    """The filters year and goal (an operative goal of `edition`, e.g. 12.4.1). Empty values
    filter nothing; a value that names nothing is left out and explained, by parameter."""
    errors: dict[str, str] = {}
    year = None
    goal = None
    if value := (params.get("year") or "").strip():
        if value.isdigit() and len(value) == 4:
            year = int(value)
        else:
            errors["year"] = _("„%(value)s“ ist keine Jahreszahl (z. B. 2025).") % {"value": value}
    if value := (params.get("goal") or "").strip():
        found = find_goal(edition, value) if edition is not None else None
        if isinstance(found, OperativeGoal):
            goal = found
        else:
            errors["goal"] = _(
                "Die Ausgabe „%(edition)s“ hat kein operatives Ziel mit der Nummer „%(value)s“."
            ) % {"edition": edition.name if edition is not None else "–", "value": value}
    return CheckFilter(year, goal), errors


def published_years() -> list[int]:
    """Years of the papers with a published check, newest first."""
    dates = published_checks().order_by().values_list("paper__date__year", flat=True).distinct()
    return sorted({year for year in dates if year is not None}, reverse=True)


def rated_goals(edition: Edition) -> QuerySet[OperativeGoal]:
    """Operative goals of the edition that a published check rated."""
    return (
        OperativeGoal.objects.filter(
            strategic_goal__field__edition=edition,
            ratings__check_ref__in=published_checks().values("pk"),
        )
        .select_related("strategic_goal__field")
        .order_by("strategic_goal__field__number", "strategic_goal__number", "number")
        .distinct()
    )

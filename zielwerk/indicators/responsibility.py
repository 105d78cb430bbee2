"""Which organisation units are responsible for an indicator or a milestone.

An indicator belongs to its owner unit and to every unit responsible for one of its operative
goals (responsibility flows down the goal tree, see goals/responsibility.py). A milestone
belongs to its owner unit and to the units responsible for its operative goal."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from zielwerk.goals.responsibility import responsible_unit_ids
from zielwerk.indicators.models import Indicator, Milestone
from zielwerk.org.predicates import is_strategy_admin
from zielwerk.org.services import acting_unit_ids


def indicator_unit_ids(indicator: Indicator) -> set[int]:
    units = {indicator.owner_id} if indicator.owner_id else set()
    for goal in indicator.operative_goals.select_related("strategic_goal__field"):
        units |= responsible_unit_ids(goal)
    return units


def milestone_unit_ids(milestone: Milestone) -> set[int]:
    units = {milestone.owner_id} if milestone.owner_id else set()
    return units | responsible_unit_ids(milestone.operative_goal)


def indicators_acted_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Indicator]:
    """Indicators whose values and targets the user may maintain, in one query: everything for
    the strategy office, for an editor those of their unit subtree."""
    if is_strategy_admin(user):
        return Indicator.objects.all()
    units = acting_unit_ids(user)
    if not units:
        return Indicator.objects.none()
    goals = "operative_goals__"
    return Indicator.objects.filter(
        Q(owner__in=units)
        | Q(**{f"{goals}responsible_units__in": units})
        | Q(**{f"{goals}strategic_goal__responsible_units__in": units})
        | Q(**{f"{goals}strategic_goal__field__responsible_units__in": units})
    ).distinct()

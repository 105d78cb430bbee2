"""The council decisions on a goal page: published SEK-Checks that rated the goal."""

from django import template

from zielwerk.council.queries import decisions_of_goal
from zielwerk.goals.models import Edition, OperativeGoal

register = template.Library()


@register.inclusion_tag("report/council_goal_decisions.html")
def council_decisions(goal: OperativeGoal, edition: Edition) -> dict:
    return {"goal": goal, "edition": edition, "decisions": decisions_of_goal(goal)}

"""Links to indicator pages and the names of method results in the page language."""

from django import template
from django.urls import reverse
from django.utils.translation import get_language

from zielwerk.evaluation.models import StatusRecord
from zielwerk.goals.models import Edition
from zielwerk.status import MilestoneStatus, ProgressStatus, Weather
from zielwerk.status.text import Lang

register = template.Library()

# What each method stores as its result (evaluation.services.method_status) and how to name it.
RESULTS = {"weather": Weather, "cagr": ProgressStatus, "milestone": MilestoneStatus}


@register.simple_tag
def indicator_url(code: str, edition: Edition) -> str:
    """The short address for the current edition, the edition-qualified one otherwise (as for
    goals, see goal_urls)."""
    if edition.is_current:
        return reverse("indicator", kwargs={"code": code})
    return reverse("edition-indicator", kwargs={"edition": edition.name, "code": code})


@register.filter
def method_result(record: StatusRecord) -> str:
    """The method's own result ("Sonne", "deutlicher Fortschritt", "gefährdet") in the page
    language; empty for a goal, whose status is a roll-up."""
    kind = RESULTS.get(record.details.get("method", ""))
    if kind is None or not record.method_status:
        return ""
    return kind(record.method_status).label(Lang.EN if get_language() == "en" else Lang.DE)

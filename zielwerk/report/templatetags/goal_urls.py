"""Links to goals: the short address (/ziele/12.3.4/) for the current edition, the
edition-qualified one for older editions, so links stay stable when a new edition appears."""

from django import template
from django.urls import reverse

from zielwerk.goals.models import Edition

register = template.Library()


@register.simple_tag
def goal_url(code: str, edition: Edition) -> str:
    if edition.is_current:
        return reverse("goal", kwargs={"code": code})
    return reverse("edition-goal", kwargs={"edition": edition.name, "code": code})


@register.simple_tag
def field_url(number: int, edition: Edition) -> str:
    if edition.is_current:
        return reverse("field", kwargs={"number": number})
    return reverse("edition-field", kwargs={"edition": edition.name, "number": number})


@register.simple_tag
def history_url(code: str, edition: Edition) -> str:
    if edition.is_current:
        return reverse("goal-history", kwargs={"code": code})
    return reverse("edition-goal-history", kwargs={"edition": edition.name, "code": code})

"""Showing stored statuses: the record of an object, its explanation in the page language."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

from zielwerk.evaluation.models import Level, StatusRecord
from zielwerk.evaluation.queries import StatusIndex
from zielwerk.status import DISCLAIMER

register = template.Library()


@register.simple_tag
def status_of(index: StatusIndex | None, subject: str, pk: int) -> StatusRecord | None:
    return index.of(subject, pk) if index is not None else None


@register.filter
def explanation(record: StatusRecord) -> str:
    return record.explanation_en if get_language() == "en" else record.explanation_de


@register.filter
def number(value: float, decimals: int) -> str:
    """A value with the indicator's number of decimals, in the page language's notation.

    Rounded first: number_format cuts decimals off (99.96 with one decimal would read 99,9)."""
    return number_format(
        round(value, decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True
    )


@register.simple_tag
def disclaimer() -> str:
    """METHODS.md §1: the symbol is no political judgement and no forecast."""
    return DISCLAIMER.en if get_language() == "en" else DISCLAIMER.de


@register.filter
def distribution_items(record: StatusRecord) -> list[tuple[str, str, int]]:
    """(level, label, count) of the statuses below a goal, best first, without zeros."""
    return [
        (level, label, record.distribution[level])
        for level, label in Level.choices
        if record.distribution.get(level)
    ]

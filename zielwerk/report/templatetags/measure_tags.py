"""Showing measures: amounts of money and the traffic lights of status reports."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from zielwerk.measures.models import Light

register = template.Library()

# Each light borrows the mark of a status level (colour and shape, see site.css), so that the
# lights look like the other statuses and never rely on colour alone.
LIGHT_LEVELS = {
    Light.GREEN: "on_track",
    Light.YELLOW: "slightly_off_track",
    Light.RED: "critical",
}


@register.filter
def light_level(light: str) -> str:
    return LIGHT_LEVELS.get(light, "not_evaluated")


@register.filter
def light_label(light: str) -> str:
    return Light(light).label


@register.filter
def money(amount: Decimal | None) -> str:
    """An amount in euros in the page language's notation, cents only where there are any:
    200.000 € rather than 200.000,00 €."""
    if amount is None:
        return _("keine Angabe")
    decimals = 0 if amount == amount.to_integral_value() else 2
    formatted = number_format(amount, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    return _("%(amount)s €") % {"amount": formatted}

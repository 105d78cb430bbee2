"""The staff page "Servicelevel": the service level per category for a year or a quarter.
admin_view (urls.py) sends anonymous visitors to the login; everyone on staff may read it."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zielwerk.cases.models import Category
from zielwerk.cases.servicelevel import (
    FIRST_YEAR,
    ServiceLevelError,
    check_subdivision,
    period_bounds,
    service_level,
    subdivision,
)


class PeriodForm(forms.Form):
    jahr = forms.IntegerField(
        label=_("Jahr"),
        min_value=FIRST_YEAR,
        max_value=2200,
        error_messages={
            "invalid": _("Geben Sie das Jahr als Zahl an, z. B. 2026."),
            "min_value": _("Das Jahr muss %(limit_value)s oder später sein."),
            "max_value": _("Das Jahr muss %(limit_value)s oder früher sein."),
        },
    )
    quartal = forms.TypedChoiceField(
        label=_("Zeitraum"),
        choices=[
            ("", _("ganzes Jahr")),
            ("1", _("1. Quartal")),
            ("2", _("2. Quartal")),
            ("3", _("3. Quartal")),
            ("4", _("4. Quartal")),
        ],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Wählen Sie ein Quartal von 1 bis 4.")},
    )


def service_level_page(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("cases.view_category"):
        raise PermissionDenied
    today = timezone.localdate()
    form = PeriodForm(request.GET or {"jahr": today.year})
    report = None
    if form.is_valid():
        try:
            check_subdivision()
        except ServiceLevelError as error:
            form.add_error(None, error.errors)
        else:
            start, end = period_bounds(form.cleaned_data["jahr"], form.cleaned_data["quartal"])
            report = service_level(Category.objects.all(), start, end, today)
    context = admin.site.each_context(request) | {
        "title": _("Servicelevel"),
        "form": form,
        "report": report,
        "subdivision": subdivision(),
    }
    return render(request, "cases/service_level.html", context)

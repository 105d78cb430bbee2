"""The two staff pages about updates: "my updates" and the stale overview. admin_view (urls.py)
sends anonymous visitors to the login; the rules decide who may see which page."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zielwerk.org.models import OrgUnit
from zielwerk.org.services import person_of
from zielwerk.updates.services import my_updates, stale_overview


class UnitFilterForm(forms.Form):
    einheit = forms.ModelChoiceField(
        label=_("Organisationseinheit"),
        queryset=OrgUnit.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("alle"),
        help_text=_("mit allen Einheiten darunter"),
        error_messages={"invalid_choice": _("Die Einheit „%(value)s“ gibt es nicht.")},
    )


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def my_updates_page(request: HttpRequest) -> HttpResponse:
    _require(request, "updates.view_my_updates")
    today = timezone.localdate()
    context = admin.site.each_context(request) | {
        "title": _("Meine Aktualisierungen"),
        "today": today,
        "mine": my_updates(person_of(request.user), today),
        "may_see_overview": request.user.has_perm("updates.view_stale_overview"),
    }
    return render(request, "updates/my_updates.html", context)


def stale_overview_page(request: HttpRequest) -> HttpResponse:
    _require(request, "updates.view_stale_overview")
    today = timezone.localdate()
    form = UnitFilterForm(request.GET or None)
    unit = form.cleaned_data["einheit"] if form.is_valid() else None
    context = admin.site.each_context(request) | {
        "title": _("Aktualisierungen im Überblick"),
        "today": today,
        "form": form,
        "unit": unit,
        "overview": stale_overview(today, unit),
    }
    return render(request, "updates/stale_overview.html", context)

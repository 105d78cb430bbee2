"""Public pages of the case pipeline (C6, C7): the form for impulses, complaints and praise,
the private status page of one case, and "Sie haben gesagt – wir haben getan"."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from zielwerk.cases.intake import DuplicateCase, create_case
from zielwerk.cases.models import Case
from zielwerk.cases.public import (
    case_by_token,
    outcome_categories,
    outcome_years,
    read_outcome_filter,
    released_outcomes,
)
from zielwerk.report.case_forms import CaseForm
from zielwerk.report.forms import CASE_FORM_LIMIT, client_address
from zielwerk.report.measure_queries import FilterSelect
from zielwerk.report.templatetags.content_tags import content_text

PAGE_SIZE = 20


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    response = render(
        request,
        "report/too_many.html",
        {"minutes": max(1, -(-retry_after // 60))},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


def _privacy_context() -> dict:
    return {
        "retention_days": settings.ZIELWERK_CASE_RETENTION_DAYS,
        "privacy_contact": settings.ZIELWERK_CASE_PRIVACY_CONTACT,
        "privacy_is_example": any(
            settings.ZIELWERK_ACCESSIBILITY_PLACEHOLDER in str(value)
            for value in settings.ZIELWERK_CASE_PRIVACY_CONTACT.values()
        ),
        "privacy_url": settings.ZIELWERK_ACCESSIBILITY.get("privacy_url", ""),
    }


def case_form(request: HttpRequest) -> HttpResponse:
    client = client_address(request)
    if request.method == "POST" and not CASE_FORM_LIMIT.allowed(client):
        return too_many_requests(request, CASE_FORM_LIMIT.retry_after(client))
    form = CaseForm(request.POST or None)
    context = {"form": form, **_privacy_context()}
    if request.method != "POST":
        return render(request, "report/case_form.html", context)
    if not form.is_valid():
        if form.caught_bot():
            CASE_FORM_LIMIT.count(client)
        return render(request, "report/case_form.html", context)
    data = form.cleaned_data
    try:
        case = create_case(
            kind=data["kind"],
            text=data["text"],
            channel=Case.Channel.WEB,
            category=data["category"],
            contact=form.contact_data(),
            language=get_language(),
        )
        duplicate = False
    except DuplicateCase as found:
        case, duplicate = found.case, True
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "report/case_form.html", context)
    CASE_FORM_LIMIT.count(client)
    status_url = request.build_absolute_uri(reverse("case-status", args=[case.tracking_token]))
    context |= {"case": case, "duplicate": duplicate, "status_url": status_url}
    return render(request, "report/case_form.html", context)


@never_cache
def case_status(request: HttpRequest, token: str) -> HttpResponse:
    case = case_by_token(token)
    if case is None:
        raise Http404(_("Zu diesem Link gibt es kein Anliegen."))
    return render(request, "report/case_status.html", {"case": case})


def case_outcomes(request: HttpRequest) -> HttpResponse:
    outcome_filter, errors = read_outcome_filter(request.GET)
    selects = [
        FilterSelect(
            "category",
            _("Kategorie"),
            [(c.key, content_text(c, "name")) for c in outcome_categories()],
            "" if "category" in errors else request.GET.get("category", "").strip(),
        ),
        FilterSelect(
            "year",
            _("Jahr des Eingangs"),
            [(str(year), str(year)) for year in outcome_years()],
            "" if "year" in errors else request.GET.get("year", "").strip(),
        ),
    ]
    page = Paginator(outcome_filter.apply(released_outcomes()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "selects": selects,
        "notes": [
            _("Filter nicht angewendet: %(reason)s") % {"reason": e} for e in errors.values()
        ],
        "is_filtered": outcome_filter.is_active,
        "page": page,
        "query": {s.name: s.selected for s in selects if s.selected},
    }
    return render(request, "report/case_outcomes.html", context)

"""C4 public pages of indicators and milestones, and the search over goals and indicators."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from zielwerk.evaluation.queries import status_index
from zielwerk.goals.queries import current_edition, visible_editions
from zielwerk.report.indicator_queries import (
    indicator_in_edition,
    indicator_page,
    milestones_by_field,
)
from zielwerk.report.search import search as search_edition


def indicator_detail(request: HttpRequest, code: str, edition: str | None = None) -> HttpResponse:
    scope = get_object_or_404(visible_editions(request.user), name=edition) if edition else None
    found = indicator_in_edition(code, scope)
    if found is None:
        raise Http404(f"Kein veröffentlichter Indikator mit der Kennung {code}.")
    page = indicator_page(*found)
    return render(request, "report/indicator_detail.html", {"page": page, "edition": page.edition})


def milestones(request: HttpRequest) -> HttpResponse:
    edition = current_edition()
    context = {
        "edition": edition,
        "groups": milestones_by_field(edition) if edition else [],
        "status": status_index(edition) if edition else None,
    }
    return render(request, "report/milestones.html", context)


def search(request: HttpRequest) -> HttpResponse:
    edition = current_edition()
    query = request.GET.get("q", "")[:200]
    result = search_edition(edition, query) if edition else None
    return render(
        request, "report/search.html", {"edition": edition, "query": query, "result": result}
    )

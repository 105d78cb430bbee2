"""C4 public pages of the SEK-Check (C5): published checks of council papers, one check, and
the annual evaluation. Only published checks appear (council/queries.py)."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from zielwerk.council.coverage import INDICATOR_CODE
from zielwerk.council.evaluation import annual_evaluation, evaluation_years, statistics_by_year
from zielwerk.council.models import Rating
from zielwerk.council.queries import (
    public_check,
    published_checks,
    published_years,
    rated_goals,
    read_check_filter,
)
from zielwerk.goals.queries import current_edition
from zielwerk.report.indicator_queries import indicator_in_edition
from zielwerk.report.measure_queries import FilterSelect
from zielwerk.report.templatetags.content_tags import content_text

PAGE_SIZE = 50
# Rating words in the order of the tables, −2 first.
SCORE_LABELS = sorted(Rating.Score.choices)


def decision_list(request: HttpRequest) -> HttpResponse:
    edition = current_edition()
    check_filter, errors = read_check_filter(request.GET, edition)
    goals = rated_goals(edition) if edition is not None else []
    selects = [
        FilterSelect(
            "year",
            _("Jahr"),
            [(str(year), str(year)) for year in published_years()],
            "" if "year" in errors else request.GET.get("year", "").strip(),
        ),
        FilterSelect(
            "goal",
            _("Operatives Ziel"),
            [(goal.code, f"{goal.code} {content_text(goal, 'title')}") for goal in goals],
            "" if "goal" in errors else request.GET.get("goal", "").strip(),
        ),
    ]
    page = Paginator(check_filter.apply(published_checks()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "edition": edition,
        "selects": selects,
        "notes": [
            _("Filter nicht angewendet: %(reason)s") % {"reason": e} for e in errors.values()
        ],
        "is_filtered": check_filter.is_active,
        "page": page,
        "query": {s.name: s.selected for s in selects if s.selected},
    }
    return render(request, "report/council_list.html", context)


def decision_detail(request: HttpRequest, paper_id: int) -> HttpResponse:
    check = public_check(paper_id)
    if check is None:
        raise Http404(f"Kein veröffentlichter SEK-Check zur Vorlage {paper_id}.")
    return render(request, "report/council_detail.html", {"check": check, "paper": check.paper})


def check_overview(request: HttpRequest) -> HttpResponse:
    edition = current_edition()
    found = indicator_in_edition(INDICATOR_CODE, None)
    context = {
        "edition": edition,
        "years": statistics_by_year(edition) if edition is not None else [],
        "indicator": found[0] if found is not None else None,
    }
    return render(request, "report/council_overview.html", context)


def check_year(request: HttpRequest, year: int) -> HttpResponse:
    edition = current_edition()
    if edition is None:
        raise Http404("Es ist noch keine Ausgabe veröffentlicht.")
    years = evaluation_years(edition)
    if year not in years or year > timezone.localdate().year:
        raise Http404(f"Für {year} gibt es keine Auswertung des SEK-Checks.")
    context = {
        "edition": edition,
        "evaluation": annual_evaluation(edition, year),
        "years": years,
        "score_labels": SCORE_LABELS,
    }
    return render(request, "report/council_year.html", context)

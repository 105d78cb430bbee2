"""C4 public pages of the goal system, and the staff view of a goal's history."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from zielwerk.evaluation.changes import status_changes
from zielwerk.evaluation.queries import status_index
from zielwerk.goals.history import change_log
from zielwerk.goals.models import Edition, Field, StrategicGoal
from zielwerk.goals.queries import (
    current_edition,
    fields_with_goals,
    find_goal,
    visible_editions,
)
from zielwerk.indicators.queries import indicators_of, public_headline_values
from zielwerk.measures.queries import latest_public_report, measure_details, progress_of
from zielwerk.report.measure_queries import (
    coverage_of,
    measure_listing,
    measures_of_goal,
    timeline_of,
)
from zielwerk.report.overview import field_distribution


def _edition(request: HttpRequest, name: str | None) -> Edition:
    if name is None:
        edition = current_edition()
        if edition is None:
            raise Http404("Es ist noch keine Ausgabe veröffentlicht.")
        return edition
    return get_object_or_404(visible_editions(request.user), name=name)


def _field_numbers(edition: Edition) -> set[int]:
    """Handlungsfelder a cross-reference can link to within the same edition."""
    return set(edition.fields.values_list("number", flat=True))


def _start_page(request: HttpRequest, edition: Edition | None) -> HttpResponse:
    """An edition's fields with the distribution of the latest evaluation per field and what
    changed since the evaluation before it."""
    context = {"edition": edition, "editions": visible_editions(request.user)}
    if edition is None:
        return render(request, "report/home.html", context)
    fields = fields_with_goals(edition)
    status = status_index(edition)
    context |= {
        "fields": fields,
        "status": status,
        "distribution": field_distribution(fields, status),
        "changes": status_changes(edition),
    }
    return render(request, "report/home.html", context)


def home(request: HttpRequest) -> HttpResponse:
    return _start_page(request, current_edition())


def edition_list(request: HttpRequest) -> HttpResponse:
    editions = visible_editions(request.user)
    return render(request, "report/edition_list.html", {"editions": editions})


def edition_detail(request: HttpRequest, edition: str) -> HttpResponse:
    return _start_page(request, _edition(request, edition))


def field_detail(request: HttpRequest, number: int, edition: str | None = None) -> HttpResponse:
    obj = _edition(request, edition)
    field = get_object_or_404(fields_with_goals(obj), number=number)
    context = {
        "edition": obj,
        "field": field,
        "field_numbers": _field_numbers(obj),
        "status": status_index(obj),
    }
    return render(request, "report/field_detail.html", context)


def goal_detail(request: HttpRequest, code: str, edition: str | None = None) -> HttpResponse:
    obj = _edition(request, edition)
    goal = find_goal(obj, code)
    if goal is None:
        raise Http404(f"Kein Ziel mit der Nummer {code} in dieser Ausgabe.")
    if isinstance(goal, Field):
        return field_detail(request, goal.number, edition)
    context = {"edition": obj, "goal": goal, "status": status_index(obj)}
    if isinstance(goal, StrategicGoal):
        context["field"] = goal.field
        context["operative_goals"] = goal.operative_goals.select_related("strategic_goal__field")
        context["cross_references"] = goal.cross_references.all()
        context["field_numbers"] = _field_numbers(obj)
        template = "report/strategic_goal.html"
    else:
        context["field"] = goal.strategic_goal.field
        indicators = list(indicators_of(goal))
        values = public_headline_values(indicators)
        for indicator in indicators:
            indicator.public_values = values[indicator.pk]
        context["indicators"] = indicators
        context["milestones"] = goal.milestones.all()
        context["measures"] = measures_of_goal(goal)
        template = "report/operative_goal.html"
    return render(request, template, context)


@login_required
def goal_history(request: HttpRequest, code: str, edition: str | None = None) -> HttpResponse:
    obj = _edition(request, edition)
    goal = find_goal(obj, code)
    if goal is None:
        raise Http404(f"Kein Ziel mit der Nummer {code} in dieser Ausgabe.")
    return render(
        request,
        "report/history.html",
        {"edition": obj, "goal": goal, "entries": change_log(goal)},
    )


def methods(request: HttpRequest) -> HttpResponse:
    return render(request, "report/methods.html")


def measure_list(request: HttpRequest) -> HttpResponse:
    listing = measure_listing(request.GET, current_edition())
    return render(request, "report/measure_list.html", {"listing": listing})


def measure_detail(request: HttpRequest, number: str) -> HttpResponse:
    measure = get_object_or_404(measure_details(), number=number)
    context = {
        "measure": measure,
        "progress": progress_of(measure),
        "report": latest_public_report(measure),
        "timeline": timeline_of(measure, timezone.localdate()),
    }
    return render(request, "report/measure_detail.html", context)


def coverage(request: HttpRequest) -> HttpResponse:
    edition = current_edition()
    report = coverage_of(edition, timezone.localdate()) if edition is not None else None
    context = {"edition": edition, "coverage": report}
    return render(request, "report/coverage.html", context)

"""Pages around the report: the accessibility statement with its feedback form, the explanation
in Leichte Sprache, and the cards that a city embeds on its own website."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt

from zielwerk.evaluation.models import StatusRecord
from zielwerk.evaluation.queries import status_index
from zielwerk.goals.models import Edition, Field, OperativeGoal, StrategicGoal
from zielwerk.goals.queries import current_edition, find_goal
from zielwerk.indicators.models import Indicator
from zielwerk.indicators.queries import public_headline_values
from zielwerk.report.forms import FeedbackForm, client_address

COMPLIANCE = {"full", "partial", "none"}
METHODS = {"self_assessment", "third_party"}
GOAL_SUBJECTS = {
    Field: StatusRecord.Subject.FIELD,
    StrategicGoal: StatusRecord.Subject.STRATEGIC,
    OperativeGoal: StatusRecord.Subject.OPERATIVE,
}


# --- accessibility statement ---------------------------------------------------------------


@dataclass(frozen=True)
class KnownIssue:
    content: str
    reason: str
    alternative: str = ""


@dataclass(frozen=True)
class Statement:
    """settings.ZIELWERK_ACCESSIBILITY, checked, with its dates read."""

    organisation: str
    contact_name: str
    contact_email: str
    contact_phone: str
    contact_address: str
    enforcement_name: str
    enforcement_address: str
    enforcement_email: str
    enforcement_url: str
    compliance: str
    method: str
    assessor: str
    statement_date: datetime.date | None
    review_date: datetime.date | None
    known_issues: list[KnownIssue]
    privacy_url: str

    @property
    def has_examples(self) -> bool:
        """Whether the city has still to replace example values before publishing."""
        marker = settings.ZIELWERK_ACCESSIBILITY_PLACEHOLDER
        texts = [v for v in vars(self).values() if isinstance(v, str)]
        texts += [text for issue in self.known_issues for text in vars(issue).values()]
        return self.statement_date is None or any(marker in text for text in texts)


def _date(config: dict, key: str) -> datetime.date | None:
    if not config[key]:
        return None
    try:
        return datetime.date.fromisoformat(config[key])
    except ValueError:
        raise ImproperlyConfigured(
            f"ZIELWERK_ACCESSIBILITY[{key!r}] = {config[key]!r} ist kein Datum der Form JJJJ-MM-TT."
        ) from None


def accessibility_statement() -> Statement:
    config = dict(settings.ZIELWERK_ACCESSIBILITY)
    expected = {f.name for f in fields(Statement)}
    if set(config) != expected:
        raise ImproperlyConfigured(
            "ZIELWERK_ACCESSIBILITY: es fehlen "
            f"{', '.join(sorted(expected - set(config))) or 'keine Angaben'}; unbekannt sind "
            f"{', '.join(sorted(set(config) - expected)) or 'keine Angaben'}."
        )
    if config["compliance"] not in COMPLIANCE:
        raise ImproperlyConfigured(
            f"ZIELWERK_ACCESSIBILITY['compliance'] = {config['compliance']!r}; erlaubt sind "
            f"{', '.join(sorted(COMPLIANCE))}."
        )
    if config["method"] not in METHODS:
        raise ImproperlyConfigured(
            f"ZIELWERK_ACCESSIBILITY['method'] = {config['method']!r}; erlaubt sind "
            f"{', '.join(sorted(METHODS))}."
        )
    config["statement_date"] = _date(config, "statement_date")
    config["review_date"] = _date(config, "review_date")
    config["known_issues"] = [KnownIssue(**issue) for issue in config["known_issues"]]
    return Statement(**config)


def accessibility(request: HttpRequest) -> HttpResponse:
    statement = accessibility_statement()
    form = FeedbackForm(request.POST or None, client_ip=client_address(request))
    if request.method == "POST" and form.is_valid():
        try:
            form.send(statement.contact_email)
        except OSError:
            form.add_error(
                None,
                _(
                    "Die Nachricht konnte gerade nicht gesendet werden. Bitte schreiben Sie "
                    "eine E-Mail an %(email)s."
                )
                % {"email": statement.contact_email},
            )
        else:
            messages.success(
                request,
                _(
                    "Vielen Dank! Ihre Rückmeldung ist an %(contact)s gesendet. Wenn Sie eine "
                    "E-Mail-Adresse angegeben haben, bekommen Sie eine Antwort."
                )
                % {"contact": statement.contact_name},
            )
            return redirect("accessibility")
    return render(request, "report/accessibility.html", {"statement": statement, "form": form})


def easy_read(request: HttpRequest) -> HttpResponse:
    return render(request, "report/leichte_sprache.html")


# --- embeddable cards ----------------------------------------------------------------------


def _current() -> Edition:
    edition = current_edition()
    if edition is None:
        raise Http404("Es ist noch keine Ausgabe veröffentlicht.")
    return edition


def _frameable(response: HttpResponse) -> HttpResponse:
    """Without X-Frame-Options (see the decorator), limited to the configured sites if any."""
    origins = settings.ZIELWERK_EMBED_ALLOWED_ORIGINS
    if origins:
        response["Content-Security-Policy"] = "frame-ancestors " + " ".join(origins)
    return response


@xframe_options_exempt
def embed_goal(request: HttpRequest, code: str) -> HttpResponse:
    edition = _current()
    goal = find_goal(edition, code)
    if goal is None:
        raise Http404(f"Kein Ziel mit der Nummer {code} in der aktuellen Ausgabe.")
    subject = GOAL_SUBJECTS[type(goal)]
    index = status_index(edition)
    if isinstance(goal, Field):
        report_url = reverse("field", kwargs={"number": goal.number})
    else:
        report_url = reverse("goal", kwargs={"code": goal.code})
    context = {
        "goal": goal,
        "kind": subject.label,
        "record": index.of(subject, goal.pk),
        "run": index.run,
        "report_url": report_url,
    }
    return _frameable(render(request, "report/embed_goal.html", context))


@xframe_options_exempt
def embed_indicator(request: HttpRequest, code: str) -> HttpResponse:
    edition = _current()
    indicator = get_object_or_404(
        Indicator.objects.filter(
            operative_goals__strategic_goal__field__edition=edition
        ).distinct(),
        code=code,
    )
    goals = list(
        indicator.operative_goals.filter(strategic_goal__field__edition=edition)
        .select_related("strategic_goal__field")
        .order_by("strategic_goal__field__number", "strategic_goal__number", "number")
    )
    values = public_headline_values([indicator])[indicator.pk]
    index = status_index(edition)
    context = {
        "indicator": indicator,
        "goals": goals,
        "latest": values[-1] if values else None,
        "record": index.of(StatusRecord.Subject.INDICATOR, indicator.pk),
        "run": index.run,
        "report_url": reverse("indicator", kwargs={"code": indicator.code}),
    }
    return _frameable(render(request, "report/embed_indicator.html", context))

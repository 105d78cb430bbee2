"""Staff pages of the SEK-Check: the overview of open and overdue checks, the check page of a
paper and the block downloads. admin_view (urls.py) sends anonymous visitors to the login; the
steps themselves are council/checks.py, which checks every permission again."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zielwerk.council import checks
from zielwerk.council.block import (
    block_context,
    block_file_name,
    block_html,
    block_markdown,
    block_pdf,
    block_text,
)
from zielwerk.council.forms import ExemptionForm, RatingForm, ReturnForm, StartCheckForm
from zielwerk.council.models import Check, Paper

BLOCK_FORMATS = {
    "html": ("text/html; charset=utf-8", block_html, False),
    "md": ("text/markdown; charset=utf-8", block_markdown, True),
    "txt": ("text/plain; charset=utf-8", block_text, True),
    "pdf": ("application/pdf", block_pdf, True),
}


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def overview_page(request: HttpRequest) -> HttpResponse:
    _require(request, "council.view_check_overview")
    today = timezone.localdate()
    context = admin.site.each_context(request) | {
        "title": _("SEK-Check: offene und überfällige Vorlagen"),
        "today": today,
        "overview": checks.check_overview(today),
    }
    return render(request, "council/overview.html", context)


def check_page(request: HttpRequest, paper_id: int) -> HttpResponse:
    _require(request, "council.view_paper")
    paper = get_object_or_404(Paper.objects.select_related("unit"), pk=paper_id)
    check = checks.check_of(paper)
    if request.method != "POST":
        return _render(request, paper, check)
    action = request.POST.get("action", "")
    try:
        if action == "start":
            form = StartCheckForm(request.POST)
            responsible = form.cleaned_data["responsible"] if form.is_valid() else None
            checks.start_check(paper, request.user, responsible)
            done = _("SEK-Check begonnen.")
        elif check is None:
            raise checks.CheckError(_("Für diese Vorlage gibt es noch keinen SEK-Check."))
        elif action == "ratings":
            groups = _rating_forms(check, request.POST)
            forms = [*groups[0], *groups[1]]
            if not all(form.is_valid() for form in forms):
                return _render(request, paper, check, rating_forms=groups)
            entries = [
                (form.goal, form.cleaned_data["score"], form.cleaned_data["justification"])
                for form in forms
            ]
            try:
                checks.save_ratings(check, entries, request.user)
            except checks.RatingErrors as error:
                for form in forms:
                    if form.goal.pk in error.errors:
                        form.add_error(None, error.errors[form.goal.pk])
                return _render(request, paper, check, rating_forms=groups)
            done = _("Bewertungen gespeichert.")
        elif action == "exemption":
            form = ExemptionForm(request.POST)
            form.is_valid()
            checks.record_exemption(check, form.cleaned_data.get("reason", ""), request.user)
            done = _("Ausnahme gespeichert.")
        elif action == "submit":
            checks.submit(check, request.user)
            done = _("Der Check ist der Strategiestelle zur Freigabe vorgelegt.")
        elif action == "approve":
            checks.approve(check, request.user)
            done = _("Der Check ist freigegeben.")
        elif action == "return":
            form = ReturnForm(request.POST)
            if not form.is_valid():
                return _render(request, paper, check, return_form=form)
            checks.return_for_rework(check, request.user, form.cleaned_data["note"])
            done = _("Der Check ist zur Überarbeitung zurückgegeben.")
        elif action == "publish":
            checks.publish(check, request.user)
            done = _("Der Check ist veröffentlicht.")
        else:
            raise checks.CheckError(_("Unbekannter Schritt „%(action)s“.") % {"action": action})
    except checks.CheckError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return HttpResponseRedirect(reverse("council:check", args=[paper.pk]))


def _rating_forms(check: Check, data=None) -> tuple[list[RatingForm], list[RatingForm]]:
    """Rows of the suggested and rated goals, and rows of all other goals of the edition."""
    ratings = {rating.goal_id: rating for rating in check.ratings.all()}

    def form(goal) -> RatingForm:
        rating = ratings.get(goal.pk)
        initial = {"score": rating.score, "justification": rating.justification} if rating else {}
        return RatingForm(data, goal=goal, initial=initial)

    featured, others = checks.goals_to_rate(check)
    return [form(goal) for goal in featured], [form(goal) for goal in others]


def _render(
    request: HttpRequest,
    paper: Paper,
    check: Check | None,
    *,
    rating_forms: tuple[list[RatingForm], list[RatingForm]] | None = None,
    return_form: ReturnForm | None = None,
) -> HttpResponse:
    allowed = checks.allowed_steps(paper, request.user)
    context = admin.site.each_context(request) | {
        "title": _("SEK-Check zu %(paper)s") % {"paper": paper},
        "paper": paper,
        "check": check,
        "status": checks.paper_status(paper),
        "allowed": allowed,
        "files": paper.files.all(),
        "start_form": StartCheckForm() if allowed.start else None,
        "may_name_responsible": request.user.has_perm("council.approve_check"),
    }
    invalid = rating_forms is not None or return_form is not None
    if check is not None:
        if rating_forms is None:
            rating_forms = _rating_forms(check) if allowed.work else ([], [])
        context |= block_context(check) | {
            "suggestions": check.suggestions.select_related("goal__strategic_goal__field"),
            "featured_forms": rating_forms[0],
            "other_forms": rating_forms[1],
            "other_errors": any(form.errors for form in rating_forms[1]),
            "exemption_form": ExemptionForm(initial={"reason": check.exemption_reason}),
            "return_form": return_form or ReturnForm(),
            "markdown": block_markdown(check),
            "history": checks.check_history(check),
        }
    return render(request, "council/check.html", context, status=400 if invalid else 200)


def block_download(request: HttpRequest, paper_id: int, fmt: str) -> HttpResponse:
    _require(request, "council.view_check")
    if fmt not in BLOCK_FORMATS:
        raise Http404
    check = get_object_or_404(
        Check.objects.select_related("paper", "edition", "responsible__user", "approved_by"),
        paper_id=paper_id,
    )
    content_type, render_block, attachment = BLOCK_FORMATS[fmt]
    response = HttpResponse(render_block(check), content_type=content_type)
    if attachment:
        response["Content-Disposition"] = f'attachment; filename="{block_file_name(check, fmt)}"'
    return response

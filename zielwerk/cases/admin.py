"""Staff pages for cases. Permissions come from cases/rules.py.

The list filters by kind, state, category, unit and passed deadlines. "Hinzufügen" is the staff
intake (intake.create_case through workflow.take_in) and a case's page is not a model form but
the workflow: the steps the user may take now as small forms, internal notes, the full history
and, apart, the sender's contact data. Every step goes through workflow.py, which checks the
permission again."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rules.contrib.admin import ObjectPermissionsModelAdmin

from zielwerk.cases import servicelevel, workflow
from zielwerk.cases.intake import DuplicateCase
from zielwerk.cases.models import Case, Category, Contact
from zielwerk.cases.notifications import status_url
from zielwerk.cases.staff_forms import (
    AssignForm,
    DecideForm,
    EvaluateForm,
    ImplementForm,
    IntakeForm,
    ReleaseForm,
    TextForm,
)


class OverdueFilter(admin.SimpleListFilter):
    title = gettext_lazy("Frist")
    parameter_name = "frist"

    def lookups(self, request, model_admin):
        return [("ueberfaellig", gettext_lazy("überfällig"))]

    def queryset(self, request, queryset):
        if self.value() != "ueberfaellig":
            return queryset
        open_cases = queryset.filter(
            completed_at__isnull=True, category__isnull=False
        ).select_related("category")
        late = servicelevel.overdue_cases(timezone.localdate(), open_cases)
        return queryset.filter(pk__in={entry.case.pk for entry in late})


Step = Callable[[Case, dict, AbstractBaseUser], object]

# action -> (form, step, message of success)
STEPS: dict[str, tuple[type[forms.Form], Step, str]] = {
    "assign": (
        AssignForm,
        lambda case, data, user: workflow.assign(case, data["unit"], data["owner"], user),
        gettext_lazy("Zuweisung gespeichert."),
    ),
    "evaluate": (
        EvaluateForm,
        lambda case, data, user: workflow.evaluate(
            case, data["fits"], data["reasons"], user, data["goals"]
        ),
        gettext_lazy("Bewertung gespeichert."),
    ),
    "decide": (
        DecideForm,
        lambda case, data, user: workflow.decide(
            case, data["decision"], data["public_reason"], user
        ),
        gettext_lazy("Entscheidung gespeichert."),
    ),
    "implement": (
        ImplementForm,
        lambda case, data, user: workflow.implement(case, user, data["measure"], data["goals"]),
        gettext_lazy("Als umgesetzt vermerkt."),
    ),
    "answer": (
        TextForm,
        lambda case, data, user: workflow.answer(case, data["text"], user),
        gettext_lazy("Antwort gespeichert; der Fall ist erledigt."),
    ),
    "first_answer": (
        forms.Form,
        lambda case, data, user: workflow.record_first_answer(case, user),
        gettext_lazy("Erste Antwort vermerkt."),
    ),
    "note": (
        TextForm,
        lambda case, data, user: workflow.add_note(case, data["text"], user),
        gettext_lazy("Notiz gespeichert."),
    ),
    "release": (
        ReleaseForm,
        lambda case, data, user: workflow.release(
            case, data["public_title"], data["public_summary"], user
        ),
        gettext_lazy("Veröffentlicht unter „Sie haben gesagt – wir haben getan“."),
    ),
    "withdraw": (
        forms.Form,
        lambda case, data, user: workflow.withdraw(case, user),
        gettext_lazy("Veröffentlichung zurückgenommen."),
    ),
}


def _form_errors(form: forms.Form) -> str:
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        parts.append((f"{field.label}: " if field else "") + " ".join(errors))
    return " ".join(parts)


@admin.register(Case)
class CaseAdmin(ObjectPermissionsModelAdmin):
    list_display = [
        "number",
        "kind",
        "category",
        "state",
        "decision",
        "unit",
        "owner",
        "received_at",
        "deadline",
        "completed_at",
        "is_public",
    ]
    list_filter = [
        "kind",
        "state",
        OverdueFilter,
        ("category", admin.RelatedOnlyFieldListFilter),
        ("unit", admin.RelatedOnlyFieldListFilter),
        "channel",
        "is_public",
    ]
    search_fields = ["number", "text"]
    list_select_related = ["category", "unit", "owner__user"]
    date_hierarchy = "received_at"

    @admin.display(description=gettext_lazy("Frist"))
    def deadline(self, case: Case) -> str:
        """The completion date the standard promises, flagged while a deadline has passed."""
        limits = servicelevel.deadlines(case)
        if limits is None:
            return "–"
        due = date_format(limits.completion, "SHORT_DATE_FORMAT")
        if servicelevel.overdue_cases(timezone.localdate(), [case]):
            return format_html("{} – <strong>{}</strong>", due, _("überfällig"))
        return due

    def add_view(self, request: HttpRequest, form_url="", extra_context=None) -> HttpResponse:
        """Staff intake: cases from meetings, employee dialogue, e-mail, phone, letters."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = IntakeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                case = workflow.take_in(
                    request.user,
                    kind=data["kind"],
                    text=data["text"],
                    channel=data["channel"],
                    category=data["category"],
                    contact=form.contact(),
                    operative_goals=data["goals"],
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except DuplicateCase as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Fall %(number)s erfasst.") % {"number": case.number})
                return HttpResponseRedirect(reverse("admin:cases_case_change", args=[case.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Fall erfassen"),
            "form": form,
        }
        return TemplateResponse(
            request, "cases/intake.html", context, status=400 if form.errors else 200
        )

    def change_view(
        self, request: HttpRequest, object_id: str, form_url="", extra_context=None
    ) -> HttpResponse:
        case = self.get_object(request, unquote(object_id))
        if case is None:
            raise Http404
        if not self.has_view_permission(request, case):
            raise PermissionDenied
        if request.method == "POST":
            self._do_step(request, case)
            return HttpResponseRedirect(request.path)
        return self._case_page(request, case)

    def _do_step(self, request: HttpRequest, case: Case) -> None:
        action = request.POST.get("action", "")
        if action not in STEPS:
            messages.error(request, _("Unbekannter Schritt „%(action)s“.") % {"action": action})
            return
        form_class, step, done = STEPS[action]
        form = form_class(request.POST, prefix=action)
        if not form.is_valid():
            messages.error(request, _form_errors(form))
            return
        try:
            step(case, form.cleaned_data, request.user)
        except workflow.CaseError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, str(done))

    def _case_page(self, request: HttpRequest, case: Case) -> HttpResponse:
        user = request.user
        may_see_contact = user.has_perm("cases.view_contact_data", case)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Fall %(number)s") % {"number": case.number},
            "case": case,
            "goals": case.operative_goals.select_related("strategic_goal__field"),
            "deadlines": servicelevel.deadlines(case),
            "allowed": workflow.allowed_steps(case, user),
            "events": case.events.select_related("actor"),
            "notes": case.notes.select_related("author"),
            "contact": Contact.objects.filter(case=case).first() if may_see_contact else None,
            "may_see_contact": may_see_contact,
            "status_url": status_url(case) if may_see_contact else "",
            "may_delete": self.has_delete_permission(request, case),
            "assign_form": AssignForm(
                prefix="assign", initial={"unit": case.unit_id, "owner": case.owner_id}
            ),
            "evaluate_form": EvaluateForm(
                prefix="evaluate",
                initial={"goals": [goal.pk for goal in case.operative_goals.all()]},
            ),
            "decide_form": DecideForm(prefix="decide"),
            "implement_form": ImplementForm(
                prefix="implement", initial={"measure": case.measure_id}
            ),
            "answer_form": TextForm(prefix="answer"),
            "note_form": TextForm(prefix="note"),
            "release_form": ReleaseForm(
                prefix="release",
                initial={"public_title": case.public_title, "public_summary": case.public_summary},
            ),
        }
        return TemplateResponse(request, "cases/case.html", context)


@admin.register(Category)
class CategoryAdmin(ObjectPermissionsModelAdmin):
    """Categories are the processes with their service standards; the strategy office keeps
    them, everyone on staff reads them."""

    list_display = [
        "name",
        "key",
        "unit",
        "first_answer_days",
        "completion_days",
        "indicator",
        "is_public",
        "order",
    ]
    list_filter = ["is_public", ("unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "name_en", "key"]
    prepopulated_fields = {"key": ["name"]}
    autocomplete_fields = ["unit", "operative_goals", "indicator"]

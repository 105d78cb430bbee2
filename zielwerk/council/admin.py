"""Staff pages for council papers. Permissions come from council/rules.py: editors enter papers
for their unit's subtree and work on their checks, the strategy office uploads lists and keeps
the goal keywords; what OParl delivers is read-only here (the next sync would overwrite it).
The check itself has its own page (views.py), linked from every paper."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rules.contrib.admin import ObjectPermissionsModelAdmin, ObjectPermissionsTabularInline

from zielwerk.council.checks import PaperStatus, filter_overdue, filter_status, paper_status
from zielwerk.council.forms import PaperForm, PaperUploadForm
from zielwerk.council.importing import TEMPLATE, PaperImportError, attach_pdf, import_papers
from zielwerk.council.models import (
    Check,
    GoalKeyword,
    Meeting,
    OParlSource,
    Paper,
    PaperFile,
    SyncRun,
)
from zielwerk.org.admin import ReadOnlyAdmin
from zielwerk.org.models import OrgUnit
from zielwerk.org.predicates import is_strategy_admin
from zielwerk.org.services import acting_unit_ids


class StatusFilter(admin.SimpleListFilter):
    title = _("Stand des SEK-Checks")
    parameter_name = "stand"

    def lookups(self, request, model_admin):
        return PaperStatus.choices

    def queryset(self, request, queryset):
        if self.value() in PaperStatus.values:
            return filter_status(queryset, PaperStatus(self.value()))
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = _("Frist")
    parameter_name = "frist"

    def lookups(self, request, model_admin):
        return [("ueberfaellig", _("überfällig"))]

    def queryset(self, request, queryset):
        if self.value() == "ueberfaellig":
            return filter_overdue(queryset, timezone.localdate())
        return queryset


class YearFilter(admin.SimpleListFilter):
    title = _("Jahr")
    parameter_name = "jahr"

    def lookups(self, request, model_admin):
        return [(str(day.year), str(day.year)) for day in Paper.objects.dates("date", "year")][::-1]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(date__year=int(self.value()))
        return queryset


OPARL_FIELDS = [*PaperForm.Meta.fields, "web_url", "oparl_id", "modified", "deleted"]
CHECK_FIELDS = ["check_status", "check_link"]


class PaperFileInline(ObjectPermissionsTabularInline):
    """The files of a paper as OParl or a PDF upload brought them; the text is not edited."""

    model = PaperFile
    extra = 0
    fields = ["name", "is_main", "mime_type", "text_source", "access_url"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Paper)
class PaperAdmin(ObjectPermissionsModelAdmin):
    form = PaperForm
    change_list_template = "council/paper_change_list.html"
    list_display = [
        "reference",
        "title",
        "paper_type",
        "unit",
        "meeting_date",
        "check_deadline_display",
        "check_status",
        "check_link",
    ]
    list_display_links = ["reference", "title"]
    list_filter = [
        "paper_type",
        StatusFilter,
        OverdueFilter,
        ("unit", admin.RelatedOnlyFieldListFilter),
        YearFilter,
        "deleted",
    ]
    search_fields = ["reference", "title", "department", "text"]
    list_select_related = ["unit", "sek_check"]
    inlines = [PaperFileInline]
    fieldsets = [
        (None, {"fields": ["reference", "title", "date", "paper_type", "meeting_date"]}),
        (_("Federführung"), {"fields": ["department", "unit"]}),
        (
            _("Inhalt"),
            {
                "fields": ["text", "pdf"],
                "description": _(
                    "Den Text eintragen oder die Vorlage als PDF hochladen; aus dem Text und dem "
                    "Titel schlägt der SEK-Check passende Ziele vor."
                ),
            },
        ),
    ]

    @admin.display(description=_("Frist"), ordering="meeting_date")
    def check_deadline_display(self, paper: Paper) -> str:
        status = paper_status(paper)
        if status.deadline is None:
            return "–"
        deadline = formats.date_format(status.deadline, "SHORT_DATE_FORMAT")
        if status.overdue:
            return format_html("<strong>{} ({})</strong>", deadline, gettext("überfällig"))
        return deadline

    @admin.display(description=_("SEK-Check"))
    def check_status(self, paper: Paper) -> str:
        return paper_status(paper).label

    @admin.display(description=_("Check"))
    def check_link(self, paper: Paper) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("council:check", args=[paper.pk]),
            gettext("SEK-Check öffnen"),
        )

    def get_inlines(self, request, obj=None):
        # A new paper has no files yet; its PDF comes with the form.
        return self.inlines if obj is not None else []

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return super().get_fieldsets(request, obj)
        if obj.source_id is not None:
            # From OParl: shown as delivered, nothing to upload.
            fieldsets = [(None, {"fields": OPARL_FIELDS})]
        elif not self.has_change_permission(request, obj):
            # Read only: the upload field has no value to show.
            fieldsets = [
                (name, {**options, "fields": [f for f in options["fields"] if f != "pdf"]})
                for name, options in self.fieldsets
            ]
        else:
            fieldsets = list(self.fieldsets)
        return [*fieldsets, (_("SEK-Check"), {"fields": CHECK_FIELDS})]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return super().get_readonly_fields(request, obj)
        if obj.source_id is not None:
            return [*OPARL_FIELDS, *CHECK_FIELDS]
        return [*super().get_readonly_fields(request, obj), *CHECK_FIELDS]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit" and not is_strategy_admin(request.user):
            # An editor's paper belongs to one of their units, or they could not check it.
            kwargs["queryset"] = OrgUnit.objects.filter(pk__in=acting_unit_ids(request.user))
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        upload = form.cleaned_data.get("pdf")
        if upload:
            attach_pdf(obj, upload.name, form.pdf_text)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_upload": request.user.has_perm("council.upload_papers"),
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        upload = self.admin_site.admin_view(self.upload_view)
        template = self.admin_site.admin_view(self.template_view)
        return [
            path("hochladen/", upload, name="council_paper_upload"),
            path("vorlage.csv", template, name="council_paper_template"),
            *super().get_urls(),
        ]

    def template_view(self, request: HttpRequest) -> FileResponse:
        if not request.user.has_perm("council.view_paper"):
            raise PermissionDenied
        return FileResponse(
            TEMPLATE.open("rb"), as_attachment=True, filename=TEMPLATE.name, content_type="text/csv"
        )

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        """Import a list of papers (cities without OParl); the strategy office only."""
        if not request.user.has_perm("council.upload_papers"):
            raise PermissionDenied
        form = PaperUploadForm(request.POST or None, request.FILES or None)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                summary = import_papers(
                    upload, name=upload.name, update=form.cleaned_data["update"]
                )
            except PaperImportError as error:
                errors = error.errors
            else:
                self.message_user(
                    request,
                    summary.line,
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:council_paper_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Liste von Vorlagen hochladen"),
            "intro": gettext(
                "Für Städte ohne OParl: eine Vorlage je Zeile. Die Datei wird vollständig "
                "geprüft; enthält sie Fehler, wird nichts gespeichert und jeder Fehler mit "
                "Zeile und Spalte genannt. Eine Mustervorlage mit allen Spalten steht in der "
                "Liste der Vorlagen zum Herunterladen bereit."
            ),
            "form": form,
            "errors": errors,
        }
        return TemplateResponse(request, "admin/upload.html", context)


@admin.register(Check)
class CheckAdmin(ReadOnlyAdmin):
    """All checks at a glance; they are worked on the check page of their paper."""

    list_display = [
        "paper",
        "state",
        "responsible",
        "submitted_at",
        "approved_at",
        "is_public",
        "link",
    ]
    list_filter = ["state", "is_public", "edition"]
    search_fields = ["paper__reference", "paper__title"]
    list_select_related = ["paper", "responsible__user"]

    @admin.display(description="")
    def link(self, check: Check) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("council:check", args=[check.paper_id]),
            gettext("SEK-Check öffnen"),
        )


@admin.register(GoalKeyword)
class GoalKeywordAdmin(ObjectPermissionsModelAdmin):
    """Terms the strategy office adds to a goal so that the suggestions find it."""

    list_display = ["term", "goal"]
    list_filter = [("goal__strategic_goal__field__edition", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["term", "goal__title"]
    autocomplete_fields = ["goal"]
    list_select_related = ["goal__strategic_goal__field"]


@admin.register(OParlSource)
class OParlSourceAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "url", "oparl_version", "synced_until"]
    search_fields = ["name", "url"]


@admin.register(SyncRun)
class SyncRunAdmin(ReadOnlyAdmin):
    list_display = [
        "source",
        "started_at",
        "finished_at",
        "complete",
        "created",
        "updated",
        "deleted",
        "skipped",
    ]
    list_filter = ["source", "complete"]
    exclude = ["problems"]
    readonly_fields = ["problem_list"]

    @admin.display(description=_("Probleme"))
    def problem_list(self, run: SyncRun) -> str:
        if not run.problems:
            return gettext("keine")
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}</li>", ((_problem_text(p),) for p in run.problems)),
        )


def _problem_text(problem: object) -> str:
    """One recorded problem: "key: value" pairs of a dict (id, reason …) or the text itself."""
    if isinstance(problem, dict):
        return "; ".join(f"{key}: {value}" for key, value in problem.items())
    return str(problem)


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["name", "start", "cancelled", "deleted"]
    list_filter = ["cancelled", "deleted"]
    search_fields = ["name"]
    date_hierarchy = "start"

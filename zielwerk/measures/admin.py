"""Staff pages for measures and their project standard. Permissions come from
measures/rules.py: editors see every measure but save only those of their unit's subtree, and
pick only units from that subtree. Releasing to the public is the strategy office's call."""

from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from rules.contrib.admin import ObjectPermissionsTabularInline

from zielwerk.goals.admin import EnglishFieldsMixin
from zielwerk.goals.queries import current_edition
from zielwerk.measures.forms import StatusReportForm
from zielwerk.measures.importing import MeasureImportError, import_measures
from zielwerk.measures.models import (
    FundingSource,
    Measure,
    MeasureStatus,
    PhaseGate,
    StatusReport,
    WorkItem,
)
from zielwerk.measures.queries import progress_of, with_milestones
from zielwerk.measures.services import change_status, measures_workbook, release_reports
from zielwerk.org.admin import RulesHistoryAdmin
from zielwerk.org.models import OrgUnit
from zielwerk.org.predicates import is_strategy_admin
from zielwerk.org.services import acting_unit_ids

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@admin.register(MeasureStatus)
class MeasureStatusAdmin(RulesHistoryAdmin):
    list_display = ["label", "key", "order", "is_closed"]
    list_editable = ["order"]
    search_fields = ["label", "key"]


class FundingSourceInline(ObjectPermissionsTabularInline):
    model = FundingSource
    extra = 0


class PhaseGateInline(ObjectPermissionsTabularInline):
    model = PhaseGate
    extra = 0
    verbose_name_plural = _("Phasen und Phasenabschlüsse")


class WorkItemInline(ObjectPermissionsTabularInline):
    model = WorkItem
    extra = 0
    fields = ["kind", "title", "due_on", "done_on", "assignee"]
    autocomplete_fields = ["assignee"]


class StatusReportInline(ObjectPermissionsTabularInline):
    """Status reports written on the measure's page; the newest first."""

    model = StatusReport
    form = StatusReportForm
    extra = 0
    fields = ["period", "time", "cost", "quality", "text", "text_en", "is_public", "created_by"]
    readonly_fields = ["created_by"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not is_strategy_admin(request.user):
            readonly.append("is_public")
        return readonly


class MeasureUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Datei"),
        help_text=_(
            "CSV (Semikolon oder Komma, UTF-8) oder Excel (.xlsx) mit den Spalten Nummer, Titel, "
            "Beschreibung, Art, Verantwortlich, Ziele, Beginn, Ende, Priorität, Status, "
            "Fortschritt, Budget geplant, Budget ausgegeben."
        ),
    )
    update = forms.BooleanField(
        label=_("vorhandene Maßnahmen ändern"),
        required=False,
        help_text=_("Ohne Haken wird eine Datei mit bereits vorhandenen Nummern abgelehnt."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in (".xlsx", ".csv"):
            raise ValidationError(_("Bitte eine Datei .xlsx oder .csv hochladen."))
        return upload


class MeasureActionForm(ActionForm):
    status = forms.ModelChoiceField(
        label=_("neuer Status"), queryset=MeasureStatus.objects.all(), required=False
    )


@admin.register(Measure)
class MeasureAdmin(EnglishFieldsMixin, RulesHistoryAdmin):
    list_display = [
        "number",
        "title",
        "kind",
        "responsible_unit",
        "status",
        "phase",
        "priority",
        "progress",
        "end",
        "is_public",
    ]
    list_filter = [
        "status",
        "responsible_unit",
        "priority",
        ("operative_goals__strategic_goal__field", admin.RelatedOnlyFieldListFilter),
        "kind",
        "phase",
        "update_cycle",
        "is_public",
        "is_sample",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "title",
                    "description",
                    "kind",
                    "status",
                    "priority",
                    "is_public",
                    "is_sample",
                ]
            },
        ),
        (_("Zuständigkeit"), {"fields": ["responsible_unit", "contact", "participating_units"]}),
        (_("Ziele und Wirkung"), {"fields": ["operative_goals", "indicators", "papers"]}),
        (
            _("Zeitplan und Fortschritt"),
            {
                "fields": ["start", "end", "phase", "progress_percent"],
                "description": _(
                    "Ohne Angabe in Prozent zählt der Fortschritt nach erreichten Meilensteinen."
                ),
            },
        ),
        (
            _("Projektsteckbrief"),
            {
                "fields": [
                    "profile_goal",
                    "profile_scope",
                    "profile_risks",
                    "profile_stakeholders",
                ],
                "classes": ["collapse"],
            },
        ),
        (_("Budget"), {"fields": ["budget_planned", "budget_spent"]}),
        (_("Sachstand"), {"fields": ["status_text"]}),
        (
            _("Aktualisierung"),
            {
                "fields": ["update_cycle", "update_due_days", "update_owner", "updates_since"],
                "description": _(
                    "In diesem Rhythmus erwartet die Strategiestelle einen Statusbericht."
                ),
            },
        ),
    ]
    search_fields = ["number", "title", "description", "status_text"]
    ordering = ["number"]
    autocomplete_fields = ["responsible_unit", "contact", "update_owner", "papers"]
    filter_horizontal = ["participating_units", "operative_goals", "indicators"]
    inlines = [FundingSourceInline, PhaseGateInline, WorkItemInline, StatusReportInline]
    action_form = MeasureActionForm
    actions = ["set_status", "export_xlsx"]

    def get_queryset(self, request):
        return with_milestones(
            super().get_queryset(request).select_related("responsible_unit", "status")
        )

    @admin.display(description=_("Fortschritt"))
    def progress(self, measure: Measure) -> str:
        progress = progress_of(measure)
        return "–" if progress is None else f"{progress.percent} %"

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_upload": is_strategy_admin(request.user)}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        upload = self.admin_site.admin_view(self.upload_view)
        return [path("hochladen/", upload, name="measures_measure_upload"), *super().get_urls()]

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        """Import a measure list; the strategy office only, as rows may name any unit."""
        if not is_strategy_admin(request.user):
            raise PermissionDenied
        form = MeasureUploadForm(request.POST or None, request.FILES or None)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            edition = current_edition()
            try:
                if edition is None:
                    raise MeasureImportError([gettext("Es gibt noch keine aktuelle Ausgabe.")])
                summary = import_measures(
                    upload, edition, name=upload.name, update=form.cleaned_data["update"]
                )
            except MeasureImportError as error:
                errors = error.errors
            else:
                self.message_user(
                    request,
                    gettext("%(created)d Maßnahmen angelegt, %(updated)d geändert.")
                    % {"created": len(summary.created), "updated": len(summary.updated)},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:measures_measure_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Maßnahmenliste hochladen"),
            "intro": gettext(
                "Die Datei wird vollständig geprüft; enthält sie Fehler, wird nichts gespeichert "
                "und jeder Fehler mit Zeile und Spalte genannt. Die Ziele beziehen sich auf die "
                "aktuelle Ausgabe des SEK."
            ),
            "form": form,
            "errors": errors,
        }
        return TemplateResponse(request, "admin/upload.html", context)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        # Report periods follow the measure's cycle, also the one just chosen on the same form.
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, StatusReportInline):
            kwargs["form_kwargs"] = {"cycle": obj.cycle}
        return kwargs

    def save_formset(self, request, form, formset, change):
        if formset.model is StatusReport:
            for report_form in formset.forms:
                if report_form.instance.pk is None:
                    report_form.instance.created_by = request.user
        super().save_formset(request, form, formset, change)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not is_strategy_admin(request.user):
            # Releasing to the public is the strategy office's call.
            readonly.append("is_public")
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "responsible_unit" and not is_strategy_admin(request.user):
            kwargs["queryset"] = OrgUnit.objects.filter(pk__in=acting_unit_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_autocomplete_fields(self, request):
        # The autocomplete widget searches all units; editors get a plain list of their own.
        fields = list(super().get_autocomplete_fields(request))
        if not is_strategy_admin(request.user):
            fields.remove("responsible_unit")
        return fields

    @admin.action(description=_("Status ändern"), permissions=["change"])
    def set_status(self, request: HttpRequest, queryset) -> None:
        # Only the status field is checked: the whole action form needs its action choices.
        try:
            status = MeasureActionForm.base_fields["status"].clean(request.POST.get("status"))
        except ValidationError:
            status = None
        if status is None:
            self.message_user(
                request, _("Bitte einen neuen Status auswählen."), level=messages.WARNING
            )
            return
        changed, refused = change_status(queryset, status, request.user)
        self.message_user(
            request,
            ngettext(
                "Status von %(count)d Maßnahme auf „%(status)s“ gesetzt.",
                "Status von %(count)d Maßnahmen auf „%(status)s“ gesetzt.",
                len(changed),
            )
            % {"count": len(changed), "status": status.label},
        )
        if refused:
            self.message_user(
                request,
                _("Keine Berechtigung für: %(numbers)s")
                % {"numbers": ", ".join(m.number for m in refused)},
                level=messages.WARNING,
            )

    @admin.action(description=_("Als Excel exportieren"), permissions=["view"])
    def export_xlsx(self, request: HttpRequest, queryset) -> HttpResponse:
        rows = queryset.order_by("number").prefetch_related(
            "operative_goals__strategic_goal__field"
        )
        response = HttpResponse(measures_workbook(rows), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="massnahmen.xlsx"'
        return response


@admin.register(StatusReport)
class StatusReportAdmin(EnglishFieldsMixin, RulesHistoryAdmin):
    """All status reports across measures, for the strategy office to read and release."""

    list_display = ["measure", "period", "time", "cost", "quality", "is_public", "created_at"]
    list_filter = ["period", "time", "cost", "quality", "is_public", "measure__responsible_unit"]
    search_fields = ["measure__number", "measure__title", "text"]
    readonly_fields = ["measure", "created_by", "created_at"]
    fields = [
        "measure",
        "period",
        "time",
        "cost",
        "quality",
        "text",
        "text_en",
        "is_public",
        "created_by",
    ]
    form = StatusReportForm
    actions = ["release"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("measure")

    def has_add_permission(self, request):
        # A report belongs to a measure and is written on the measure's page.
        return False

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not is_strategy_admin(request.user):
            readonly.append("is_public")
        return readonly

    def has_release_permission(self, request: HttpRequest) -> bool:
        return is_strategy_admin(request.user)

    @admin.action(description=_("Für die Öffentlichkeit freigeben"), permissions=["release"])
    def release(self, request: HttpRequest, queryset) -> None:
        count = release_reports(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d Statusbericht freigegeben.",
                "%(count)d Statusberichte freigegeben.",
                count,
            )
            % {"count": count},
        )

"""Staff pages for measures. Permissions come from measures/rules.py: editors see every
measure but save only those of their unit's subtree, and pick only units from that subtree."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rules.contrib.admin import ObjectPermissionsTabularInline

from zielwerk.measures.models import FundingSource, Measure, MeasureStatus
from zielwerk.measures.services import change_status, measures_workbook
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


class MeasureActionForm(ActionForm):
    status = forms.ModelChoiceField(
        label=_("neuer Status"), queryset=MeasureStatus.objects.all(), required=False
    )


@admin.register(Measure)
class MeasureAdmin(RulesHistoryAdmin):
    list_display = [
        "number",
        "title",
        "kind",
        "responsible_unit",
        "status",
        "priority",
        "progress_percent",
        "end",
        "is_public",
    ]
    list_filter = [
        "status",
        "responsible_unit",
        "priority",
        ("operative_goals__strategic_goal__field", admin.RelatedOnlyFieldListFilter),
        "kind",
        "is_public",
        "is_sample",
    ]
    search_fields = ["number", "title", "description", "status_text"]
    ordering = ["number"]
    autocomplete_fields = ["responsible_unit", "contact"]
    filter_horizontal = ["participating_units", "operative_goals", "indicators"]
    inlines = [FundingSourceInline]
    action_form = MeasureActionForm
    actions = ["set_status", "export_xlsx"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("responsible_unit", "status")

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

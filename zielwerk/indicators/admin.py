"""Staff pages for indicators. Permissions come from indicators/rules.py: everyone on staff reads;
editors maintain values, targets and milestones of their unit's indicators; only the strategy
office defines indicators, assigns them, approves values and closes reporting years. Values of a
closed year change only with a reason, recorded as revisions (read-only here)."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rules.contrib.admin import ObjectPermissionsModelAdmin, ObjectPermissionsTabularInline

from zielwerk.goals.admin import EnglishFieldsMixin
from zielwerk.goals.models import OperativeGoal
from zielwerk.indicators.excel import import_table, template_bytes, template_filename
from zielwerk.indicators.models import (
    Indicator,
    Milestone,
    ReportingPeriod,
    Target,
    Value,
    ValueBatch,
    ValueRevision,
)
from zielwerk.indicators.periods import close_period, closing_problem
from zielwerk.indicators.responsibility import indicators_acted_for
from zielwerk.indicators.values import (
    RevisionReasonMissing,
    ValuesError,
    approve,
    check_closed_year,
    deletion_refused,
    duplicate_of,
    save_value,
)
from zielwerk.org.admin import ReadOnlyAdmin, RulesHistoryAdmin
from zielwerk.org.models import OrgUnit
from zielwerk.org.predicates import is_strategy_admin
from zielwerk.org.services import acting_unit_ids

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Links typed without a scheme are meant for the web as it is today.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class TargetInline(ObjectPermissionsTabularInline):
    model = Target
    extra = 0
    fields = [
        "kind",
        "value",
        "base_year",
        "target_year",
        "comparator",
        "low",
        "high",
        "is_current",
        "wording",
        "decided_by",
    ]

    def has_add_permission(self, request, obj=None):
        # The indicator decides: editors add targets to their own indicators only.
        return request.user.has_perm("indicators.add_target", obj)


@admin.register(Indicator)
class IndicatorAdmin(EnglishFieldsMixin, RulesHistoryAdmin):
    list_display = ["code", "name", "unit", "owner", "method", "is_sample"]
    list_filter = ["method", "owner", "update_cycle", "is_sample"]
    search_fields = ["code", "name"]
    filter_horizontal = ["operative_goals"]
    autocomplete_fields = ["owner", "update_owner"]
    inlines = [TargetInline]
    formfield_overrides = URL_FIELDS
    change_form_template = "admin/indicators/indicator/change_form.html"
    # Identity and assignment are structure, kept by the strategy office.
    structure_fields = ["code", "owner", "operative_goals"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("indicators.add_indicator"):
            readonly += self.structure_fields
        return readonly

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner")

    def get_urls(self):
        return [
            path(
                "<path:object_id>/vorlage/",
                self.admin_site.admin_view(self.template_view),
                name="indicators_indicator_template",
            ),
            *super().get_urls(),
        ]

    def template_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The Excel template of the indicator for entering values."""
        indicator = get_object_or_404(Indicator, pk=object_id)
        if not self.has_view_permission(request, indicator):
            raise PermissionDenied
        response = HttpResponse(template_bytes(indicator), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{template_filename(indicator)}"'
        return response


IDENTITY = ["indicator", "year", "month", "disaggregation"]
VALUE_FIELDS = [*IDENTITY, "value", "flags", "source", "note"]


def revision_reason_field(help_text: str) -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("Begründung der Berichtigung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=help_text,
    )


class ValueForm(forms.ModelForm):
    revision_reason = revision_reason_field(
        gettext_lazy(
            "Nur für Werte abgeschlossener Berichtsjahre: warum der Wert nachträglich geändert "
            "oder ergänzt wird. Die Berichtigung wird mit Ihrem Namen festgehalten."
        )
    )

    class Meta:
        model = Value
        fields = VALUE_FIELDS

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        # The instance gets the form's data only after clean(); check a candidate instead.
        candidate = Value(pk=self.instance.pk, **{n: cleaned.get(n) for n in IDENTITY})
        other = duplicate_of(candidate)
        if other is not None:
            raise ValidationError(
                _(
                    "Für diesen Zeitraum und diese Aufgliederung gibt es schon einen Wert "
                    "(%(value)s); ändern Sie bitte diesen."
                )
                % {"value": other}
            )
        candidate = Value(pk=self.instance.pk, **{n: cleaned.get(n) for n in VALUE_FIELDS})
        try:
            check_closed_year(candidate, cleaned.get("revision_reason", ""))
        except RevisionReasonMissing as error:
            self.add_error("revision_reason", error.errors)
        except ValuesError as error:
            raise ValidationError(error.errors) from error
        return cleaned


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Datei"),
        help_text=gettext_lazy(
            "Excel-Vorlage (.xlsx) oder CSV-Tabelle mit den Spalten der Vorlage "
            "(Trennzeichen Semikolon oder Komma)."
        ),
    )
    indicator = forms.ModelChoiceField(
        queryset=Indicator.objects.none(),
        required=False,
        label=gettext_lazy("Indikator"),
        help_text=gettext_lazy(
            "Nur für CSV-Tabellen ohne Spalte „Indikator“; die Excel-Vorlage nennt ihn selbst."
        ),
    )
    approve = forms.BooleanField(
        required=False,
        label=gettext_lazy("gleich freigeben"),
        help_text=gettext_lazy("Nur die Strategiestelle gibt Werte frei."),
    )
    revision_reason = revision_reason_field(
        gettext_lazy(
            "Nur wenn die Datei Werte abgeschlossener Berichtsjahre ändert oder ergänzt: warum. "
            "Jede dieser Änderungen wird als Berichtigung mit Ihrem Namen festgehalten."
        )
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators_acted_for(user)
        if not user.has_perm("indicators.approve_value"):
            del self.fields["approve"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in (".xlsx", ".csv"):
            raise ValidationError(_("Bitte eine Datei .xlsx oder .csv hochladen."))
        return upload


def _change(revision: ValueRevision) -> str:
    def number(value: float | None) -> str:
        return "–" if value is None else formats.localize(value)

    return f"{number(revision.old_value)} → {number(revision.new_value)}"


@admin.register(Value)
class ValueAdmin(RulesHistoryAdmin):
    form = ValueForm
    list_display = [
        "indicator",
        "year",
        "month",
        "disaggregation_key",
        "value",
        "flags",
        "state",
        "entered_by",
        "approved_at",
    ]
    list_filter = [("indicator", admin.RelatedOnlyFieldListFilter), "state", "year"]
    list_select_related = ["indicator", "entered_by"]
    search_fields = ["indicator__code", "disaggregation_key"]
    readonly_fields = [
        "state",
        "entered_at",
        "entered_by",
        "approved_at",
        "approved_by",
        "batch",
    ]
    actions = ["approve_selected"]
    change_list_template = "admin/indicators/value/change_list.html"
    # A million values: counting them all for every page would be the slowest part.
    show_full_result_count = False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "indicator":
            kwargs["queryset"] = indicators_acted_for(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if obj is None else [*readonly, "revision_list"]

    @admin.display(description=gettext_lazy("Berichtigungen"))
    def revision_list(self, value: Value) -> str:
        revisions = value.revisions.select_related("revised_by").order_by("revised_at")
        if not revisions:
            return _("keine")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}, {}: {} – {}</li>",
                (
                    (
                        formats.localize(timezone.localtime(r.revised_at)),
                        r.revised_by or "–",
                        _change(r),
                        r.reason,
                    )
                    for r in revisions
                ),
            ),
        )

    def save_model(self, request, obj, form, change):
        save_value(obj, request.user, form.cleaned_data.get("revision_reason", ""))

    def has_delete_permission(self, request, obj=None):
        # Also for superusers, who hold every permission: closed years keep their values.
        if obj is not None and deletion_refused(obj):
            return False
        return super().has_delete_permission(request, obj)

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("indicators.approve_value")

    @admin.action(description=gettext_lazy("Freigeben"), permissions=["approve"])
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Value]) -> None:
        count = approve(queryset, request.user)
        self.message_user(
            request, _("%(count)d Werte freigegeben.") % {"count": count}, messages.SUCCESS
        )

    def get_urls(self):
        return [
            path(
                "hochladen/",
                self.admin_site.admin_view(self.upload_view),
                name="indicators_value_upload",
            ),
            *super().get_urls(),
        ]

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a filled template or CSV table; all or nothing, every error listed."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            fmt = "xlsx" if upload.name.lower().endswith(".xlsx") else "csv"
            try:
                result = import_table(
                    upload,
                    fmt,
                    indicator=form.cleaned_data["indicator"],
                    approve=form.cleaned_data.get("approve", False),
                    user=request.user,
                    source_name=upload.name,
                    revision_reason=form.cleaned_data["revision_reason"],
                )
            except ValuesError as error:
                errors = error.errors
            else:
                for note in result.notes:
                    self.message_user(request, note, messages.INFO)
                self.message_user(request, result.summary.line(), messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:indicators_value_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Werte hochladen"),
            "intro": _(
                "Laden Sie eine ausgefüllte Excel-Vorlage (auf der Seite des Indikators) oder eine "
                "CSV-Tabelle mit denselben Spalten hoch. Die Datei wird vollständig geprüft; "
                "enthält sie Fehler, wird nichts gespeichert und jeder Fehler mit Zeile und Spalte "
                "genannt."
            ),
            "form": form,
            "errors": errors,
        }
        return TemplateResponse(request, "admin/upload.html", context)


@admin.register(ValueBatch)
class ValueBatchAdmin(ReadOnlyAdmin, RulesHistoryAdmin):
    list_display = [
        "source_name",
        "file_format",
        "created_at",
        "created_by",
        "created_rows",
        "updated_rows",
    ]
    list_filter = ["file_format"]
    search_fields = ["source_name"]


class ReportingPeriodForm(forms.ModelForm):
    class Meta:
        model = ReportingPeriod
        fields = ["year", "note"]

    def clean_year(self):
        year = self.cleaned_data["year"]
        problem = closing_problem(year)
        if problem:
            raise ValidationError(problem)
        return year


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ObjectPermissionsModelAdmin):
    """Closing a reporting year is adding it here; it is final (see periods.py)."""

    form = ReportingPeriodForm
    list_display = ["year", "closed_at", "closed_by", "note"]

    def save_model(self, request, obj, form, change):
        close_period(obj, request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ValueRevision)
class ValueRevisionAdmin(ReadOnlyAdmin):
    """Revisions are written by the value services only; here they are read."""

    list_display = [
        "indicator",
        "year",
        "month",
        "disaggregation_key",
        "change",
        "reason",
        "revised_by",
        "revised_at",
    ]
    list_filter = [("indicator", admin.RelatedOnlyFieldListFilter), "year"]
    list_select_related = ["indicator", "revised_by"]
    search_fields = ["indicator__code", "reason"]
    date_hierarchy = "revised_at"

    @admin.display(description=gettext_lazy("Änderung"))
    def change(self, revision: ValueRevision) -> str:
        return _change(revision)


@admin.register(Milestone)
class MilestoneAdmin(EnglishFieldsMixin, RulesHistoryAdmin):
    list_display = ["title", "operative_goal", "deadline", "reached_on", "assessment", "owner"]
    list_filter = ["assessment", "owner", "operative_goal__strategic_goal__field__edition"]
    search_fields = ["title", "description"]
    date_hierarchy = "deadline"
    formfield_overrides = URL_FIELDS

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("owner", "operative_goal__strategic_goal__field")
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # An editor places milestones only where their unit is responsible.
        if not is_strategy_admin(request.user):
            units = acting_unit_ids(request.user)
            if db_field.name == "owner":
                kwargs["queryset"] = OrgUnit.objects.filter(pk__in=units)
            elif db_field.name == "operative_goal":
                kwargs["queryset"] = _goals_of_units(units)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # The add permission is checked before the goal is chosen; now the goal is known.
        if not request.user.has_perm("indicators.change_milestone", obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


def _goals_of_units(units: set[int]) -> QuerySet[OperativeGoal]:
    return (
        OperativeGoal.objects.filter(
            Q(responsible_units__in=units)
            | Q(strategic_goal__responsible_units__in=units)
            | Q(strategic_goal__field__responsible_units__in=units)
        )
        .distinct()
        .select_related("strategic_goal__field")
    )

"""API for measures and their status vocabulary.

The public reads released measures with their released status reports and milestones (never
the internal tasks, nor who keeps the measure up to date); staff with a role read everything.
Writing follows measures/rules.py like the staff pages: editors keep the measures of their
unit's subtree, the strategy office keeps all, releases them and words the status vocabulary."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import ProtectedError, QuerySet
from django.urls import reverse as django_reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.validators import UniqueValidator

from zielwerk.api.indicators import OperativeGoalCode
from zielwerk.api.views import ApiViewSet, EditionScopedViewSet
from zielwerk.indicators.models import Indicator
from zielwerk.measures.models import (
    FundingSource,
    Light,
    Measure,
    MeasureStatus,
    StatusReport,
    WorkItem,
)
from zielwerk.measures.queries import (
    latest_public_report,
    measure_details,
    progress_of,
    read_measure_filter,
    sees_unreleased_measures,
)
from zielwerk.org.models import OrgUnit
from zielwerk.org.predicates import is_strategy_admin

# --- serializers ------------------------------------------------------------------------------


class MeasureStatusSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:measure-status-detail", lookup_field="key"
    )

    class Meta:
        model = MeasureStatus
        fields = ["url", "key", "label", "order", "is_closed"]


class FundingSourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundingSource
        fields = ["kind", "programme", "amount"]
        read_only_fields = fields


class MilestoneItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkItem
        fields = ["title", "due_on", "done_on"]
        read_only_fields = fields


class StatusReportSerializer(serializers.ModelSerializer):
    # One enum "Light" in the schema for all four (SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
    overall = serializers.ChoiceField(
        choices=Light.choices, read_only=True, help_text="Die schlechteste der drei Ampeln"
    )

    class Meta:
        model = StatusReport
        fields = [
            "period",
            "period_start",
            "period_end",
            "time",
            "cost",
            "quality",
            "overall",
            "text",
            "text_en",
            "is_public",
        ]
        read_only_fields = fields


class ProgressSerializer(serializers.Serializer):
    percent = serializers.IntegerField()
    basis = serializers.ChoiceField(
        choices=["percent", "milestones"],
        help_text="percent: von der Einheit angegeben; milestones: Anteil erreichter Meilensteine",
    )
    reached = serializers.IntegerField(help_text="erreichte Meilensteine (nur bei milestones)")
    total = serializers.IntegerField(help_text="Meilensteine insgesamt (nur bei milestones)")


def _codes(queryset: QuerySet, help_text: str) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=queryset, required=False, help_text=help_text
    )


class MeasureSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:measure-detail", lookup_field="number"
    )
    number = serializers.CharField(
        max_length=40,
        validators=[
            UniqueValidator(
                queryset=Measure.objects.all(),
                message=gettext_lazy("Diese Nummer hat bereits eine andere Maßnahme."),
            )
        ],
        help_text="z. B. M-12-01",
    )
    responsible_unit = serializers.SlugRelatedField(
        slug_field="code",
        queryset=OrgUnit.objects.all(),
        help_text="Kürzel der verantwortlichen Organisationseinheit",
    )
    participating_units = _codes(OrgUnit.objects.all(), "Kürzel der beteiligten Einheiten")
    goals = OperativeGoalCode(
        source="operative_goals",
        many=True,
        allow_empty=False,
        error_messages={
            "empty": gettext_lazy("Eine Maßnahme braucht mindestens ein operatives Ziel.")
        },
        help_text="Nummern der operativen Ziele (z. B. 12.1.2) in der Ausgabe der Anfrage "
        "(?edition=, sonst die aktuelle)",
    )
    indicators = _codes(Indicator.objects.all(), "Kennungen der Indikatoren, die sie bewegen soll")
    status = serializers.SlugRelatedField(
        slug_field="key",
        queryset=MeasureStatus.objects.all(),
        help_text="Kennung eines Eintrags aus /api/v1/measure-statuses/",
    )
    progress = serializers.SerializerMethodField(
        help_text="Fortschritt: angegebene Prozent, sonst Anteil erreichter Meilensteine"
    )
    funding_sources = FundingSourceSerializer(many=True, read_only=True)
    milestones = MilestoneItemSerializer(source="milestone_items", many=True, read_only=True)
    latest_report = serializers.SerializerMethodField(
        help_text="Der neueste freigegebene Statusbericht"
    )
    status_reports = StatusReportSerializer(
        source="visible_reports",
        many=True,
        read_only=True,
        help_text="Statusberichte, neueste zuerst; öffentlich nur freigegebene",
    )
    page_url = serializers.SerializerMethodField(help_text="Öffentliche Seite der Maßnahme")

    class Meta:
        model = Measure
        fields = [
            "url",
            "number",
            "title",
            "title_en",
            "description",
            "description_en",
            "kind",
            "responsible_unit",
            "participating_units",
            "goals",
            "indicators",
            "start",
            "end",
            "priority",
            "status",
            "progress_percent",
            "progress",
            "budget_planned",
            "budget_spent",
            "funding_sources",
            "phase",
            "profile_goal",
            "profile_scope",
            "profile_risks",
            "profile_stakeholders",
            "status_text",
            "status_text_en",
            "milestones",
            "latest_report",
            "status_reports",
            "is_public",
            "is_sample",
            "page_url",
        ]
        read_only_fields = ["is_sample"]

    @extend_schema_field(ProgressSerializer(allow_null=True))
    def get_progress(self, measure: Measure) -> dict[str, Any] | None:
        progress = progress_of(measure)
        return ProgressSerializer(progress).data if progress is not None else None

    @extend_schema_field(StatusReportSerializer(allow_null=True))
    def get_latest_report(self, measure: Measure) -> dict[str, Any] | None:
        report = latest_public_report(measure)
        return StatusReportSerializer(report).data if report is not None else None

    def get_page_url(self, measure: Measure) -> str:
        # The default language has no prefix, which keeps the link the same for every client.
        with translation.override(settings.LANGUAGE_CODE):
            path = django_reverse("measure", kwargs={"number": measure.number})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start = attrs.get("start", getattr(self.instance, "start", None))
        end = attrs.get("end", getattr(self.instance, "end", None))
        if start and end and end < start:
            raise ValidationError(
                {
                    "end": _("Das Ende (%(end)s) liegt vor dem Beginn (%(start)s).")
                    % {"end": end.strftime("%d.%m.%Y"), "start": start.strftime("%d.%m.%Y")}
                }
            )
        return attrs


# --- views ------------------------------------------------------------------------------------


class StatusInUse(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy(
        "Der Status wird noch von Maßnahmen verwendet und kann nicht gelöscht werden."
    )
    default_code = "in_use"


@extend_schema(
    tags=["measures"],
    description=(
        "Wortlaut und Reihenfolge der Status von Maßnahmen. Lesen ist frei; pflegen darf die "
        "Strategiestelle."
    ),
)
class MeasureStatusViewSet(ApiViewSet):
    queryset = MeasureStatus.objects.all()
    serializer_class = MeasureStatusSerializer
    lookup_field = "key"

    def visible_queryset(self) -> QuerySet[MeasureStatus]:
        return MeasureStatus.objects.all()

    def perform_destroy(self, instance: MeasureStatus) -> None:
        try:
            instance.delete()
        except ProtectedError as error:
            raise StatusInUse() from error


def _filter_parameter(name: str, kind: type, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            _filter_parameter("field", int, "Nur Maßnahmen zu Zielen dieses Handlungsfelds."),
            _filter_parameter("goal", str, "Nur Maßnahmen zu diesem operativen Ziel (12.1.2)."),
            _filter_parameter("status", str, "Nur Maßnahmen mit diesem Status (Kennung)."),
            _filter_parameter("unit", str, "Nur Maßnahmen dieser verantwortlichen Einheit."),
            _filter_parameter("priority", int, "Nur diese Priorität: 1 hoch, 2 mittel, 3 niedrig."),
        ]
    )
)
@extend_schema(
    tags=["measures"],
    description=(
        "Maßnahmen mit Zielen, Status, Fortschritt, Budget, Finanzierung, Meilensteinen und "
        "Statusberichten, adressiert über ihre Nummer. Öffentlich sind freigegebene Maßnahmen "
        "mit freigegebenen Statusberichten; Mitarbeitende sehen alle. Anlegen und ändern dürfen "
        "die Strategiestelle und Bearbeitende für Maßnahmen ihrer Organisationseinheit (und der "
        "Einheiten darunter); freigeben und löschen nur die Strategiestelle."
    ),
)
class MeasureViewSet(EditionScopedViewSet):
    queryset = Measure.objects.all()
    serializer_class = MeasureSerializer
    lookup_field = "number"
    lookup_value_regex = r"[^/]+"
    denied_messages = {
        "add": gettext_lazy("Maßnahmen legen die Strategiestelle und Bearbeitende an."),
        "change": gettext_lazy("Sie haben keine Berechtigung, Maßnahmen zu ändern."),
        "delete": gettext_lazy("Maßnahmen löschen darf nur die Strategiestelle."),
    }

    def visible_queryset(self) -> QuerySet[Measure]:
        staff = sees_unreleased_measures(self.request.user)
        measures = measure_details(released_only=not staff).order_by("number")
        if self.action != "list":
            return measures
        measure_filter, errors = read_measure_filter(self.request.query_params, self.edition)
        if errors:
            raise ValidationError(errors)
        return measure_filter.apply(measures)

    def check_rules(self, serializer: serializers.BaseSerializer) -> None:
        """The measure as it will be stored must lie in the user's responsibility too, so
        that an editor cannot hand a measure to, or create one for, another unit."""
        user = self.request.user
        instance: Measure | None = serializer.instance
        data = serializer.validated_data
        unit = data.get("responsible_unit", getattr(instance, "responsible_unit", None))
        if not user.has_perm("measures.change_measure", Measure(responsible_unit=unit)):
            raise PermissionDenied(
                _(
                    "Sie dürfen nur Maßnahmen pflegen, für die Ihre Organisationseinheit (oder "
                    "eine Einheit darunter) verantwortlich ist."
                )
            )
        released = instance.is_public if instance is not None else False
        if data.get("is_public", released) != released and not is_strategy_admin(user):
            raise PermissionDenied(_("Maßnahmen freigeben darf nur die Strategiestelle."))

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        self.save(serializer)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        self.save(serializer)

    def save(self, serializer: serializers.BaseSerializer) -> None:
        self.check_rules(serializer)
        measure = serializer.save()
        # Read back with its parts, so that the answer shows the measure as a GET would.
        serializer.instance = self.get_queryset().get(pk=measure.pk)

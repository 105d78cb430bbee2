"""API for indicators, their targets, values and milestones.

Indicators and targets are public. Values are public once approved; staff also see values that
wait for approval. Writing follows indicators/rules.py like the staff pages: editors maintain
values, targets and milestones of their unit's indicators, the strategy office defines
indicators and approves values. Values go through indicators.values, so an API write obeys the
same revision and history rules as every other way in: a value of a closed reporting year
changes only with a `revision_reason` and is never deleted."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Model, Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from zielwerk.api.permissions import DENIED
from zielwerk.api.serializers import ApiLink
from zielwerk.api.views import ApiViewSet, EditionScopedViewSet
from zielwerk.goals.models import Edition, OperativeGoal
from zielwerk.goals.queries import find_goal, visible_editions
from zielwerk.indicators.models import Indicator, Milestone, Target, Value
from zielwerk.indicators.values import (
    RevisionReasonMissing,
    ValuesError,
    approve,
    check_closed_year,
    deletion_refused,
    duplicate_of,
    period_of,
    public_values,
    save_value,
)
from zielwerk.org.models import OrgUnit

CODE_PATTERN = r"[-a-zA-Z0-9_]+"
OWN_INDICATORS_ONLY = gettext_lazy(
    "Sie dürfen nur für Indikatoren Ihrer Organisationseinheit Werte und Ziele erfassen."
)


def _sees_all_values(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user.has_perm("indicators.view_value")


def _indicator_by_code(code: str | None) -> Indicator | None:
    if code is None:
        return None
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise NotFound(_("Es gibt keinen Indikator mit der Kennung „%(code)s“.") % {"code": code})
    return indicator


def _int_parameter(request: Request, name: str) -> int | None:
    text = request.query_params.get(name)
    if text is None:
        return None
    if not text.isdigit():
        raise ValidationError({name: _("Erwartet wird eine ganze Zahl.")})
    return int(text)


def _indicator_field() -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="code", queryset=Indicator.objects.all(), help_text="Kennung des Indikators"
    )


# --- serializers ------------------------------------------------------------------------------


class GoalReferenceSerializer(serializers.ModelSerializer):
    edition = serializers.CharField(source="strategic_goal.field.edition.name", read_only=True)
    code = serializers.CharField(read_only=True)
    url = ApiLink(source="*", read_only=True)

    class Meta:
        model = OperativeGoal
        fields = ["edition", "code", "title", "url"]
        read_only_fields = fields


class TargetSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:target-detail")
    indicator = _indicator_field()

    class Meta:
        model = Target
        fields = [
            "url",
            "id",
            "indicator",
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

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # The model knows which fields each kind of target needs, with German messages.
        candidate = Target(**{**_fields_of(self.instance, self.Meta.fields), **attrs})
        candidate.clean()
        return attrs


def _fields_of(instance: Model | None, names: list[str]) -> dict[str, Any]:
    if instance is None:
        return {}
    return {n: getattr(instance, n) for n in names if n not in ("url", "id")}


class IndicatorSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:indicator-detail", lookup_field="code"
    )
    owner = serializers.SlugRelatedField(
        slug_field="code",
        queryset=OrgUnit.objects.all(),
        allow_null=True,
        required=False,
        help_text="Kürzel der verantwortlichen Organisationseinheit",
    )
    goals = GoalReferenceSerializer(
        source="operative_goals",
        many=True,
        read_only=True,
        help_text="Operative Ziele, zu denen der Indikator gehört (veröffentlichte Ausgaben)",
    )
    targets = TargetSerializer(many=True, read_only=True)
    values_url = serializers.SerializerMethodField(help_text="Werte dieses Indikators")

    class Meta:
        model = Indicator
        fields = [
            "url",
            "code",
            "name",
            "name_en",
            "definition",
            "definition_en",
            "unit",
            "unit_en",
            "source",
            "source_url",
            "direction",
            "method",
            "decimals",
            "series_starts",
            "base_year",
            "natural_limit",
            "owner",
            "goals",
            "targets",
            "values_url",
            "is_sample",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_values_url(self, indicator: Indicator) -> str:
        url = reverse("api:value-list", request=self.context.get("request"))
        return f"{url}?indicator={indicator.code}"


VALUE_IDENTITY = ["indicator", "year", "month", "disaggregation"]
VALUE_CONTENT = [*VALUE_IDENTITY, "value", "flags", "source", "note"]


class ValueSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:value-detail")
    indicator = _indicator_field()
    period = serializers.SerializerMethodField(
        help_text="Zeitraum als Jahreszahl; Monat m eines Jahres beginnt bei Jahr + (m − 1)/12"
    )
    disaggregation = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text='Aufgliederung, z. B. {"Stadtteil": "Mitte"}; leer für den Gesamtwert',
    )
    revision_reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        help_text=(
            "Begründung der Berichtigung; nötig, wenn ein Wert eines abgeschlossenen "
            "Berichtsjahres neu erfasst oder geändert wird"
        ),
    )

    class Meta:
        model = Value
        fields = [
            "url",
            "id",
            "indicator",
            "year",
            "month",
            "period",
            "disaggregation",
            "disaggregation_key",
            "value",
            "flags",
            "source",
            "note",
            "state",
            "entered_at",
            "approved_at",
            "revision_reason",
        ]
        read_only_fields = ["state", "entered_at", "approved_at", "disaggregation_key"]
        extra_kwargs = {
            "year": {"min_value": 1800, "max_value": 2200},
            "month": {"max_value": 12},
        }
        # validate() names the stored value instead of the generic uniqueness message.
        validators: list = []

    def get_period(self, value: Value) -> float:
        return period_of(value.year, value.month)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        content = {n: v for n, v in attrs.items() if n != "revision_reason"}
        candidate = Value(**{**_fields_of(self.instance, VALUE_CONTENT), **content})
        if self.instance is not None:
            candidate.pk = self.instance.pk
        other = duplicate_of(candidate)
        if other is not None:
            raise ValidationError(
                _(
                    "Für diesen Zeitraum und diese Aufgliederung gibt es schon einen Wert "
                    "(Nr. %(id)d); ändern Sie bitte diesen."
                )
                % {"id": other.pk}
            )
        try:
            check_closed_year(candidate, attrs.get("revision_reason", ""))
        except RevisionReasonMissing as error:
            raise ValidationError({"revision_reason": error.errors}) from error
        except ValuesError as error:
            raise ValidationError(error.errors) from error
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Value:
        reason = validated_data.pop("revision_reason", "")
        return save_value(Value(**validated_data), self.context["request"].user, reason)

    def update(self, instance: Value, validated_data: dict[str, Any]) -> Value:
        reason = validated_data.pop("revision_reason", "")
        for name, new in validated_data.items():
            setattr(instance, name, new)
        return save_value(instance, self.context["request"].user, reason)


@extend_schema_field(OpenApiTypes.STR)
class OperativeGoalCode(serializers.RelatedField):
    """An operative goal as its code (12.3.4) in the edition the request works on."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", OperativeGoal.objects.all())
        super().__init__(**kwargs)

    def to_representation(self, value: OperativeGoal) -> str:
        return value.code

    def to_internal_value(self, data: Any) -> OperativeGoal:
        edition: Edition = self.context["edition"]
        goal = find_goal(edition, str(data))
        if not isinstance(goal, OperativeGoal):
            raise serializers.ValidationError(
                _("Die Ausgabe „%(edition)s“ enthält kein operatives Ziel %(code)s.")
                % {"edition": edition.name, "code": data}
            )
        return goal


class MilestoneSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:milestone-detail")
    edition = serializers.CharField(
        source="operative_goal.strategic_goal.field.edition.name", read_only=True
    )
    operative_goal = OperativeGoalCode(help_text="Nummer des operativen Ziels, z. B. 12.5.1")
    owner = serializers.SlugRelatedField(
        slug_field="code", queryset=OrgUnit.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Milestone
        fields = [
            "url",
            "id",
            "edition",
            "operative_goal",
            "title",
            "title_en",
            "description",
            "deadline",
            "reached_on",
            "evidence",
            "evidence_url",
            "assessment",
            "assessed_on",
            "owner",
            "is_sample",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        names = [n for n in self.Meta.fields if n != "edition"]
        Milestone(**{**_fields_of(self.instance, names), **attrs}).clean()
        return attrs


class ApproveSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(), help_text="Nummern (id) der freizugebenden Werte"
    )


class ApprovedSerializer(serializers.Serializer):
    approved = serializers.IntegerField(help_text="Anzahl der neu freigegebenen Werte")


# --- views ------------------------------------------------------------------------------------


class MayApprove(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user.is_authenticated:
            return False
        if not request.user.has_perm("indicators.approve_value"):
            raise PermissionDenied(_("Werte freigeben darf nur die Strategiestelle."))
        return True


class IndicatorChildViewSet(ApiViewSet):
    """Targets and values: a new or moved record is checked against the indicator it goes to."""

    denied_messages = {**DENIED, "add": OWN_INDICATORS_ONLY}

    def check_indicator(self, serializer: serializers.BaseSerializer) -> None:
        indicator = serializer.validated_data.get("indicator")
        permission = f"indicators.add_{self.queryset.model._meta.model_name}"
        if indicator is not None and not self.request.user.has_perm(permission, indicator):
            raise PermissionDenied(OWN_INDICATORS_ONLY)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        self.check_indicator(serializer)
        serializer.save()

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        self.check_indicator(serializer)
        serializer.save()


INDICATOR_PARAMETER = OpenApiParameter(
    "indicator",
    str,
    OpenApiParameter.QUERY,
    description="Nur Einträge dieses Indikators (Kennung).",
)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "owner",
                str,
                OpenApiParameter.QUERY,
                description="Nur Indikatoren dieser Organisationseinheit (Kürzel).",
            )
        ]
    )
)
@extend_schema(
    tags=["indicators"],
    description=(
        "Indikatoren mit ihren Zielen und den operativen Zielen, die sie messen. Anlegen und "
        "löschen darf die Strategiestelle; beschreiben auch die verantwortliche "
        "Organisationseinheit (Kennung und Zuordnung nicht)."
    ),
)
class IndicatorViewSet(ApiViewSet):
    """Indicators with their targets and goals."""

    queryset = Indicator.objects.all()
    serializer_class = IndicatorSerializer
    lookup_field = "code"
    lookup_value_regex = CODE_PATTERN
    structure_fields = ("code", "owner")

    def visible_queryset(self) -> QuerySet[Indicator]:
        goals = OperativeGoal.objects.filter(
            strategic_goal__field__edition__in=visible_editions(self.request.user)
        ).select_related("strategic_goal__field__edition")
        indicators = Indicator.objects.select_related("owner").prefetch_related(
            Prefetch("operative_goals", queryset=goals), "targets"
        )
        owner = self.request.query_params.get("owner")
        if self.action == "list" and owner:
            indicators = indicators.filter(owner__code=owner)
        return indicators

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        changed = [
            name
            for name in self.structure_fields
            if name in serializer.validated_data
            and serializer.validated_data[name] != getattr(serializer.instance, name)
        ]
        if changed and not self.request.user.has_perm("indicators.add_indicator"):
            raise PermissionDenied(
                _("Kennung und verantwortliche Einheit ändert nur die Strategiestelle.")
            )
        serializer.save()


@extend_schema_view(list=extend_schema(parameters=[INDICATOR_PARAMETER]))
@extend_schema(
    tags=["targets"],
    description=(
        "Ziele der Indikatoren: Zielwert in einem Zieljahr, Grenzwert, Richtung oder "
        "Zielkorridor. Anlegen und ändern dürfen die Strategiestelle und die für den Indikator "
        "verantwortliche Organisationseinheit; löschen nur die Strategiestelle (abgelöste Ziele "
        "bleiben mit „is_current“: false erhalten)."
    ),
)
class TargetViewSet(IndicatorChildViewSet):
    """Targets of the indicators."""

    queryset = Target.objects.all()
    serializer_class = TargetSerializer

    def visible_queryset(self) -> QuerySet[Target]:
        targets = Target.objects.select_related("indicator")
        indicator = _indicator_by_code(self.request.query_params.get("indicator"))
        if self.action == "list" and indicator is not None:
            targets = targets.filter(indicator=indicator)
        return targets


@extend_schema_view(
    list=extend_schema(
        parameters=[
            INDICATOR_PARAMETER,
            OpenApiParameter("year", int, OpenApiParameter.QUERY, description="Nur dieses Jahr."),
            OpenApiParameter(
                "disaggregation",
                str,
                OpenApiParameter.QUERY,
                description=(
                    "Nur diese Aufgliederung, in der Form von disaggregation_key "
                    "(z. B. Stadtteil=Mitte); leer für den Gesamtwert."
                ),
            ),
            OpenApiParameter(
                "state",
                str,
                OpenApiParameter.QUERY,
                enum=Value.State.values,
                description="Nur Werte in diesem Status (Mitarbeitende).",
            ),
        ]
    )
)
@extend_schema(
    tags=["values"],
    description=(
        "Werte der Indikatoren. Öffentlich sind nur freigegebene Werte; Mitarbeitende sehen "
        "auch Werte, die auf Freigabe warten. Erfassen und ändern dürfen die Strategiestelle "
        "und die für den Indikator verantwortliche Organisationseinheit; ein geänderter "
        "freigegebener Wert wartet wieder auf Freigabe. Freigeben darf nur die Strategiestelle. "
        "Werte abgeschlossener Berichtsjahre lassen sich nur mit Begründung (revision_reason) "
        "berichtigen, was als Berichtigung festgehalten wird, und nicht löschen."
    ),
)
class ValueViewSet(IndicatorChildViewSet):
    """Values of the indicators; the public sees approved values only."""

    queryset = Value.objects.all()
    serializer_class = ValueSerializer

    def visible_queryset(self) -> QuerySet[Value]:
        user = self.request.user
        values = Value.objects.all() if _sees_all_values(user) else public_values()
        values = values.select_related("indicator")
        if self.action != "list":
            return values
        params = self.request.query_params
        indicator = _indicator_by_code(params.get("indicator"))
        if indicator is not None:
            values = values.filter(indicator=indicator)
        year = _int_parameter(self.request, "year")
        if year is not None:
            values = values.filter(year=year)
        if "disaggregation" in params:
            values = values.filter(disaggregation_key=params["disaggregation"])
        if params.get("state") and _sees_all_values(user):
            values = values.filter(state=params["state"])
        return values

    def perform_destroy(self, instance: Value) -> None:
        # Also for superusers, who hold every permission: closed years keep their values.
        problem = deletion_refused(instance)
        if problem:
            raise PermissionDenied(problem)
        instance.delete()

    @extend_schema(request=None, responses=ValueSerializer)
    @action(detail=True, methods=["post"], permission_classes=[MayApprove])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Approve this value (strategy office)."""
        value = self.get_object()
        approve([value], request.user)
        value.refresh_from_db()
        return Response(self.get_serializer(value).data)

    @extend_schema(
        request=ApproveSerializer,
        responses=ApprovedSerializer,
        operation_id="v1_values_approve_many",
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="approve",
        url_name="approve-many",
        permission_classes=[MayApprove],
        serializer_class=ApproveSerializer,
    )
    def approve_many(self, request: Request) -> Response:
        """Approve several values by their ids (strategy office)."""
        serializer = ApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        count = approve(Value.objects.filter(pk__in=serializer.validated_data["ids"]), request.user)
        return Response(ApprovedSerializer({"approved": count}).data, status=status.HTTP_200_OK)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "goal",
                str,
                OpenApiParameter.QUERY,
                description="Nur Meilensteine dieses operativen Ziels (Nummer, z. B. 12.5.1).",
            )
        ]
    )
)
@extend_schema(
    tags=["milestones"],
    description=(
        "Meilensteine qualitativer Ziele mit Frist, Nachweis und Einschätzung, je Ausgabe. "
        "Anlegen und ändern dürfen die Strategiestelle und die verantwortliche "
        "Organisationseinheit; löschen nur die Strategiestelle."
    ),
)
class MilestoneViewSet(EditionScopedViewSet):
    """Milestones of the qualitative goals of one edition."""

    queryset = Milestone.objects.all()
    serializer_class = MilestoneSerializer

    def visible_queryset(self) -> QuerySet[Milestone]:
        milestones = Milestone.objects.filter(
            operative_goal__strategic_goal__field__edition=self.edition
        ).select_related("owner", "operative_goal__strategic_goal__field__edition")
        code = self.request.query_params.get("goal")
        if self.action == "list" and code:
            goal = find_goal(self.edition, code)
            milestones = milestones.filter(operative_goal=goal if goal else None)
        return milestones

    def check_goal(self, serializer: serializers.BaseSerializer) -> None:
        # Only with the goal chosen can it be checked whether the unit is responsible for it.
        data = {
            **_fields_of(serializer.instance, ["operative_goal", "owner"]),
            **serializer.validated_data,
        }
        candidate = Milestone(operative_goal=data["operative_goal"], owner=data.get("owner"))
        if not self.request.user.has_perm("indicators.change_milestone", candidate):
            raise PermissionDenied(
                _("Sie dürfen nur Meilensteine für Ziele Ihrer Organisationseinheit pflegen.")
            )

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        self.check_goal(serializer)
        serializer.save()

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        self.check_goal(serializer)
        serializer.save()

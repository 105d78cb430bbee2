"""API for impulses, complaints and praise (C6, C7): the cases for staff, statistics for all.

Cases are read-only here (intake and workflow run on the staff pages and the public form) and
only for staff with a role (cases/rules.py: cases.view_case); anonymous callers are refused.
Contact data never leaves through the API, not even to staff: it lives apart in `Contact` and
is read on the staff pages by those who work on the case. Neither do the private status link
and the duplicate fingerprint. The statistics are counts and shares per year, kind and category
(cases/statistics.py) and public."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from zielwerk.api.council import READ_ONLY, YEAR_PARAMETER, query_year
from zielwerk.api.views import ApiViewSet, PublicReadSchema
from zielwerk.cases.models import Case, CaseEvent, Category
from zielwerk.cases.servicelevel import ServiceLevelError
from zielwerk.cases.statistics import counts_by_category, counts_by_year
from zielwerk.goals.models import OperativeGoal
from zielwerk.org.models import OrgUnit
from zielwerk.org.services import subtree_ids

# --- serializers ------------------------------------------------------------------------------


# Plain strings rather than choice fields: "kind" and "state" already name other enums in the
# schema (measures, organisation units, checks), and a second enum of the same name is a
# schema warning without an entry in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].
KINDS = "impulse (Impuls/Idee), complaint (Beschwerde), praise (Lob)"
STATES = "received, evaluated, decided, implemented, answered"


def _kind_field(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(help_text=f"Art: {KINDS}", **kwargs)


def _state_field(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(help_text=f"Stand: {STATES}", **kwargs)


class CaseEventSerializer(serializers.ModelSerializer):
    state = _state_field(read_only=True)
    actor = serializers.SlugRelatedField(
        slug_field="username", read_only=True, help_text="Mitarbeitende Person, falls eine"
    )

    class Meta:
        model = CaseEvent
        fields = ["at", "step", "state", "is_public", "actor"]
        read_only_fields = fields


class CaseSerializer(serializers.ModelSerializer):
    """A case for staff: everything but the contact data, the status link and the fingerprint."""

    url = serializers.HyperlinkedIdentityField(view_name="api:case-detail", lookup_field="number")
    kind = _kind_field(read_only=True)
    state = _state_field(read_only=True)
    category = serializers.SlugRelatedField(
        slug_field="key", read_only=True, help_text="Kennung der Kategorie"
    )
    unit = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="Kürzel der zuständigen Einheit"
    )
    owner = serializers.SerializerMethodField(help_text="Bearbeitende Person der Verwaltung")
    goals = serializers.SerializerMethodField(help_text="Nummern der operativen Ziele")
    measure = serializers.SlugRelatedField(
        slug_field="number", read_only=True, help_text="Nummer der umsetzenden Maßnahme"
    )
    history = CaseEventSerializer(
        source="events", many=True, read_only=True, help_text="Verlauf, älteste Schritte zuerst"
    )

    class Meta:
        model = Case
        fields = [
            "url",
            "number",
            "kind",
            "category",
            "text",
            "channel",
            "language",
            "state",
            "unit",
            "owner",
            "goals",
            "measure",
            "fits_leitbild",
            "evaluation",
            "decision",
            "public_reason",
            "answer",
            "public_title",
            "public_summary",
            "is_public",
            "received_at",
            "first_answer_at",
            "completed_at",
            "history",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_owner(self, case: Case) -> str | None:
        if case.owner is None:
            return None
        user = case.owner.user
        return user.get_full_name() or user.get_username()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_goals(self, case: Case) -> list[str]:
        return [goal.code for goal in case.operative_goals.all()]


class KindCountsSerializer(serializers.Serializer):
    kind = _kind_field()
    received = serializers.IntegerField(help_text="eingegangen")
    answered = serializers.IntegerField(help_text="davon beantwortet")
    accepted = serializers.IntegerField(help_text="davon angenommen (Impulse)")
    implemented = serializers.IntegerField(help_text="davon umgesetzt (Impulse)")


class YearCountsSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="Jahr des Eingangs")
    kinds = KindCountsSerializer(many=True, help_text="je Art: Impuls/Idee, Beschwerde, Lob")


class CategoryCountsSerializer(serializers.Serializer):
    key = serializers.CharField(source="category.key")
    name = serializers.CharField(source="category.name")
    name_en = serializers.CharField(source="category.name_en")
    first_answer_days = serializers.IntegerField(
        source="category.first_answer_days", help_text="Standard: erste Antwort (Arbeitstage)"
    )
    completion_days = serializers.IntegerField(
        source="category.completion_days", help_text="Standard: Erledigung (Arbeitstage)"
    )
    received = serializers.IntegerField(help_text="eingegangene Fälle")
    completed = serializers.IntegerField(help_text="erledigte Fälle")
    share_within = serializers.FloatField(
        allow_null=True,
        help_text="Anteil der erledigten Fälle innerhalb des Standards in Prozent; leer ohne "
        "erledigte Fälle",
    )
    median_days = serializers.IntegerField(
        allow_null=True, help_text="Median der Bearbeitungszeit erledigter Fälle (Arbeitstage)"
    )


class CaseStatisticsSerializer(serializers.Serializer):
    year = serializers.IntegerField(allow_null=True, help_text="gewähltes Jahr, sonst leer")
    years = YearCountsSerializer(many=True, help_text="je Jahr des Eingangs, neuestes zuerst")
    categories = CategoryCountsSerializer(many=True)


# --- views ------------------------------------------------------------------------------------


class ViewsCases(BasePermission):
    message = gettext_lazy("Fälle sehen nur Mitarbeitende der Verwaltung mit einer Rolle.")

    def has_permission(self, request: Request, view: Any) -> bool:
        # Anonymous callers reach DRF's "not authenticated" answer through this False too.
        return request.user.has_perm("cases.view_case")


def _choice(request: Request, name: str, allowed: list[str]) -> str | None:
    value = request.query_params.get(name)
    if value is None or value in allowed:
        return value
    raise ValidationError(
        {
            name: _("Unbekannter Wert „%(value)s“; erlaubt sind: %(allowed)s.")
            % {"value": value, "allowed": ", ".join(allowed)}
        }
    )


@extend_schema(
    tags=["cases"],
    description=(
        "Impulse, Beschwerden und Lob mit Stand, Bewertung, Entscheidung, Antwort und Verlauf, "
        "nur für Mitarbeitende. Kontaktdaten der Personen gibt die API nie heraus."
    ),
    parameters=[
        OpenApiParameter("kind", str, enum=Case.Kind.values, description="nur diese Art"),
        OpenApiParameter("state", str, enum=Case.State.values, description="nur dieser Stand"),
        OpenApiParameter("category", str, description="nur diese Kategorie (Kennung)"),
        OpenApiParameter(
            "unit", str, description="nur Fälle dieser Einheit und der Einheiten darunter (Kürzel)"
        ),
    ],
)
class CaseViewSet(ApiViewSet):
    queryset = Case.objects.all()
    serializer_class = CaseSerializer
    http_method_names = READ_ONLY
    permission_classes = [ViewsCases]
    # Not PublicReadSchema: the schema must not offer these records to anonymous callers.
    schema = AutoSchema()
    lookup_field = "number"
    lookup_value_regex = r"[A-Za-z0-9-]+"

    def visible_queryset(self) -> QuerySet[Case]:
        cases = Case.objects.select_related(
            "category", "unit", "owner__user", "measure"
        ).prefetch_related(
            Prefetch(
                "operative_goals",
                queryset=OperativeGoal.objects.select_related("strategic_goal__field"),
            ),
            Prefetch("events", queryset=CaseEvent.objects.select_related("actor")),
        )
        if kind := _choice(self.request, "kind", Case.Kind.values):
            cases = cases.filter(kind=kind)
        if state := _choice(self.request, "state", Case.State.values):
            cases = cases.filter(state=state)
        keys = list(Category.objects.values_list("key", flat=True))
        if key := _choice(self.request, "category", keys):
            cases = cases.filter(category__key=key)
        codes = list(OrgUnit.objects.values_list("code", flat=True))
        if code := _choice(self.request, "unit", codes):
            cases = cases.filter(unit__in=subtree_ids(OrgUnit.objects.get(code=code)))
        return cases.order_by("-received_at", "-pk")


@extend_schema(
    tags=["cases"],
    description=(
        "Öffentliche Statistik der Impulse, Beschwerden und Lob: je Jahr des Eingangs und Art "
        "eingegangen, beantwortet, angenommen und umgesetzt; je Kategorie eingegangen, "
        "erledigt, Anteil innerhalb des Servicestandards und Median der Bearbeitungszeit "
        "(Arbeitstage, METHODS.md §6). Nur Zahlen, keine personenbezogenen Daten."
    ),
    parameters=[YEAR_PARAMETER],
    responses=CaseStatisticsSerializer,
)
class CaseStatisticsViewSet(viewsets.GenericViewSet):
    serializer_class = CaseStatisticsSerializer
    http_method_names = READ_ONLY
    permission_classes: list = []
    pagination_class = None
    schema = PublicReadSchema()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        year = query_year(request)
        try:
            categories = counts_by_category(year)
        except ServiceLevelError as error:
            raise ValidationError({"year": error.errors}) from error
        data = {"year": year, "years": counts_by_year(year), "categories": categories}
        return Response(self.get_serializer(data).data)

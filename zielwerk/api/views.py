"""API endpoints: editions, the goal system of one edition, and organisation units."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db.models import Model, ProtectedError, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import SAFE_METHODS
from rest_framework.serializers import BaseSerializer

from zielwerk.api.permissions import permission_name
from zielwerk.api.serializers import (
    EditionSerializer,
    FieldSerializer,
    OperativeGoalSerializer,
    OrgUnitSerializer,
    StrategicGoalSerializer,
)
from zielwerk.goals.models import Edition, Field, OperativeGoal, StrategicGoal
from zielwerk.goals.queries import current_edition, visible_editions
from zielwerk.org.models import OrgUnit

EDITION_PARAMETER = OpenApiParameter(
    "edition",
    str,
    OpenApiParameter.QUERY,
    description=("Kennung der Ausgabe, z. B. 2023; ohne Angabe die aktuelle Ausgabe."),
)
FIELD_PARAMETER = OpenApiParameter(
    "field", int, OpenApiParameter.QUERY, description="Nur Ziele dieses Handlungsfelds (Nummer)."
)


class StillInUse(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy(
        "Die Einheit wird noch verwendet (untergeordnete Einheiten oder Personen) und kann "
        "nicht gelöscht werden."
    )
    default_code = "in_use"


class PublicReadSchema(AutoSchema):
    def get_auth(self) -> list[dict[str, list[str]]]:
        # drf-spectacular only recognises DRF's own permission classes as open to anonymous
        # callers; ReadPublishedWriteByRules lets everyone read, which the schema should say.
        auths = super().get_auth()
        if self.method in SAFE_METHODS:
            auths.append({})
        return auths


class ApiViewSet(viewsets.ModelViewSet):
    """The class attribute queryset names the model for permissions and the schema; the rows a
    request sees come from visible_queryset()."""

    schema = PublicReadSchema()

    def visible_queryset(self) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        # drf-spectacular builds the schema without request data or a database.
        if getattr(self, "swagger_fake_view", False):
            return self.queryset.none()
        return self.visible_queryset()


@extend_schema(
    tags=["editions"],
    description=(
        "Ausgaben (Fortschreibungen) des Stadtentwicklungskonzepts. Unveröffentlichte Ausgaben "
        "sehen nur Mitarbeitende; anlegen, ändern und löschen darf die Strategiestelle."
    ),
)
class EditionViewSet(ApiViewSet):
    """Editions of the development concept; unpublished ones only for staff."""

    queryset = Edition.objects.all()
    serializer_class = EditionSerializer
    lookup_field = "name"

    def visible_queryset(self) -> QuerySet[Edition]:
        editions = visible_editions(self.request.user)
        return editions.prefetch_related("fields")


@extend_schema(parameters=[EDITION_PARAMETER])
class EditionScopedViewSet(ApiViewSet):
    """Records of one edition, chosen with ?edition=, by default the current one."""

    @cached_property
    def edition(self) -> Edition:
        name = self.request.query_params.get("edition")
        if not name:
            current = current_edition()
            if current is None:
                raise NotFound(_("Es ist noch keine aktuelle Ausgabe veröffentlicht."))
            return current
        visible = visible_editions(self.request.user)
        edition = visible.filter(name=name).first()
        if edition is None:
            raise NotFound(_("Es gibt keine Ausgabe mit der Kennung „%(name)s“.") % {"name": name})
        return edition

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["edition"] = self.edition
        return context


class GoalSystemViewSet(EditionScopedViewSet):
    """Goal-system records of one edition.

    Changing who is responsible, and the numbering or place in the tree, is reserved for the
    strategy office even where an editor may change the texts."""

    structure_fields: tuple[str, ...] = ("number",)

    def perform_create(self, serializer: BaseSerializer) -> None:
        self.check_reserved_changes(serializer)
        serializer.save()

    def perform_update(self, serializer: BaseSerializer) -> None:
        self.check_reserved_changes(serializer)
        serializer.save()

    def check_reserved_changes(self, serializer: BaseSerializer) -> None:
        user = self.request.user
        instance: Model | None = serializer.instance
        data = serializer.validated_data
        if "responsible_units" in data:
            wanted = {unit.pk for unit in data["responsible_units"]}
            current = (
                set(instance.responsible_units.values_list("pk", flat=True)) if instance else set()
            )
            if wanted != current and not user.has_perm("goals.assign_responsibility", instance):
                raise PermissionDenied(
                    _("Verantwortliche Organisationseinheiten weist nur die Strategiestelle zu.")
                )
        changed = [
            name
            for name in self.structure_fields
            if name in data and (instance is None or data[name] != getattr(instance, name))
        ]
        # Renumbering or moving a goal amounts to removing it and adding it elsewhere, so it
        # takes the permission to add such records.
        if changed and not user.has_perm(permission_name(self.queryset.model, "add")):
            raise PermissionDenied(
                _("Nummer und Einordnung im Zielsystem ändert nur die Strategiestelle.")
            )


class CodeLookupViewSet(GoalSystemViewSet):
    """Goals looked up by their code, e.g. /operative-goals/12.3.4/."""

    lookup_field = "code"
    # Query lookups for the parts of the code, outermost first.
    code_lookups: tuple[str, ...] = ()
    field_number_lookup = ""

    def get_object(self) -> Model:
        numbers = [int(part) for part in self.kwargs["code"].split(".")]
        queryset = self.filter_queryset(self.get_queryset())
        obj = get_object_or_404(queryset, **dict(zip(self.code_lookups, numbers, strict=True)))
        self.check_object_permissions(self.request, obj)
        return obj

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        number = self.request.query_params.get("field")
        if self.action != "list" or number is None:
            return queryset
        if not number.isdigit():
            raise ValidationError(
                {"field": _("Erwartet wird die Nummer eines Handlungsfelds, z. B. 12.")}
            )
        return queryset.filter(**{self.field_number_lookup: int(number)})


@extend_schema(
    tags=["fields"],
    description=(
        "Handlungsfelder einer Ausgabe mit Leitsatz und berücksichtigten Rückmeldungen. Texte "
        "ändern dürfen die Strategiestelle und die verantwortliche Organisationseinheit."
    ),
)
class FieldViewSet(GoalSystemViewSet):
    """Handlungsfelder with their Leitsatz and the feedback that shaped them."""

    queryset = Field.objects.all()
    serializer_class = FieldSerializer
    lookup_field = "number"
    lookup_value_regex = r"\d{1,3}"

    def visible_queryset(self) -> QuerySet[Field]:
        return (
            Field.objects.filter(edition=self.edition)
            .select_related("edition")
            .prefetch_related("responsible_units", "feedback", "strategic_goals")
        )

    def perform_create(self, serializer: BaseSerializer) -> None:
        self.check_reserved_changes(serializer)
        serializer.save(edition=self.edition)


@extend_schema_view(list=extend_schema(parameters=[FIELD_PARAMETER]))
@extend_schema(
    tags=["strategic-goals"],
    description=(
        "Strategische Ziele einer Ausgabe, adressiert über ihre Nummer (z. B. 12.3), mit "
        "Querverweisen auf andere Handlungsfelder. Texte ändern dürfen die Strategiestelle und "
        "die verantwortliche Organisationseinheit; Nummer, Zuordnung und Verantwortung nur die "
        "Strategiestelle."
    ),
)
class StrategicGoalViewSet(CodeLookupViewSet):
    """Strategic goals with their cross-references to other Handlungsfelder."""

    queryset = StrategicGoal.objects.all()
    serializer_class = StrategicGoalSerializer
    lookup_value_regex = r"\d{1,3}\.\d{1,2}"
    code_lookups = ("field__number", "number")
    field_number_lookup = "field__number"
    structure_fields = ("number", "field")

    def visible_queryset(self) -> QuerySet[StrategicGoal]:
        return (
            StrategicGoal.objects.filter(field__edition=self.edition)
            .select_related("field__edition")
            .prefetch_related("responsible_units", "cross_references", "operative_goals")
        )


@extend_schema_view(list=extend_schema(parameters=[FIELD_PARAMETER]))
@extend_schema(
    tags=["operative-goals"],
    description=(
        "Operative Ziele einer Ausgabe, adressiert über ihre Nummer (z. B. 12.3.4). Texte ändern "
        "dürfen die Strategiestelle und die verantwortliche Organisationseinheit; Nummer, "
        "Zuordnung und Verantwortung nur die Strategiestelle."
    ),
)
class OperativeGoalViewSet(CodeLookupViewSet):
    """Operative goals, the concrete goals below a strategic goal."""

    queryset = OperativeGoal.objects.all()
    serializer_class = OperativeGoalSerializer
    lookup_value_regex = r"\d{1,3}\.\d{1,2}\.\d{1,2}"
    code_lookups = ("strategic_goal__field__number", "strategic_goal__number", "number")
    field_number_lookup = "strategic_goal__field__number"
    structure_fields = ("number", "strategic_goal")

    def visible_queryset(self) -> QuerySet[OperativeGoal]:
        return (
            OperativeGoal.objects.filter(strategic_goal__field__edition=self.edition)
            .select_related("strategic_goal__field__edition")
            .prefetch_related("responsible_units")
        )


@extend_schema(
    tags=["org-units"],
    description=(
        "Organisationseinheiten der Verwaltung. Lesen ist frei, ändern darf nur die "
        "Strategiestelle."
    ),
)
class OrgUnitViewSet(ApiViewSet):
    """Organisation units; their names are public, only the strategy office changes them."""

    queryset = OrgUnit.objects.all()
    serializer_class = OrgUnitSerializer
    lookup_field = "code"

    def visible_queryset(self) -> QuerySet[OrgUnit]:
        return OrgUnit.objects.select_related("parent").prefetch_related("children")

    def perform_destroy(self, instance: OrgUnit) -> None:
        try:
            instance.delete()
        except ProtectedError as error:
            raise StillInUse() from error

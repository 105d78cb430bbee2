"""Representations of the goal system and the organisation units in the API.

Goals are addressed the way people in the administration address them: by their code (12.3.4)
within an edition. Parents are therefore written and shown as codes; links lead to the API
record and to the public page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.urls import reverse as django_reverse
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.reverse import reverse

from zielwerk.api.permissions import edition_of
from zielwerk.goals.models import (
    CrossReference,
    Edition,
    FeedbackItem,
    Field,
    OperativeGoal,
    StrategicGoal,
)
from zielwerk.goals.queries import find_goal
from zielwerk.org.models import OrgUnit

Goal = Field | StrategicGoal | OperativeGoal


def api_url(obj: Edition | Goal, request: Request | None) -> str:
    """The API record of obj; goal links carry their edition because codes repeat across them."""
    if isinstance(obj, Edition):
        return reverse("api:edition-detail", kwargs={"name": obj.name}, request=request)
    if isinstance(obj, Field):
        url = reverse("api:field-detail", kwargs={"number": obj.number}, request=request)
    elif isinstance(obj, StrategicGoal):
        url = reverse("api:strategic-goal-detail", kwargs={"code": obj.code}, request=request)
    else:
        url = reverse("api:operative-goal-detail", kwargs={"code": obj.code}, request=request)
    return f"{url}?{urlencode({'edition': edition_of(obj).name})}"


def page_url(obj: Edition | Goal, request: Request | None) -> str:
    """The public page of obj within its edition, so the link stays valid when another
    edition becomes the current one."""
    edition = edition_of(obj)
    # The default language has no prefix, which keeps the links the same for every client.
    with translation.override(settings.LANGUAGE_CODE):
        if isinstance(obj, Edition):
            path = django_reverse("edition", kwargs={"edition": edition.name})
        elif isinstance(obj, Field):
            path = django_reverse(
                "edition-field", kwargs={"edition": edition.name, "number": obj.number}
            )
        else:
            path = django_reverse(
                "edition-goal", kwargs={"edition": edition.name, "code": obj.code}
            )
    return request.build_absolute_uri(path) if request is not None else path


@extend_schema_field(OpenApiTypes.URI)
class ApiLink(serializers.RelatedField):
    """Link to the API record of an edition or goal; used with read_only=True."""

    def to_representation(self, value: Edition | Goal) -> str:
        return api_url(value, self.context.get("request"))


@extend_schema_field(OpenApiTypes.URI)
class PageLink(serializers.Field):
    """Read-only link to the public page of the record itself."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, value: Edition | Goal) -> str:
        return page_url(value, self.context.get("request"))


@extend_schema_field(OpenApiTypes.STR)
class ParentCode(serializers.RelatedField):
    """The parent of a goal as its code, looked up in the edition the request works on."""

    def __init__(self, model: type[Field | StrategicGoal], **kwargs: Any) -> None:
        self.model = model
        kwargs.setdefault("queryset", model.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self) -> models.QuerySet:
        # Only offers parents of the edition at hand, e.g. in the browsable API's forms.
        edition = self.context["edition"]
        if self.model is Field:
            return Field.objects.filter(edition=edition)
        return StrategicGoal.objects.filter(field__edition=edition).select_related("field")

    def to_representation(self, value: Field | StrategicGoal) -> str:
        return value.code

    def to_internal_value(self, data: Any) -> Field | StrategicGoal:
        edition: Edition = self.context["edition"]
        goal = find_goal(edition, str(data))
        if not isinstance(goal, self.model):
            raise serializers.ValidationError(
                _("Die Ausgabe „%(edition)s“ enthält kein %(kind)s mit der Nummer %(code)s.")
                % {"edition": edition.name, "kind": self.model._meta.verbose_name, "code": data}
            )
        return goal


def responsible_units_field() -> serializers.ManyRelatedField:
    return serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        queryset=OrgUnit.objects.all(),
        required=False,
        help_text="Kürzel der Organisationseinheiten, die selbst verantwortlich sind; "
        "die Verantwortung übergeordneter Ziele gilt zusätzlich.",
    )


class EditionSerializer(serializers.ModelSerializer):
    url = ApiLink(source="*", read_only=True)
    fields = ApiLink(many=True, help_text="Handlungsfelder der Ausgabe", read_only=True)
    page_url = PageLink()

    class Meta:
        model = Edition
        fields = [
            "url",
            "name",
            "title",
            "city",
            "description",
            "is_current",
            "is_published",
            "created_at",
            "fields",
            "page_url",
        ]
        # validate_is_current names the edition that is current, which the generated check
        # for the database constraint cannot.
        extra_kwargs = {"is_current": {"validators": []}}

    def validate_is_current(self, value: bool) -> bool:
        if value:
            others = Edition.objects.filter(is_current=True)
            if self.instance is not None:
                others = others.exclude(pk=self.instance.pk)
            current = others.first()
            if current is not None:
                raise serializers.ValidationError(
                    _(
                        "Aktuell ist bereits die Ausgabe „%(name)s“; nehmen Sie dort zuerst die "
                        "Markierung zurück."
                    )
                    % {"name": current.name}
                )
        return value


class FeedbackSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeedbackItem
        fields = ["position", "text"]
        read_only_fields = fields


class CrossReferenceSerializer(serializers.ModelSerializer):
    target_code = serializers.CharField(
        read_only=True, help_text="Nummer des Handlungsfelds oder Ziels, auf das verwiesen wird"
    )

    class Meta:
        model = CrossReference
        fields = ["position", "text", "text_en", "target_code"]
        read_only_fields = fields


# Checks that a number is free among its siblings, so the caller gets a German message
# instead of the database refusing the row. (A comment, not a docstring: drf-spectacular
# would publish a docstring as the description of every goal schema.)
class NumberedSerializer(serializers.ModelSerializer):
    parent_attr = ""

    def numbering_parent(self, attrs: dict[str, Any]) -> models.Model:
        if self.parent_attr in attrs:
            return attrs[self.parent_attr]
        return getattr(self.instance, self.parent_attr)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        number = attrs.get("number", getattr(self.instance, "number", None))
        parent = self.numbering_parent(attrs)
        taken = self.Meta.model.objects.filter(**{self.parent_attr: parent, "number": number})
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError(
                {
                    "number": _("Die Nummer %(number)s ist unter „%(parent)s“ bereits vergeben.")
                    % {"number": number, "parent": parent}
                }
            )
        return attrs


class FieldSerializer(NumberedSerializer):
    parent_attr = "edition"

    url = ApiLink(source="*", read_only=True)
    edition = serializers.SlugRelatedField(slug_field="name", read_only=True)
    code = serializers.CharField(read_only=True)
    responsible_units = responsible_units_field()
    feedback = FeedbackSerializer(many=True, read_only=True)
    strategic_goals = ApiLink(many=True, read_only=True)
    page_url = PageLink()

    class Meta:
        model = Field
        fields = [
            "url",
            "id",
            "edition",
            "code",
            "number",
            "title",
            "title_en",
            "title_changed",
            "former_title",
            "structure_changed",
            "structure_change_note",
            "leitsatz",
            "leitsatz_en",
            "responsible_units",
            "feedback",
            "strategic_goals",
            "page_url",
        ]
        # NumberedSerializer.validate replaces the generated uniqueness check.
        validators: list = []

    def numbering_parent(self, attrs: dict[str, Any]) -> models.Model:
        # A new field goes into the edition the request names; fields never change edition.
        return self.instance.edition if self.instance is not None else self.context["edition"]


class StrategicGoalSerializer(NumberedSerializer):
    parent_attr = "field"

    url = ApiLink(source="*", read_only=True)
    edition = serializers.CharField(source="field.edition.name", read_only=True)
    code = serializers.CharField(read_only=True)
    field = ParentCode(Field, help_text="Nummer des Handlungsfelds, z. B. 12")
    field_url = ApiLink(source="field", read_only=True)
    responsible_units = responsible_units_field()
    cross_references = CrossReferenceSerializer(many=True, read_only=True)
    operative_goals = ApiLink(many=True, read_only=True)
    page_url = PageLink()

    class Meta:
        model = StrategicGoal
        fields = [
            "url",
            "id",
            "edition",
            "code",
            "field",
            "field_url",
            "number",
            "title",
            "title_en",
            "text",
            "text_en",
            "responsible_units",
            "cross_references",
            "operative_goals",
            "page_url",
        ]
        validators: list = []


class OperativeGoalSerializer(NumberedSerializer):
    parent_attr = "strategic_goal"

    url = ApiLink(source="*", read_only=True)
    edition = serializers.CharField(source="strategic_goal.field.edition.name", read_only=True)
    code = serializers.CharField(read_only=True)
    strategic_goal = ParentCode(
        StrategicGoal, help_text="Nummer des strategischen Ziels, z. B. 12.3"
    )
    strategic_goal_url = ApiLink(source="strategic_goal", read_only=True)
    responsible_units = responsible_units_field()
    page_url = PageLink()

    class Meta:
        model = OperativeGoal
        fields = [
            "url",
            "id",
            "edition",
            "code",
            "strategic_goal",
            "strategic_goal_url",
            "number",
            "title",
            "title_en",
            "text",
            "text_en",
            "responsible_units",
            "page_url",
        ]
        validators: list = []


class OrgUnitSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:org-unit-detail", lookup_field="code")
    parent = serializers.SlugRelatedField(
        slug_field="code", queryset=OrgUnit.objects.all(), allow_null=True, required=False
    )
    children = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = OrgUnit
        fields = ["url", "code", "name", "kind", "parent", "children", "is_sample"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # The model's own check knows the rule and its German message; DRF turns its
        # ValidationError into a 400 answer.
        candidate = OrgUnit(
            pk=getattr(self.instance, "pk", None),
            parent=attrs.get("parent", getattr(self.instance, "parent", None)),
        )
        candidate.clean()
        return attrs

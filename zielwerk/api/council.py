"""API for council papers, their SEK-Checks and the yearly statistics of the checks.

Read-only: papers come from OParl or the staff pages, checks are made on the staff pages
(council/checks.py). The public reads papers with a published check and those checks — number,
title, dates, type, leading department, summary and ratings with justification — and the yearly
statistics over published checks. Staff with a role read every paper with its text and status
and every check with its state, exemption, review note and the people involved; their
statistics count every approved check."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse as django_reverse
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from zielwerk.api.serializers import ApiLink
from zielwerk.api.views import ApiViewSet, EditionScopedViewSet
from zielwerk.council.checks import PaperStatus, paper_status
from zielwerk.council.evaluation import ScoreCounts, YearStatistics, statistics_by_year
from zielwerk.council.models import Check, Paper, Rating
from zielwerk.council.queries import (
    published_checks,
    published_papers,
    ratings_with_goals,
    sees_all_checks,
)

# --- serializers ------------------------------------------------------------------------------


def _public_page(paper: Paper, request: Request | None) -> str:
    # The default language has no prefix, which keeps the link the same for every client.
    with translation.override(settings.LANGUAGE_CODE):
        path = django_reverse("decision", kwargs={"paper_id": paper.pk})
    return request.build_absolute_uri(path) if request is not None else path


class RatingSerializer(serializers.ModelSerializer):
    goal = ApiLink(read_only=True, help_text="API-Eintrag des operativen Ziels")
    goal_code = serializers.CharField(source="goal.code", read_only=True, help_text="z. B. 12.4.1")
    score_label = serializers.CharField(source="get_score_display", read_only=True)

    class Meta:
        model = Rating
        fields = ["goal", "goal_code", "score", "score_label", "justification"]
        read_only_fields = fields


class CheckSerializer(serializers.ModelSerializer):
    """A check as the public sees it."""

    paper = serializers.HyperlinkedRelatedField(view_name="api:paper-detail", read_only=True)
    edition = serializers.SlugRelatedField(
        slug_field="name", read_only=True, help_text="Ausgabe, deren Ziele bewertet wurden"
    )
    approved_on = serializers.SerializerMethodField(help_text="Tag der Freigabe")
    ratings = RatingSerializer(
        many=True,
        read_only=True,
        help_text="Bewertete Ziele; alle anderen sind „nicht betroffen“ (nicht 0).",
    )
    page_url = serializers.SerializerMethodField(help_text="Öffentliche Seite des SEK-Checks")

    class Meta:
        model = Check
        fields = ["id", "paper", "edition", "summary", "approved_on", "ratings", "page_url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.DATE)
    def get_approved_on(self, check: Check) -> str | None:
        return check.approved_at.date().isoformat() if check.approved_at else None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_page_url(self, check: Check) -> str | None:
        if not (check.is_public and check.state == Check.State.CHECKED):
            return None
        return _public_page(check.paper, self.context.get("request"))


class StaffCheckSerializer(CheckSerializer):
    """A check with what only staff see."""

    responsible = serializers.SerializerMethodField(help_text="Verantwortliche Person")
    approved_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta(CheckSerializer.Meta):
        fields = [
            *CheckSerializer.Meta.fields,
            "state",
            "is_public",
            "exemption_reason",
            "review_note",
            "responsible",
            "started_at",
            "submitted_at",
            "approved_at",
            "approved_by",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_responsible(self, check: Check) -> str | None:
        if check.responsible is None:
            return None
        user = check.responsible.user
        return user.get_full_name() or user.get_username()


class PaperSerializer(serializers.ModelSerializer):
    """A paper as the public sees it: only papers with a published check."""

    url = serializers.HyperlinkedIdentityField(view_name="api:paper-detail")
    unit = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="Kürzel der federführenden Einheit"
    )
    check = serializers.SerializerMethodField(help_text="Der SEK-Check der Vorlage")
    page_url = serializers.SerializerMethodField(help_text="Öffentliche Seite des SEK-Checks")
    check_serializer = CheckSerializer

    class Meta:
        model = Paper
        fields = [
            "url",
            "id",
            "reference",
            "title",
            "date",
            "paper_type",
            "department",
            "unit",
            "meeting_date",
            "web_url",
            "check",
            "page_url",
        ]
        read_only_fields = fields

    @extend_schema_field(CheckSerializer(allow_null=True))
    def get_check(self, paper: Paper) -> dict[str, Any] | None:
        check = getattr(paper, "sek_check", None)
        if check is None:
            return None
        return self.check_serializer(check, context=self.context).data

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_page_url(self, paper: Paper) -> str | None:
        check = getattr(paper, "sek_check", None)
        if check is None or not (check.is_public and check.state == Check.State.CHECKED):
            return None
        return _public_page(paper, self.context.get("request"))


class StaffPaperSerializer(PaperSerializer):
    """A paper with its text and the status of its check, for staff."""

    check_serializer = StaffCheckSerializer
    status = serializers.SerializerMethodField(help_text="Stand des SEK-Checks")
    deadline = serializers.SerializerMethodField(help_text="Frist des SEK-Checks")
    overdue = serializers.SerializerMethodField(help_text="Frist verstrichen, Check nicht fertig")
    needs_check = serializers.BooleanField(read_only=True)

    class Meta(PaperSerializer.Meta):
        fields = [
            *PaperSerializer.Meta.fields,
            "oparl_id",
            "text",
            "deleted",
            "needs_check",
            "status",
            "deadline",
            "overdue",
        ]
        read_only_fields = fields

    @extend_schema_field(StaffCheckSerializer(allow_null=True))
    def get_check(self, paper: Paper) -> dict[str, Any] | None:
        return super().get_check(paper)

    @extend_schema_field(serializers.ChoiceField(choices=PaperStatus.choices))
    def get_status(self, paper: Paper) -> str:
        return str(paper_status(paper).status.value)

    @extend_schema_field(OpenApiTypes.DATE)
    def get_deadline(self, paper: Paper) -> str | None:
        deadline = paper.check_deadline
        return deadline.isoformat() if deadline else None

    def get_overdue(self, paper: Paper) -> bool:
        return paper_status(paper).overdue


class CountsSerializer(serializers.Serializer):
    papers = serializers.IntegerField(help_text="Beschlussvorlagen (seit Beginn des SEK-Checks)")
    checked = serializers.IntegerField(help_text="geprüft (freigegeben)")
    exempt = serializers.IntegerField(help_text="ausgenommen")
    open = serializers.IntegerField(help_text="weder geprüft noch ausgenommen")
    percent = serializers.FloatField(
        allow_null=True,
        help_text="Abdeckung in Prozent: geprüft ÷ (Vorlagen − ausgenommen); leer ohne Nenner",
    )


class ScoreCountsSerializer(serializers.Serializer):
    strongly_hinders = serializers.SerializerMethodField(help_text="−2 stark hemmend")
    hinders = serializers.SerializerMethodField(help_text="−1 hemmend")
    neutral = serializers.SerializerMethodField(help_text="0 neutral")
    supports = serializers.SerializerMethodField(help_text="+1 fördernd")
    strongly_supports = serializers.SerializerMethodField(help_text="+2 stark fördernd")

    def get_strongly_hinders(self, scores: ScoreCounts) -> int:
        return scores.counts[-2]

    def get_hinders(self, scores: ScoreCounts) -> int:
        return scores.counts[-1]

    def get_neutral(self, scores: ScoreCounts) -> int:
        return scores.counts[0]

    def get_supports(self, scores: ScoreCounts) -> int:
        return scores.counts[1]

    def get_strongly_supports(self, scores: ScoreCounts) -> int:
        return scores.counts[2]


class YearStatisticsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    papers = CountsSerializer(
        allow_null=True, help_text="Beschlussvorlagen des Jahres; leer vor Beginn des SEK-Checks"
    )
    cumulative = CountsSerializer(allow_null=True, help_text="Seit Beginn bis Ende des Jahres")
    checks = serializers.IntegerField(
        help_text="Freigegebene SEK-Checks (öffentlich: veröffentlichte) von Vorlagen des Jahres"
    )
    scores = ScoreCountsSerializer(help_text="Verteilung der Bewertungen dieser Checks")


# --- views ------------------------------------------------------------------------------------

READ_ONLY = ["get", "head", "options"]
YEAR_PARAMETER = OpenApiParameter(
    "year", int, OpenApiParameter.QUERY, description="Nur Vorlagen mit Datum in diesem Jahr."
)


def query_year(request: Request) -> int | None:
    text = request.query_params.get("year")
    if text is None:
        return None
    if not (text.isdigit() and len(text) == 4):
        raise ValidationError({"year": _("Erwartet wird eine Jahreszahl, z. B. 2025.")})
    return int(text)


def _public_or_staff(name: str, public: type, staff: type) -> dict[str, Any]:
    """Schema of list and detail: the public record or the staff record (with more fields)."""
    record = PolymorphicProxySerializer(
        component_name=name, serializers=[public, staff], resource_type_field_name=None
    )
    return {
        "list": extend_schema(responses=record),
        "retrieve": extend_schema(responses=record),
    }


@extend_schema_view(**_public_or_staff("PaperRecord", PaperSerializer, StaffPaperSerializer))
@extend_schema(
    tags=["council"],
    description=(
        "Vorlagen des Gemeinderats mit ihrem SEK-Check. Öffentlich sind Vorlagen mit "
        "veröffentlichtem Check; Mitarbeitende sehen alle, mit Text, Stand und Frist des Checks."
    ),
    parameters=[YEAR_PARAMETER],
)
class PaperViewSet(ApiViewSet):
    queryset = Paper.objects.all()
    serializer_class = PaperSerializer
    http_method_names = READ_ONLY
    # Nothing to write here; reading is open and the querysets decide what each caller sees.
    permission_classes: list = []

    def get_serializer_class(self) -> type[PaperSerializer]:
        if sees_all_checks(self.request.user):
            return StaffPaperSerializer
        return PaperSerializer

    def visible_queryset(self) -> QuerySet[Paper]:
        staff = sees_all_checks(self.request.user)
        papers = Paper.objects.all() if staff else published_papers()
        papers = papers.select_related(
            "unit", "sek_check__edition", "sek_check__responsible__user", "sek_check__approved_by"
        ).prefetch_related(ratings_with_goals("sek_check__ratings"))
        if (year := query_year(self.request)) is not None:
            papers = papers.filter(date__year=year)
        return papers.order_by("-date", "reference", "pk")


@extend_schema_view(**_public_or_staff("CheckRecord", CheckSerializer, StaffCheckSerializer))
@extend_schema(
    tags=["council"],
    description=(
        "SEK-Checks: die Bewertung der betroffenen operativen Ziele von −2 bis +2 mit "
        "Begründung. Öffentlich sind freigegebene und veröffentlichte Checks; Mitarbeitende "
        "sehen alle mit Stand, Ausnahme und Hinweisen der Freigabe."
    ),
    parameters=[YEAR_PARAMETER],
)
class CheckViewSet(ApiViewSet):
    queryset = Check.objects.all()
    serializer_class = CheckSerializer
    http_method_names = READ_ONLY
    permission_classes: list = []

    def get_serializer_class(self) -> type[CheckSerializer]:
        if sees_all_checks(self.request.user):
            return StaffCheckSerializer
        return CheckSerializer

    def visible_queryset(self) -> QuerySet[Check]:
        if sees_all_checks(self.request.user):
            checks = (
                Check.objects.select_related("paper", "edition", "responsible__user", "approved_by")
                .prefetch_related(ratings_with_goals())
                .order_by("-paper__date", "-pk")
            )
        else:
            checks = published_checks()
        if (year := query_year(self.request)) is not None:
            checks = checks.filter(paper__date__year=year)
        return checks


@extend_schema(
    tags=["council"],
    description=(
        "SEK-Check je Jahr (Datum der Vorlage), neuestes zuerst: Beschlussvorlagen, geprüfte, "
        "ausgenommene und offene, Abdeckung (METHODS.md §5) im Jahr und seit Beginn, und die "
        "Verteilung der Bewertungen. Öffentlich zählen die Bewertungen veröffentlichter Checks, "
        "für Mitarbeitende die aller freigegebenen."
    ),
)
class StatisticsViewSet(EditionScopedViewSet):
    queryset = Check.objects.all()
    serializer_class = YearStatisticsSerializer
    http_method_names = READ_ONLY
    permission_classes: list = []
    pagination_class = None
    lookup_field = "year"
    lookup_value_regex = r"\d{4}"

    def _statistics(self) -> list[YearStatistics]:
        staff = sees_all_checks(self.request.user)
        return statistics_by_year(self.edition, public_only=not staff)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self.get_serializer(self._statistics(), many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        year = int(kwargs["year"])
        found = next((row for row in self._statistics() if row.year == year), None)
        if found is None:
            raise NotFound(_("Für %(year)d gibt es keine Zahlen zum SEK-Check.") % {"year": year})
        return Response(self.get_serializer(found).data)

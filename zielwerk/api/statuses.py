"""API for stored evaluations: the runs of an edition and the status of every indicator,
milestone and goal in a run. Read-only: statuses come from `zielwerk evaluate`, not from
clients."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError

from zielwerk.api.views import EditionScopedViewSet
from zielwerk.evaluation.models import EvaluationRun, StatusRecord
from zielwerk.evaluation.queries import latest_run


class EvaluationRunSerializer(serializers.ModelSerializer):
    edition = serializers.SlugRelatedField(slug_field="name", read_only=True)
    statuses = serializers.SerializerMethodField(help_text="Adresse der Status dieses Laufs")

    class Meta:
        model = EvaluationRun
        fields = ["id", "edition", "evaluated_on", "created_at", "data_version", "statuses"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_statuses(self, run: EvaluationRun) -> str:
        url = self.context["request"].build_absolute_uri("/api/v1/statuses/")
        return f"{url}?edition={run.edition.name}&evaluation={run.pk}"


class StatusRecordSerializer(serializers.ModelSerializer):
    code = serializers.SerializerMethodField(
        help_text="Nummer des Ziels (z. B. 12.3.4), Kennung des Indikators oder Nummer des "
        "Meilensteins"
    )
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    evaluated_on = serializers.DateField(source="run.evaluated_on", read_only=True)

    class Meta:
        model = StatusRecord
        fields = [
            "subject",
            "code",
            "level",
            "level_label",
            "method_status",
            "explanation_de",
            "explanation_en",
            "distribution",
            "details",
            "data_version",
            "evaluated_on",
        ]

    def get_code(self, record: StatusRecord) -> str:
        subject = record.indicator or record.operative_goal or record.strategic_goal or record.field
        if subject is None:
            return str(record.milestone_id)
        return getattr(subject, "code", "")


@extend_schema(
    tags=["evaluations"],
    description="Bewertungsläufe einer Ausgabe, neueste zuerst: Stichtag und Datenstand.",
)
class EvaluationViewSet(EditionScopedViewSet):
    queryset = EvaluationRun.objects.all()
    serializer_class = EvaluationRunSerializer
    http_method_names = ["get", "head", "options"]
    # Nothing to write here: every request reads, and which editions it sees is decided by
    # the edition lookup; writes are answered "405 method not allowed".
    permission_classes: list = []

    def visible_queryset(self) -> QuerySet[EvaluationRun]:
        return self.edition.evaluations.select_related("edition").order_by(
            "-evaluated_on", "-created_at"
        )


SUBJECT_PARAMETER = OpenApiParameter(
    "subject", str, enum=StatusRecord.Subject.values, description="Nur diese Art von Gegenstand."
)
EVALUATION_PARAMETER = OpenApiParameter(
    "evaluation", int, description="Nummer des Bewertungslaufs; ohne Angabe der neueste."
)


@extend_schema(
    tags=["evaluations"],
    description=(
        "Status aller Indikatoren, Meilensteine und Ziele eines Bewertungslaufs mit Erläuterung "
        "auf Deutsch und Englisch; Ziele mit der Verteilung der Bewertungen darunter."
    ),
    parameters=[EVALUATION_PARAMETER, SUBJECT_PARAMETER],
)
class StatusViewSet(EditionScopedViewSet):
    queryset = StatusRecord.objects.all()
    serializer_class = StatusRecordSerializer
    http_method_names = ["get", "head", "options"]
    permission_classes = EvaluationViewSet.permission_classes

    def visible_queryset(self) -> QuerySet[StatusRecord]:
        run = self._run()
        records = run.records.select_related(
            "run",
            "indicator",
            "milestone",
            "field",
            "strategic_goal__field",
            "operative_goal__strategic_goal__field",
        )
        subject = self.request.query_params.get("subject")
        if subject:
            if subject not in StatusRecord.Subject.values:
                raise ValidationError(
                    {
                        "subject": _("Erlaubt sind: %(values)s.")
                        % {"values": ", ".join(StatusRecord.Subject.values)}
                    }
                )
            records = records.filter(subject=subject)
        return records.order_by("subject", "pk")

    def _run(self) -> EvaluationRun:
        number = self.request.query_params.get("evaluation")
        if number is None:
            run = latest_run(self.edition)
        elif number.isdigit():
            run = self.edition.evaluations.filter(pk=int(number)).first()
        else:
            raise ValidationError({"evaluation": _("Erwartet wird die Nummer eines Laufs.")})
        if run is None:
            raise NotFound(_("Für diese Ausgabe gibt es noch keine Bewertung."))
        return run

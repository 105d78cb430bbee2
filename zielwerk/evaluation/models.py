"""C3 stored evaluations: the status of every indicator, milestone and goal of an edition on an
evaluation date, with the version of the data it was computed from, so that the report can show
how the status developed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zielwerk.goals.models import Edition, Field, OperativeGoal, StrategicGoal
from zielwerk.indicators.models import Indicator, Milestone


class Level(models.TextChoices):
    """The common status scale of zielwerk.status.scale.Level, as stored values."""

    ON_TRACK = "on_track", _("auf Kurs")
    SLIGHTLY_OFF_TRACK = "slightly_off_track", _("leicht abweichend")
    OFF_TRACK = "off_track", _("deutlich abweichend")
    CRITICAL = "critical", _("kritisch")
    NO_EVALUATION = "no_evaluation", _("keine Bewertung möglich")
    NOT_MEASURED = "not_measured", _("nicht gemessen")


class EvaluationRun(models.Model):
    """One evaluation of an edition on an evaluation date (Stichtag)."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("Ausgabe"), on_delete=models.CASCADE, related_name="evaluations"
    )
    evaluated_on = models.DateField(_("Stichtag"))
    created_at = models.DateTimeField(_("berechnet am"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("berechnet von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    data_version = models.CharField(
        _("Datenstand"),
        max_length=64,
        help_text=_("Prüfsumme aller verwendeten Werte, Ziele und Meilensteine"),
    )

    class Meta:
        verbose_name = _("Bewertungslauf")
        verbose_name_plural = _("Bewertungsläufe")
        ordering = ["-evaluated_on", "-created_at"]
        get_latest_by = ["evaluated_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.edition.name} {self.evaluated_on:%d.%m.%Y}"


class StatusRecord(models.Model):
    """The status of one indicator, milestone or goal in one evaluation run."""

    class Subject(models.TextChoices):
        INDICATOR = "indicator", _("Indikator")
        MILESTONE = "milestone", _("Meilenstein")
        OPERATIVE = "operative", _("Operatives Ziel")
        STRATEGIC = "strategic", _("Strategisches Ziel")
        FIELD = "field", _("Handlungsfeld")

    run = models.ForeignKey(
        EvaluationRun,
        verbose_name=_("Bewertungslauf"),
        on_delete=models.CASCADE,
        related_name="records",
    )
    subject = models.CharField(_("Gegenstand"), max_length=10, choices=Subject.choices)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, null=True, blank=True, related_name="status_records"
    )
    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, null=True, blank=True, related_name="status_records"
    )
    operative_goal = models.ForeignKey(
        OperativeGoal,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="status_records",
    )
    strategic_goal = models.ForeignKey(
        StrategicGoal,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="status_records",
    )
    field = models.ForeignKey(
        Field, on_delete=models.CASCADE, null=True, blank=True, related_name="status_records"
    )
    level = models.CharField(_("Stufe"), max_length=20, choices=Level.choices)
    method_status = models.CharField(
        _("Ergebnis der Methode"),
        max_length=40,
        blank=True,
        help_text=_("z. B. Sonne, substantial_progress, reached"),
    )
    explanation_de = models.TextField(_("Erläuterung (deutsch)"))
    explanation_en = models.TextField(_("Erläuterung (englisch)"))
    distribution = models.JSONField(_("Verteilung darunter"), default=dict, blank=True)
    details = models.JSONField(_("Zahlen der Berechnung"), default=dict, blank=True)
    data_version = models.CharField(_("Datenstand"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("Status")
        verbose_name_plural = _("Status")
        ordering = ["run", "subject", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(subject="indicator", indicator__isnull=False)
                    | models.Q(subject="milestone", milestone__isnull=False)
                    | models.Q(subject="operative", operative_goal__isnull=False)
                    | models.Q(subject="strategic", strategic_goal__isnull=False)
                    | models.Q(subject="field", field__isnull=False)
                ),
                name="status_record_has_its_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_display()}: {self.get_level_display()}"

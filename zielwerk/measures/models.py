"""C13 measures: what the administration does to reach the operative goals, with status,
budget and funding."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zielwerk.goals.models import OperativeGoal
from zielwerk.indicators.models import Indicator
from zielwerk.org.models import OrgUnit, Person


class MeasureStatus(models.Model):
    """One entry of the status vocabulary; each city words and orders its own."""

    key = models.SlugField(_("Kennung"), max_length=40, unique=True)
    label = models.CharField(_("Bezeichnung"), max_length=100)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    is_closed = models.BooleanField(
        _("abgeschlossen"),
        default=False,
        help_text=_("Maßnahmen mit diesem Status laufen nicht mehr."),
    )

    class Meta:
        verbose_name = _("Maßnahmenstatus")
        verbose_name_plural = _("Maßnahmenstatus")
        ordering = ["order", "label"]

    def __str__(self) -> str:
        return self.label


class Measure(models.Model):
    """A Maßnahme: a project, permanent task or review order serving one or more goals."""

    class Kind(models.TextChoices):
        PROJECT = "projekt", _("Projekt")
        PERMANENT = "daueraufgabe", _("Daueraufgabe")
        REVIEW = "pruefauftrag", _("Prüfauftrag")

    class Priority(models.IntegerChoices):
        HIGH = 1, _("hoch")
        MEDIUM = 2, _("mittel")
        LOW = 3, _("niedrig")

    number = models.CharField(_("Nummer"), max_length=40, unique=True, help_text=_("z. B. M-12-01"))
    title = models.CharField(_("Titel"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.PROJECT)
    responsible_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("verantwortliche Einheit"),
        on_delete=models.PROTECT,
        related_name="measures",
    )
    contact = models.ForeignKey(
        Person,
        verbose_name=_("Ansprechperson"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
    )
    participating_units = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("beteiligte Einheiten"),
        blank=True,
        related_name="participating_measures",
    )
    # Not blank: forms demand at least one goal, a measure without a goal has no place in the SEK.
    operative_goals = models.ManyToManyField(
        OperativeGoal, verbose_name=_("operative Ziele"), related_name="measures"
    )
    start = models.DateField(_("Beginn"), null=True, blank=True)
    end = models.DateField(_("Ende"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("Priorität"), choices=Priority.choices, default=Priority.MEDIUM
    )
    status = models.ForeignKey(
        MeasureStatus, verbose_name=_("Status"), on_delete=models.PROTECT, related_name="measures"
    )
    progress_percent = models.PositiveSmallIntegerField(
        _("Fortschritt in %"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    budget_planned = models.DecimalField(
        _("Budget geplant (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    budget_spent = models.DecimalField(
        _("Budget ausgegeben (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    indicators = models.ManyToManyField(
        Indicator,
        verbose_name=_("Indikatoren"),
        blank=True,
        related_name="measures",
        help_text=_("Indikatoren, die die Maßnahme bewegen soll"),
    )
    status_text = models.TextField(
        _("Sachstand"), blank=True, help_text=_("aktueller öffentlicher Sachstandstext")
    )
    is_public = models.BooleanField(
        _("freigegeben"),
        default=False,
        help_text=_("Nur freigegebene Maßnahmen sind öffentlich sichtbar."),
    )
    is_sample = models.BooleanField(
        _("Beispieldaten"),
        default=False,
        help_text=_("Zur Vorführung angelegt, keine beschlossene Maßnahme der Stadt."),
    )
    history = HistoricalRecords(m2m_fields=[operative_goals])

    class Meta:
        verbose_name = _("Maßnahme")
        verbose_name_plural = _("Maßnahmen")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress_percent__lte=100), name="measure_progress_max_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class FundingSource(models.Model):
    """Where the money of a measure comes from: own funds or a subsidy programme."""

    class Kind(models.TextChoices):
        OWN = "eigenmittel", _("Eigenmittel")
        SUBSIDY = "foerdermittel", _("Fördermittel")

    measure = models.ForeignKey(
        Measure,
        verbose_name=_("Maßnahme"),
        on_delete=models.CASCADE,
        related_name="funding_sources",
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    programme = models.CharField(
        _("Programm"), max_length=300, blank=True, help_text=_("Name des Förderprogramms")
    )
    amount = models.DecimalField(_("Betrag (EUR)"), max_digits=14, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Finanzierungsquelle")
        verbose_name_plural = _("Finanzierungsquellen")
        ordering = ["measure", "kind", "programme"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.programme}".strip()

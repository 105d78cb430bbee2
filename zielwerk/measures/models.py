"""C13 measures: what the administration does to reach the operative goals, with status,
budget and funding, and the project standard (phases, profile, milestones, tasks, status
reports) that projects follow."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zielwerk.goals.models import OperativeGoal
from zielwerk.indicators.models import Indicator
from zielwerk.org.models import OrgUnit, Person
from zielwerk.updates.models import CYCLE_CHOICES, UpdateSchedule
from zielwerk.updates.schedule import Cycle


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


class Phase(models.TextChoices):
    """Phases of the project standard (12.1.2); each ends at a gate."""

    INITIATION = "initiierung", _("Initiierung")
    PLANNING = "planung", _("Planung")
    IMPLEMENTATION = "umsetzung", _("Umsetzung")
    COMPLETION = "abschluss", _("Abschluss")


class Measure(UpdateSchedule):
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
    title_en = models.CharField(_("Titel (englisch)"), max_length=300, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    description_en = models.TextField(_("Beschreibung (englisch)"), blank=True)
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
    papers = models.ManyToManyField(
        "council.Paper",
        verbose_name=_("Vorlagen des Gemeinderats"),
        blank=True,
        related_name="measures",
        help_text=_("Beschlüsse, auf denen die Maßnahme beruht oder die sie betreffen"),
    )
    status_text = models.TextField(
        _("Sachstand"), blank=True, help_text=_("aktueller öffentlicher Sachstandstext")
    )
    status_text_en = models.TextField(_("Sachstand (englisch)"), blank=True)
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
    phase = models.CharField(
        _("Projektphase"), max_length=20, choices=Phase.choices, default=Phase.INITIATION
    )
    profile_goal = models.TextField(_("Projektziel"), blank=True)
    profile_scope = models.TextField(
        _("Umfang und Abgrenzung"), blank=True, help_text=_("was dazugehört und was nicht")
    )
    profile_risks = models.TextField(_("Risiken"), blank=True)
    profile_stakeholders = models.TextField(
        _("Beteiligte und Betroffene"), blank=True, help_text=_("Stakeholder und ihre Rolle")
    )
    # Status reports are usually written each quarter; indicators default to a yearly update.
    update_cycle = models.CharField(
        _("Aktualisierungsrhythmus"),
        max_length=12,
        choices=CYCLE_CHOICES,
        default=Cycle.QUARTERLY.value,
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


class PhaseGate(models.Model):
    """The gate that ends a phase: when it is planned and when it was passed."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("Maßnahme"), on_delete=models.CASCADE, related_name="gates"
    )
    phase = models.CharField(_("Phase"), max_length=20, choices=Phase.choices)
    planned_on = models.DateField(_("geplant zum"))
    passed_on = models.DateField(_("abgeschlossen am"), null=True, blank=True)
    note = models.CharField(_("Anmerkung"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Phasenabschluss")
        verbose_name_plural = _("Phasenabschlüsse")
        ordering = ["measure", "planned_on"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "phase"], name="one_gate_per_phase")
        ]

    def __str__(self) -> str:
        return f"{self.measure.number}: {self.get_phase_display()}"


class WorkItem(models.Model):
    """A milestone (public, marks progress) or a task (internal) of a measure, with a due date."""

    class Kind(models.TextChoices):
        MILESTONE = "meilenstein", _("Meilenstein")
        TASK = "aufgabe", _("Aufgabe")

    measure = models.ForeignKey(
        Measure, verbose_name=_("Maßnahme"), on_delete=models.CASCADE, related_name="work_items"
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.MILESTONE)
    title = models.CharField(_("Titel"), max_length=300)
    due_on = models.DateField(_("fällig am"))
    done_on = models.DateField(_("erledigt am"), null=True, blank=True)
    assignee = models.ForeignKey(
        Person,
        verbose_name=_("zuständig"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Meilenstein oder Aufgabe")
        verbose_name_plural = _("Meilensteine und Aufgaben")
        ordering = ["measure", "due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class Light(models.TextChoices):
    """Traffic light of a status report; the words carry the meaning, colour only helps."""

    GREEN = "gruen", _("im Plan")
    YELLOW = "gelb", _("Abweichung")
    RED = "rot", _("kritisch")


class StatusReport(models.Model):
    """The status of a measure for one reporting period. Reports are never overwritten by the
    next one, so the sequence tells how the project went."""

    measure = models.ForeignKey(
        Measure,
        verbose_name=_("Maßnahme"),
        on_delete=models.CASCADE,
        related_name="status_reports",
    )
    period = models.CharField(
        _("Berichtszeitraum"), max_length=10, help_text=_("z. B. 2026-Q3, 2026-H1 oder 2026")
    )
    period_start = models.DateField(_("Zeitraum von"))
    period_end = models.DateField(_("Zeitraum bis"))
    time = models.CharField(_("Termine"), max_length=10, choices=Light.choices)
    cost = models.CharField(_("Kosten"), max_length=10, choices=Light.choices)
    quality = models.CharField(_("Qualität"), max_length=10, choices=Light.choices)
    text = models.TextField(
        _("Sachstand"), help_text=_("kurz, für die Öffentlichkeit verständlich")
    )
    text_en = models.TextField(_("Sachstand (englisch)"), blank=True)
    is_public = models.BooleanField(
        _("freigegeben"),
        default=False,
        help_text=_("Nur freigegebene Berichte erscheinen im öffentlichen Bericht."),
    )
    created_at = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erstellt von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Statusbericht")
        verbose_name_plural = _("Statusberichte")
        ordering = ["measure", "-period_end", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="one_report_per_period"),
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="report_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure.number} {self.period}"

    @property
    def overall(self) -> str:
        """The worst of the three lights."""
        order = [Light.GREEN, Light.YELLOW, Light.RED]
        return max((self.time, self.cost, self.quality), key=order.index)

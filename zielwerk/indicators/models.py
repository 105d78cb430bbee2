"""C2 indicators: what measures a goal, the targets it should reach, its values over time, and
milestones for goals that are qualitative."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zielwerk.goals.models import OperativeGoal
from zielwerk.org.models import OrgUnit
from zielwerk.updates.models import UpdateSchedule


class Direction(models.TextChoices):
    INCREASE = "increase", _("steigend ist besser")
    DECREASE = "decrease", _("sinkend ist besser")


class Indicator(UpdateSchedule):
    """A measurable quantity with a time series, attached to one or more operative goals."""

    class Method(models.TextChoices):
        WEATHER = "weather", _("Wettersymbole (Destatis)")
        CAGR = "cagr", _("Fortschrittsmaß (Open SDG / Statistics Canada)")

    code = models.SlugField(
        _("Kennung"),
        max_length=80,
        unique=True,
        help_text=_("dauerhafter Kurzname, z. B. 12-3-4-verschuldung; erscheint in Adressen"),
    )
    name = models.CharField(_("Name"), max_length=300)
    name_en = models.CharField(_("Name (englisch)"), max_length=300, blank=True)
    definition = models.TextField(_("Definition"), blank=True)
    definition_en = models.TextField(_("Definition (englisch)"), blank=True)
    unit = models.CharField(
        _("Einheit"), max_length=100, blank=True, help_text=_("z. B. EUR je Einwohner, %")
    )
    unit_en = models.CharField(_("Einheit (englisch)"), max_length=100, blank=True)
    source = models.CharField(_("Quelle"), max_length=300, blank=True)
    source_url = models.URLField(_("Link zur Quelle"), blank=True)
    direction = models.CharField(_("gewünschte Richtung"), max_length=10, choices=Direction.choices)
    method = models.CharField(
        _("Bewertungsmethode"), max_length=10, choices=Method.choices, default=Method.WEATHER
    )
    decimals = models.PositiveSmallIntegerField(_("Nachkommastellen"), default=1)
    series_starts = models.PositiveSmallIntegerField(
        _("bewertet ab"),
        null=True,
        blank=True,
        help_text=_("nach einem Bruch in der Zeitreihe: erstes Jahr, das die Bewertung nutzt"),
    )
    base_year = models.PositiveSmallIntegerField(
        _("Basisjahr des Fortschrittsmaßes"),
        default=2015,
        help_text=_("nur Fortschrittsmaß (Open SDG): ab diesem Jahr wird die Entwicklung gemessen"),
    )
    natural_limit = models.FloatField(
        _("natürliche Grenze"),
        null=True,
        blank=True,
        help_text=_("nur Fortschrittsmaß (Open SDG), z. B. 100 bei Anteilen in Prozent"),
    )
    owner = models.ForeignKey(
        OrgUnit,
        verbose_name=_("verantwortliche Einheit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
    )
    operative_goals = models.ManyToManyField(
        OperativeGoal, verbose_name=_("operative Ziele"), blank=True, related_name="indicators"
    )
    is_sample = models.BooleanField(
        _("Beispieldaten"),
        default=False,
        help_text=_("Werte und Ziele sind zur Vorführung erfunden, keine amtlichen Zahlen."),
    )
    history = HistoricalRecords(m2m_fields=[operative_goals])

    class Meta:
        verbose_name = _("Indikator")
        verbose_name_plural = _("Indikatoren")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class Target(models.Model):
    """A target of an indicator (METHODS.md §1 and §2); several may apply at once."""

    class Kind(models.TextChoices):
        VALUE_BY_YEAR = "value_by_year", _("Zielwert in einem Zieljahr")
        FIXED_LIMIT = "fixed_limit", _("Grenzwert, jedes Jahr einzuhalten")
        DIRECTION_ONLY = "direction_only", _("nur Richtung")
        INTERVAL = "interval", _("Zielkorridor")

    class Comparator(models.TextChoices):
        LE = "<=", "≤"
        LT = "<", "<"
        GE = ">=", "≥"
        GT = ">", ">"

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("Indikator"), on_delete=models.CASCADE, related_name="targets"
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    value = models.FloatField(
        _("Zielwert"),
        null=True,
        blank=True,
        help_text=_("absolut; bei Bezug auf ein Basisjahr die Veränderung in Prozent"),
    )
    base_year = models.PositiveSmallIntegerField(
        _("Basisjahr"),
        null=True,
        blank=True,
        help_text=_("nur für relative Ziele, z. B. −20 Prozent gegenüber 2015"),
    )
    target_year = models.PositiveSmallIntegerField(_("Zieljahr"), null=True, blank=True)
    comparator = models.CharField(
        _("Vergleich"), max_length=2, choices=Comparator.choices, blank=True
    )
    low = models.FloatField(_("Untergrenze"), null=True, blank=True)
    high = models.FloatField(_("Obergrenze"), null=True, blank=True)
    is_current = models.BooleanField(
        _("gilt"), default=True, help_text=_("abgelöste Ziele bleiben zur Nachvollziehbarkeit")
    )
    wording = models.TextField(_("Zielformulierung"), blank=True)
    decided_by = models.CharField(
        _("Beschluss"),
        max_length=300,
        blank=True,
        help_text=_("z. B. SEK-Beschluss des Gemeinderats"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Ziel des Indikators")
        verbose_name_plural = _("Ziele der Indikatoren")
        ordering = ["indicator", "-is_current", "target_year", "pk"]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.get_kind_display()}"

    def clean(self) -> None:
        required = {
            self.Kind.VALUE_BY_YEAR: ["value", "target_year"],
            self.Kind.FIXED_LIMIT: ["value", "comparator"],
            self.Kind.DIRECTION_ONLY: [],
            self.Kind.INTERVAL: ["low", "high"],
        }[self.kind]
        missing = {
            name: _("Für diese Art von Ziel nötig.")
            for name in required
            if getattr(self, name) in (None, "")
        }
        if missing:
            raise ValidationError(missing)
        if self.kind == self.Kind.INTERVAL and self.low > self.high:
            raise ValidationError({"high": _("Die Obergrenze liegt unter der Untergrenze.")})


class ValueBatch(models.Model):
    """One import or entry session: where a set of values came from, when and from whom."""

    source_name = models.CharField(_("Datei oder Herkunft"), max_length=300)
    file_format = models.CharField(_("Format"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("eingelesen am"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eingelesen von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_rows = models.PositiveIntegerField(_("neue Werte"), default=0)
    updated_rows = models.PositiveIntegerField(_("geänderte Werte"), default=0)

    class Meta:
        verbose_name = _("Datenlieferung")
        verbose_name_plural = _("Datenlieferungen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.created_at:%d.%m.%Y %H:%M})"


class Value(models.Model):
    """One observation of an indicator for a period, optionally for a disaggregation."""

    class State(models.TextChoices):
        ENTERED = "entered", _("eingegeben, wartet auf Freigabe")
        APPROVED = "approved", _("freigegeben")

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("Indikator"), on_delete=models.CASCADE, related_name="values"
    )
    year = models.PositiveSmallIntegerField(_("Jahr"))
    month = models.PositiveSmallIntegerField(
        _("Monat"), default=0, help_text=_("0 für einen Jahreswert, sonst 1–12")
    )
    disaggregation = models.JSONField(
        _("Aufgliederung"), default=dict, blank=True, help_text=_('z. B. {"Stadtteil": "Mitte"}')
    )
    # Canonical text form of `disaggregation` ("Geschlecht=w|Stadtteil=Mitte"): JSON cannot be
    # part of a unique constraint on every database, this text can.
    disaggregation_key = models.CharField(max_length=500, default="", blank=True, editable=False)
    value = models.FloatField(_("Wert"))
    flags = models.CharField(
        _("Kennzeichen"),
        max_length=10,
        blank=True,
        help_text=_("p vorläufig, r berichtigt, s geschätzt, | Bruch in der Zeitreihe"),
    )
    source = models.CharField(_("Quelle"), max_length=300, blank=True)
    note = models.CharField(_("Anmerkung"), max_length=500, blank=True)
    entered_at = models.DateTimeField(_("erfasst am"), auto_now_add=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erfasst von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    batch = models.ForeignKey(
        ValueBatch,
        verbose_name=_("Datenlieferung"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="values",
    )
    state = models.CharField(
        _("Status"), max_length=10, choices=State.choices, default=State.ENTERED
    )
    approved_at = models.DateTimeField(_("freigegeben am"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("freigegeben von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Bulk imports write history only for values they change (see the importer).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Wert")
        verbose_name_plural = _("Werte")
        ordering = ["indicator", "disaggregation_key", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "month", "disaggregation_key"],
                name="one_value_per_period",
            ),
            models.CheckConstraint(condition=models.Q(month__lte=12), name="month_0_to_12"),
        ]

    def __str__(self) -> str:
        period = f"{self.year}-{self.month:02d}" if self.month else str(self.year)
        return f"{self.indicator.code} {period}: {self.value}"


class Milestone(models.Model):
    """A dated step towards a qualitative goal (METHODS.md §3), e.g. "Leitlinien bis 2024"."""

    class Assessment(models.TextChoices):
        ON_TRACK = "on_track", _("im Plan")
        AT_RISK = "at_risk", _("gefährdet")

    operative_goal = models.ForeignKey(
        OperativeGoal,
        verbose_name=_("operatives Ziel"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    title = models.CharField(_("Titel"), max_length=300)
    title_en = models.CharField(_("Titel (englisch)"), max_length=300, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    deadline = models.DateField(_("Frist"))
    reached_on = models.DateField(_("erreicht am"), null=True, blank=True)
    evidence = models.TextField(_("Nachweis"), blank=True, help_text=_("z. B. Beschluss, Dokument"))
    evidence_url = models.URLField(_("Link zum Nachweis"), blank=True)
    # No assessment counts as "at risk": nobody has said the milestone is on track.
    assessment = models.CharField(
        _("Einschätzung der Verantwortlichen"),
        max_length=10,
        choices=Assessment.choices,
        blank=True,
    )
    assessed_on = models.DateField(_("eingeschätzt am"), null=True, blank=True)
    owner = models.ForeignKey(
        OrgUnit,
        verbose_name=_("verantwortliche Einheit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="milestones",
    )
    is_sample = models.BooleanField(_("Beispieldaten"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")
        ordering = ["operative_goal", "deadline"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.reached_on and not (self.evidence or self.evidence_url):
            raise ValidationError(
                {"evidence": _("Ein erreichter Meilenstein braucht einen Nachweis.")}
            )


class ReportingPeriod(models.Model):
    """A reporting year. Once closed, its figures change only as recorded revisions."""

    year = models.PositiveSmallIntegerField(_("Berichtsjahr"), unique=True)
    closed_at = models.DateTimeField(_("abgeschlossen am"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("abgeschlossen von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("Anmerkung"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("abgeschlossenes Berichtsjahr")
        verbose_name_plural = _("abgeschlossene Berichtsjahre")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class ValueRevision(models.Model):
    """A change to a figure of a closed reporting year, with its reason."""

    value = models.ForeignKey(
        Value,
        verbose_name=_("Wert"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="revisions",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("Indikator"), on_delete=models.CASCADE, related_name="revisions"
    )
    year = models.PositiveSmallIntegerField(_("Jahr"))
    month = models.PositiveSmallIntegerField(_("Monat"), default=0)
    disaggregation_key = models.CharField(_("Aufgliederung"), max_length=500, blank=True)
    old_value = models.FloatField(_("bisheriger Wert"), null=True, blank=True)
    new_value = models.FloatField(_("neuer Wert"), null=True, blank=True)
    reason = models.TextField(_("Begründung"))
    revised_at = models.DateTimeField(_("berichtigt am"), auto_now_add=True)
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("berichtigt von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Berichtigung")
        verbose_name_plural = _("Berichtigungen")
        ordering = ["-revised_at"]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.old_value} → {self.new_value}"

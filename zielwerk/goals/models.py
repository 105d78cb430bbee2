"""C1 goal system: editions of the SEK, Handlungsfelder, strategic and operative goals."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zielwerk.org.models import OrgUnit


class Edition(models.Model):
    """One edition (Fortschreibung) of a development concept; several live side by side."""

    name = models.SlugField(
        _("Kennung"),
        max_length=60,
        unique=True,
        help_text=_("Kurzname der Ausgabe, z. B. 2023; erscheint in Adressen und Befehlen."),
    )
    title = models.CharField(_("Titel"), max_length=200)
    city = models.CharField(_("Kommune"), max_length=100, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    is_current = models.BooleanField(
        _("aktuelle Ausgabe"),
        default=False,
        help_text=_("Die öffentliche Startseite zeigt die aktuelle Ausgabe."),
    )
    is_published = models.BooleanField(
        _("veröffentlicht"),
        default=True,
        help_text=_("Nur veröffentlichte Ausgaben sind öffentlich und über die API lesbar."),
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Ausgabe")
        verbose_name_plural = _("Ausgaben")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="one_current_edition",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.name})"


class Field(models.Model):
    """A Handlungsfeld (field of action) of one edition, with its Leitsatz."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("Ausgabe"), on_delete=models.CASCADE, related_name="fields"
    )
    number = models.PositiveSmallIntegerField(_("Nummer"))
    title = models.CharField(_("Titel"), max_length=200)
    title_en = models.CharField(_("Titel (englisch)"), max_length=200, blank=True)
    title_changed = models.BooleanField(
        _("Titel geändert"), null=True, blank=True, help_text=_("leer: keine Angabe")
    )
    former_title = models.CharField(
        _("früherer Titel"),
        max_length=200,
        blank=True,
        help_text=_("wie im Text angegeben, z. B. „00 Innovative Verwaltung“"),
    )
    structure_changed = models.BooleanField(
        _("Zielstruktur geändert"), null=True, blank=True, help_text=_("leer: keine Angabe")
    )
    structure_change_note = models.CharField(
        _("Art der Strukturänderung"), max_length=200, blank=True, help_text=_("z. B. grundlegend")
    )
    leitsatz = models.TextField(_("Leitsatz"))
    leitsatz_en = models.TextField(_("Leitsatz (englisch)"), blank=True)
    responsible_units = models.ManyToManyField(
        OrgUnit, verbose_name=_("verantwortliche Einheiten"), blank=True, related_name="fields"
    )
    history = HistoricalRecords(m2m_fields=[responsible_units])

    class Meta:
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")
        ordering = ["edition", "number"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="unique_field_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def code(self) -> str:
        return str(self.number)


class FeedbackItem(models.Model):
    """A piece of feedback from the city's dialogue that shaped the goals of a field."""

    field = models.ForeignKey(
        Field, verbose_name=_("Handlungsfeld"), on_delete=models.CASCADE, related_name="feedback"
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"))
    text = models.TextField(_("Text"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Rückmeldung")
        verbose_name_plural = _("Rückmeldungen")
        ordering = ["field", "position"]
        constraints = [
            models.UniqueConstraint(fields=["field", "position"], name="unique_feedback_position")
        ]

    def __str__(self) -> str:
        return self.text


class StrategicGoal(models.Model):
    """Strategisches Ziel: a numbered goal within a Handlungsfeld, e.g. 12.3."""

    field = models.ForeignKey(
        Field,
        verbose_name=_("Handlungsfeld"),
        on_delete=models.CASCADE,
        related_name="strategic_goals",
    )
    number = models.PositiveSmallIntegerField(_("Nummer"))
    title = models.CharField(_("Titel"), max_length=300)
    title_en = models.CharField(_("Titel (englisch)"), max_length=300, blank=True)
    text = models.TextField(_("Text"))
    text_en = models.TextField(_("Text (englisch)"), blank=True)
    responsible_units = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("verantwortliche Einheiten"),
        blank=True,
        related_name="strategic_goals",
    )
    history = HistoricalRecords(m2m_fields=[responsible_units])

    class Meta:
        verbose_name = _("Strategisches Ziel")
        verbose_name_plural = _("Strategische Ziele")
        ordering = ["field", "number"]
        constraints = [
            models.UniqueConstraint(fields=["field", "number"], name="unique_strategic_number")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        return f"{self.field.number}.{self.number}"


class CrossReference(models.Model):
    """A note under a strategic goal that points to another Handlungsfeld (Schnittstellenthema)."""

    strategic_goal = models.ForeignKey(
        StrategicGoal,
        verbose_name=_("Strategisches Ziel"),
        on_delete=models.CASCADE,
        related_name="cross_references",
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"))
    text = models.TextField(_("Hinweis"))
    text_en = models.TextField(_("Hinweis (englisch)"), blank=True)
    target_field_number = models.PositiveSmallIntegerField(
        _("verweist auf Handlungsfeld"), null=True, blank=True
    )
    target_goal_number = models.PositiveSmallIntegerField(
        _("verweist auf Strategisches Ziel"), null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Querverweis")
        verbose_name_plural = _("Querverweise")
        ordering = ["strategic_goal", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategic_goal", "position"], name="unique_crossref_position"
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def target_code(self) -> str:
        if self.target_field_number is None:
            return ""
        if self.target_goal_number is None:
            return str(self.target_field_number)
        return f"{self.target_field_number}.{self.target_goal_number}"


class OperativeGoal(models.Model):
    """Operatives Ziel: the concrete goal below a strategic goal, e.g. 12.3.4."""

    strategic_goal = models.ForeignKey(
        StrategicGoal,
        verbose_name=_("Strategisches Ziel"),
        on_delete=models.CASCADE,
        related_name="operative_goals",
    )
    number = models.PositiveSmallIntegerField(_("Nummer"))
    title = models.CharField(_("Titel"), max_length=300)
    title_en = models.CharField(_("Titel (englisch)"), max_length=300, blank=True)
    text = models.TextField(_("Text"))
    text_en = models.TextField(_("Text (englisch)"), blank=True)
    responsible_units = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("verantwortliche Einheiten"),
        blank=True,
        related_name="operative_goals",
    )
    history = HistoricalRecords(m2m_fields=[responsible_units])

    class Meta:
        verbose_name = _("Operatives Ziel")
        verbose_name_plural = _("Operative Ziele")
        ordering = ["strategic_goal", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategic_goal", "number"], name="unique_operative_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        sg = self.strategic_goal
        return f"{sg.field.number}.{sg.number}.{self.number}"

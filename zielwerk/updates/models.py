"""Who keeps a measure or indicator up to date and how often, and which reminders went out."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zielwerk.org.models import Person
from zielwerk.updates.schedule import Cycle


def today() -> datetime.date:
    return timezone.localdate()


CYCLE_CHOICES = [
    (Cycle.MONTHLY.value, _("monatlich")),
    (Cycle.QUARTERLY.value, _("vierteljährlich")),
    (Cycle.HALF_YEARLY.value, _("halbjährlich")),
    (Cycle.YEARLY.value, _("jährlich")),
]


class UpdateSchedule(models.Model):
    """Update rhythm and owner, shared by measures and indicators."""

    update_cycle = models.CharField(
        _("Aktualisierungsrhythmus"),
        max_length=12,
        choices=CYCLE_CHOICES,
        default=Cycle.YEARLY.value,
    )
    update_due_days = models.PositiveSmallIntegerField(
        _("Frist nach Ende des Zeitraums (Tage)"),
        default=30,
        help_text=_("So viele Tage nach dem Ende eines Zeitraums ist die Aktualisierung fällig."),
    )
    update_owner = models.ForeignKey(
        Person,
        verbose_name=_("zuständig für die Aktualisierung"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("ohne Angabe: die Bearbeitenden der verantwortlichen Einheit"),
    )
    updates_since = models.DateField(
        _("Aktualisierung verfolgt seit"),
        default=today,
        help_text=_("Zeiträume, die vor diesem Tag endeten, werden nicht angemahnt."),
    )

    class Meta:
        abstract = True

    @property
    def cycle(self) -> Cycle:
        return Cycle(self.update_cycle)


class Reminder(models.Model):
    """One reminder e-mail about one item and period; kept so that each is sent only once."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("vor der Frist")
        AFTER = "after", _("nach der Frist")

    measure = models.ForeignKey(
        "measures.Measure", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    indicator = models.ForeignKey(
        "indicators.Indicator", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    period = models.CharField(_("Zeitraum"), max_length=10)
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices)
    due = models.DateField(_("fällig am"))
    sent_at = models.DateTimeField(_("gesendet am"), auto_now_add=True)
    recipients = models.TextField(_("Empfänger"))

    class Meta:
        verbose_name = _("Erinnerung")
        verbose_name_plural = _("Erinnerungen")
        ordering = ["-sent_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(measure__isnull=True) ^ models.Q(indicator__isnull=True),
                name="reminder_about_one_item",
            ),
            models.UniqueConstraint(
                fields=["measure", "period", "kind"],
                condition=models.Q(measure__isnull=False),
                name="one_reminder_per_measure_period",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period", "kind"],
                condition=models.Q(indicator__isnull=False),
                name="one_reminder_per_indicator_period",
            ),
        ]

    def __str__(self) -> str:
        item = self.measure or self.indicator
        return f"{item} {self.period} ({self.get_kind_display()})"

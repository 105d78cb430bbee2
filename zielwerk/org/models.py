"""C12 organisation: units of the administration, the people working in them and their roles."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class OrgUnit(models.Model):
    """A unit of the administration: Dezernat, Fachbereich, Abteilung, Referat or Stabsstelle."""

    class Kind(models.TextChoices):
        DEZERNAT = "dezernat", _("Dezernat")
        FACHBEREICH = "fachbereich", _("Fachbereich")
        ABTEILUNG = "abteilung", _("Abteilung")
        REFERAT = "referat", _("Referat")
        STABSSTELLE = "stabsstelle", _("Stabsstelle")
        EIGENBETRIEB = "eigenbetrieb", _("Eigenbetrieb")

    code = models.SlugField(_("Kürzel"), max_length=40, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("übergeordnete Einheit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    is_sample = models.BooleanField(
        _("Beispieldaten"),
        default=False,
        help_text=_("Zur Vorführung angelegt, keine echte Organisationseinheit der Stadt."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Organisationseinheit")
        verbose_name_plural = _("Organisationseinheiten")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": _("Eine Einheit kann nicht unter sich selbst stehen.")}
                )
            ancestor = ancestor.parent


class Person(models.Model):
    """A member of staff with a role; editors act for their organisation unit."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administration Strategiestelle")
        EDITOR = "editor", _("Bearbeitung für eine Organisationseinheit")
        VIEWER = "viewer", _("Lesezugriff")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Benutzerkonto"),
        on_delete=models.CASCADE,
        related_name="person",
    )
    role = models.CharField(_("Rolle"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("Organisationseinheit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        ordering = ["user__username"]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    def clean(self) -> None:
        if self.role == self.Role.EDITOR and self.unit_id is None:
            raise ValidationError({"unit": _("Wer bearbeitet, braucht eine Organisationseinheit.")})

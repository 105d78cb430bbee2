"""C6, C7 cases: impulses (ideas), complaints and praise from citizens and staff, one pipeline
from intake to answer, measured against a service standard per category (METHODS.md §6).

Personal data lives only in `Contact`, apart from the case, so that it can be erased after the
retention period while the case and its figures remain."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zielwerk.goals.models import OperativeGoal
from zielwerk.indicators.models import Indicator
from zielwerk.measures.models import Measure
from zielwerk.org.models import OrgUnit, Person


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Category(models.Model):
    """A category of cases = a process with its service standard (working days)."""

    key = models.SlugField(_("Kennung"), max_length=60, unique=True)
    name = models.CharField(_("Bezeichnung"), max_length=200)
    name_en = models.CharField(_("Bezeichnung (englisch)"), max_length=200, blank=True)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("zuständige Einheit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_categories",
        help_text=_("Neue Fälle dieser Kategorie werden dieser Einheit zugewiesen."),
    )
    first_answer_days = models.PositiveSmallIntegerField(
        _("erste Antwort binnen (Arbeitstage)"), default=5
    )
    completion_days = models.PositiveSmallIntegerField(
        _("Erledigung binnen (Arbeitstage)"), default=20
    )
    operative_goals = models.ManyToManyField(
        OperativeGoal, verbose_name=_("operative Ziele"), blank=True, related_name="case_categories"
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("Indikator des Servicelevels"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_categories",
        help_text=_(
            "Der Anteil fristgerecht erledigter Fälle fließt als Wert in diesen Indikator."
        ),
    )
    is_public = models.BooleanField(
        _("im Formular wählbar"), default=True, help_text=_("Erscheint im öffentlichen Formular.")
    )
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Kategorie mit Servicestandard")
        verbose_name_plural = _("Kategorien mit Servicestandard")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    """One impulse, complaint or praise and everything the administration did with it."""

    class Kind(models.TextChoices):
        IMPULSE = "impulse", _("Impuls/Idee")
        COMPLAINT = "complaint", _("Beschwerde")
        PRAISE = "praise", _("Lob")

    class Channel(models.TextChoices):
        WEB = "web", _("Online-Formular")
        EMAIL = "email", _("E-Mail")
        PHONE = "phone", _("Telefon")
        LETTER = "letter", _("Brief")
        IN_PERSON = "in_person", _("persönlich")
        MEETING = "meeting", _("Sitzung oder Veranstaltung")
        STAFF_DIALOGUE = "staff_dialogue", _("Mitarbeitendendialog")

    class State(models.TextChoices):
        RECEIVED = "received", _("eingegangen")
        EVALUATED = "evaluated", _("bewertet")
        DECIDED = "decided", _("entschieden")
        IMPLEMENTED = "implemented", _("umgesetzt")
        ANSWERED = "answered", _("beantwortet")

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("angenommen")
        REJECTED = "rejected", _("abgelehnt")
        CONSIDERING = "considering", _("in Prüfung")

    number = models.CharField(_("Nummer"), max_length=20, unique=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    category = models.ForeignKey(
        Category,
        verbose_name=_("Kategorie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    text = models.TextField(_("Anliegen"))
    channel = models.CharField(_("Eingangsweg"), max_length=20, choices=Channel.choices)
    state = models.CharField(
        _("Stand"), max_length=20, choices=State.choices, default=State.RECEIVED
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("zuständige Einheit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    owner = models.ForeignKey(
        Person,
        verbose_name=_("bearbeitet von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    operative_goals = models.ManyToManyField(
        OperativeGoal, verbose_name=_("operative Ziele"), blank=True, related_name="cases"
    )
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("umgesetzt durch Maßnahme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    fits_leitbild = models.BooleanField(
        _("passt zum Handlungsleitbild"),
        null=True,
        blank=True,
        help_text=_("Ergebnis der Bewertung gegen das Leitbild und die Ziele"),
    )
    evaluation = models.TextField(_("Begründung der Bewertung"), blank=True)
    decision = models.CharField(
        _("Entscheidung"), max_length=20, choices=Decision.choices, blank=True
    )
    public_reason = models.TextField(
        _("öffentliche Begründung"),
        blank=True,
        help_text=_("Wird der Person mitgeteilt und, wenn freigegeben, veröffentlicht."),
    )
    answer = models.TextField(_("Antwort"), blank=True)
    public_title = models.CharField(
        _("öffentlicher Titel"),
        max_length=300,
        blank=True,
        help_text=_("Kurzer Titel ohne personenbezogene Daten für die öffentliche Seite."),
    )
    public_summary = models.TextField(
        _("öffentliche Zusammenfassung"),
        blank=True,
        help_text=_("Das Anliegen in eigenen Worten, ohne personenbezogene Daten."),
    )
    is_public = models.BooleanField(
        _("veröffentlicht"),
        default=False,
        help_text=_("Erscheint unter „Sie haben gesagt – wir haben getan“."),
    )
    received_at = models.DateTimeField(_("eingegangen am"))
    first_answer_at = models.DateTimeField(_("erste Antwort am"), null=True, blank=True)
    completed_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    tracking_token = models.CharField(
        _("Zugangsschlüssel"), max_length=64, unique=True, default=new_token, editable=False
    )
    language = models.CharField(_("Sprache"), max_length=10, default="de")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erfasst von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    fingerprint = models.CharField(
        _("Prüfsumme des Texts"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("Erkennt doppelt abgeschickte Formulare, ohne den Text zu vergleichen."),
    )

    class Meta:
        verbose_name = _("Fall")
        verbose_name_plural = _("Fälle")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["category", "received_at"])]

    def __str__(self) -> str:
        return f"{self.number} ({self.get_kind_display()})"


class Contact(models.Model):
    """The personal data of the person who sent a case; erased after the retention period."""

    case = models.OneToOneField(
        Case, verbose_name=_("Fall"), on_delete=models.CASCADE, related_name="contact"
    )
    name = models.CharField(_("Name"), max_length=200, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    notify = models.BooleanField(_("über Änderungen benachrichtigen"), default=False)
    consent_at = models.DateTimeField(_("Einwilligung am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Kontaktdaten")
        verbose_name_plural = _("Kontaktdaten")

    def __str__(self) -> str:
        return self.name or self.email or str(self.case)


class CaseEvent(models.Model):
    """One step in the history of a case: who did what when (the audit trail)."""

    case = models.ForeignKey(
        Case, verbose_name=_("Fall"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("Zeitpunkt"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(_("Stand danach"), max_length=20, choices=Case.State.choices)
    step = models.CharField(_("Schritt"), max_length=200)
    is_public = models.BooleanField(
        _("öffentlich sichtbar"),
        default=True,
        help_text=_("Erscheint auf der Statusseite der Person (nie interne Notizen)."),
    )

    class Meta:
        verbose_name = _("Verlaufseintrag")
        verbose_name_plural = _("Verlauf")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case.number} {self.step}"


class CaseNote(models.Model):
    """An internal note on a case; never shown to the person or the public."""

    case = models.ForeignKey(
        Case, verbose_name=_("Fall"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verfasst von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("Notiz"))
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("interne Notiz")
        verbose_name_plural = _("interne Notizen")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class CaseReminder(models.Model):
    """A reminder sent to a case's owner about a passed deadline; each (case, kind) once."""

    class Kind(models.TextChoices):
        FIRST_ANSWER = "first_answer", _("erste Antwort überfällig")
        COMPLETION = "completion", _("Erledigung überfällig")

    case = models.ForeignKey(
        Case, verbose_name=_("Fall"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    sent_at = models.DateTimeField(_("gesendet am"))
    recipient = models.ForeignKey(
        Person, verbose_name=_("an"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Erinnerung zu einem Fall")
        verbose_name_plural = _("Erinnerungen zu Fällen")
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="one_case_reminder_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_kind_display()}"

"""C5 council: papers of the council information system (OParl or entered by hand), their
meetings, and the SEK-Check that rates a Beschlussvorlage against the operative goals."""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zielwerk.goals.models import Edition, OperativeGoal
from zielwerk.org.models import OrgUnit, Person

OPARL_ID_LENGTH = 500


class OParlSource(models.Model):
    """An OParl endpoint the city syncs from, with what a later run needs to go on."""

    url = models.URLField(_("Adresse"), max_length=OPARL_ID_LENGTH, unique=True)
    name = models.CharField(_("Name"), max_length=200, blank=True)
    oparl_version = models.CharField(_("OParl-Version"), max_length=10, blank=True)
    body_id = models.URLField(_("Körperschaft"), max_length=OPARL_ID_LENGTH, blank=True)
    synced_until = models.DateTimeField(
        _("vollständig abgeglichen bis"),
        null=True,
        blank=True,
        help_text=_("Beginn des letzten vollständigen Laufs; der nächste fragt ab hier nach."),
    )
    resume_state = models.JSONField(
        _("Fortsetzungspunkt"),
        default=dict,
        blank=True,
        help_text=_("Nächste Seite eines unterbrochenen Laufs; leer, wenn nichts offen ist."),
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("OParl-Schnittstelle")
        verbose_name_plural = _("OParl-Schnittstellen")
        ordering = ["url"]

    def __str__(self) -> str:
        return self.name or self.url


class SyncRun(models.Model):
    """One run of `zielwerk oparl-sync`: its counts and the objects it had to skip."""

    source = models.ForeignKey(
        OParlSource, verbose_name=_("Schnittstelle"), on_delete=models.CASCADE, related_name="runs"
    )
    started_at = models.DateTimeField(_("begonnen"))
    finished_at = models.DateTimeField(_("beendet"), null=True, blank=True)
    modified_since = models.DateTimeField(_("geändert seit"), null=True, blank=True)
    complete = models.BooleanField(_("vollständig"), default=False)
    created = models.PositiveIntegerField(_("neu"), default=0)
    updated = models.PositiveIntegerField(_("geändert"), default=0)
    deleted = models.PositiveIntegerField(_("gelöscht"), default=0)
    skipped = models.PositiveIntegerField(_("übersprungen"), default=0)
    problems = models.JSONField(
        _("Probleme"),
        default=list,
        blank=True,
        help_text=_("Übersprungene Objekte und Fehler mit Kennung und Grund."),
    )

    class Meta:
        verbose_name = _("Abgleich")
        verbose_name_plural = _("Abgleiche")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%d.%m.%Y %H:%M}"


class Meeting(models.Model):
    """A council or committee meeting; its date sets the deadline of the checks."""

    source = models.ForeignKey(
        OParlSource,
        verbose_name=_("Schnittstelle"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meetings",
    )
    oparl_id = models.URLField(
        _("OParl-Kennung"), max_length=OPARL_ID_LENGTH, unique=True, null=True, blank=True
    )
    name = models.CharField(_("Bezeichnung"), max_length=300, blank=True)
    start = models.DateTimeField(_("Beginn"), null=True, blank=True)
    cancelled = models.BooleanField(_("abgesagt"), default=False)
    deleted = models.BooleanField(_("gelöscht"), default=False)
    modified = models.DateTimeField(_("geändert (Quelle)"), null=True, blank=True)

    class Meta:
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")
        ordering = ["-start"]

    def __str__(self) -> str:
        when = f" ({self.start:%d.%m.%Y})" if self.start else ""
        return f"{self.name or self.oparl_id}{when}"


class Paper(models.Model):
    """A Drucksache of the council: Beschlussvorlage, Antrag, Anfrage, Informationsvorlage …

    Only the paper types in ZIELWERK_SEK_CHECK_PAPER_TYPES need a SEK-Check."""

    source = models.ForeignKey(
        OParlSource,
        verbose_name=_("Schnittstelle"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="papers",
        help_text=_("Leer bei Vorlagen, die von Hand erfasst oder aus einer Liste geladen wurden."),
    )
    oparl_id = models.URLField(
        _("OParl-Kennung"), max_length=OPARL_ID_LENGTH, unique=True, null=True, blank=True
    )
    reference = models.CharField(
        _("Nummer"), max_length=100, blank=True, help_text=_("Drucksachennummer, z. B. 123/2025")
    )
    title = models.CharField(_("Titel"), max_length=1000)
    date = models.DateField(_("Datum"), null=True, blank=True)
    paper_type = models.CharField(_("Art"), max_length=200, blank=True)
    department = models.CharField(
        _("federführend"), max_length=300, blank=True, help_text=_("Fachbereich oder Dezernat")
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("federführende Einheit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="papers",
    )
    text = models.TextField(
        _("Text"), blank=True, help_text=_("Text der Vorlage; Grundlage der Zielvorschläge.")
    )
    web_url = models.URLField(_("Adresse im Ratsinformationssystem"), max_length=1000, blank=True)
    meeting_date = models.DateField(
        _("Sitzungsdatum"),
        null=True,
        blank=True,
        help_text=_("Erste Beratung; die Frist des SEK-Checks richtet sich danach."),
    )
    modified = models.DateTimeField(_("geändert (Quelle)"), null=True, blank=True)
    deleted = models.BooleanField(
        _("gelöscht"), default=False, help_text=_("In der Quelle gelöscht; zählt nicht mehr mit.")
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Vorlage")
        verbose_name_plural = _("Vorlagen")
        ordering = ["-date", "reference"]
        indexes = [models.Index(fields=["paper_type", "date"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}".strip()

    @property
    def needs_check(self) -> bool:
        return self.paper_type in settings.ZIELWERK_SEK_CHECK_PAPER_TYPES

    @property
    def check_deadline(self) -> dt.date | None:
        if self.meeting_date is None:
            return None
        return self.meeting_date - dt.timedelta(
            days=settings.ZIELWERK_SEK_CHECK_DAYS_BEFORE_MEETING
        )


class PaperFile(models.Model):
    """A file of a paper (main file or attachment) and the text taken from it."""

    class TextSource(models.TextChoices):
        OPARL = "oparl", _("aus OParl (Feld text)")
        PDF = "pdf", _("aus der PDF-Datei gelesen")
        NONE = "", _("kein Text")

    paper = models.ForeignKey(
        Paper, verbose_name=_("Vorlage"), on_delete=models.CASCADE, related_name="files"
    )
    oparl_id = models.URLField(_("OParl-Kennung"), max_length=OPARL_ID_LENGTH, blank=True)
    is_main = models.BooleanField(_("Hauptdatei"), default=False)
    name = models.CharField(_("Name"), max_length=1000, blank=True)
    file_name = models.CharField(_("Dateiname"), max_length=300, blank=True)
    mime_type = models.CharField(_("Dateityp"), max_length=100, blank=True)
    access_url = models.URLField(_("Adresse"), max_length=1000, blank=True)
    text = models.TextField(_("Text"), blank=True)
    text_source = models.CharField(
        _("Herkunft des Texts"), max_length=10, choices=TextSource.choices, blank=True
    )
    modified = models.DateTimeField(_("geändert (Quelle)"), null=True, blank=True)

    class Meta:
        verbose_name = _("Datei")
        verbose_name_plural = _("Dateien")
        ordering = ["-is_main", "id"]

    def __str__(self) -> str:
        return self.name or self.file_name or self.oparl_id


class Consultation(models.Model):
    """A paper on a meeting's agenda (Beratung), with the role the body plays."""

    paper = models.ForeignKey(
        Paper, verbose_name=_("Vorlage"), on_delete=models.CASCADE, related_name="consultations"
    )
    oparl_id = models.URLField(_("OParl-Kennung"), max_length=OPARL_ID_LENGTH, blank=True)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("Sitzung"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
    )
    meeting_oparl_id = models.URLField(_("Sitzung (OParl)"), max_length=OPARL_ID_LENGTH, blank=True)
    role = models.CharField(_("Rolle"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Beratung")
        verbose_name_plural = _("Beratungen")

    def __str__(self) -> str:
        return f"{self.paper} – {self.meeting or self.meeting_oparl_id}"


class GoalKeyword(models.Model):
    """A term the strategy office adds to an operative goal so suggestions find it."""

    goal = models.ForeignKey(
        OperativeGoal,
        verbose_name=_("operatives Ziel"),
        on_delete=models.CASCADE,
        related_name="keywords",
    )
    term = models.CharField(_("Begriff"), max_length=100)

    class Meta:
        verbose_name = _("Schlagwort")
        verbose_name_plural = _("Schlagwörter")
        ordering = ["goal", "term"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "term"], name="one_keyword_per_goal")
        ]

    def __str__(self) -> str:
        return self.term


class Check(models.Model):
    """The SEK-Check of one paper: ratings of the affected goals, or an exemption."""

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("in Bearbeitung")
        REVIEW = "review", _("zur Freigabe vorgelegt")
        CHECKED = "checked", _("geprüft")
        EXEMPT = "exempt", _("ausgenommen")

    paper = models.OneToOneField(
        Paper, verbose_name=_("Vorlage"), on_delete=models.CASCADE, related_name="sek_check"
    )
    edition = models.ForeignKey(
        Edition,
        verbose_name=_("Ausgabe"),
        on_delete=models.PROTECT,
        related_name="checks",
        help_text=_("Die Ziele dieser Ausgabe werden bewertet."),
    )
    state = models.CharField(
        _("Stand"), max_length=20, choices=State.choices, default=State.IN_PROGRESS
    )
    responsible = models.ForeignKey(
        Person,
        verbose_name=_("verantwortlich"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checks",
    )
    exemption_reason = models.TextField(
        _("Grund der Ausnahme"),
        blank=True,
        help_text=_("Nur ausfüllen, wenn die Vorlage vom SEK-Check ausgenommen werden soll."),
    )
    summary = models.TextField(_("Zusammenfassung"), blank=True)
    review_note = models.TextField(
        _("Hinweis der Freigabe"),
        blank=True,
        help_text=_("Warum die Strategiestelle den Check zur Überarbeitung zurückgegeben hat."),
    )
    started_at = models.DateTimeField(_("begonnen am"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("vorgelegt am"), null=True, blank=True)
    approved_at = models.DateTimeField(_("freigegeben am"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("freigegeben von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_public = models.BooleanField(
        _("veröffentlicht"),
        default=False,
        help_text=_("Freigegebene Checks erscheinen im öffentlichen Bericht bei den Zielen."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("SEK-Check")
        verbose_name_plural = _("SEK-Checks")
        ordering = ["-paper__date"]

    def __str__(self) -> str:
        return _("SEK-Check zu %(paper)s") % {"paper": self.paper}


class Rating(models.Model):
    """How a paper affects one operative goal (METHODS.md §5); goals without a rating are
    "nicht betroffen", which is not the same as 0."""

    class Score(models.IntegerChoices):
        STRONGLY_SUPPORTS = 2, _("+2 stark fördernd")
        SUPPORTS = 1, _("+1 fördernd")
        NEUTRAL = 0, _("0 neutral")
        HINDERS = -1, _("−1 hemmend")
        STRONGLY_HINDERS = -2, _("−2 stark hemmend")

    check_ref = models.ForeignKey(
        Check, verbose_name=_("SEK-Check"), on_delete=models.CASCADE, related_name="ratings"
    )
    goal = models.ForeignKey(
        OperativeGoal,
        verbose_name=_("operatives Ziel"),
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    score = models.SmallIntegerField(
        _("Bewertung"),
        choices=Score.choices,
        validators=[MinValueValidator(-2), MaxValueValidator(2)],
    )
    justification = models.TextField(_("Begründung"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Bewertung")
        verbose_name_plural = _("Bewertungen")
        ordering = [
            "goal__strategic_goal__field__number",
            "goal__strategic_goal__number",
            "goal__number",
        ]
        constraints = [
            models.UniqueConstraint(fields=["check_ref", "goal"], name="one_rating_per_goal"),
            models.CheckConstraint(
                condition=models.Q(score__gte=-2, score__lte=2), name="rating_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal.code}: {self.score:+d}"


class Suggestion(models.Model):
    """A goal the suggestion engine proposed when the check started, with its reasons.

    Kept so the person sees why, and so later checks can learn which suggestions held."""

    check_ref = models.ForeignKey(
        Check, verbose_name=_("SEK-Check"), on_delete=models.CASCADE, related_name="suggestions"
    )
    goal = models.ForeignKey(
        OperativeGoal,
        verbose_name=_("operatives Ziel"),
        on_delete=models.CASCADE,
        related_name="suggestions",
    )
    rank = models.PositiveSmallIntegerField(_("Rang"))
    score = models.FloatField(_("Punktzahl"))
    terms = models.JSONField(_("passende Begriffe"), default=list)

    class Meta:
        verbose_name = _("Zielvorschlag")
        verbose_name_plural = _("Zielvorschläge")
        ordering = ["check_ref", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["check_ref", "goal"], name="one_suggestion_per_goal")
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.goal.code}"

"""Forms of the council staff pages: a paper entered by hand (with its PDF), a paper list to
upload, and the parts of the check page. They only parse input; council/checks.py decides."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from zielwerk.council.importing import COLUMNS
from zielwerk.council.models import Paper, Rating
from zielwerk.council.pdftext import PdfTextError, pdf_text
from zielwerk.goals.models import OperativeGoal
from zielwerk.measures.admin import MeasureUploadForm
from zielwerk.org.models import Person

# The largest PDF a paper entered by hand may have; council papers rarely exceed a few MB.
MAX_PDF_BYTES = 30 * 1024 * 1024


class PaperForm(forms.ModelForm):
    """A paper entered by hand: its text typed in or read from an uploaded PDF."""

    pdf = forms.FileField(
        label=_("PDF-Datei"),
        required=False,
        help_text=_(
            "Statt den Text einzutragen: die Vorlage als PDF hochladen. Ihr Text wird gelesen "
            "und als Hauptdatei der Vorlage gespeichert; die Zielvorschläge berücksichtigen ihn."
        ),
    )

    class Meta:
        model = Paper
        fields = [
            "reference",
            "title",
            "date",
            "paper_type",
            "department",
            "unit",
            "meeting_date",
            "text",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Read-only pages build the form without fields.
        if "reference" in self.fields:
            # OParl papers may lack a number; a paper entered by hand is known by it.
            self.fields["reference"].required = True
        if "paper_type" in self.fields and self.instance.pk is None:
            self.fields["paper_type"].initial = settings.ZIELWERK_SEK_CHECK_PAPER_TYPES[0]

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip()
        others = Paper.objects.filter(reference=reference).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                _("Eine Vorlage mit der Nummer „%(reference)s“ gibt es schon."),
                params={"reference": reference},
            )
        return reference

    def clean_pdf(self):
        upload = self.cleaned_data.get("pdf")
        self.pdf_text = ""
        if not upload:
            return upload
        if upload.size > MAX_PDF_BYTES:
            raise forms.ValidationError(
                _("Die PDF-Datei ist größer als %(mb)s MB."), params={"mb": MAX_PDF_BYTES >> 20}
            )
        try:
            self.pdf_text = pdf_text(upload.read())
        except PdfTextError as error:
            raise forms.ValidationError(str(error)) from error
        if not self.pdf_text.strip():
            raise forms.ValidationError(
                _(
                    "Die PDF-Datei enthält keinen lesbaren Text (vermutlich ein Scan). Bitte den "
                    "Text in das Feld „Text“ eintragen."
                )
            )
        return upload


class PaperUploadForm(MeasureUploadForm):
    """The measure list's upload form with the paper columns."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV (Semikolon oder Komma, UTF-8) oder Excel (.xlsx) mit den Spalten %(columns)s; "
            "Nummer und Titel sind Pflicht, Daten als TT.MM.JJJJ oder JJJJ-MM-TT."
        ) % {"columns": ", ".join(COLUMNS)}
        self.fields["update"].label = _("vorhandene Vorlagen ändern")


class StartCheckForm(forms.Form):
    responsible = forms.ModelChoiceField(
        label=_("verantwortlich"),
        queryset=Person.objects.exclude(role=Person.Role.VIEWER).select_related("user", "unit"),
        required=False,
        empty_label=_("ich selbst"),
    )


class RatingForm(forms.Form):
    """One goal's row on the check page; an empty score means "nicht betroffen"."""

    score = forms.TypedChoiceField(
        label=_("Bewertung"),
        choices=[("", _("nicht betroffen")), *Rating.Score.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    justification = forms.CharField(
        label=_("Begründung"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, goal: OperativeGoal, **kwargs) -> None:
        super().__init__(*args, prefix=f"goal-{goal.pk}", **kwargs)
        self.goal = goal
        # The table shows the goal once per row; each field names it for screen readers.
        self.fields["score"].widget.attrs["aria-label"] = _("Bewertung zu %(code)s") % {
            "code": goal.code
        }
        self.fields["justification"].widget.attrs["aria-label"] = _("Begründung zu %(code)s") % {
            "code": goal.code
        }


class ExemptionForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund der Ausnahme"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "Zum Beispiel Personalangelegenheit, reine Haushaltsformalie, Eilentscheidung, "
            "Information. Leer lassen, um die Ausnahme aufzuheben."
        ),
    )


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("Was ist zu überarbeiten?"), widget=forms.Textarea(attrs={"rows": 3})
    )

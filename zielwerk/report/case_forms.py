"""The public form for impulses, complaints and praise (C6, C7)."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zielwerk.cases.intake import MAX_TEXT_LENGTH, ContactData
from zielwerk.cases.models import Case, Category
from zielwerk.report.forms import HoneypotForm

CONTACT_FIELDS = ("name", "email", "phone")


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return obj.name_en if get_language() == "en" and obj.name_en else obj.name


class CaseForm(HoneypotForm):
    kind = forms.ChoiceField(
        label=_("Was möchten Sie uns mitteilen?"),
        choices=Case.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie: Idee, Beschwerde oder Lob.")},
    )
    category = CategoryChoiceField(
        label=_("Thema (freiwillig)"),
        queryset=Category.objects.filter(is_public=True),
        required=False,
        empty_label=_("weiß ich nicht"),
        error_messages={"invalid_choice": _("Bitte wählen Sie ein Thema aus der Liste.")},
    )
    text = forms.CharField(
        label=_("Ihr Anliegen"),
        help_text=_(
            "Bitte beschreiben Sie Ihr Anliegen; höchstens %(limit)d Zeichen. Schreiben Sie "
            "keine Namen anderer Personen hinein."
        )
        % {"limit": MAX_TEXT_LENGTH},
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Bitte beschreiben Sie im Feld „Ihr Anliegen“, worum es geht."),
            "max_length": _(
                "Ihr Anliegen ist zu lang: %(show_value)d Zeichen, höchstens %(limit_value)d "
                "sind möglich. Bitte kürzen Sie den Text."
            ),
        },
    )
    name = forms.CharField(
        label=_("Ihr Name (freiwillig)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "max_length": _("Der Name ist zu lang: höchstens %(limit_value)d Zeichen.")
        },
    )
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse (freiwillig)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": _("Diese E-Mail-Adresse ist ungültig, z. B. fehlt das @-Zeichen.")
        },
    )
    phone = forms.CharField(
        label=_("Ihre Telefonnummer (freiwillig)"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={
            "max_length": _("Die Telefonnummer ist zu lang: höchstens %(limit_value)d Zeichen.")
        },
    )
    # Checkboxes carry their hint in the label: the checkbox layout has no row for help text.
    notify = forms.BooleanField(
        label=_(
            "Über Änderungen am Stand per E-Mail benachrichtigen (dafür brauchen wir Ihre "
            "E-Mail-Adresse)"
        ),
        required=False,
    )
    consent = forms.BooleanField(
        label=_(
            "Ich bin einverstanden, dass die Stadt meine Kontaktdaten zur Bearbeitung meines "
            "Anliegens speichert, wie im Datenschutzhinweis beschrieben (nur nötig, wenn Sie "
            "Kontaktdaten angeben)."
        ),
        required=False,
    )

    field_order = ["kind", "category", "text", "name", "email", "phone", "notify", "consent"]

    def clean(self) -> dict:
        data = super().clean()
        if self.caught_bot():
            raise forms.ValidationError(
                _(
                    "Ihr Anliegen wurde nicht gesendet: ein Feld, das leer bleiben muss, war "
                    "ausgefüllt."
                ),
                code="honeypot",
            )
        # What was typed counts, even a mistyped address: consent is needed for any contact.
        typed = any(self.data.get(self.add_prefix(name), "").strip() for name in CONTACT_FIELDS)
        if typed and not data.get("consent"):
            self.add_error(
                "consent",
                _(
                    "Sie haben Kontaktdaten angegeben: bitte stimmen Sie zu, dass wir sie "
                    "speichern, oder lassen Sie Name, E-Mail und Telefon leer."
                ),
            )
        if data.get("notify") and not data.get("email") and "email" not in self.errors:
            self.add_error(
                "email",
                _("Für die Benachrichtigung per E-Mail geben Sie bitte Ihre E-Mail-Adresse an."),
            )
        return data

    def contact_data(self) -> ContactData:
        data = self.cleaned_data
        return ContactData(
            name=data.get("name") or "",
            email=data.get("email") or "",
            phone=data.get("phone") or "",
            notify=bool(data.get("notify")),
            consent=bool(data.get("consent")),
        )

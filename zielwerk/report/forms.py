"""Feedback on barriers (the feedback mechanism of the accessibility statement): a form that
mails the message to the city's contact for accessibility, guarded against bots by a honeypot
field and a limit of messages per client address and hour."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

RATE_WINDOW_SECONDS = 3600


def _rate_key(client_ip: str) -> str:
    return f"zielwerk:feedback:{client_ip}"


def feedback_allowed(client_ip: str) -> bool:
    return cache.get(_rate_key(client_ip), 0) < settings.ZIELWERK_FEEDBACK_LIMIT


def count_feedback(client_ip: str) -> None:
    """Count one message; the hour starts with the first message from the address."""
    key = _rate_key(client_ip)
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    cache.incr(key)


class FeedbackForm(forms.Form):
    message = forms.CharField(
        label=_("Ihre Nachricht"),
        help_text=_("Welche Barriere haben Sie gefunden, oder was möchten Sie wissen?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Bitte beschreiben Sie im Feld „Ihre Nachricht“ die Barriere."),
            "max_length": _("Die Nachricht ist zu lang: höchstens %(limit_value)d Zeichen."),
        },
    )
    page = forms.CharField(
        label=_("Seite (freiwillig)"),
        help_text=_("Adresse oder Titel der Seite, auf der die Barriere ist"),
        max_length=500,
        required=False,
    )
    name = forms.CharField(
        label=_("Ihr Name (freiwillig)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse (freiwillig)"),
        help_text=_("Nur wenn Sie eine Antwort möchten"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": _("Diese E-Mail-Adresse ist ungültig, z. B. fehlt das @-Zeichen.")
        },
    )
    consent = forms.BooleanField(
        label=_(
            "Ich bin einverstanden, dass meine Angaben per E-Mail an die zuständige Stelle der "
            "Stadt gehen und dort zur Bearbeitung meiner Rückmeldung gespeichert werden."
        ),
        error_messages={
            "required": _(
                "Bitte stimmen Sie zu, dass wir Ihre Angaben verarbeiten; ohne Zustimmung "
                "können wir die Nachricht nicht senden."
            )
        },
    )
    # Hidden from people (off screen, out of the tab order, hidden from screen readers); bots
    # that fill in every field give themselves away.
    website = forms.CharField(
        label=_("Bitte lassen Sie dieses Feld leer"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, client_ip: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.client_ip = client_ip

    def clean(self) -> dict:
        data = super().clean()
        if data.get("website"):
            count_feedback(self.client_ip)
            raise forms.ValidationError(
                _(
                    "Die Nachricht wurde nicht gesendet: ein Feld, das leer bleiben muss, war "
                    "ausgefüllt."
                ),
                code="honeypot",
            )
        if not feedback_allowed(self.client_ip):
            raise forms.ValidationError(
                _(
                    "Von Ihrem Anschluss kamen in der letzten Stunde schon %(limit)d Nachrichten. "
                    "Bitte versuchen Sie es später noch einmal oder schreiben Sie direkt eine "
                    "E-Mail."
                ),
                code="rate_limit",
                params={"limit": settings.ZIELWERK_FEEDBACK_LIMIT},
            )
        return data

    def send(self, recipient: str) -> None:
        """Mail the message to the contact; the sender's address, if given, is the reply-to."""
        data = self.cleaned_data
        # The city's staff read the mail, whatever language the page was in.
        with override(settings.LANGUAGE_CODE):
            subject, body = self._mail(data)
        EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[recipient],
            reply_to=[data["email"]] if data["email"] else None,
        ).send()
        count_feedback(self.client_ip)

    @staticmethod
    def _mail(data: dict) -> tuple[str, str]:
        page, name, email = gettext("Seite"), gettext("Name"), gettext("E-Mail")
        lines = [
            gettext("Rückmeldung zur Barrierefreiheit über das Formular von zielwerk."),
            "",
            f"{page}: {data['page'] or '–'}",
            f"{name}: {data['name'] or '–'}",
            f"{email}: {data['email'] or '–'}",
            "",
            data["message"],
        ]
        return gettext("Rückmeldung zur Barrierefreiheit"), "\n".join(lines)

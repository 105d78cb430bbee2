"""Public forms and their guard against bots: a honeypot field and a limit of submissions per
client address and hour, shared by the feedback on barriers (the feedback mechanism of the
accessibility statement) and the form for impulses and complaints (report/case_views.py)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.http import HttpRequest
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

RATE_WINDOW_SECONDS = 3600


def client_address(request: HttpRequest) -> str:
    # Only the direct peer address: a forwarded header can be set by anyone and would let a bot
    # escape the limit. Behind a proxy the proxy must pass the real address as REMOTE_ADDR.
    return request.META.get("REMOTE_ADDR", "")


@dataclass(frozen=True)
class RateLimit:
    """At most `settings.<setting>` submissions per client address in an hour that starts with
    the first one. The counts live in Django's cache, by default in each server process."""

    scope: str
    setting: str

    def _key(self, client_ip: str) -> str:
        return f"zielwerk:{self.scope}:{client_ip}"

    @property
    def limit(self) -> int:
        return getattr(settings, self.setting)

    def allowed(self, client_ip: str) -> bool:
        return cache.get(self._key(client_ip), 0) < self.limit

    def count(self, client_ip: str) -> None:
        key = self._key(client_ip)
        if cache.add(key, 0, RATE_WINDOW_SECONDS):
            cache.set(f"{key}:until", time.time() + RATE_WINDOW_SECONDS, RATE_WINDOW_SECONDS)
        cache.incr(key)

    def retry_after(self, client_ip: str) -> int:
        """Seconds until the client's hour is over (for the Retry-After header)."""
        until = cache.get(f"{self._key(client_ip)}:until")
        return max(1, round(until - time.time())) if until else RATE_WINDOW_SECONDS


FEEDBACK_LIMIT = RateLimit("feedback", "ZIELWERK_FEEDBACK_LIMIT")
CASE_FORM_LIMIT = RateLimit("case-form", "ZIELWERK_CASE_FORM_LIMIT")


class HoneypotForm(forms.Form):
    # Hidden from people (off screen, out of the tab order, hidden from screen readers); bots
    # that fill in every field give themselves away.
    website = forms.CharField(
        label=_("Bitte lassen Sie dieses Feld leer"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def caught_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class FeedbackForm(HoneypotForm):
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

    def __init__(self, *args, client_ip: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.client_ip = client_ip

    def clean(self) -> dict:
        data = super().clean()
        if self.caught_bot():
            FEEDBACK_LIMIT.count(self.client_ip)
            raise forms.ValidationError(
                _(
                    "Die Nachricht wurde nicht gesendet: ein Feld, das leer bleiben muss, war "
                    "ausgefüllt."
                ),
                code="honeypot",
            )
        if not FEEDBACK_LIMIT.allowed(self.client_ip):
            raise forms.ValidationError(
                _(
                    "Von Ihrem Anschluss kamen in der letzten Stunde schon %(limit)d Nachrichten. "
                    "Bitte versuchen Sie es später noch einmal oder schreiben Sie direkt eine "
                    "E-Mail."
                ),
                code="rate_limit",
                params={"limit": FEEDBACK_LIMIT.limit},
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
        FEEDBACK_LIMIT.count(self.client_ip)

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

"""Telling the sender of a case that its public status changed (C6, C7).

One mail per public step, only to a sender who asked for it and gave an address, in the case's
language, with the new state and the private status link. The mail names no case text: the
status page shows the details to whoever holds the link. Logs name the case number only, never
an address or a text."""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from zielwerk.cases.models import Case, CaseEvent, Contact

logger = logging.getLogger(__name__)


def status_url(case: Case) -> str:
    """The private status page in the active language (English pages live under /en/)."""
    path = reverse("case-status", args=[case.tracking_token])
    return settings.ZIELWERK_BASE_URL.rstrip("/") + path


def notify_sender(case: Case, event: CaseEvent) -> bool:
    """Mail the sender about event if they asked for it; True when a mail went out. For a
    decision the step is the decision itself (workflow.DECISION_STEPS)."""
    contact = Contact.objects.filter(case=case).first()
    if contact is None or not contact.notify or not contact.email:
        return False
    with translation.override("en" if case.language == "en" else settings.LANGUAGE_CODE):
        # The event, not the case: by the commit the case may have gone further.
        state = event.get_state_display()
        if event.state == Case.State.DECIDED:
            state = f"{state} ({_(event.step)})"
        subject = _("Ihr Anliegen %(number)s: %(state)s") % {"number": case.number, "state": state}
        body = render_to_string(
            "cases/status_mail.txt",
            {"case": case, "state": state, "step": _(event.step), "url": status_url(case)},
        )
    try:
        EmailMessage(subject=subject, body=body, to=[contact.email]).send()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("status mail for case %s failed: %s", case.number, type(error).__name__)
        return False
    logger.info("status mail for case %s sent (%s)", case.number, event.state)
    return True

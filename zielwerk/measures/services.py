"""Plain functions on measures: status changes, the Excel list and the sample measures."""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from zielwerk.goals.models import Edition
from zielwerk.measures.importing import import_measures
from zielwerk.measures.models import FundingSource, Measure, MeasureStatus

SAMPLE_FILE = Path(__file__).parent / "data" / "hf12-measures.csv"
# measure number -> (kind, programme, amount); the CSV list format has no funding columns.
SAMPLE_FUNDING = {
    "M-12-04": [
        (
            FundingSource.Kind.SUBSIDY,
            "Nachhaltige Kommunalentwicklung durch Partnerschaftsprojekte (Nakopa)",
            Decimal("200000.00"),
        ),
        (FundingSource.Kind.OWN, "", Decimal("50000.00")),
    ],
}


@transaction.atomic
def change_status(
    measures: Iterable[Measure], status: MeasureStatus, user: AbstractBaseUser
) -> tuple[list[Measure], list[Measure]]:
    """Set the status where the user may change the measure; returns (changed, refused).

    Saved one by one rather than with update() so that the history records each change."""
    changed, refused = [], []
    for measure in measures:
        if not user.has_perm("measures.change_measure", measure):
            refused.append(measure)
            continue
        if measure.status_id != status.pk:
            measure.status = status
            measure.save(update_fields=["status"])
        changed.append(measure)
    return changed, refused


def measures_workbook(measures: Iterable[Measure]) -> bytes:
    """The measures as an XLSX list with German headers."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Maßnahmen")
    sheet.append(
        [
            _("Nummer"),
            _("Titel"),
            _("Art"),
            _("Verantwortlich"),
            _("Ziele"),
            _("Beginn"),
            _("Ende"),
            _("Priorität"),
            _("Status"),
            _("Fortschritt in %"),
            _("Budget geplant (EUR)"),
            _("Budget ausgegeben (EUR)"),
            _("Sachstand"),
            _("freigegeben"),
        ]
    )
    for measure in measures:
        sheet.append(
            [
                measure.number,
                measure.title,
                measure.get_kind_display(),
                measure.responsible_unit.code,
                ", ".join(goal.code for goal in measure.operative_goals.all()),
                measure.start,
                measure.end,
                measure.priority,
                measure.status.label,
                measure.progress_percent,
                measure.budget_planned,
                measure.budget_spent,
                measure.status_text,
                _("ja") if measure.is_public else _("nein"),
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@transaction.atomic
def load_sample_measures(edition: Edition) -> list[Measure]:
    """The sample measures of Handlungsfeld 12, released so that public pages show them."""
    measures = import_measures(SAMPLE_FILE, edition, is_sample=True).created
    for measure in measures:
        measure.is_public = True
        measure.save(update_fields=["is_public"])
        for kind, programme, amount in SAMPLE_FUNDING.get(measure.number, []):
            measure.funding_sources.create(kind=kind, programme=programme, amount=amount)
    return measures

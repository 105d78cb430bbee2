"""Plain functions on measures: status changes, the Excel list and the sample measures."""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from zielwerk.goals.models import Edition
from zielwerk.measures.importing import import_measures
from zielwerk.measures.models import Measure, MeasureStatus, StatusReport, WorkItem
from zielwerk.updates.schedule import parse_period

SAMPLE_FILE = Path(__file__).parent / "data" / "hf12-measures.csv"
# The CSV list format has no columns for the project standard; these come from a second file.
SAMPLE_PROJECTS = Path(__file__).parent / "data" / "hf12-projects.yaml"


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


def release_reports(reports: QuerySet[StatusReport]) -> int:
    """Release status reports to the public; saved one by one so the history shows who did it."""
    count = 0
    for report in reports.filter(is_public=False):
        report.is_public = True
        report.save(update_fields=["is_public"])
        count += 1
    return count


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
    """The sample measures of Handlungsfeld 12 with their project standard, released so that
    public pages show them."""
    measures = import_measures(SAMPLE_FILE, edition, is_sample=True).created
    projects = yaml.safe_load(SAMPLE_PROJECTS.read_text(encoding="utf-8"))
    for measure in measures:
        measure.is_public = True
        project = projects.get(measure.number, {})
        measure.phase = project.get("phase", measure.phase)
        measure.update_cycle = project.get("update_cycle", measure.update_cycle)
        for name, text in project.get("profile", {}).items():
            setattr(measure, f"profile_{name}", text)
        measure.save()
        _add_project_parts(measure, project)
    return measures


def _add_project_parts(measure: Measure, project: dict[str, Any]) -> None:
    for gate in project.get("gates", []):
        measure.gates.create(**gate)
    for kind, key in ((WorkItem.Kind.MILESTONE, "milestones"), (WorkItem.Kind.TASK, "tasks")):
        for item in project.get(key, []):
            measure.work_items.create(kind=kind, **item)
    for report in project.get("reports", []):
        period = parse_period(report["period"], measure.cycle)
        measure.status_reports.create(
            period_start=period.start, period_end=period.end, is_public=True, **report
        )
    for source in project.get("funding", []):
        measure.funding_sources.create(
            kind=source["kind"],
            programme=source.get("programme", ""),
            amount=Decimal(str(source["amount"])),
        )

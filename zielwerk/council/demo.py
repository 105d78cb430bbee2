"""Sample council papers with SEK-Checks for the demo (data/hf12-papers.yaml, Beispieldaten).

Each check goes through the same steps a person takes (council/checks.py): started by the
unit's editor or the strategy office, rated or exempted, submitted, approved and published by
the strategy office, as far as the sample says. The coverage of the checks is then stored as
values of the 12.4.4 indicator."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from zielwerk.council import checks
from zielwerk.council.coverage import record_coverage
from zielwerk.council.models import Check, Paper
from zielwerk.goals.models import Edition
from zielwerk.goals.queries import find_goal
from zielwerk.measures.models import Measure
from zielwerk.org.models import OrgUnit

SAMPLE_FILE = Path(__file__).parent / "data" / "hf12-papers.yaml"
OFFICE = "strategie"
REASON = "Beispieldaten"
# How far each sample check goes, in the order of its steps.
STEPS = {
    "in_progress": (),
    "review": ("submit",),
    "approved": ("submit", "approve"),
    "published": ("submit", "approve", "publish"),
    "exempt": ("submit", "approve"),
}


@transaction.atomic
def load_sample_papers(
    edition: Edition, today: datetime.date | None = None, *, evaluate: bool = True
) -> list[Paper]:
    """Create the sample papers and their checks, dated relative to `today`, and store the
    coverage. `evaluate` evaluates the edition afterwards (the demo loader does it itself)."""
    today = today or timezone.localdate()
    data = yaml.safe_load(SAMPLE_FILE.read_text(encoding="utf-8"))
    users = {user.username: user for user in get_user_model().objects.all()}
    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    papers = []
    for item in data["papers"]:
        unit = units[item["unit"]]
        date = today + datetime.timedelta(days=item["days"])
        paper = Paper.objects.create(
            reference=item["reference"].format(year=date.year),
            title=item["title"],
            date=date,
            paper_type=item.get("type", "Beschlussvorlage"),
            department=unit.name,
            unit=unit,
            text=item["text"],
            meeting_date=today + datetime.timedelta(days=item["meeting_days"]),
        )
        if item.get("measures"):
            paper.measures.set(Measure.objects.filter(number__in=item["measures"]))
        papers.append(paper)
    # Every check starts before any is approved: approved ratings feed the goal suggestions,
    # so each approval would make the next start rebuild their index.
    started = [
        (checks.start_check(paper, users[item["check"]["by"]]), item["check"])
        for paper, item in zip(papers, data["papers"], strict=True)
        if "check" in item
    ]
    for check, spec in started:
        _complete(check, spec, edition, users)
    record_coverage(edition, today, evaluate=evaluate)
    return papers


def _complete(check: Check, spec: dict[str, Any], edition: Edition, users: dict[str, Any]) -> None:
    """Rate or exempt the started check and take it as far as the sample says."""
    worker, office = users[spec["by"]], users[OFFICE]
    if spec.get("summary"):
        check.summary = spec["summary"]
        check._history_user = worker
        check._change_reason = REASON
        check.save()
    if spec.get("exemption"):
        checks.record_exemption(check, spec["exemption"], worker)
    entries = [
        (find_goal(edition, code), score, justification)
        for code, (score, justification) in spec.get("ratings", {}).items()
    ]
    if entries:
        checks.save_ratings(check, entries, worker)
    for step in STEPS[spec["state"]]:
        if step == "submit":
            checks.submit(check, worker)
        else:
            getattr(checks, step)(check, office)

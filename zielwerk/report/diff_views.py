"""The page that compares two editions of the SEK."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zielwerk.goals.diff import (
    Change,
    DiffChunk,
    EditionDiff,
    GoalVersion,
    Level,
    MatchedGoal,
    compare_editions,
)
from zielwerk.goals.models import Edition
from zielwerk.goals.queries import visible_editions

LEVEL_LABELS = {
    Level.FIELD: _("Handlungsfeld"),
    Level.STRATEGIC: _("Strategisches Ziel"),
    Level.OPERATIVE: _("Operatives Ziel"),
}
PARENT_LABELS = {
    Level.STRATEGIC: _("in Handlungsfeld"),
    Level.OPERATIVE: _("unter Strategischem Ziel"),
}
GROUPS = [
    ("added", _("Neu"), _("In der neuen Ausgabe hinzugekommen")),
    ("removed", _("Entfallen"), _("In der neuen Ausgabe nicht mehr enthalten")),
    (Change.RENAMED, _("Umbenannt"), _("Ziele mit geändertem Titel")),
    (
        Change.REWORDED,
        _("Umformuliert"),
        _("Ziele mit geändertem Text; Streichungen und Ergänzungen sind hervorgehoben"),
    ),
    (Change.MOVED, _("Verschoben"), _("Ziele, die jetzt einem anderen Ziel zugeordnet sind")),
    (Change.RENUMBERED, _("Umnummeriert"), _("Ziele mit neuer Nummer an derselben Stelle")),
]


class EditionPairForm(forms.Form):
    a = forms.ModelChoiceField(
        label=_("Bisherige Ausgabe (A)"),
        queryset=Edition.objects.none(),
        to_field_name="name",
        empty_label=None,
    )
    b = forms.ModelChoiceField(
        label=_("Neue Ausgabe (B)"),
        queryset=Edition.objects.none(),
        to_field_name="name",
        empty_label=None,
    )

    def __init__(self, *args, editions: QuerySet[Edition], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("a", "b"):
            self.fields[name].queryset = editions


@dataclass(frozen=True)
class DiffRow:
    level: Promise
    old: GoalVersion | None = None
    new: GoalVersion | None = None
    match: MatchedGoal | None = None
    parent_label: Promise | None = None
    chunks: list[DiffChunk] = field(default_factory=list)


@dataclass(frozen=True)
class DiffGroup:
    kind: str
    heading: Promise
    caption: Promise
    rows: list[DiffRow]


def edition_diff(request: HttpRequest) -> HttpResponse:
    editions = visible_editions(request.user)
    names = list(editions.values_list("name", flat=True))
    data = _default_pair(editions)
    data.update({k: v for k in ("a", "b") if (v := request.GET.get(k))})
    # Unbound while there is nothing to compare, so the first visit shows no error messages.
    form = EditionPairForm(data or None, editions=editions)
    diff = None
    if form.is_valid():
        diff = compare_editions(form.cleaned_data["a"], form.cleaned_data["b"])
    context = {"form": form, "diff": diff, "editions": names}
    if diff is not None:
        context["groups"] = _groups(diff)
        context["unchanged"] = len(diff.unchanged)
    return render(request, "report/edition_diff.html", context)


def _default_pair(editions: QuerySet[Edition]) -> dict[str, str]:
    """The newest edition (B, e.g. a draft Fortschreibung) against the one made before it (A)."""
    newest = list(editions.order_by("-created_at", "-pk").values_list("name", flat=True)[:2])
    return {"a": newest[1], "b": newest[0]} if len(newest) == 2 else {}


def _groups(diff: EditionDiff) -> list[DiffGroup]:
    groups = []
    for kind, heading, caption in GROUPS:
        if kind == "added":
            rows = [DiffRow(LEVEL_LABELS[g.level], new=g) for g in diff.added]
        elif kind == "removed":
            rows = [DiffRow(LEVEL_LABELS[g.level], old=g) for g in diff.removed]
        else:
            rows = [_row(m, kind) for m in diff.with_change(kind)]
        groups.append(DiffGroup(str(kind), heading, caption, rows))
    return groups


def _row(match: MatchedGoal, change: Change) -> DiffRow:
    return DiffRow(
        LEVEL_LABELS[match.level],
        old=match.old,
        new=match.new,
        match=match,
        parent_label=PARENT_LABELS.get(match.level) if change is Change.MOVED else None,
        chunks=match.text_diff() if change is Change.REWORDED else [],
    )

import json

from django.core.management.base import BaseCommand

from zielwerk.goals.diff import (
    Change,
    EditionDiff,
    GoalVersion,
    Level,
    MatchedGoal,
    code_key,
    compare_editions,
)
from zielwerk.goals.management.editions import edition_by_name

PARENT_LABELS = {
    Level.STRATEGIC: "in Handlungsfeld",
    Level.OPERATIVE: "unter Strategischem Ziel",
}


class Command(BaseCommand):
    help = (
        "Vergleicht zwei Ausgaben (Fortschreibungen) des Stadtentwicklungskonzepts: welche "
        "Handlungsfelder und Ziele neu sind, entfallen, umbenannt, umformuliert, verschoben "
        "oder umnummeriert wurden."
    )

    def add_arguments(self, parser):
        parser.add_argument("a", help="Kennung der bisherigen Ausgabe, z. B. 2023")
        parser.add_argument("b", help="Kennung der neuen Ausgabe, z. B. 2025")
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="text: eine Zeile je Änderung (Standard); json: maschinenlesbar",
        )

    def handle(self, *args, **options):
        diff = compare_editions(edition_by_name(options["a"]), edition_by_name(options["b"]))
        if options["format"] == "json":
            self.stdout.write(json.dumps(diff.as_dict(), ensure_ascii=False, indent=2))
            return
        for line in text_lines(diff):
            self.stdout.write(line)


def text_lines(diff: EditionDiff) -> list[str]:
    """One line per change in document order, then the summary."""
    entries: list[tuple[tuple[int, ...], str]] = []
    entries += [(code_key(g.code), f"- {g.code} {g.title} (entfallen)") for g in diff.removed]
    entries += [(code_key(g.code), f"+ {g.code} {g.title} (neu)") for g in diff.added]
    for match in diff.matched:
        entries += [(code_key(match.old.code), _change_line(match, c)) for c in match.changes]
    lines = [line for _, line in sorted(entries, key=lambda entry: entry[0])]
    counts = diff.counts()
    lines.append(
        f"Zusammenfassung: {counts['added']} neu, {counts['removed']} entfallen, "
        f"{counts['renamed']} umbenannt, {counts['reworded']} umformuliert, "
        f"{counts['moved']} verschoben, {counts['renumbered']} umnummeriert, "
        f"{counts['unchanged']} unverändert"
    )
    return lines


def _change_line(match: MatchedGoal, change: Change) -> str:
    old, new = match.old, match.new
    if change is Change.RENAMED:
        return f"~ {old.code} umbenannt: „{old.title}“ → „{new.title}“"
    if change is Change.REWORDED:
        what = "Leitsatz umformuliert" if match.level is Level.FIELD else "umformuliert"
        return f"~ {old.code} {what} (Ähnlichkeit {match.similarity_percent} %)"
    if change is Change.MOVED:
        return f"→ {old.code} verschoben nach {new.code} ({_parent(new)})"
    return f"~ {old.code} umnummeriert zu {new.code}"


def _parent(goal: GoalVersion) -> str:
    return f"{PARENT_LABELS[goal.level]} {goal.parent_code}"

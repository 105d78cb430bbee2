"""Comparing two editions (Fortschreibungen) of an SEK: which goals are new, gone or changed.

Goals are matched level by level (Handlungsfeld, strategic goal, operative goal) by their code
and by the similarity of their wording, so that a renumbered or moved goal is still recognised
as the same goal and a number that now stands for another goal is not mistaken for it.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from zielwerk.goals.models import Edition, OperativeGoal, StrategicGoal


class Level(StrEnum):
    FIELD = "field"
    STRATEGIC = "strategic"
    OPERATIVE = "operative"


class Change(StrEnum):
    RENAMED = "renamed"
    REWORDED = "reworded"
    MOVED = "moved"
    RENUMBERED = "renumbered"


# Under the same code a goal counts as kept even when much of its wording changed; under
# another code only a clearly similar wording shows that it is the same goal.
SAME_CODE_MIN_SIMILARITY = 0.3
OTHER_CODE_MIN_SIMILARITY = 0.6
# Small, so that an unchanged text under a new code wins over a weak match under the old code
# (after a goal was removed, its successors move up one number).
SAME_CODE_BONUS = 0.1

# Function words say nothing about what a goal is about; counted, they make any two German
# texts look alike.
# Kept as running text: easier to read and extend than a list of quoted words.
STOPWORDS = frozenset(
    """
    aber als am an auch auf aus bei bis da dabei damit dann das dass dem den denen der des die
    dies diese diesem diesen dieser dieses durch ein eine einem einen einer eines es für hat
    haben ihr ihre ihrem ihren ihrer im in indem ist je kann können mit nach nicht noch nur ob
    oder ohne sich sie sind so sowie über um und uns unser unsere unserem unseren unserer unter
    vom von vor was wenn werden wie wir wird zu zum zur zwischen
    """.split()  # noqa: SIM905
)
RE_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class GoalVersion:
    """A goal as it stands in one edition; for a Handlungsfeld the text is its Leitsatz."""

    level: Level
    key: int
    code: str
    title: str
    text: str
    parent_key: int | None = None
    parent_code: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "level": self.level.value,
            "code": self.code,
            "title": self.title,
            "parent": self.parent_code,
        }


@dataclass(frozen=True)
class DiffChunk:
    op: Literal["equal", "delete", "insert"]
    text: str


@dataclass(frozen=True)
class MatchedGoal:
    """A goal of the old edition and its counterpart in the new one."""

    old: GoalVersion
    new: GoalVersion
    similarity: float
    changes: tuple[Change, ...]

    @property
    def level(self) -> Level:
        return self.new.level

    @property
    def is_unchanged(self) -> bool:
        return not self.changes

    @property
    def similarity_percent(self) -> int:
        # Rounded down, so that 100 % only appears when both versions use the same words.
        return math.floor(self.similarity * 100)

    def text_diff(self) -> list[DiffChunk]:
        return word_diff(self.old.text, self.new.text)

    def as_dict(self) -> dict[str, object]:
        return {
            "level": self.level.value,
            "old": self.old.as_dict(),
            "new": self.new.as_dict(),
            "similarity": round(self.similarity, 3),
            "changes": [c.value for c in self.changes],
        }


@dataclass(frozen=True)
class GoalDiff:
    matched: list[MatchedGoal]
    removed: list[GoalVersion]
    added: list[GoalVersion]

    def with_change(self, change: Change) -> list[MatchedGoal]:
        return [m for m in self.matched if change in m.changes]

    @property
    def unchanged(self) -> list[MatchedGoal]:
        return [m for m in self.matched if m.is_unchanged]

    def counts(self) -> dict[str, int]:
        counts = {"added": len(self.added), "removed": len(self.removed)}
        counts.update({c.value: len(self.with_change(c)) for c in Change})
        counts["unchanged"] = len(self.unchanged)
        return counts

    def as_dict(self) -> dict[str, object]:
        return {
            "summary": self.counts(),
            "added": [g.as_dict() for g in self.added],
            "removed": [g.as_dict() for g in self.removed],
            "changed": [m.as_dict() for m in self.matched if not m.is_unchanged],
        }


@dataclass(frozen=True)
class EditionDiff(GoalDiff):
    old_edition: Edition
    new_edition: Edition

    def as_dict(self) -> dict[str, object]:
        return {
            "old_edition": self.old_edition.name,
            "new_edition": self.new_edition.name,
            **super().as_dict(),
        }


def compare_editions(a: Edition, b: Edition) -> EditionDiff:
    """What changed from edition a to edition b."""
    goals = compare_goals(edition_goals(a), edition_goals(b))
    return EditionDiff(goals.matched, goals.removed, goals.added, old_edition=a, new_edition=b)


def edition_goals(edition: Edition) -> list[GoalVersion]:
    goals = [
        GoalVersion(Level.FIELD, f.pk, f.code, f.title, f.leitsatz) for f in edition.fields.all()
    ]
    for sg in StrategicGoal.objects.filter(field__edition=edition).select_related("field"):
        goals.append(
            GoalVersion(
                Level.STRATEGIC, sg.pk, sg.code, sg.title, sg.text, sg.field_id, sg.field.code
            )
        )
    operative = OperativeGoal.objects.filter(strategic_goal__field__edition=edition)
    for og in operative.select_related("strategic_goal__field"):
        goals.append(
            GoalVersion(
                Level.OPERATIVE,
                og.pk,
                og.code,
                og.title,
                og.text,
                og.strategic_goal_id,
                og.strategic_goal.code,
            )
        )
    return goals


def compare_goals(old: Iterable[GoalVersion], new: Iterable[GoalVersion]) -> GoalDiff:
    """Match goals level by level, top down, so that a goal's parent is matched before it."""
    old, new = list(old), list(new)
    matched: list[MatchedGoal] = []
    removed: list[GoalVersion] = []
    added: list[GoalVersion] = []
    parent_map: dict[int, int] = {}
    for level in Level:
        level_matched, level_removed, level_added = _match_level(
            [g for g in old if g.level == level], [g for g in new if g.level == level], parent_map
        )
        matched += level_matched
        removed += level_removed
        added += level_added
        parent_map = {m.old.key: m.new.key for m in level_matched}
    return GoalDiff(
        sorted(matched, key=lambda m: code_key(m.old.code)),
        sorted(removed, key=lambda g: code_key(g.code)),
        sorted(added, key=lambda g: code_key(g.code)),
    )


def code_key(code: str) -> tuple[int, ...]:
    """Sort key for goal codes in document order: 12 < 12.2 < 12.2.1 < 12.10."""
    return tuple(int(part) for part in code.split("."))


def _match_level(
    old: Sequence[GoalVersion], new: Sequence[GoalVersion], parent_map: dict[int, int]
) -> tuple[list[MatchedGoal], list[GoalVersion], list[GoalVersion]]:
    candidates = []
    for (i, j), similarity in _similarities(old, new).items():
        same_code = old[i].code == new[j].code
        if similarity >= (SAME_CODE_MIN_SIMILARITY if same_code else OTHER_CODE_MIN_SIMILARITY):
            score = similarity + (SAME_CODE_BONUS if same_code else 0.0)
            candidates.append((-score, i, j, similarity))
    candidates.sort()
    matched, used_old, used_new = [], set(), set()
    for _, i, j, similarity in candidates:
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        matched.append(
            MatchedGoal(old[i], new[j], similarity, _changes(old[i], new[j], parent_map))
        )
    removed = [g for i, g in enumerate(old) if i not in used_old]
    added = [g for j, g in enumerate(new) if j not in used_new]
    return matched, removed, added


def _similarities(
    old: Sequence[GoalVersion], new: Sequence[GoalVersion]
) -> dict[tuple[int, int], float]:
    """Dice coefficient of the word multisets of all pairs that share a word.

    An inverted index visits only pairs with common words, so a few hundred goals per edition
    take milliseconds rather than the seconds of comparing every pair character by character.
    """
    new_tokens = [_tokens(g) for g in new]
    postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for j, tokens in enumerate(new_tokens):
        for word, count in tokens.items():
            postings[word].append((j, count))
    new_sizes = [tokens.total() for tokens in new_tokens]
    similarities = {}
    for i, goal in enumerate(old):
        tokens = _tokens(goal)
        size = tokens.total()
        shared: dict[int, int] = defaultdict(int)
        for word, count in tokens.items():
            for j, other_count in postings.get(word, ()):
                shared[j] += min(count, other_count)
        for j, common in shared.items():
            similarities[i, j] = 2 * common / (size + new_sizes[j])
    return similarities


def _tokens(goal: GoalVersion) -> Counter[str]:
    words = RE_WORD.findall(f"{goal.title} {goal.text}".lower())
    return Counter(w for w in words if w not in STOPWORDS)


def _normalised(text: str) -> str:
    return " ".join(text.split())


def _changes(old: GoalVersion, new: GoalVersion, parent_map: dict[int, int]) -> tuple[Change, ...]:
    changes = []
    if _normalised(old.title) != _normalised(new.title):
        changes.append(Change.RENAMED)
    if _normalised(old.text) != _normalised(new.text):
        changes.append(Change.REWORDED)
    if old.parent_key is not None and parent_map.get(old.parent_key) != new.parent_key:
        changes.append(Change.MOVED)
    elif old.code != new.code:
        changes.append(Change.RENUMBERED)
    return tuple(changes)


def word_diff(old: str, new: str) -> list[DiffChunk]:
    """Old and new text as runs of kept, deleted and inserted words (line breaks dropped)."""
    old_words, new_words = old.split(), new.split()
    # Without autojunk: in long texts it would ignore frequent words and produce ragged diffs.
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    chunks = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            chunks.append(DiffChunk("equal", " ".join(old_words[i1:i2])))
            continue
        if i1 < i2:
            chunks.append(DiffChunk("delete", " ".join(old_words[i1:i2])))
        if j1 < j2:
            chunks.append(DiffChunk("insert", " ".join(new_words[j1:j2])))
    return chunks

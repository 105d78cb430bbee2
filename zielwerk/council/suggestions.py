"""Goal suggestions for the SEK-Check: the Django side of the engine in `council/suggest.py`.

The index of an edition is built from its operative goals (title, text, strategic goal's title),
the keywords the strategy office gave them (`GoalKeyword`) and what earlier checks taught:

Learning. Every approved check (state "geprüft") says which goals its paper affected: each goal
it rated, whatever the rating (0 means "affected, neutral", which is still a topic match; goals
without a rating were "nicht betroffen"). The few terms of that paper that are rarest among all
stored papers are added to each rated goal's document (`GoalDoc.learned`), so a later paper on
the same topic ("Kita-Gebühren" rated against 12.3.1) finds that goal even if the goal's own text
never uses the word. Terms spread over many papers are not learned, and learned terms weigh less
than the goal's title and the staff keywords, so one odd check cannot take a goal over.

The stored papers also give the engine its corpus statistics (how common each term is, which
lines are form text). The index is kept in memory per edition and rebuilt when a cheap
fingerprint of the goal texts, keywords and approved ratings changes. The corpus statistics
(newest 1,000 papers, each up to 20,000 characters) of a large collection (300 papers or more)
are rebuilt when the number of stored papers changed by a tenth, as a few more papers hardly
change them; those of a smaller one, cheap to build, on every change. Below 30 papers there are
no statistics: the engine relies on its own lists then.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from zielwerk.council.models import Check, GoalKeyword, Paper, Rating, Suggestion
from zielwerk.council.pdftext import PdfTextError, pdf_text
from zielwerk.council.suggest import (
    DEFAULT_WEIGHTS,
    Analyzer,
    CorpusStats,
    GoalDoc,
    PaperText,
    SuggestionIndex,
    build_corpus,
)
from zielwerk.goals.models import Edition, OperativeGoal
from zielwerk.goals.queries import current_edition, find_goal
from zielwerk.goals.sek_parser import read_chapter_file

MAX_SUGGESTIONS = 5
# Corpus statistics come from the newest stored papers; older ones add little and cost time.
CORPUS_PAPERS = 1000
CORPUS_LARGE = 300
CORPUS_REBUILD_CHANGE = 0.1
# Statistics and learning read each stored paper up to this length: the paper itself comes
# first, long attachments (budgets, plans) after it.
STORED_TEXT_CHARS = 20_000


class SuggestionError(ValueError):
    """Suggestions cannot be made; the message says why (German)."""


@dataclass(frozen=True)
class GoalMatch:
    goal: OperativeGoal
    score: float
    terms: tuple[str, ...]

    @property
    def reason(self) -> str:
        return ", ".join(self.terms)


@dataclass
class _Cached:
    fingerprint: str
    index: SuggestionIndex
    goals: dict[str, OperativeGoal]


@dataclass
class _CachedCorpus:
    count: int
    last_id: int
    stats: CorpusStats


_lock = threading.Lock()
_indexes: dict[int, _Cached] = {}
_corpus: list[_CachedCorpus] = []


def paper_text(paper: Paper) -> str:
    """The paper's own text followed by the text of its files."""
    parts = [paper.text, *(file.text for file in paper.files.all())]
    return "\n\n".join(part for part in parts if part)


def store_suggestions(check: Check) -> list[Suggestion]:
    """Replace the check's suggestions with the best goals (at most five) for its paper."""
    paper = check.paper
    cached = _index(check.edition)
    # An edition without operative goals has nothing to suggest; the check may still start.
    matches = _matches(cached, paper.title, paper_text(paper), MAX_SUGGESTIONS) if cached else []
    with transaction.atomic():
        check.suggestions.all().delete()
        return Suggestion.objects.bulk_create(
            Suggestion(
                check_ref=check,
                goal=match.goal,
                rank=rank,
                score=match.score,
                terms=list(match.terms),
            )
            for rank, match in enumerate(matches, start=1)
        )


def suggest_for_text(
    title: str, text: str, edition: Edition | None = None, limit: int = MAX_SUGGESTIONS
) -> list[GoalMatch]:
    """The operative goals of the edition (default: the current one) most relevant to the text."""
    edition = edition or _default_edition()
    cached = _index(edition)
    if cached is None:
        raise SuggestionError(
            _("Die Ausgabe „%(edition)s“ hat keine operativen Ziele.") % {"edition": edition.name}
        )
    return _matches(cached, title, text, limit)


def _matches(cached: _Cached, title: str, text: str, limit: int) -> list[GoalMatch]:
    return [
        GoalMatch(goal=cached.goals[found.key], score=found.score, terms=found.terms)
        for found in cached.index.suggest(PaperText(title=title, text=text), limit=limit)
    ]


def read_paper_file(path: str | Path) -> PaperText:
    """A paper from a text (UTF-8 or Windows-1252) or PDF file; its first line is the title."""
    path = Path(path)
    if not path.is_file():
        raise SuggestionError(_("Datei nicht gefunden: %(file)s") % {"file": path})
    try:
        if path.suffix.lower() == ".pdf":
            text = pdf_text(path.read_bytes())
        else:
            text = read_chapter_file(path)
    except PdfTextError as error:
        raise SuggestionError(f"{path.name}: {error}") from error
    except UnicodeDecodeError as error:
        raise SuggestionError(
            _("%(file)s ist keine lesbare Textdatei (weder UTF-8 noch Windows-1252).")
            % {"file": path.name}
        ) from error
    title = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if not title:
        raise SuggestionError(
            _("%(file)s enthält keinen Text; bei einer PDF-Datei ist es vielleicht ein Scan.")
            % {"file": path.name}
        )
    return PaperText(title=title[:1000], text=text)


def edition_named(name: str | None) -> Edition:
    """The edition with that name, or the current one without a name."""
    if not name:
        return _default_edition()
    edition = Edition.objects.filter(name=name).first()
    if edition is None:
        raise SuggestionError(_("Es gibt keine Ausgabe „%(name)s“.") % {"name": name})
    return edition


def _default_edition() -> Edition:
    edition = current_edition() or Edition.objects.filter(is_current=True).first()
    if edition is None:
        raise SuggestionError(
            _("Es ist keine aktuelle Ausgabe des Stadtentwicklungskonzepts geladen.")
        )
    return edition


def _goals(edition: Edition) -> list[OperativeGoal]:
    return list(
        OperativeGoal.objects.filter(strategic_goal__field__edition=edition)
        .select_related("strategic_goal__field")
        .order_by("strategic_goal__field__number", "strategic_goal__number", "number")
    )


def _approved_ratings(edition: Edition):
    return Rating.objects.filter(
        check_ref__state=Check.State.CHECKED,
        check_ref__approved_at__isnull=False,
        goal__strategic_goal__field__edition=edition,
    )


def _fingerprint(edition: Edition, goals: list[OperativeGoal]) -> str:
    digest = hashlib.sha256()
    for goal in goals:
        digest.update(f"{goal.pk}|{goal.title}|{goal.text}|{goal.strategic_goal.title}\n".encode())
    keywords = GoalKeyword.objects.filter(goal__in=goals).values_list("goal_id", "term")
    digest.update(repr(sorted(keywords)).encode())
    ratings = _approved_ratings(edition).values_list("check_ref_id", "goal_id")
    digest.update(repr(sorted(ratings)).encode())
    return digest.hexdigest()


def _index(edition: Edition) -> _Cached | None:
    """The index of the edition's goals (None if it has none), rebuilt only after changes."""
    goals = _goals(edition)
    if not goals:
        return None
    corpus = _corpus_stats()
    fingerprint = f"{_fingerprint(edition, goals)}|{edition.city}|{id(corpus)}"
    with _lock:
        cached = _indexes.get(edition.pk)
        if cached and cached.fingerprint == fingerprint:
            return cached
    # The city's name is in every one of its papers and in some goal texts ("Ludwigsburg").
    analyzer = Analyzer(stop_words=edition.city.split())
    index = SuggestionIndex(_goal_docs(edition, goals), corpus, analyzer=analyzer)
    cached = _Cached(fingerprint, index, {str(goal.pk): goal for goal in goals})
    with _lock:
        _indexes[edition.pk] = cached
    return cached


def _goal_docs(edition: Edition, goals: list[OperativeGoal]) -> list[GoalDoc]:
    keywords: dict[int, list[str]] = {}
    for goal_id, term in GoalKeyword.objects.filter(goal__in=goals).values_list("goal_id", "term"):
        keywords.setdefault(goal_id, []).append(term)
    learned: dict[int, list[str]] = {}
    ratings = _approved_ratings(edition).select_related("check_ref__paper")
    for rating in ratings.prefetch_related("check_ref__paper__files"):
        paper = rating.check_ref.paper
        text = f"{paper.title}\n{paper_text(paper)[:STORED_TEXT_CHARS]}"
        learned.setdefault(rating.goal_id, []).append(text)
    return [
        GoalDoc(
            key=str(goal.pk),
            title=goal.title,
            text=goal.text,
            strategic_title=goal.strategic_goal.title,
            keywords=tuple(keywords.get(goal.pk, ())),
            learned=tuple(learned.get(goal.pk, ())),
        )
        for goal in goals
    ]


def _corpus_stats() -> CorpusStats:
    """Statistics of the stored papers; see the module's docstring for when they are rebuilt."""
    papers = Paper.objects.filter(deleted=False)
    count = papers.count()
    if count < DEFAULT_WEIGHTS.min_corpus:
        return _EMPTY_CORPUS
    last_id = papers.order_by("-id").values_list("id", flat=True).first()
    with _lock:
        cached = _corpus[0] if _corpus else None
    if cached and (
        abs(count - cached.count) <= CORPUS_REBUILD_CHANGE * cached.count
        if count >= CORPUS_LARGE
        else (count, last_id) == (cached.count, cached.last_id)
    ):
        return cached.stats
    newest = papers.order_by("-id").prefetch_related("files")[:CORPUS_PAPERS]
    stats = build_corpus(
        PaperText(paper.title, paper_text(paper)[:STORED_TEXT_CHARS]) for paper in newest
    )
    with _lock:
        _corpus[:] = [_CachedCorpus(count, last_id, stats)]
    return stats


_EMPTY_CORPUS = CorpusStats()


def load_keywords(path: str | Path, edition: Edition) -> int:
    """Create the keywords of a YAML file ({goal code: [term, …]}) for the edition's goals.

    All or nothing: an unknown goal code or a malformed entry stores nothing. Returns the number
    of keywords created (existing ones are kept, not duplicated)."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise SuggestionError(
            _("%(file)s ist kein gültiges YAML: %(error)s") % {"file": path.name, "error": error}
        ) from error
    if not isinstance(data, dict):
        raise SuggestionError(
            _("%(file)s: erwartet wird eine Zuordnung „Zielnummer: [Begriffe]“.")
            % {"file": path.name}
        )
    wanted: list[tuple[OperativeGoal, str]] = []
    for code, terms in data.items():
        goal = find_goal(edition, str(code))
        if not isinstance(goal, OperativeGoal):
            raise SuggestionError(
                _("%(file)s: „%(code)s“ ist kein operatives Ziel der Ausgabe „%(edition)s“.")
                % {"file": path.name, "code": code, "edition": edition.name}
            )
        if not isinstance(terms, list) or not all(
            isinstance(term, str) and term.strip() for term in terms
        ):
            raise SuggestionError(
                _("%(file)s, Ziel %(code)s: erwartet wird eine Liste von Begriffen.")
                % {"file": path.name, "code": code}
            )
        wanted.extend((goal, term.strip()) for term in terms)
    too_long = next((term for _goal, term in wanted if len(term) > 100), None)
    if too_long:
        raise SuggestionError(
            _("%(file)s: der Begriff „%(term)s“ ist länger als 100 Zeichen.")
            % {"file": path.name, "term": too_long}
        )
    with transaction.atomic():
        existing = set(
            GoalKeyword.objects.filter(goal__in={goal for goal, _term in wanted}).values_list(
                "goal_id", "term"
            )
        )
        new = {(goal.pk, term) for goal, term in wanted} - existing
        GoalKeyword.objects.bulk_create(
            GoalKeyword(goal_id=goal_id, term=term) for goal_id, term in sorted(new)
        )
    return len(new)

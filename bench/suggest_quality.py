"""Quality of the goal suggestions on hand-labelled Karlsruhe council papers.

Run:  .venv/bin/python bench/suggest_quality.py [--show-misses]

Goals: the 20 operative goals of Handlungsfeld 12 of the seed chapter. Papers: the Karlsruhe
OParl sample in ../shared/fixtures/oparl/karlsruhe-sample (title = `name`, text = the texts of
its files); all 345 sample papers form the corpus for document frequencies and form lines,
as the stored papers of a city would. Labels: tests/data/council/karlsruhe-labels.yaml (goals a
person found relevant; `goals: []` = none).

Measured without and with the default staff keywords (zielwerk/council/data/
hf12-keywords.yaml), and with keywords plus learning from earlier checks (5-fold: each fifth of
the labelled papers is ranked after learning from the labels of the other four fifths):
- top-1: share of papers with ≥ 1 labelled goal whose first suggestion is a labelled goal;
- top-3: share of those papers with a labelled goal among the first three suggestions;
- top-3 ohne Schwelle: the same, counting also suggestions below the minimum score (ranking only);
- "kein Ziel": share of papers labelled with no goal for which the engine suggests none.

Pure Python (no database), so tests/council/test_suggest_quality.py reuses `evaluate`.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from zielwerk.council.suggest import (  # noqa: E402
    Analyzer,
    CorpusStats,
    GoalDoc,
    PaperText,
    SuggestionIndex,
    build_corpus,
)
from zielwerk.goals.sek_parser import parse_chapter, read_chapter_file  # noqa: E402

SAMPLE = ROOT.parent / "shared" / "fixtures" / "oparl" / "karlsruhe-sample"
LABELS = ROOT / "tests" / "data" / "council" / "karlsruhe-labels.yaml"
SEED = ROOT / "zielwerk" / "goals" / "data" / "ludwigsburg-hf12.txt"
KEYWORDS = ROOT / "zielwerk" / "council" / "data" / "hf12-keywords.yaml"
FOLDS = 5


@dataclass(frozen=True)
class Result:
    with_goals: int
    top1: float
    top3: float
    top3_unfiltered: float
    without_goals: int
    none_right: float
    misses: tuple[str, ...] = ()


def hf12_goals(keywords: bool, learned: dict[str, list[str]] | None = None) -> list[GoalDoc]:
    """The operative goals of the seed chapter, keyed by code, optionally with keywords and
    texts of papers whose checks rated them."""
    terms = yaml.safe_load(KEYWORDS.read_text(encoding="utf-8")) if keywords else {}
    goals = []
    for field in parse_chapter(read_chapter_file(SEED)):
        for strategic in field.strategic_goals:
            for goal in strategic.operative_goals:
                code = f"{field.number}.{strategic.number}.{goal.number}"
                goals.append(
                    GoalDoc(
                        key=code,
                        title=goal.title,
                        text=goal.text,
                        strategic_title=strategic.title,
                        keywords=tuple(terms.get(code, ())),
                        learned=tuple((learned or {}).get(code, ())),
                    )
                )
    return goals


def sample_paper(paper_id: str) -> PaperText:
    """Title and file texts of one paper of the Karlsruhe sample."""
    data = json.loads((SAMPLE / "papers" / f"{paper_id}.json").read_text(encoding="utf-8"))
    files = [data["mainFile"]] if data.get("mainFile") else []
    files += data.get("auxiliaryFile") or []
    texts = []
    for file in files:
        path = SAMPLE / "file-texts" / f"{file['id'].rstrip('/').rsplit('/', 1)[-1]}.txt"
        if path.exists():
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return PaperText(title=data.get("name") or "", text="\n\n".join(texts))


def sample_papers() -> dict[str, PaperText]:
    return {
        path.stem: sample_paper(path.stem) for path in sorted((SAMPLE / "papers").glob("*.json"))
    }


def labels() -> dict[str, set[str]]:
    """Paper id → labelled goal codes."""
    data = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    entries = data.get("papers", data) if isinstance(data, dict) else data
    return {
        str(entry["paper"]): {str(code) for code in entry.get("goals") or []} for entry in entries
    }


def evaluate(
    keywords: bool, papers: dict[str, PaperText], corpus: CorpusStats, folds: int = 0
) -> Result:
    """Hit rates over the labelled papers. With `folds`, the engine also learns: the papers are
    split into that many parts, and each part is ranked by an index that learned from the
    labels of all other parts, as if their checks had been approved."""
    labelled = sorted(labels().items())
    parts = [labelled[start::folds] for start in range(folds)] if folds else [labelled]
    ranked: dict[str, tuple[list[str], list[str]]] = {}
    analyzer = Analyzer()
    for part in parts:
        learned: dict[str, list[str]] = {}
        if folds:
            for paper_id, wanted in labelled:
                if (paper_id, wanted) not in part:
                    paper = papers[paper_id]
                    for code in wanted:
                        learned.setdefault(code, []).append(f"{paper.title}\n{paper.text}")
        goals = hf12_goals(keywords, learned)
        index = SuggestionIndex(goals, corpus, analyzer=analyzer)
        # The same ranking without the minimum score, to see the ranking on its own.
        unfiltered = replace(index.weights, threshold=0, min_terms=1)
        ranking = SuggestionIndex(goals, corpus, unfiltered, analyzer)
        for paper_id, _wanted in part:
            ranked[paper_id] = (
                [s.key for s in index.suggest(papers[paper_id], limit=3)],
                [s.key for s in ranking.suggest(papers[paper_id], limit=3)],
            )
    hits1 = hits3 = hits3_unfiltered = with_goals = none_right = without = 0
    misses = []
    for paper_id, wanted in labelled:
        found, anything = ranked[paper_id]
        if wanted:
            with_goals += 1
            hits1 += bool(found) and found[0] in wanted
            hits3 += bool(wanted & set(found))
            hits3_unfiltered += bool(wanted & set(anything))
            if not wanted & set(found):
                misses.append(f"{paper_id}: {sorted(wanted)} ← {found}")
        else:
            without += 1
            none_right += not found
            if found:
                misses.append(f"{paper_id}: [] ← {found}")
    return Result(
        with_goals=with_goals,
        top1=hits1 / max(with_goals, 1),
        top3=hits3 / max(with_goals, 1),
        top3_unfiltered=hits3_unfiltered / max(with_goals, 1),
        without_goals=without,
        none_right=none_right / max(without, 1),
        misses=tuple(misses),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show-misses", action="store_true", help="Fehlgriffe auflisten")
    options = parser.parse_args()
    papers = sample_papers()
    corpus = build_corpus(papers.values())
    results = {
        "ohne Schlagwörter": evaluate(False, papers, corpus),
        "mit Schlagwörtern": evaluate(True, papers, corpus),
        f"mit Schlagw. + Lernen ({FOLDS}-fach)": evaluate(True, papers, corpus, folds=FOLDS),
    }
    first = next(iter(results.values()))
    print(
        f"{first.with_goals} Vorlagen mit Ziel, {first.without_goals} ohne Ziel "
        f"(Korpus: {corpus.size} Vorlagen, {len(corpus.boilerplate_lines)} Formularzeilen)"
    )
    print(f"{'':32} {'Top-1':>6} {'Top-3':>6} {'Top-3 ohne Schwelle':>20} {'kein Ziel':>10}")
    for name, result in results.items():
        print(
            f"{name:32} {result.top1:6.1%} {result.top3:6.1%} {result.top3_unfiltered:20.1%} "
            f"{result.none_right:10.1%}"
        )
        if options.show_misses:
            for miss in result.misses:
                print(f"    {miss}")


if __name__ == "__main__":
    main()

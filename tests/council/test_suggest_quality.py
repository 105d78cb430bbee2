"""Regression guard for the quality of the goal suggestions on the hand-labelled Karlsruhe
papers (tests/data/council/karlsruhe-labels.yaml: 61 papers with goals, 20 without); the
figures are those reported in docs/suggestions.md, measured by bench/suggest_quality.py. When
the labels or the engine change on purpose, measure again and update both."""

import pytest

from bench.suggest_quality import build_corpus, evaluate, labels, sample_papers


@pytest.fixture(scope="module")
def sample():
    papers = sample_papers()
    return papers, build_corpus(papers.values())


def test_the_labelled_set_is_large_enough():
    labelled = labels()
    assert len(labelled) >= 60
    assert sum(1 for goals in labelled.values() if goals) >= 40


def test_quality_with_the_default_keywords_does_not_drop(sample):
    result = evaluate(True, *sample)
    assert result.top1 >= 38 / 61  # 62.3 %
    assert result.top3 >= 50 / 61  # 82.0 %, the aim is 70 %
    assert result.top3_unfiltered >= 52 / 61  # 85.2 %
    assert result.none_right >= 10 / 20  # 50 %


def test_quality_without_keywords_does_not_drop(sample):
    result = evaluate(False, *sample)
    assert result.top1 >= 23 / 61  # 37.7 %
    assert result.top3 >= 28 / 61  # 45.9 %
    assert result.top3_unfiltered >= 41 / 61  # 67.2 %: the ranking below the threshold
    assert result.none_right >= 17 / 20  # 85 %

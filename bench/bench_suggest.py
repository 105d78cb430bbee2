"""Latency of the goal suggestions for an SEK with 300 operative goals.

Run:  .venv/bin/python bench/bench_suggest.py [--papers 200]

Goals: the 20 operative goals of Handlungsfeld 12 of the seed chapter with their default staff
keywords, and 280 more made from them for 14 further Handlungsfelder (Mobilität, Wohnen,
Bildung …): each copies a real goal's sentences and adds sentences and keywords of its field, so
that the vocabulary grows as in a full SEK. Papers: the Karlsruhe OParl sample in
../shared/fixtures/oparl/karlsruhe-sample (title and file texts, 19,000 characters on average,
the longest 937,000), shuffled; the measured papers (200 by default) are new to the process,
the others are the stored papers the corpus statistics come from, as in the running app.

Timed:
- building the corpus statistics from the stored papers;
- building the index of the 300 goals;
- `SuggestionIndex.suggest` for each measured paper once; median, p95 and maximum.
Target (issue 6): p95 under 50 ms. The Django side (`store_suggestions`) adds a few queries
for the fingerprint of goals, keywords and ratings.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from bench_import_values import cpu_model  # noqa: E402
from suggest_quality import hf12_goals, sample_papers  # noqa: E402

from zielwerk.council.suggest import GoalDoc, SuggestionIndex, build_corpus  # noqa: E402

GOALS = 300
# Further Handlungsfelder of a typical SEK, each with words of its own.
FIELDS = (
    ("Mobilität", "Radverkehr Busverkehr Straßenbahn Parkraum Verkehrsberuhigung Carsharing"),
    ("Wohnen", "Wohnraum Mietwohnungen Bebauungsplan Quartiersentwicklung Nachverdichtung"),
    ("Bildung", "Schulen Kindertagesstätten Ganztagsbetreuung Schulsanierung Medienbildung"),
    ("Klimaschutz", "Photovoltaik Wärmeplanung Energieeffizienz Klimaneutralität Sanierungsquote"),
    ("Klimaanpassung", "Hitzeschutz Starkregen Stadtbäume Entsiegelung Frischluftschneisen"),
    ("Wirtschaft", "Gewerbeflächen Einzelhandel Innenstadt Gründerzentrum Fachkräftesicherung"),
    ("Kultur", "Museen Theater Bibliothek Kulturförderung Musikschule Stadtarchiv"),
    ("Sport", "Sporthallen Sportvereine Bäder Bewegungsräume Sportstättenentwicklung"),
    ("Soziales", "Armutsprävention Pflege Seniorenarbeit Quartiersarbeit Wohnungslosenhilfe"),
    ("Gesundheit", "Gesundheitsförderung Prävention Hausärzte Pflegestützpunkt Suchthilfe"),
    ("Sicherheit", "Ordnungsdienst Feuerwehr Bevölkerungsschutz Kriminalprävention"),
    ("Umwelt", "Naturschutz Biotopverbund Gewässer Lärmschutz Luftreinhaltung Abfall"),
    ("Stadtgestaltung", "Plätze Grünflächen Denkmalschutz Gestaltungssatzung Stadtbild"),
    ("Digitale Stadt", "Glasfaser Breitband Open Data Sensorik Smart City Datenplattform"),
)


def generated_goals() -> list[GoalDoc]:
    real = hf12_goals(keywords=True)
    goals = list(real)
    for index in range(GOALS - len(real)):
        base = real[index % len(real)]
        field, words = FIELDS[index // len(real) % len(FIELDS)]
        topic = words.split()
        goals.append(
            GoalDoc(
                key=f"{13 + index // len(real)}.{index % len(real) + 1}",
                title=f"{topic[index % len(topic)]} im Handlungsfeld {field}",
                text=f"{base.text} Im Handlungsfeld {field} geht es um {', '.join(topic)}.",
                strategic_title=f"{field} gestalten",
                keywords=(*topic[index % 3 :: 2], *base.keywords[:5]),
            )
        )
    return goals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=200, help="so viele neue Vorlagen messen")
    options = parser.parse_args()
    papers = random.Random(6).sample(list(sample_papers().values()), k=len(sample_papers()))
    measured, stored = papers[: options.papers], papers[options.papers :]
    started = time.perf_counter()
    corpus = build_corpus(stored)
    corpus_seconds = time.perf_counter() - started
    goals = generated_goals()
    started = time.perf_counter()
    index = SuggestionIndex(goals, corpus)
    build_seconds = time.perf_counter() - started
    times = []
    for paper in measured:
        started = time.perf_counter()
        index.suggest(paper)
        times.append(time.perf_counter() - started)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(
        f"{len(goals)} operative Ziele; {len(measured)} neue Vorlagen gemessen "
        f"({statistics.mean(len(p.text) for p in measured):,.0f} Zeichen im Mittel), "
        f"Korpus aus {len(stored)} gespeicherten"
    )
    print(f"Korpus aufbauen:  {corpus_seconds:.2f} s")
    print(f"Index aufbauen:   {build_seconds * 1000:.0f} ms")
    print(
        f"Vorschläge:       Median {statistics.median(times) * 1000:.1f} ms, "
        f"p95 {p95 * 1000:.1f} ms, Maximum {times[-1] * 1000:.0f} ms"
    )
    print(
        f"machine: {platform.machine()}, {cpu_model()}, {os.cpu_count()} CPUs, "
        f"{platform.platform()}, Python {platform.python_version()}"
    )


if __name__ == "__main__":
    main()

"""Static export (`zielwerk export-site`) and PDF (`zielwerk export-pdf`): seconds per export.

Run:  .venv/bin/python bench/bench_export.py [--runs 3] [--pdf-runs 1]
      DATABASE_URL=postgres://postgres@127.0.0.1:55433/postgres .venv/bin/python bench/...

Two data sets, each in an empty, migrated database of this run (a temporary SQLite file, or a
database created next to the one DATABASE_URL names, dropped afterwards):

- the demo (`zielwerk load-demo`): the seed chapter, Handlungsfeld 12 with its 20 sample
  indicators, sample measures, English texts and a first evaluation;
- a synthetic SEK of 12 Handlungsfelder × 5 strategic × 5 operative goals (300 operative
  goals) with 1,200 indicators (four per operative goal, both methods, all four kinds of
  target) × 20 years of approved values, evaluated once; texts of realistic length.

Timed are export_site into a fresh folder, and the German PDF. Each figure is the median of
the runs. Targets (issue 5): the demo in under 10 s, the synthetic SEK in under 60 s."""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from bench_import_values import cpu_model, database_version, fresh_database  # noqa: E402

EVALUATED_ON = datetime.date(2025, 6, 30)
FIELDS, STRATEGIC, OPERATIVE, PER_GOAL = 12, 5, 5, 4
YEARS = range(2005, 2025)
SENTENCE = (
    "Die Stadt stärkt gemeinsam mit Bürgerschaft, Wirtschaft und Verwaltung eine nachhaltige "
    "Entwicklung der Quartiere, sichert Teilhabe und Lebensqualität und misst regelmäßig, ob "
    "die Maßnahmen wirken."
)
WORDS = SENTENCE.split()


def text(words: int, seed: int) -> str:
    return " ".join(WORDS[(seed + i) % len(WORDS)] for i in range(words)).capitalize() + "."


def synthetic_fields() -> list:
    from zielwerk.goals.sek_parser import FieldText, OperativeGoalText, StrategicGoalText

    return [
        FieldText(
            number=f,
            title=f"Handlungsfeld {f}: {text(5, f)}",
            leitsatz=text(90, f),
            strategic_goals=[
                StrategicGoalText(
                    number=s,
                    title=text(9, f + s),
                    text=text(60, f * s),
                    operative_goals=[
                        OperativeGoalText(number=o, title=text(10, f + s + o), text=text(45, o))
                        for o in range(1, OPERATIVE + 1)
                    ],
                )
                for s in range(1, STRATEGIC + 1)
            ],
        )
        for f in range(1, FIELDS + 1)
    ]


TARGETS = [
    {"kind": "value_by_year", "value": 90.0, "target_year": 2030},
    {"kind": "fixed_limit", "comparator": ">=", "value": 40.0},
    {"kind": "direction_only"},
    {"kind": "interval", "low": 45.0, "high": 75.0},
]


def synthetic_indicators() -> dict:
    indicators = []
    n = 0
    for f in range(1, FIELDS + 1):
        for s in range(1, STRATEGIC + 1):
            for o in range(1, OPERATIVE + 1):
                for i in range(PER_GOAL):
                    slope = (n % 9 - 3) * 0.4
                    indicators.append(
                        {
                            "code": f"bench-{f}-{s}-{o}-{i}",
                            "goals": [f"{f}.{s}.{o}"],
                            "name": f"Indikator {f}.{s}.{o}/{i + 1}: {text(6, n)}",
                            "definition": text(30, n),
                            "unit": "%",
                            "source": "Synthetische Daten für den Leistungstest",
                            "direction": "increase",
                            "method": "weather" if n % 2 else "cagr",
                            "targets": [TARGETS[n % 4]],
                            "values": [
                                [year, round(50 + slope * (year - 2005) + (n % 5), 1), "a"]
                                for year in YEARS
                            ],
                        }
                    )
                    n += 1
    return {"sample": True, "indicators": indicators}


def generate_synthetic() -> None:
    from zielwerk.evaluation.services import evaluate_edition
    from zielwerk.goals.importing import store_fields
    from zielwerk.indicators.definitions import load_definitions

    edition = store_fields(synthetic_fields(), "synthetisch", edition_city="Musterstadt").edition
    loaded = load_definitions(synthetic_indicators(), edition, source_name="bench_export")
    evaluate_edition(edition, EVALUATED_ON)
    print(f"synthetic SEK: {len(loaded.indicators):,} indicators with {loaded.values:,} values")


def median(run: Callable[[], object], runs: int) -> tuple[float, object]:
    durations, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = run()
        durations.append(time.perf_counter() - start)
    return statistics.median(durations), result


def measure(name: str, runs: int, pdf_runs: int) -> None:
    from zielwerk.goals.queries import current_edition
    from zielwerk.report.export import export_site

    folder = Path(tempfile.mkdtemp(prefix="zielwerk-bench-export-"))
    try:
        seconds, result = median(lambda: export_site(folder / "site"), runs)
        print(f"{name}: export-site {seconds:.2f} s (median of {runs}) – {result.summary()}")
        if pdf_runs:
            from zielwerk.report.pdf import write_pdf

            edition = current_edition()
            seconds, pdf = median(lambda: write_pdf(edition, folder / "bericht.pdf"), pdf_runs)
            print(
                f"{name}: export-pdf {seconds:.2f} s (median of {pdf_runs}) – {pdf.pages} pages, "
                f"{pdf.bytes / 1e6:.1f} MB"
            )
    finally:
        shutil.rmtree(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pdf-runs", type=int, default=1, help="0 skips the PDF")
    args = parser.parse_args()
    env, drop = fresh_database()
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zielwerk.settings")
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from zielwerk.demo import load_demo

        call_command("migrate", verbosity=0)
        load_demo()
        measure("demo", args.runs, args.pdf_runs)
        call_command("flush", interactive=False, verbosity=0)
        start = time.perf_counter()
        generate_synthetic()
        print(f"generated in {time.perf_counter() - start:.1f} s")
        measure("synthetic 12×5×5", args.runs, args.pdf_runs)
        print(
            f"machine: {cpu_model()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, {database_version()}"
        )
    finally:
        drop()


if __name__ == "__main__":
    main()

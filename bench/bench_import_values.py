"""Importing a million indicator values in the Open SDG layout: seconds per import.

Run:  .venv/bin/python bench/bench_import_values.py [--runs 3]
      DATABASE_URL=postgres://postgres@127.0.0.1:55433/postgres .venv/bin/python bench/...

The data are generated deterministically: 1,000 indicators (data/indicator_bench-NNNN.csv with
meta/bench-NNNN.md) × 50 years × 20 series (the headline and 19 districts), flags on every
seventh row and a placeholder row per indicator, 1,000,000 values in all. Each run starts from
an empty, migrated database of its own (a temporary SQLite file, or a database created next to
the one DATABASE_URL names, dropped afterwards) and times
- the first import, which creates the indicators (`import_opensdg(create_indicators=True)`),
- importing the same folder again (every value unchanged),
- importing it with 1 % of the values changed (updates with history).
The figures are the medians over the runs.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
INDICATORS = 1_000
YEARS = range(1975, 2025)
DISTRICTS = ["", *(f"Bezirk {n:02d}" for n in range(1, 20))]


def number(indicator: int, year: int, series: int, changed: bool) -> str:
    base = (indicator * 7919 + year * 104_729 + series * 1_299_709) % 1_000_000 / 100
    return repr(base + 0.5 if changed else base)


def generate(folder: Path, changed_share: float = 0.0) -> int:
    """Write the folder; with changed_share that part of the values differs. Returns rows."""
    rows = 0
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "meta").mkdir(exist_ok=True)
    every = int(1 / changed_share) if changed_share else 0
    for i in range(1, INDICATORS + 1):
        code = f"bench-{i:04d}"
        (folder / "meta" / f"{code}.md").write_text(
            f"---\nindicator_name: Messgröße {i}\ncomputation_units: Anzahl\n"
            "progress_calculation_options:\n- direction: positive\n---\n",
            encoding="utf-8",
        )
        with open(
            folder / "data" / f"indicator_{code}.csv", "w", newline="", encoding="utf-8"
        ) as f:
            out = csv.writer(f, lineterminator="\n")
            out.writerow(["Year", "Units", "Stadtteil", "COMMENT_OBS_0", "Value"])
            for s, district in enumerate(DISTRICTS):
                for year in YEARS:
                    rows += 1
                    flag = "p" if rows % 7 == 0 else ""
                    changed = bool(every) and rows % every == 0
                    out.writerow([year, "Anzahl", district, flag, number(i, year, s, changed)])
            out.writerow([2030, "Anzahl", "", "…", ""])
    return rows


def fresh_database() -> tuple[dict[str, str], Callable[[], None]]:
    """Environment for an empty database of this run, and how to remove it afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        name = f"zielwerk_bench_{os.getpid()}"
        parts = urlsplit(url)
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')

        def drop() -> None:
            with psycopg.connect(url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')

        return {"DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}"))}, drop
    folder = Path(tempfile.mkdtemp(prefix="zielwerk-bench-db-"))
    return {"DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}"}, lambda: shutil.rmtree(folder)


CHILD = """
import sys, time, django
django.setup()
from django.core.management import call_command
from zielwerk.indicators.opensdg import import_opensdg
call_command("migrate", verbosity=0)
timings = []
for folder, create in ((sys.argv[1], True), (sys.argv[1], False), (sys.argv[2], False)):
    start = time.perf_counter()
    result = import_opensdg(folder, create_indicators=create)
    timings.append(time.perf_counter() - start)
    print(result.summary.line(), file=sys.stderr)
print(" ".join(f"{t:.3f}" for t in timings))
"""


def run_once(data: Path, changed: Path) -> list[float]:
    """One import sequence in a fresh process and database (no warm caches carried over)."""
    env, drop = fresh_database()
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(data), str(changed)],
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "zielwerk.settings", **env},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        drop()
    print("   ", done.stderr.strip().replace("\n", " | "))
    return [float(t) for t in done.stdout.split()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="zielwerk-bench-"))
    try:
        start = time.perf_counter()
        rows = generate(work / "first")
        generate(work / "changed", changed_share=0.01)
        print(f"{rows:,} values generated in {time.perf_counter() - start:.1f} s ({work})")
        runs = []
        for n in range(args.runs):
            runs.append(run_once(work / "first", work / "changed"))
            print(f"run {n + 1}: " + ", ".join(f"{t:.1f} s" for t in runs[-1]))
    finally:
        shutil.rmtree(work)
    first, again, changed = (statistics.median(column) for column in zip(*runs, strict=True))
    database = (
        "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    )
    print(
        f"{database}, median of {args.runs}: first import {first:.1f} s "
        f"({rows / first:,.0f} values/s), unchanged again {again:.1f} s, "
        f"1 % changed {changed:.1f} s"
    )
    print(
        f"machine: {platform.machine()}, {cpu_model()}, {os.cpu_count()} CPUs, "
        f"{platform.platform()}, Python {platform.python_version()}, {database_version()}"
    )


def cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "?"


def database_version() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url) as connection:
            return "PostgreSQL " + connection.execute("SHOW server_version").fetchone()[0]
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


if __name__ == "__main__":
    main()

"""Service level of 100,000 cases over 10 categories and 3 years: seconds per report.

Run:  .venv/bin/python bench/bench_service_level.py [--runs 5]
      DATABASE_URL=postgres://postgres@127.0.0.1:55433/postgres .venv/bin/python bench/...

The data are generated deterministically (seeded random numbers) in an empty, migrated
database of this run (a temporary SQLite file, or a database created next to the one
DATABASE_URL names, dropped afterwards): 10 categories with standards from 2/10 to 5/30 working
days, 100,000 cases received evenly from 1 January 2024 to 25 November 2026, first answered
after 0–12 and completed after 0–60 calendar days, with about 2,000 still open (the most
recent ones and one in a hundred of the older). Timed are `service_level` for the year 2025,
for all three years (every case), for one quarter, and `overdue_cases` of today. Each figure
is the median of the runs; the target is under 2 s for the report (issue 7).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from bench_import_values import fresh_database  # noqa: E402
from bench_updates import median, print_medians  # noqa: E402

TODAY = datetime.date(2026, 11, 25)
FIRST = datetime.date(2024, 1, 1)
CASES = 100_000
CATEGORIES = 10


def generate() -> None:
    from django.utils import timezone

    from zielwerk.cases.models import Case, Category

    rng = random.Random(7)
    categories = Category.objects.bulk_create(
        Category(
            key=f"bench-{n}",
            name=f"Kategorie {n}",
            first_answer_days=2 + n % 4,
            completion_days=10 + 2 * n,
            order=n,
        )
        for n in range(CATEGORIES)
    )
    span = (TODAY - FIRST).days
    start = timezone.make_aware(datetime.datetime.combine(FIRST, datetime.time(8)))
    now = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(8)))
    cases = []
    for n in range(CASES):
        received = start + datetime.timedelta(minutes=n * span * 24 * 60 // CASES)
        first = received + datetime.timedelta(days=rng.randint(0, 12), hours=rng.randint(0, 8))
        completed = received + datetime.timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 8))
        still_open = completed > now or rng.random() < 0.01
        cases.append(
            Case(
                number=f"B-{n:06d}",
                kind=("impulse", "complaint", "praise")[n % 3],
                category=categories[n % CATEGORIES],
                text="Anliegen",
                channel="web",
                state="received" if still_open else "answered",
                received_at=received,
                first_answer_at=first if first <= now and rng.random() < 0.8 else None,
                completed_at=None if still_open else completed,
                tracking_token=f"bench-{n}",
            )
        )
    Case.objects.bulk_create(cases, batch_size=5_000)
    print(
        f"{CATEGORIES} categories, {CASES:,} cases, "
        f"{sum(c.completed_at is None for c in cases):,} open"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    env, drop = fresh_database()
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zielwerk.settings")
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from zielwerk.cases.models import Category
        from zielwerk.cases.servicelevel import overdue_cases, period_bounds, service_level

        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        generate()
        print(f"generated in {time.perf_counter() - start:.1f} s")
        categories = list(Category.objects.all())

        def report(first: datetime.date, last: datetime.date):
            return lambda: service_level(categories, first, last, TODAY)

        timings = {
            "service_level 2025": median(report(*period_bounds(2025)), args.runs),
            "service_level 2024–2026": median(report(FIRST, TODAY), args.runs),
            "service_level Q3 2026": median(report(*period_bounds(2026, 3)), args.runs),
            "overdue_cases today": median(lambda: overdue_cases(TODAY), args.runs),
        }
        everything = timings["service_level 2024–2026"][1].total
        print(
            f"all three years: {everything.completed:,} completed, "
            f"{everything.share_within:.1f} % within standard, median {everything.median}, "
            f"P90 {everything.p90} working days, {everything.overdue:,} open overdue; "
            f"{len(timings['overdue_cases today'][1]):,} overdue deadlines today"
        )
        print_medians(env["DATABASE_URL"], args.runs, timings)
    finally:
        from django.db import connections

        connections.close_all()
        drop()


if __name__ == "__main__":
    main()

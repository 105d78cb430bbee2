"""Update duties and reminders for 1,000 measures and 1,000 indicators: seconds per call.

Run:  .venv/bin/python bench/bench_updates.py [--runs 5]
      DATABASE_URL=postgres://postgres@127.0.0.1:55433/postgres .venv/bin/python bench/...

The data are generated deterministically in an empty, migrated database of this run (a
temporary SQLite file, or a database created next to the one DATABASE_URL names, dropped
afterwards): 50 units under 5 Dezernate with an editor in every second one, 1,000 measures
(quarterly, half-yearly and yearly, tracked for two years, every third one missing its last
two reports, a third with an update owner and a third with a contact) with their status
reports, and 1,000 indicators (four in five yearly, the rest quarterly with monthly figures)
with 10 years × 10 series of values, the last year missing for every fourth one. Timed are
`tracked_items`, `my_updates` of one editor, `stale_overview`, `send_reminders` as a dry run,
and `send_reminders` sending through Django's in-memory mail backend (the reminder log emptied
before each run). Each figure is the median of the runs.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from bench_import_values import cpu_model, database_version, fresh_database  # noqa: E402

TODAY = datetime.date(2026, 11, 25)
MEASURES = INDICATORS = 1_000


def generate() -> None:
    from django.contrib.auth import get_user_model

    from zielwerk.indicators.models import Indicator, Value
    from zielwerk.measures.models import Measure, MeasureStatus, StatusReport
    from zielwerk.org.models import OrgUnit, Person
    from zielwerk.updates.schedule import Cycle, period_containing

    units = []
    for d in range(5):
        top = OrgUnit.objects.create(code=f"D{d}", name=f"Dezernat {d}", kind="dezernat")
        units.append(top)
        for f in range(9):
            units.append(
                OrgUnit.objects.create(
                    code=f"D{d}-{f}", name=f"Fachbereich {d}.{f}", kind="fachbereich", parent=top
                )
            )
    people = []
    for n, unit in enumerate(units[1::2]):
        user = get_user_model().objects.create(
            username=f"editor{n}", email=f"editor{n}@bench.invalid", is_staff=True
        )
        people.append(Person.objects.create(user=user, role="editor", unit=unit))
    running = MeasureStatus.objects.get(key="in-umsetzung")
    since = TODAY.replace(year=TODAY.year - 2)
    cycles = [Cycle.QUARTERLY, Cycle.QUARTERLY, Cycle.HALF_YEARLY, Cycle.YEARLY]
    measures = Measure.objects.bulk_create(
        Measure(
            number=f"B-{n:04d}",
            title=f"Maßnahme {n}",
            responsible_unit=units[n % len(units)],
            status=running,
            update_cycle=cycles[n % 4],
            updates_since=since,
            update_owner=people[n % len(people)] if n % 3 == 0 else None,
            contact=people[(n * 7) % len(people)] if n % 3 == 1 else None,
        )
        for n in range(MEASURES)
    )
    reports = []
    for n, measure in enumerate(measures):
        cycle = Cycle(measure.update_cycle)
        period = period_containing(cycle, since)
        periods = []
        while period.end < TODAY:
            periods.append(period)
            period = period.next()
        for period in periods[: -2 if n % 3 == 0 else None]:
            reports.append(
                StatusReport(
                    measure=measure,
                    period=period.label,
                    period_start=period.start,
                    period_end=period.end,
                    time="gruen",
                    cost="gruen",
                    quality="gruen",
                    text="Im Plan.",
                )
            )
    StatusReport.objects.bulk_create(reports, batch_size=2_000)
    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"bench-{n:04d}",
            name=f"Indikator {n}",
            direction="increase",
            owner=units[(n * 3) % len(units)],
            update_cycle=Cycle.QUARTERLY if n % 5 == 0 else Cycle.YEARLY,
            update_due_days=90,
            updates_since=since,
            update_owner=people[n % len(people)] if n % 4 == 0 else None,
        )
        for n in range(INDICATORS)
    )
    last_year = TODAY.year - 1
    values = []
    for n, indicator in enumerate(indicators):
        years = range(last_year - 9, last_year + (0 if n % 4 == 0 else 1))
        months = range(1, 13) if n % 5 == 0 else [0]
        for year in years:
            for month in months:
                for series in range(10 if month == 0 else 1):
                    values.append(
                        Value(
                            indicator=indicator,
                            year=year,
                            month=month,
                            disaggregation={"Bezirk": str(series)} if series else {},
                            disaggregation_key=f"Bezirk={series}" if series else "",
                            value=float(n + year + month),
                        )
                    )
    Value.objects.bulk_create(values, batch_size=5_000)
    print(
        f"{len(units)} units, {len(people)} editors, {len(measures)} measures with "
        f"{len(reports):,} reports, {len(indicators)} indicators with {len(values):,} values"
    )


def median(run: Callable[[], object], runs: int, before: Callable[[], object] = lambda: None):
    durations = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        result = run()
        durations.append(time.perf_counter() - start)
    return statistics.median(durations), result


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
        from django.conf import settings
        from django.core import mail
        from django.core.management import call_command

        from zielwerk.org.models import Person
        from zielwerk.updates.models import Reminder
        from zielwerk.updates.services import (
            my_updates,
            open_updates,
            send_reminders,
            stale_overview,
            tracked_items,
        )

        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        generate()
        print(f"generated in {time.perf_counter() - start:.1f} s")
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        editor = Person.objects.select_related("user").get(user__username="editor0")

        def reset() -> None:
            Reminder.objects.all().delete()
            mail.outbox = []

        timings = {
            "tracked_items": median(lambda: tracked_items(TODAY), args.runs),
            "my_updates (one editor)": median(lambda: my_updates(editor, TODAY), args.runs),
            "stale_overview": median(lambda: stale_overview(TODAY), args.runs),
            "send_reminders --dry-run": median(
                lambda: send_reminders(TODAY, dry_run=True), args.runs
            ),
            "send_reminders (locmem)": median(lambda: send_reminders(TODAY), args.runs, reset),
        }
        items = timings["tracked_items"][1]
        run = timings["send_reminders (locmem)"][1]
        print(
            f"{len(items):,} items, {len(open_updates(items, TODAY)):,} open updates, "
            f"{len(run.reminders):,} reminders in {len(mail.outbox)} mails "
            f"({len(run.unassigned)} without anyone responsible)"
        )
        print_medians(env["DATABASE_URL"], args.runs, timings)
    finally:
        from django.db import connections

        connections.close_all()
        drop()


def print_medians(database_url: str, runs: int, timings: dict[str, tuple[float, object]]) -> None:
    """The medians in milliseconds and the machine they were measured on."""
    database = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    print(f"{database}, median of {runs} runs:")
    for name, (seconds, _) in timings.items():
        print(f"  {name:<26} {seconds * 1000:8.0f} ms")
    print(
        f"machine: {platform.machine()}, {cpu_model()}, {os.cpu_count()} CPUs, "
        f"{platform.platform()}, Python {platform.python_version()}, {database_version()}"
    )


if __name__ == "__main__":
    main()

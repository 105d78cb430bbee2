"""`zielwerk oparl-sync` against a local OParl server with 10,000 papers: seconds per run.

Run:  .venv/bin/python bench/bench_oparl_sync.py [--runs 3] [--papers 10000] [--page-size 100]
      DATABASE_URL=postgres://postgres@127.0.0.1:55433/postgres .venv/bin/python bench/...

The server is the one of the tests (tests/council/oparl_server.py, `synthetic`), started in a
child process so that its JSON encoding does not share the interpreter with the client: 10,000
papers in the shape of the Karlsruhe sample (two files with ~1.7 KB of text each, one or two
consultations, one or two leading offices), 500 meetings, 60 organizations, pages of 100
objects, HTTP/1.1 keep-alive on 127.0.0.1. No PDF is downloaded (every file carries its
`text`), as the requirement excludes PDF extraction; the client runs without a rate limit
(`--rate 0`). Each run starts on an empty, migrated database (a temporary SQLite file, or a
database created next to the one DATABASE_URL names, dropped afterwards) and times
- the full sync of all papers and meetings (and the organization names for the departments),
- an incremental sync after 100 papers were changed on the server (`modified_since`);
then the incremental sync is repeated with another 100 changes. Figures are medians.
Requirement (issue 6): full < 60 s, incremental with 100 changed < 2 s.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "tests" / "council")]

from bench_import_values import cpu_model, database_version, fresh_database  # noqa: E402

CHANGED = 100


def serve(papers: int, page_size: int, pipe) -> None:
    """Child process: serve `papers` synthetic papers; on ("touch", start) change 100 of them."""
    import functools

    from oparl_server import OParlServer, synthetic

    with OParlServer(functools.partial(synthetic, count=papers), page_size=page_size) as server:
        pipe.send(server.entry)
        while True:
            command, start = pipe.recv()
            if command == "stop":
                return
            for paper in server.papers()[start : start + CHANGED]:
                server.touch(paper, name=f"{paper['name']} (geändert)")
            pipe.send("ok")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--page-size", type=int, default=100)
    args = parser.parse_args()
    ours, theirs = multiprocessing.Pipe()
    child = multiprocessing.Process(target=serve, args=(args.papers, args.page_size, theirs))
    child.start()
    entry = ours.recv()
    env, drop = fresh_database()
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zielwerk.settings")
    full, incremental = [], []
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        version = database_version()
        for run in range(args.runs):
            full_s, incremental_s = one_run(entry, ours, run)
            full.append(full_s)
            incremental.extend(incremental_s)
            print(
                f"run {run + 1}: full {full_s:.1f} s, incremental "
                + ", ".join(f"{s:.2f} s" for s in incremental_s)
            )
    finally:
        from django.db import connections

        connections.close_all()
        drop()
        ours.send(("stop", 0))
        child.join()
    database = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    print(f"{database}, {args.papers:,} papers in pages of {args.page_size}, median of runs:")
    print(f"  full sync                      {statistics.median(full):8.1f} s")
    print(f"  incremental, {CHANGED} changed       {statistics.median(incremental):8.2f} s")
    print(
        f"machine: {platform.machine()}, {cpu_model()}, {os.cpu_count()} CPUs, "
        f"{platform.platform()}, Python {platform.python_version()}, {version}"
    )


def one_run(entry: str, pipe, run: int) -> tuple[float, list[float]]:
    """Full sync into emptied tables, then two incremental ones after 100 changes each."""
    from zielwerk.council.models import Consultation, Meeting, OParlSource, Paper, PaperFile
    from zielwerk.council.oparl import OParlClient
    from zielwerk.council.sync import sync

    for model in (PaperFile, Consultation, Paper, Meeting, OParlSource):
        model.objects.all().delete()
    client = OParlClient(rate=0)
    start = time.perf_counter()
    result = sync(entry, client=client)
    full = time.perf_counter() - start
    assert not result.error and not result.problems, result.error or result.problems[:3]
    assert not Paper.objects.filter(department="").exists()  # the organization names were read
    print(f"  {result.summary} ({client.requests} requests)", file=sys.stderr)
    incremental = []
    for step in range(2):
        pipe.send(("touch", (run * 2 + step) * CHANGED * 3))
        pipe.recv()
        start = time.perf_counter()
        result = sync(entry, client=client)
        incremental.append(time.perf_counter() - start)
        assert result.papers.updated == CHANGED, result.summary
    assert Paper.objects.filter(deleted=False).count() == result.source.papers.count()
    client.close()
    return full, incremental


if __name__ == "__main__":
    main()

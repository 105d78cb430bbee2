"""The dynamic site under load: p95 latency of the overview and goal pages with 20 concurrent
clients against a production-like server (gunicorn, DEBUG off, static files collected).

Run:  .venv/bin/python bench/bench_load.py [--runs 3] [--seconds 10] [--workers 4]
Needs wrk (Debian: apt-get install wrk). The demo is loaded into a fresh SQLite database in a
temporary folder; each page is hit by wrk with 20 connections for the given time, and the p95
of each run comes from wrk's latency histogram (a small Lua script). Printed are the medians of
the runs' p95 and of their requests per second."""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
PAGES = ["/", "/handlungsfelder/12/", "/ziele/12.3/", "/ziele/12.3.4/", "/en/ziele/12.1.2/"]
CONNECTIONS = 20
REPORT = """
done = function(summary, latency, requests)
  io.write(string.format("P95 %d RPS %.1f ERR %d\\n", latency:percentile(95),
    summary.requests / (summary.duration / 1e6),
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout))
end
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(port: int, server: subprocess.Popen) -> None:
    for _ in range(200):
        if server.poll() is not None:
            sys.exit("gunicorn ist beendet, bevor es antwortete.")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    sys.exit("gunicorn antwortet nicht.")


def _wrk(url: str, seconds: int, script: Path) -> tuple[float, float]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "-s", str(script), url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("P95 "))
    _, p95, _, rps, _, errors = line.split()
    if int(errors):
        sys.exit(f"{url}: {errors} Fehler unter Last")
    return int(p95) / 1000, float(rps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk fehlt: apt-get install wrk")
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "ZIELWERK_VAR_DIR": folder,
            "ZIELWERK_DEBUG": "0",
            "DATABASE_URL": f"sqlite:///{folder}/zielwerk.sqlite3",
        }
        for command in (["migrate", "-v0"], ["load-demo"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run([BIN / "zielwerk", *command], env=env, check=True, capture_output=True)
        script = Path(folder) / "report.lua"
        script.write_text(REPORT)
        port = _free_port()
        server = subprocess.Popen(
            [BIN / "gunicorn", "zielwerk.wsgi", "-w", str(args.workers), "-b", f"127.0.0.1:{port}"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait(port, server)
            print(
                f"gunicorn, {args.workers} Worker, DEBUG aus, SQLite; wrk mit {CONNECTIONS} "
                f"Verbindungen, {args.seconds} s je Seite, Median aus {args.runs} Läufen"
            )
            for page in PAGES:
                url = f"http://127.0.0.1:{port}{page}"
                _wrk(url, 2, script)  # warm-up: caches, connections, lazy imports
                runs = [_wrk(url, args.seconds, script) for _ in range(args.runs)]
                p95 = statistics.median(r[0] for r in runs)
                rps = statistics.median(r[1] for r in runs)
                print(f"  {page:<22} p95 {p95:6.1f} ms   {rps:7.1f} Anfragen/s")
        finally:
            server.terminate()
            server.wait()
    print(
        f"Rechner: {platform.machine()}, {platform.processor() or 'unbekannt'}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}"
    )


if __name__ == "__main__":
    main()

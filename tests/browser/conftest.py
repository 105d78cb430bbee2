"""Browser tests: Debian's Chromium driven by Playwright against `zielwerk runserver`.

One server, one browser, one browser context and one tab serve the whole package. Nothing may
leave the machine: Playwright never downloads a browser (it launches /usr/bin/chromium),
Chromium's own background traffic is switched off by flags, and every request of a page to
another host is recorded and aborted."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    # CI runs as root, where Chromium's sandbox cannot start.
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
    "--no-first-run",
    "--disable-quic",
    "--dns-prefetch-disable",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
DESKTOP = {"width": 1280, "height": 1024}
# WCAG 2.0 and 2.1 at levels A and AA (what BITV 2.0 and EN 301 549 ask for), plus axe's best
# practices such as landmarks and the order of headings.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
AXE = Axe()
SECOND_EDITION = "fortschreibung"
SERVER_START_SECONDS = 30
ZIELWERK = [sys.executable, "-m", "zielwerk.cli"]


@pytest.fixture(scope="package")
def chromium() -> Path:
    """Skip the browser tests where Chromium is missing, unless the run demands them (CI)."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} fehlt; die Browser-Tests brauchen Debians Paket chromium"
        if os.environ.get("ZIELWERK_REQUIRE_BROWSER") == "1":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return CHROMIUM


def _zielwerk(*args: str, env: dict[str, str]) -> None:
    done = subprocess.run([*ZIELWERK, *args], env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"zielwerk {' '.join(args)}:\n{done.stdout}{done.stderr}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="package")
def site(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of `zielwerk runserver` showing the demo and a second, edited edition.

    The server runs in its own process on its own SQLite database in a temporary folder, as
    `make run` does: the developer's database and the test database stay untouched, and the
    browser's event loop never meets Django's database code in this process."""
    from tests.diff_support import edited_chapter
    from zielwerk.demo import SEED_FILE

    var = tmp_path_factory.mktemp("site")
    env = {
        **os.environ,
        "ZIELWERK_VAR_DIR": str(var),
        "DATABASE_URL": f"sqlite:///{var / 'zielwerk.sqlite3'}",
        "ZIELWERK_DEBUG": "0",
        "ZIELWERK_ALLOWED_HOSTS": "127.0.0.1",
    }
    # The edits that test_diff checks one by one: the comparison page shows every kind of change.
    chapter = var / f"{SECOND_EDITION}.txt"
    chapter.write_text(edited_chapter(SEED_FILE.read_text(encoding="utf-8")), encoding="utf-8")
    _zielwerk("migrate", "--noinput", "-v", "0", env=env)
    _zielwerk("load-demo", env=env)
    _zielwerk("import-sek", str(chapter), "--edition", SECOND_EDITION, env=env)

    port = _free_port()
    # --insecure: the app's own static files, without DEBUG and without collectstatic.
    command = [*ZIELWERK, "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"]
    log = var / "server.log"
    with log.open("w") as output:
        server = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait_for_port(port, server, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_for_port(port: int, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        assert server.poll() is None, f"zielwerk runserver beendet:\n{log.read_text()}"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"zielwerk runserver antwortet nicht auf Port {port}:\n{log.read_text()}")


@pytest.fixture(scope="package")
def browser(chromium: Path) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="package")
def offsite_requests() -> list[str]:
    """Addresses on other hosts that the current test's page tried to load (all aborted)."""
    return []


@pytest.fixture(scope="package")
def browser_context(
    browser: Browser, site: str, offsite_requests: list[str]
) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=site, locale="de-DE", viewport=DESKTOP)

    def guard(route: Route) -> None:
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            offsite_requests.append(route.request.url)
            route.abort("blockedbyclient")

    context.route(lambda url: True, guard)
    yield context
    context.close()


@pytest.fixture(scope="package")
def shared_page(browser_context: BrowserContext) -> Page:
    # One tab for all tests: a new tab costs a new renderer process each time.
    return browser_context.new_page()


@pytest.fixture
def page(shared_page: Page, offsite_requests: list[str]) -> Page:
    offsite_requests.clear()
    shared_page.set_viewport_size(DESKTOP)
    return shared_page


def open_page(page: Page, path: str) -> Page:
    response = page.goto(path)
    assert response is not None and response.status == 200, (
        f"{path}: HTTP {response.status if response else 'ohne Antwort'}"
    )
    return page


def axe_violations(page: Page) -> list[dict]:
    """The violations axe-core finds on the page as it is now, for the rules of AXE_TAGS."""
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    return AXE.run(page, options=options).response["violations"]


def describe_violations(violations: list[dict]) -> str:
    """One block per rule: id, impact, help text and address, then each failing element."""
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']}"
            f" – {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            lines.append(f"  - {', '.join(map(str, node['target']))}")
            lines.extend(f"      {line}" for line in node["failureSummary"].splitlines())
    return "\n".join(lines)

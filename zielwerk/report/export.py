"""The public report as a static site (`zielwerk export-site DIR`).

The export does not know the pages: it crawls them. Starting from the start pages of both
languages it renders every page in-process through Django's whole middleware stack (no
server, no network), follows every internal link and asset, and writes each page to
DIR/<path>/index.html. Internal links become relative links to files ("../../ziele/12.1/
index.html"), so that the folder works from any web server and straight from a file share
(file://), where a link to a folder would show a directory listing or nothing.

Pages see `static_export` (report/context_processors.py) and leave out what needs a server.
What a template still offers is made safe here: forms that send to this site are removed,
links to staff pages, the API and the login become plain text. Static files are copied from
the apps' static folders, only those the pages use.

The export is written into a folder inside DIR and moved into place only at the end, so an
export that stops on an error leaves the previous one untouched."""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
import shutil
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.handlers.base import BaseHandler
from django.http import HttpResponseBase
from django.http.request import split_domain_port, validate_host
from django.templatetags.static import static
from django.test.client import RequestFactory
from django.utils import translation

from zielwerk.evaluation.queries import shared_status_indexes
from zielwerk.report.context_processors import EXPORT_ATTRIBUTE

START_PATHS = ("/", "/en/")
# Staff pages, the API, login and the language switch form: nothing a static site can serve.
EXCLUDED_PREFIXES = ("/verwaltung/", "/api/", "/anmelden/", "/abmelden/", "/i18n/")
MARKER = ".zielwerk-export"
STAGING = ".zielwerk-export-neu"
MARKER_TEXT = (
    "Dieser Ordner wurde von „zielwerk export-site“ geschrieben. Ein neuer Export in diesen "
    "Ordner ersetzt seinen ganzen Inhalt.\n"
)

# Django writes every attribute in double quotes; single quotes are accepted all the same.
_ELEMENT = re.compile(r"<(a|form)\b([^>]*)>(.*?)</\1\s*>", re.S | re.I)
# Only start tags that carry a link: pages hold thousands of SVG elements without one.
_START_TAG = re.compile(
    r"<(?!a\b|form\b)([a-zA-Z][\w:-]*)(\s[^>]*?(?:href|src|srcset|poster)\s*=[^>]*)>", re.S | re.I
)
_URL_ATTRIBUTE = re.compile(
    r"""(\s)(href|src|srcset|poster|action|xlink:href)(\s*=\s*)(["'])(.*?)\4""", re.S | re.I
)
_CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)|@import\s+(["'])([^"']+)\3""")
_QUERY_SAFE = re.compile(r"[^A-Za-z0-9=&_.-]")
REDIRECTS = {301, 302, 303, 307, 308}


class ExportError(Exception):
    """The export cannot be written; the message says where and why (German, for the CLI)."""


@dataclass(frozen=True)
class Failure:
    """A page or file that did not answer 200 OK."""

    path: str
    status: int
    linked_from: str | None
    detail: str = ""

    def __str__(self) -> str:
        text = f"{self.path}: Status {self.status}"
        if self.detail:
            text += f" ({self.detail})"
        if self.linked_from:
            text += f", verlinkt auf {self.linked_from}"
        return text


@dataclass
class ExportResult:
    pages: int = 0
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    failures: list[Failure] = field(default_factory=list)
    removed_forms: dict[str, list[str]] = field(default_factory=dict)
    """Address a removed form sent to → pages it was on."""
    unlinked: dict[str, list[str]] = field(default_factory=dict)
    """Address of a page that is not exported → pages whose links to it became text."""

    def summary(self) -> str:
        """ "412 Seiten, 3 Dateien, 2,1 MB in 4,2 s"."""
        return (
            f"{count(self.pages, 'Seite', 'Seiten')}, {count(self.files, 'Datei', 'Dateien')}, "
            f"{_german(self.bytes / 1e6, 1)} MB in {_german(self.seconds, 1)} s"
        )


def count(number: int, one: str, many: str) -> str:
    """ "1 Seite", "1.234 Seiten"."""
    return f"{_german(number)} {one if number == 1 else many}"


def _german(number: float, decimals: int = 0) -> str:
    return f"{number:,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def output_file(path: str, query: str = "") -> str:
    """Where the address path?query lives inside the export, as a relative POSIX path.

    A page address ends with a slash and becomes <path>/index.html; other addresses keep
    their name. An address with a query string (sorted lists) gets a name of its own."""
    relative = unquote(path).lstrip("/")
    folder, name = posixpath.split(relative)
    if path.endswith("/"):
        folder, name = relative.rstrip("/"), "index.html"
    if query:
        stem, extension = posixpath.splitext(name)
        name = f"{stem}-{_query_name(query)}{extension}"
    return posixpath.join(folder, name)


def _query_name(query: str) -> str:
    readable = _QUERY_SAFE.sub("_", unquote(query))
    if readable == query:
        return readable
    # Characters were replaced: the hash keeps different queries apart.
    return f"{readable}-{hashlib.sha256(query.encode()).hexdigest()[:8]}"


def relative_link(source_file: str, target_file: str, fragment: str = "") -> str:
    """The link from one exported file to another, e.g. "../../ziele/12.1/index.html"."""
    link = posixpath.relpath(target_file, posixpath.dirname(source_file) or ".")
    link = quote(link, safe="/=&-_.~!$'()*+,;@")
    return f"{link}#{fragment}" if fragment else link


def find_static(path: str) -> Path | None:
    """The file behind a /static/ address in the apps' static folders; None for other
    addresses, missing files and names that try to leave the static folders."""
    prefix = static("")
    if not path.startswith(prefix):
        return None
    name = posixpath.normpath(unquote(path[len(prefix) :]))
    if name.startswith(("/", "..")) or name == ".":
        return None
    found = finders.find(name)
    return Path(found) if found else None


def is_excluded(path: str) -> bool:
    """Staff pages, the API and login, in every language."""
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if path.startswith(prefix):
            path = path[len(prefix) - 1 :]
            break
    return path.startswith(EXCLUDED_PREFIXES)


def export_site(
    target: Path,
    *,
    include: Iterable[str] = (),
    keep_going: bool = False,
    progress: Callable[[str], None] | None = None,
) -> ExportResult:
    """Export every public page reachable from the start pages (and `include`) into target.

    Without keep_going the first page that fails stops the export with an ExportError and
    target stays as it was; with keep_going the failures are listed in the result and every
    other page is written."""
    started = time.perf_counter()
    staging, created = _prepare(target)
    try:
        crawler = _Crawler(staging, keep_going=keep_going, progress=progress)
        # One status index per evaluation run serves all pages (each page would read it again).
        with translation.override(translation.get_language()), shared_status_indexes():
            crawler.run([*START_PATHS, *include])
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        _replace_contents(target, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created:
            shutil.rmtree(target, ignore_errors=True)
        raise
    crawler.result.seconds = time.perf_counter() - started
    return crawler.result


def _prepare(target: Path) -> tuple[Path, bool]:
    """The staging folder inside target, and whether target was created for this export."""
    if target.exists() and not target.is_dir():
        raise ExportError(f"„{target}“ ist eine Datei; bitte einen Ordner für den Export angeben.")
    created = not target.exists()
    if not created:
        entries = {entry.name for entry in target.iterdir()} - {STAGING}
        if entries and MARKER not in entries:
            raise ExportError(
                f"Der Ordner „{target}“ ist nicht leer und enthält keinen früheren Export von "
                "zielwerk. Bitte einen leeren oder neuen Ordner angeben; es wurde nichts "
                "geschrieben oder gelöscht."
            )
    staging = target / STAGING
    try:
        target.mkdir(parents=True, exist_ok=True)
        # A staging folder left over by an interrupted export is ours to remove.
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
    except OSError as error:
        raise ExportError(
            f"Der Ordner „{target}“ kann nicht beschrieben werden: {error}"
        ) from error
    return staging, created


def _replace_contents(target: Path, staging: Path) -> None:
    for entry in target.iterdir():
        if entry == staging:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    for entry in staging.iterdir():
        entry.rename(target / entry.name)
    staging.rmdir()


@dataclass(frozen=True)
class _Address:
    path: str
    query: str = ""

    @property
    def key(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path

    @property
    def file(self) -> str:
        return output_file(self.path, self.query)


class _Crawler:
    """Renders pages breadth-first and writes them with relative links."""

    def __init__(
        self, folder: Path, *, keep_going: bool, progress: Callable[[str], None] | None
    ) -> None:
        self.folder = folder
        self.keep_going = keep_going
        self.progress = progress
        self.result = ExportResult()
        parts = urlsplit(settings.ZIELWERK_BASE_URL)
        self.scheme, self.host = parts.scheme or "http", parts.netloc or "localhost"
        domain, _port = split_domain_port(self.host)
        if not validate_host(domain, settings.ALLOWED_HOSTS):
            raise ExportError(
                f"Die Seiten werden für die Adresse {settings.ZIELWERK_BASE_URL} "
                "(ZIELWERK_BASE_URL) erzeugt, deren Rechnername nicht in ZIELWERK_ALLOWED_HOSTS "
                "steht."
            )
        self.origin = f"{self.scheme}://{self.host}"
        self.static_prefix = static("")
        self.factory = RequestFactory(HTTP_HOST=self.host)
        self.handler = BaseHandler()
        self.handler.load_middleware()
        self.queue: deque[_Address] = deque()
        self.linked_from: dict[str, str | None] = {}

    # --- the crawl -----------------------------------------------------------------------

    def run(self, start: Iterable[str]) -> None:
        for path in start:
            address = self._address(path, f"{self.origin}/")
            if address is None:
                raise ExportError(f"„{path}“ ist keine Adresse dieser Seite.")
            self._enqueue(address, None)
        while self.queue:
            address = self.queue.popleft()
            if address.path.startswith(self.static_prefix):
                self._copy_static(address)
            else:
                self._render(address)

    def _enqueue(self, address: _Address, source: str | None) -> None:
        if address.key not in self.linked_from:
            self.linked_from[address.key] = source
            self.queue.append(address)

    def _fail(self, address: _Address, status: int, detail: str = "") -> None:
        failure = Failure(address.key, status, self.linked_from.get(address.key), detail)
        if not self.keep_going:
            raise ExportError(
                f"Seite {failure}. Es wurde nichts geschrieben; mit --keep-going werden die "
                "übrigen Seiten trotzdem exportiert."
            )
        self.result.failures.append(failure)

    def _render(self, address: _Address) -> None:
        request = self.factory.get(address.key, secure=self.scheme == "https")
        setattr(request, EXPORT_ATTRIBUTE, True)
        response = self.handler.get_response(request)
        if response.status_code in REDIRECTS:
            self._fail(address, response.status_code, f"leitet weiter nach {response['Location']}")
            return
        if response.status_code != 200:
            self._fail(address, response.status_code)
            return
        content = _body(response)
        if response.get("Content-Type", "").startswith("text/html"):
            text = self._rewrite_html(content.decode(response.charset or "utf-8"), address)
            self._write(address.file, text.encode("utf-8"))
            self.result.pages += 1
            if self.progress is not None:
                self.progress(address.key)
        else:
            self._write(address.file, content)
            self.result.files += 1

    def _copy_static(self, address: _Address) -> None:
        found = find_static(address.path)
        if found is None:
            self._fail(address, 404, "statische Datei nicht gefunden")
            return
        content = found.read_bytes()
        if found.suffix == ".css":
            content = self._rewrite_css(content.decode("utf-8"), address).encode("utf-8")
        self._write(address.file, content)
        self.result.files += 1

    def _write(self, relative: str, content: bytes) -> None:
        if posixpath.normpath(relative).startswith(("/", "..")):
            raise ExportError(f"„{relative}“ läge außerhalb des Exportordners.")
        path = self.folder / relative
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        except OSError as error:
            raise ExportError(f"„{relative}“ kann nicht geschrieben werden: {error}") from error
        self.result.bytes += len(content)

    # --- links ---------------------------------------------------------------------------

    def _address(self, link: str, base: str) -> _Address | None:
        """The internal address a link points to, or None for another site, mailto: etc."""
        parts = urlsplit(urljoin(base, link))
        if parts.scheme not in ("http", "https") or parts.netloc != self.host:
            return None
        return _Address(parts.path or "/", parts.query)

    def _link(self, link: str, page: _Address) -> str | None:
        """The relative link that replaces an internal link (queueing its target), the link
        itself for other sites and anchors on the page, None for a page not exported."""
        if not link or link.startswith("#"):
            return link
        target = self._address(link, self.origin + page.key)
        if target is None:
            return link
        if is_excluded(target.path):
            self.result.unlinked.setdefault(target.key, []).append(page.key)
            return None
        self._enqueue(target, page.key)
        return relative_link(page.file, target.file, urlsplit(link).fragment)

    def _rewrite_html(self, text: str, page: _Address) -> str:
        def element(match: re.Match[str]) -> str:
            tag, attributes, inner = match.group(1).lower(), match.group(2), match.group(3)
            if tag == "form":
                action = _attribute(attributes, "action") or ""
                if self._address(action, self.origin + page.key) is None:
                    return match.group(0)
                # A static site cannot answer a form; templates offer an alternative.
                target = urlsplit(urljoin(page.key, action)).path
                self.result.removed_forms.setdefault(target, []).append(page.key)
                return ""
            rewritten = self._rewrite_attributes(attributes, page)
            if rewritten is None:
                return inner
            return f"<{match.group(1)}{rewritten}>{inner}</{match.group(1)}>"

        def start_tag(match: re.Match[str]) -> str:
            attributes = self._rewrite_attributes(match.group(2), page, drop=True)
            return f"<{match.group(1)}{attributes}>"

        return _START_TAG.sub(start_tag, _ELEMENT.sub(element, text))

    def _rewrite_attributes(
        self, attributes: str, page: _Address, drop: bool = False
    ) -> str | None:
        """attributes with every link rewritten; None when a link leads to a page that is not
        exported (drop=True removes just that attribute instead)."""
        unlinked = False

        def attribute(match: re.Match[str]) -> str:
            nonlocal unlinked
            space, name, equals, quote_char, raw = match.groups()
            value = html.unescape(raw)
            if name.lower() == "srcset":
                links = [self._srcset_entry(entry, page) for entry in value.split(",")]
                new = ", ".join(link for link in links if link is not None)
            else:
                new = self._link(value.strip(), page)
            if new is None:
                unlinked = True
                return ""
            return f"{space}{name}{equals}{quote_char}{html.escape(new)}{quote_char}"

        rewritten = _URL_ATTRIBUTE.sub(attribute, attributes)
        return None if unlinked and not drop else rewritten

    def _srcset_entry(self, entry: str, page: _Address) -> str | None:
        link, _space, size = entry.strip().partition(" ")
        new = self._link(link, page)
        return None if new is None else f"{new} {size}".strip()

    def _rewrite_css(self, text: str, sheet: _Address) -> str:
        def url(match: re.Match[str]) -> str:
            link = match.group(2) or match.group(4)
            if link.startswith("data:"):
                return match.group(0)
            new = self._link(link, sheet) or link
            return match.group(0).replace(link, new)

        return _CSS_URL.sub(url, text)


def _attribute(attributes: str, name: str) -> str | None:
    for match in _URL_ATTRIBUTE.finditer(attributes):
        if match.group(2).lower() == name:
            return html.unescape(match.group(5))
    return None


def _body(response: HttpResponseBase) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content

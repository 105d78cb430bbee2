"""`zielwerk export-site`: the public report as static files, read back from disk."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models

from zielwerk.report.export import MARKER, STAGING, ExportResult, output_file, relative_link

LINK_ATTRIBUTES = {"href", "src", "srcset", "action", "poster", "xlink:href"}
OPERATIVE_GOALS = [
    f"12.{s}.{o}"
    for s, count in [(1, 3), (2, 3), (3, 6), (4, 5), (5, 3)]
    for o in range(1, count + 1)
]


class Links(HTMLParser):
    """Every URL an HTML file refers to, with the tag it stands on."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.lang: str | None = None
        self.forms: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if tag == "html" and name == "lang":
                self.lang = value
            if name in LINK_ATTRIBUTES and value is not None:
                urls = (
                    [part.split()[0] for part in value.split(",")] if name == "srcset" else [value]
                )
                self.links += [(tag, url) for url in urls if url]
        if tag == "form":
            self.forms.append(dict(attrs).get("action") or "")


def read_links(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def content_hosts() -> set[str]:
    """Hosts named in the content (e.g. the sources of indicators): the only other sites an
    exported page may link to."""
    hosts = set()
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.URLField):
                for url in model.objects.exclude(**{model_field.name: ""}).values_list(
                    model_field.name, flat=True
                ):
                    hosts.add(urlsplit(url).netloc)
    return hosts


def export(target: Path, *args: str) -> str:
    out = StringIO()
    call_command("export_site", str(target), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def previous_export(site: Path) -> None:
    site.mkdir()
    (site / MARKER).write_text("früherer Export", encoding="utf-8")
    (site / "alt.html").write_text("alt", encoding="utf-8")


def test_exported_site_is_complete_and_every_link_resolves_to_a_file(demo, tmp_path):
    site = tmp_path / "bericht"
    previous_export(site)
    out, err = StringIO(), StringIO()

    # With --keep-going a broken address is listed and every other page is written.
    with pytest.raises(CommandError, match="1 Seite konnte nicht exportiert werden"):
        call_command(
            "export_site",
            str(site),
            "--keep-going",
            "--include",
            "/ziele/99.9/",
            stdout=out,
            stderr=err,
        )

    assert "Fehler: /ziele/99.9/: Status 404" in err.getvalue()
    summary = re.search(r"(\d+) Seiten, (\d+) Dateien, \d+,\d MB in \d+,\d s", out.getvalue())
    assert summary, out.getvalue()
    html_files = sorted(site.rglob("*.html"))
    assert int(summary.group(1)) == len(html_files)
    # A new export replaces the previous one as a whole.
    assert not (site / "alt.html").exists()
    assert (site / MARKER).is_file() and not (site / STAGING).exists()
    assert (site / "static" / "zielwerk" / "site.css").is_file()
    for code in OPERATIVE_GOALS:
        assert (site / "ziele" / code / "index.html").is_file()
        assert (site / "en" / "ziele" / code / "index.html").is_file()
    assert read_links(site / "index.html").lang == "de"
    assert read_links(site / "en" / "index.html").lang == "en"

    allowed_hosts = content_hosts()
    for page in html_files:
        links = read_links(page)
        # Forms need a server: none may send anything to this site.
        assert all(urlsplit(action).scheme in ("http", "https") for action in links.forms), page
        for tag, url in links.links:
            parts = urlsplit(url)
            where = f"{page.relative_to(site)}: <{tag}> {url}"
            if parts.scheme:
                assert parts.scheme in ("http", "https", "mailto"), where
                # Assets never come from another site (no CDN); links only to the sources.
                assert tag == "a", where
                assert parts.scheme == "mailto" or parts.netloc in allowed_hosts, where
                continue
            assert not url.startswith("/"), where
            if not parts.path:
                continue  # an anchor on the same page
            # file:// shows no index.html for a folder: every link names a file that exists.
            target = Path(os.path.normpath(page.parent / unquote(parts.path)))
            assert target.is_file(), where
            assert target.is_relative_to(site), where

    # The language switch is a plain link to the same page in the other language.
    goal_links = {url for _, url in read_links(site / "ziele" / "12.3" / "index.html").links}
    assert "../../en/ziele/12.3/index.html" in goal_links
    en_links = {url for _, url in read_links(site / "en" / "ziele" / "12.3" / "index.html").links}
    assert "../../../ziele/12.3/index.html" in en_links
    # Nothing of the staff area, the API or the login made it into the export.
    exported = {str(p.relative_to(site)) for p in site.rglob("*")}
    assert not {p for p in exported if re.match(r"(en/)?(verwaltung|api|anmelden|i18n)\b", p)}


def test_export_and_visitors_never_share_a_cached_page(demo, client, settings, tmp_path):
    settings.ZIELWERK_PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    live = client.get("/ziele/12.3/").content.decode()
    assert 'role="search"' in live and "../../en/" not in live
    site = tmp_path / "bericht"

    export(site)

    exported = (site / "ziele" / "12.3" / "index.html").read_text(encoding="utf-8")
    assert 'role="search"' not in exported and "../../en/ziele/12.3/index.html" in exported
    for path in ("/", "/ziele/12.3/", "/en/"):
        assert 'role="search"' in client.get(path).content.decode(), path
    cache.clear()


def test_failing_page_stops_the_export_and_keeps_the_previous_one(demo, tmp_path):
    site = tmp_path / "bericht"
    previous_export(site)

    with pytest.raises(CommandError, match=r"/ziele/99\.9/: Status 404.*--keep-going"):
        export(site, "--include", "/ziele/99.9/")

    assert sorted(p.name for p in site.iterdir()) == [MARKER, "alt.html"]


def test_export_refuses_a_file_and_a_foreign_folder_and_changes_nothing(tmp_path):
    a_file = tmp_path / "bericht.html"
    a_file.write_text("<p>nicht überschreiben</p>", encoding="utf-8")
    with pytest.raises(CommandError, match="ist eine Datei"):
        export(a_file)
    assert a_file.read_text(encoding="utf-8") == "<p>nicht überschreiben</p>"

    folder = tmp_path / "dokumente"
    folder.mkdir()
    (folder / "brief.txt").write_text("wichtig", encoding="utf-8")
    with pytest.raises(CommandError, match="nicht leer und enthält keinen früheren Export"):
        export(folder)
    assert [p.name for p in folder.iterdir()] == ["brief.txt"]


def test_addresses_map_to_files_that_relative_links_reach():
    assert output_file("/ziele/12.1/") == "ziele/12.1/index.html"
    assert output_file("/") == "index.html"
    assert output_file("/static/zielwerk/site.css") == "static/zielwerk/site.css"
    assert output_file("/massnahmen/", "sort=title") == "massnahmen/index-sort=title.html"
    # Characters a file name cannot carry are replaced; a hash keeps such queries apart.
    first, second = output_file("/suche/", "q=a+b"), output_file("/suche/", "q=a%20b")
    assert first != second and first.startswith("suche/index-q=a_b-")
    assert relative_link("ziele/12.1/index.html", "index.html") == "../../index.html"
    assert relative_link("index.html", "en/index.html", "main") == "en/index.html#main"
    assert relative_link("a/index.html", "b/100%/index.html") == "../b/100%25/index.html"
    summary = ExportResult(pages=3764, files=1, bytes=44_600_000, seconds=107.27).summary()
    assert summary == "3.764 Seiten, 1 Datei, 44,6 MB in 107,3 s"

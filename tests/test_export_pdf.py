"""`zielwerk export-pdf`: the printable report, read back with pypdf."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from django.utils.formats import date_format
from pypdf import PdfReader

from zielwerk.evaluation.models import Level
from zielwerk.evaluation.queries import latest_run
from zielwerk.goals.models import Edition, OperativeGoal
from zielwerk.indicators.models import Indicator
from zielwerk.indicators.queries import public_headline_values
from zielwerk.report.pdf import StaticFilesOnly


def pages_text(path: Path) -> tuple[PdfReader, list[str]]:
    """The reader and the text of each page, with runs of white space as one space (lines of
    a title may wrap)."""
    reader = PdfReader(path)
    return reader, [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


def export_pdf(path: Path, *args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("export_pdf", str(path), *args, stdout=out, stderr=err)
    # Nothing was fetched but the app's own static files.
    assert err.getvalue() == ""
    return out.getvalue()


def test_german_report_has_cover_contents_legend_goals_and_page_numbers(demo, tmp_path):
    path = tmp_path / "bericht.pdf"
    output = export_pdf(path)

    reader, pages = pages_text(path)
    text = " ".join(pages)
    assert f"{len(pages)} Seiten" in output
    edition = demo.edition
    with translation.override("de"):
        evaluated = date_format(latest_run(edition).evaluated_on, "DATE_FORMAT")
        levels = [str(label) for _, label in Level.choices]
    # Cover: city, edition, date of the evaluation, sample data marked as such.
    assert "Ludwigsburg" in pages[0] and edition.title in pages[0]
    assert f"Stand der Bewertung: {evaluated}" in pages[0]
    assert "Beispieldaten" in pages[0]
    # Contents with the page each entry starts on (CSS target-counter).
    contents = next(i for i, page in enumerate(pages) if "Inhalt " in page)
    entry = re.search(r"Handlungsfeld 12: [^.]+?\.{3,} ?(\d+)", pages[contents])
    assert entry, pages[contents]
    field_page = int(entry.group(1))
    assert (
        pages[field_page - 1].lstrip().startswith(f"Handlungsfeld 12 {edition.fields.get().title}")
    )
    # Legend: every level in words.
    assert "Legende der Bewertungen" in text
    assert all(label in text for label in levels)
    # One section for the field with all 20 operative goals, number and title.
    goals = OperativeGoal.objects.filter(strategic_goal__field__edition=edition)
    assert goals.count() == 20
    for goal in goals:
        assert f"{goal.code} {goal.title}" in text, goal.code
    assert "Zufriedenheit der Beschäftigten" in text and "Letzter freigegebener Wert:" in text
    # Each indicator with approved values has its chart, whose legend names them.
    indicators = list(Indicator.objects.filter(operative_goals__in=goals))
    with_values = [i for i, values in public_headline_values(indicators).items() if values]
    assert len(with_values) > 10
    methods = next(i for i, page in enumerate(pages) if page.lstrip().startswith("Wie bewertet"))
    assert " ".join(pages[:methods]).count("freigegebene Werte") == len(with_values)
    assert f"Seite 2 von {len(pages)}" in pages[1]
    # Tagged PDF (PDF/UA) with language and title, for screen readers.
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and root["/Lang"] == "de"
    assert reader.metadata.title == edition.title


def test_english_report_shows_english_content(demo, tmp_path):
    path = tmp_path / "report.pdf"
    export_pdf(path, "--language", "en")

    reader, pages = pages_text(path)
    text = " ".join(pages)
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "12.1.1 Strengthen a motivating organisational culture" in text
    assert "on track" in text and "How progress is rated" in text
    # Indicators and their charts speak English too.
    assert "Latest approved value:" in text and "approved values" in text
    assert "freigegebene Werte" not in text


def test_unknown_or_unpublished_edition_is_refused(demo, tmp_path):
    path = tmp_path / "bericht.pdf"
    with pytest.raises(CommandError, match=r"Unbekannte Ausgabe „gibt-es-nicht“.*ludwigsburg"):
        export_pdf(path, "--edition", "gibt-es-nicht")
    Edition.objects.filter(pk=demo.edition.pk).update(is_published=False)
    with pytest.raises(CommandError, match="nicht veröffentlicht"):
        export_pdf(path, "--edition", demo.edition.name)
    with pytest.raises(CommandError, match="ist ein Ordner"):
        export_pdf(tmp_path)
    assert not path.exists()


def test_layout_reads_only_static_files():
    fetcher = StaticFilesOnly()
    stylesheet = fetcher(f"{settings.ZIELWERK_BASE_URL}/static/zielwerk/print.css")
    assert b"@page" in stylesheet.read() and stylesheet.content_type == "text/css"
    for url in (
        "https://cdn.example.org/font.woff2",
        f"{settings.ZIELWERK_BASE_URL}/ziele/12.1/",
        "file:///etc/passwd",
        f"{settings.ZIELWERK_BASE_URL}/static/../settings.py",
    ):
        with pytest.raises(ValueError, match="nur eigene statische Dateien"):
            fetcher(url)
    assert len(fetcher.refused) == 4

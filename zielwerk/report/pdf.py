"""The printable report (`zielwerk export-pdf FILE`): one PDF of a published edition with a
cover, a table of contents, the status legend, one section per Handlungsfeld with its goals,
their statuses in words, the indicators with latest value, target and chart, and the methods.

WeasyPrint lays out the HTML of report/print/report.html. Rendering never goes to the
network: WeasyPrint reads only the app's static files (StaticFilesOnly); charts are inline SVG."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from zielwerk.evaluation.models import EvaluationRun, Level
from zielwerk.evaluation.queries import StatusIndex, latest_run, status_index
from zielwerk.goals.models import Edition, Field, OperativeGoal, StrategicGoal
from zielwerk.goals.queries import fields_with_goals
from zielwerk.indicators.models import Indicator, Milestone, Target, Value
from zielwerk.indicators.queries import public_headline_values
from zielwerk.org.models import OrgUnit
from zielwerk.report.export import find_static
from zielwerk.report.indicator_queries import indicator_chart

TEMPLATE = "report/print/report.html"


class PdfError(Exception):
    """The PDF cannot be made; the message says why (German, for the CLI)."""


@dataclass(frozen=True)
class IndicatorLine:
    indicator: Indicator
    latest: Value | None
    chart: SafeString


@dataclass(frozen=True)
class OperativeSection:
    goal: OperativeGoal
    indicators: list[IndicatorLine]
    milestones: list[Milestone]


@dataclass(frozen=True)
class StrategicSection:
    goal: StrategicGoal
    operative_goals: list[OperativeSection]


@dataclass(frozen=True)
class FieldSection:
    field: Field
    strategic_goals: list[StrategicSection]


@dataclass(frozen=True)
class PrintReport:
    edition: Edition
    run: EvaluationRun | None
    status: StatusIndex
    fields: list[FieldSection]
    sample_data: bool


@dataclass
class PdfResult:
    pages: int
    bytes: int
    refused: list[str] = field(default_factory=list)
    """Addresses the layout asked for and did not get (anything but static files)."""


def print_report(edition: Edition) -> PrintReport:
    """Everything the printed report shows of a published edition, read in few queries."""
    if not edition.is_published:
        raise PdfError(
            f"Die Ausgabe „{edition.name}“ ist nicht veröffentlicht; der Bericht zeigt nur "
            "veröffentlichte Ausgaben."
        )
    run = latest_run(edition)
    in_edition = Q(operative_goals__strategic_goal__field__edition=edition)
    indicators = list(
        Indicator.objects.filter(in_edition)
        .distinct()
        .select_related("owner")
        .prefetch_related(
            Prefetch(
                "targets",
                queryset=Target.objects.filter(is_current=True),
                to_attr="current_targets",
            ),
            "operative_goals",
        )
        .order_by("code")
    )
    values = public_headline_values(indicators)
    lines_of_goal: dict[int, list[IndicatorLine]] = {}
    for indicator in indicators:
        line = IndicatorLine(
            indicator,
            values[indicator.pk][-1] if values[indicator.pk] else None,
            # charts.render_svg escapes every text it writes.
            mark_safe(indicator_chart(indicator, indicator.current_targets, run)),
        )
        for goal in indicator.operative_goals.all():
            lines_of_goal.setdefault(goal.pk, []).append(line)
    milestones: dict[int, list[Milestone]] = {}
    for milestone in Milestone.objects.filter(
        operative_goal__strategic_goal__field__edition=edition
    ):
        milestones.setdefault(milestone.operative_goal_id, []).append(milestone)
    fields = [
        FieldSection(
            field_,
            [
                StrategicSection(
                    sg,
                    [
                        OperativeSection(
                            og, lines_of_goal.get(og.pk, []), milestones.get(og.pk, [])
                        )
                        for og in sg.operative_goals.all()
                    ],
                )
                for sg in field_.strategic_goals.all()
            ],
        )
        for field_ in fields_with_goals(edition)
    ]
    sample = (
        any(i.is_sample for i in indicators)
        or any(m.is_sample for ms in milestones.values() for m in ms)
        or _sample_units(edition)
    )
    return PrintReport(edition, run, status_index(edition), fields, sample)


def _sample_units(edition: Edition) -> bool:
    goals = Q(fields__edition=edition) | Q(strategic_goals__field__edition=edition)
    goals |= Q(operative_goals__strategic_goal__field__edition=edition)
    return OrgUnit.objects.filter(goals, is_sample=True).exists()


def render_html(report: PrintReport) -> str:
    """The report as HTML in the active language."""
    return render_to_string(
        TEMPLATE,
        {
            "report": report,
            "edition": report.edition,
            "status": report.status,
            "levels": Level.choices,
            "page_footer": _css_text(_("Seite %(page)s von %(pages)s")),
        },
    )


def _css_text(sentence: str) -> SafeString:
    """A translated sentence with page counters as the value of a CSS `content` property:
    "Seite %(page)s von %(pages)s" → "Seite " counter(page) " von " counter(pages) ""."""
    quoted = sentence.replace("\\", "\\\\").replace('"', '\\"')
    counters = {"page": '" counter(page) "', "pages": '" counter(pages) "'}
    return mark_safe(f'"{quoted % counters}"')


class StaticFilesOnly(URLFetcher):
    """Gives WeasyPrint the app's static files and refuses every other address, so that
    rendering a report never touches the network or the rest of the file system."""

    def __init__(self) -> None:
        super().__init__()
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        found = find_static(parts.path) if _origin(url) == _origin(base_url()) else None
        if found is None:
            self.refused.append(url)
            raise ValueError(f"Der Bericht lädt nur eigene statische Dateien, nicht {url}.")
        content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, found.read_bytes(), {"Content-Type": content_type})


def base_url() -> str:
    return settings.ZIELWERK_BASE_URL.rstrip("/") + "/"


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


def write_pdf(edition: Edition, target: Path, language: str = settings.LANGUAGE_CODE) -> PdfResult:
    """Lay out the report of edition in language and write it to target."""
    if target.is_dir():
        raise PdfError(f"„{target}“ ist ein Ordner; bitte einen Dateinamen angeben.")
    # The charts take their labels from the active language too.
    with translation.override(language):
        html = render_html(print_report(edition))
    fetcher = StaticFilesOnly()
    document = HTML(string=html, base_url=base_url(), url_fetcher=fetcher).render()
    try:
        document.write_pdf(target, pdf_variant="pdf/ua-1")
    except OSError as error:
        raise PdfError(f"„{target}“ kann nicht geschrieben werden: {error}") from error
    return PdfResult(len(document.pages), target.stat().st_size, fetcher.refused)

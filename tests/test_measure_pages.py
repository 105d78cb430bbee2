"""Public pages of measures: the measures of a goal, the filterable list and the measure page
with its timeline. Only released measures and released status reports appear, never tasks."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from tests.conftest import SEED
from tests.test_pages import outline
from zielwerk.goals.importing import import_sek_file
from zielwerk.goals.queries import find_goal
from zielwerk.indicators.models import Indicator
from zielwerk.measures.models import (
    FundingSource,
    Measure,
    MeasureStatus,
    Phase,
    PhaseGate,
    StatusReport,
    WorkItem,
)
from zielwerk.org.models import OrgUnit

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def make_measure(demo, number: str, goals: list[str], **fields) -> Measure:
    defaults = {
        "title": f"Maßnahme {number}",
        "responsible_unit": OrgUnit.objects.get(code=fields.pop("unit", "FB-FIN-HH")),
        "status": MeasureStatus.objects.get(key=fields.pop("status_key", "in-umsetzung")),
        "is_public": True,
    }
    measure = Measure.objects.create(number=number, **(defaults | fields))
    measure.operative_goals.set([find_goal(demo.edition, code) for code in goals])
    return measure


def report(measure: Measure, period: str, end: datetime.date, text: str, **fields) -> StatusReport:
    lights = {"time": "gruen", "cost": "gruen", "quality": "gruen", "is_public": True}
    return measure.status_reports.create(
        period=period,
        period_start=end.replace(day=1),
        period_end=end,
        text=text,
        **(lights | fields),
    )


@pytest.fixture
def loan_measure(demo) -> Measure:
    """A released measure of goal 12.3.4 with reports, gates, milestones and a task."""
    measure = make_measure(
        demo,
        "M-T-01",
        ["12.3.4"],
        title="Kreditrichtlinie überarbeiten",
        kind=Measure.Kind.PROJECT,
        priority=Measure.Priority.HIGH,
        progress_percent=40,
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2027, 6, 30),
        budget_planned=Decimal("120000.00"),
        budget_spent=Decimal("45500.50"),
        profile_goal="Eine Richtlinie für alle Kredite der Stadt.",
    )
    measure.indicators.add(
        Indicator.objects.create(
            code="t-kredite", name="Kreditvolumen je Einwohner", direction="down"
        )
    )
    measure.indicators.get().operative_goals.add(find_goal(demo.edition, "12.3.4"))
    measure.funding_sources.create(
        kind=FundingSource.Kind.SUBSIDY, programme="Förderprogramm Kommunalfinanzen", amount=200000
    )
    measure.funding_sources.create(kind=FundingSource.Kind.OWN, amount=Decimal("50000"))
    PhaseGate.objects.create(
        measure=measure,
        phase=Phase.INITIATION,
        planned_on=datetime.date(2025, 2, 28),
        passed_on=datetime.date(2025, 3, 15),
    )
    PhaseGate.objects.create(
        measure=measure, phase=Phase.PLANNING, planned_on=datetime.date(2099, 12, 31)
    )
    measure.work_items.create(
        title="Entwurf liegt vor",
        due_on=datetime.date(2025, 6, 30),
        done_on=datetime.date(2025, 6, 1),
    )
    measure.work_items.create(title="Beschluss im Gemeinderat", due_on=datetime.date(2025, 9, 30))
    measure.work_items.create(
        kind=WorkItem.Kind.TASK,
        title="Interne Abstimmung Kämmerei",
        due_on=datetime.date(2025, 5, 1),
    )
    report(measure, "2025-Q3", datetime.date(2025, 9, 30), "Alter Stand: Entwurf abgestimmt.")
    report(
        measure,
        "2025-Q4",
        datetime.date(2025, 12, 31),
        "Der Beschluss verschiebt sich ins Frühjahr.",
        time="gelb",
        quality="rot",
    )
    report(
        measure,
        "2026-Q1",
        datetime.date(2026, 3, 31),
        "Geheimer Entwurf des Berichts.",
        is_public=False,
    )
    return measure


@pytest.fixture
def hidden_measure(demo) -> Measure:
    return make_measure(
        demo, "M-T-99", ["12.3.4"], title="Unveröffentlichte Maßnahme", is_public=False
    )


class Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))


def assert_heading_hierarchy(html: str) -> None:
    """Headings start at h1 and never skip a level going down."""
    parser = Headings()
    parser.feed(html)
    assert parser.levels[0] == 1
    for before, after in zip(parser.levels, parser.levels[1:], strict=False):
        assert after <= before + 1, f"h{before} followed by h{after}"


def text_of(response) -> str:
    """The page as text, tags removed, so that assertions read like what a person sees."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# Goal page


def test_goal_page_lists_released_measures_with_progress_and_latest_report(
    loan_measure, hidden_measure, client
):
    response = client.get("/ziele/12.3.4/")
    outline(response)
    html = response.content.decode()
    text = text_of(response)
    assert_heading_hierarchy(html)
    assert 'href="/massnahmen/M-T-01/"' in html
    assert "Kreditrichtlinie überarbeiten" in text
    assert "Status: in Umsetzung" in text
    assert "Fortschritt: 40 %" in text
    assert re.search(r'<progress max="100" value="40" aria-labelledby="progress-\d+">', html)
    # The latest released report with period and three lights in words.
    assert "Statusbericht 2025-Q4" in text
    assert "Der Beschluss verschiebt sich ins Frühjahr." in text
    assert "Termine: Abweichung" in text and "Kosten: im Plan" in text
    assert "Qualität: kritisch" in text and "Gesamt: kritisch" in text
    assert 'class="status-inline status-critical"' in html
    # Older and unreleased reports, unreleased measures and tasks stay off the goal page.
    assert "Alter Stand" not in text
    assert "Geheimer Entwurf" not in text
    assert "Unveröffentlichte Maßnahme" not in text and "M-T-99" not in text
    assert "Interne Abstimmung" not in text


def test_progress_counted_from_milestones(demo, client):
    text = text_of(client.get("/ziele/12.3.5/"))
    assert "Diesem Ziel ist noch keine freigegebene Maßnahme zugeordnet." in text
    measure = make_measure(demo, "M-T-02", ["12.3.5"])
    for index in range(4):
        measure.work_items.create(
            title=f"Schritt {index}",
            due_on=datetime.date(2025, 1 + index, 1),
            done_on=datetime.date(2025, 1 + index, 1) if index < 2 else None,
        )
    measure.work_items.create(kind=WorkItem.Kind.TASK, title="Aufgabe", due_on=TODAY)
    text = text_of(client.get("/ziele/12.3.5/"))
    assert "Fortschritt: 50 % (2 von 4 Meilensteinen erreicht)" in text


# Measure page


def test_measure_page_shows_facts_budget_funding_and_timeline(loan_measure, client):
    response = client.get("/massnahmen/M-T-01/")
    page = outline(response)
    html = response.content.decode()
    text = text_of(response)
    assert_heading_hierarchy(html)
    assert page.h1 == ["M-T-01Kreditrichtlinie überarbeiten"]
    for fact in (
        "Art Projekt",
        "Status in Umsetzung",
        "Priorität hoch",
        "Verantwortliche Einheit Abteilung Haushalt und Controlling",
        "Zeitraum 01.01.2025 – 30.06.2027",
        "Fortschritt: 40 %",
    ):
        assert fact in text
    assert "/ziele/12.3.4/" in page.links
    assert "Kreditvolumen je Einwohner – Ziel 12.3.4" in text
    assert "geplant 120.000 €" in text and "ausgegeben 45.500,50 €" in text
    assert "Fördermittel Förderprogramm Kommunalfinanzen 200.000 €" in text
    assert "Eigenmittel – 50.000 €" in text
    # Only the filled parts of the project profile.
    assert "Projektsteckbrief" in text and "Eine Richtlinie für alle Kredite der Stadt." in text
    assert "Risiken" not in text
    assert "Beispieldaten" not in text

    # The timeline: gates, milestones and released reports as an ordered list by date.
    timeline = html[
        html.index('<ol class="timeline">') : html.index("</ol>", html.index("timeline"))
    ]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", timeline))
    order = [
        "Abschluss der Phase Initiierung",
        "Meilenstein: Entwurf liegt vor",
        # Same day: gates and milestones come before the report that covers them.
        "Meilenstein: Beschluss im Gemeinderat",
        "Statusbericht 2025-Q3",
        "Statusbericht 2025-Q4",
        "Abschluss der Phase Planung",
    ]
    positions = [text.index(item) for item in order]
    assert positions == sorted(positions)
    assert "geplant: 28.02.2025 · abgeschlossen am 15.03.2025 (später als geplant)" in text
    assert "geplant: 30.06.2025 · erreicht am 01.06.2025" in text
    assert "geplant: 30.09.2025 · überfällig" in text
    assert "geplant: 31.12.2099 · noch offen" in text
    assert "Termine: Abweichung Kosten: im Plan Qualität: kritisch" in text
    assert '<time datetime="2025-03-15">' in timeline
    assert "Geheimer Entwurf" not in html and "2026-Q1" not in html
    assert "Interne Abstimmung" not in html


def test_sample_measures_say_so(demo, client):
    text = text_of(client.get("/massnahmen/M-12-04/"))
    assert "Beispieldaten" in text
    assert "Fördermittel Nachhaltige Kommunalentwicklung" in text and "200.000 €" in text


def test_unreleased_and_unknown_measures_are_404(hidden_measure, client, login):
    assert client.get("/massnahmen/M-T-99/").status_code == 404
    assert client.get("/massnahmen/gibt-es-nicht/").status_code == 404
    login("strategie")  # public pages show released content only, to staff as well
    assert client.get("/massnahmen/M-T-99/").status_code == 404


# List


def test_list_shows_released_measures_with_count_and_filters(loan_measure, hidden_measure, client):
    response = client.get("/massnahmen/")
    outline(response)
    html = response.content.decode()
    text = text_of(response)
    assert_heading_hierarchy(html)
    released = Measure.objects.filter(is_public=True).count()
    assert f"{released} Maßnahmen gefunden" in text
    assert "M-T-01" in text and "M-T-99" not in text
    for name, label in [
        ("field", "Handlungsfeld"),
        ("status", "Status"),
        ("unit", "verantwortliche Einheit"),
        ("priority", "Priorität"),
    ]:
        assert f'<label for="filter-{name}">{label}</label>' in html
        assert f'<select id="filter-{name}" name="{name}">' in html
    assert "Filter zurücksetzen" in text
    assert "<caption>Freigegebene Maßnahmen</caption>" in html
    assert 'aria-sort="ascending"' in html


FILTER_CASES = [
    ({"unit": "FB-FIN-HH"}, {"M-T-01"}),
    ({"status": "abgeschlossen"}, {"M-12-02"}),
    ({"priority": "1", "field": "12"}, {"M-T-01", "M-12-01", "M-12-02"}),
    ({"field": "12", "unit": "REF-NSE", "status": "in-umsetzung"}, {"M-12-04"}),
]


def test_list_filters(loan_measure, client):
    for params, expected in FILTER_CASES:
        response = client.get("/massnahmen/", params)
        html = response.content.decode()
        shown = set(re.findall(r'href="/massnahmen/([^/"]+)/"', html))
        assert shown == expected, params
        count = len(expected)
        word = "Maßnahme" if count == 1 else "Maßnahmen"
        assert f"{count} {word} gefunden (gefiltert)" in text_of(response)
        for name, value in params.items():
            start = html.index(f'name="{name}"')
            select = html[start : html.index("</select>", start)]
            assert f'<option value="{value}" selected>' in select


def test_invalid_filters_are_ignored_with_a_note(loan_measure, client):
    response = client.get(
        "/massnahmen/",
        {
            "field": "99",
            "status": "verschollen",
            "unit": "XX",
            "priority": "hoch",
            "sort": "zufall",
        },
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "Filter nicht angewendet: Die Ausgabe „ludwigsburg“ hat kein Handlungsfeld" in text
    assert "keinen Maßnahmenstatus mit der Kennung „verschollen“" in text
    assert "keine Organisationseinheit mit dem Kürzel „XX“" in text
    assert (
        "Die Priorität „hoch“ gibt es nicht; erlaubt sind 1 (hoch), 2 (mittel), 3 (niedrig)."
        in text
    )
    assert "Die Sortierung „zufall“ gibt es nicht" in text
    released = Measure.objects.filter(is_public=True).count()
    assert f"{released} Maßnahmen gefunden" in text


def test_list_sorts_by_title_and_end_date(loan_measure, client):
    def numbers(sort: str) -> list[str]:
        html = client.get("/massnahmen/", {"sort": sort}).content.decode()
        return re.findall(r'<th scope="row"><a href="/massnahmen/([^/"]+)/"', html)

    measures = Measure.objects.filter(is_public=True)
    assert numbers("number") == sorted(m.number for m in measures)
    assert numbers("title") == [m.number for m in measures.order_by("title")]
    by_end = numbers("end")
    assert by_end[-1] == "M-12-03"  # a permanent task without end comes last
    ends = [measures.get(number=n).end for n in by_end[:-1]]
    assert ends == sorted(ends)
    # Sort links keep the filters.
    html = client.get("/massnahmen/", {"priority": "1"}).content.decode()
    assert 'href="?priority=1&amp;sort=title"' in html


def test_list_needs_few_queries(demo, client, django_assert_max_num_queries):
    for index in range(15):
        measure = make_measure(demo, f"M-Q-{index:02d}", ["12.1.1", "12.2.1"])
        measure.work_items.create(title="Meilenstein", due_on=TODAY)
        report(measure, "2025-Q4", datetime.date(2025, 12, 31), "Stand")
    with django_assert_max_num_queries(12):
        response = client.get("/massnahmen/", {"field": "12"})
    assert "M-Q-14" in response.content.decode()


# Languages


def test_english_pages(loan_measure, client):
    for url in ("/en/massnahmen/", "/en/massnahmen/M-T-01/", "/en/ziele/12.3.4/"):
        page = outline(client.get(url))
        assert page.lang == "en"
    page = outline(client.get("/en/massnahmen/"))
    assert "/en/massnahmen/M-T-01/" in page.links
    assert "/en/abdeckung/" in page.links


def test_goals_of_unpublished_editions_stay_hidden(loan_measure, client):
    draft = import_sek_file(SEED, "entwurf").edition
    draft.is_published = False
    draft.save()
    loan_measure.operative_goals.add(find_goal(draft, "12.3.5"))
    html = client.get("/massnahmen/M-T-01/").content.decode()
    assert 'href="/ziele/12.3.4/"' in html
    assert "/ausgaben/entwurf/" not in html

"""Public indicator pages (chart, values, targets, status and its history, revisions) and the
milestone overview, in German and English."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import SEED
from tests.indicators_support import store, user
from zielwerk.evaluation.services import evaluate_edition
from zielwerk.goals.importing import import_sek_file
from zielwerk.goals.models import Edition
from zielwerk.goals.queries import find_goal
from zielwerk.indicators.models import Indicator, ReportingPeriod, Target

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def html_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def chart_of(html: str) -> ET.Element:
    """The one chart of the page, parsed as XML."""
    (markup,) = re.findall(r"<svg .*?</svg>", html, re.DOTALL)
    return ET.fromstring(markup)


def point_count(svg: ET.Element) -> int:
    return sum(1 for c in svg.iter(f"{SVG}circle") if c.get("class") == "point")


def rows_of_values(html: str) -> list[str]:
    """The years of the table of values."""
    table = html.split("Freigegebene Werte:", 1)[1].split("</table>", 1)[0]
    return re.findall(r'<th scope="row">(\d{4})', table)


def test_indicator_page_tells_everything_about_the_indicator(demo, client):
    html = html_of(client, "/indikatoren/12-1-2-pm-standard/")
    assert html.count("<h1>") == 1
    assert "Projekte nach dem Projektmanagementstandard" in html
    assert "Beispieldaten" in html  # the demo indicators are made up
    assert "Anteil der laufenden Projekte mit Projektsteckbrief" in html  # definition
    assert "Projektliste der Verwaltung" in html and "Fachbereich Personal und Organisation" in html
    assert 'href="/ziele/12.1.2/"' in html  # the goal it measures
    assert "Bis 2027 laufen alle Projekte nach dem Standard." in html  # target wording
    # Status now: the engine's own explanation, the method's result and the disclaimer.
    assert "Bei Fortsetzung der Entwicklung der Jahre 2019–2024" in html
    assert "Ergebnis der Methode: <strong>Sonne</strong>" in html
    assert "keine politische Bewertung und keine Prognose" in html
    # Chart with text alternative, target point and projection to the target year.
    svg = chart_of(html)
    assert point_count(svg) == 6
    assert (
        "Liniendiagramm mit 6 freigegebenen Werten von 2019 bis 2024" in svg.find(f"{SVG}desc").text
    )
    assert "Ziel 2027: 100,0" in html and "Projektion 2027: 99,4" in html
    # The same numbers as a table, and the status per evaluation date.
    assert rows_of_values(html) == ["2019", "2020", "2021", "2022", "2023", "2024"]
    assert '<td class="number">64,0</td>' in html
    today = datetime.date.today().strftime("%d.%m.%Y")
    assert f'<th scope="row">{today}</th>' in html.split("Statusverlauf", 1)[1]


def test_only_approved_values_reach_the_page(demo, client):
    """12-2-2: the 2024 value 55.0 is entered, not approved."""
    html = html_of(client, "/indikatoren/12-2-2-ozg-reifegrad-3/")
    assert rows_of_values(html) == ["2019", "2020", "2021", "2022", "2023"]
    assert "55,0" not in html
    assert point_count(chart_of(html)) == 5
    indicator = Indicator.objects.get(code="12-2-2-ozg-reifegrad-3")
    store(indicator, (2024, 55.0, "p"), approve=True, user=user("strategie"))
    html = html_of(client, "/indikatoren/12-2-2-ozg-reifegrad-3/")
    assert rows_of_values(html)[-1] == "2024" and "55,0" in html
    assert "Kennzeichen: p vorläufig" in html  # the flag gets its legend
    assert point_count(chart_of(html)) == 6


def test_limits_and_ranges_are_drawn_without_a_projection(demo, client):
    html = html_of(client, "/indikatoren/12-3-4-verschuldung/")
    svg = chart_of(html)
    classes = {g.get("class") for g in svg.iter(f"{SVG}g")}
    assert "target-limit" in classes and "projection" not in classes
    assert "Grenzwert ≤ 1.000" in html
    assert "SEK, operatives Ziel 12.3.4" in html  # decided by
    svg = chart_of(html_of(client, "/indikatoren/12-4-5-frauen-fuehrung/"))
    assert "target-band" in {g.get("class") for g in svg.iter(f"{SVG}g")}


def test_progress_measure_projects_compound_growth_to_the_target_year(demo, client):
    indicator = Indicator.objects.get(code="12-4-2-netzwerk")
    html = html_of(client, "/indikatoren/12-4-2-netzwerk/")
    assert "Fortschrittsmaß" in html and "projection" not in html  # no target, no projection
    Target.objects.create(indicator=indicator, kind="value_by_year", value=60, target_year=2030)
    evaluate_edition(demo.edition, datetime.date.today())
    svg = chart_of(html_of(client, "/indikatoren/12-4-2-netzwerk/"))
    projection = next(g for g in svg.iter(f"{SVG}g") if g.get("class") == "projection")
    drawn = projection.find(f"{SVG}polyline").get("points").split()
    assert len(drawn) == 7  # one point per year from 2024 to 2030
    # (41 / 24) ** (1 / 9) − 1 = 6.1 % per year: 41 · 1.0613⁶ ≈ 58.6
    assert "Projektion 2030: 59" in "".join(svg.itertext())


def test_revisions_of_closed_years_show_once_approved(demo, client):
    indicator = Indicator.objects.get(code="12-3-4-verschuldung")
    ReportingPeriod.objects.create(year=2023)
    reason = "Nachbuchung Eigenbetrieb Stadtentwässerung"
    store(indicator, (2023, 915.0), revision_reason=reason, user=user("strategie"))
    html = html_of(client, "/indikatoren/12-3-4-verschuldung/")
    assert reason not in html and "915" not in html  # waiting for approval
    assert "2023" not in rows_of_values(html)
    store(indicator, (2023, 915.0), approve=True, user=user("strategie"))
    html = html_of(client, "/indikatoren/12-3-4-verschuldung/")
    revisions = html.split("Berichtigungen abgeschlossener Berichtsjahre", 1)[1]
    assert reason in revisions and "901" in revisions and "915" in revisions


def test_status_history_lists_each_evaluation_date_once(demo, client):
    indicator = Indicator.objects.get(code="12-3-4-verschuldung")
    earlier = datetime.date(2025, 3, 31)
    evaluate_edition(demo.edition, earlier)
    store(indicator, (2023, 920.0), approve=True, user=user("strategie"))
    evaluate_edition(demo.edition, earlier)  # the same date again, with changed data
    history = html_of(client, "/indikatoren/12-3-4-verschuldung/").split("Statusverlauf", 1)[1]
    dates = re.findall(r'<th scope="row">(\d\d\.\d\d\.\d{4})</th>', history)
    assert dates == [datetime.date.today().strftime("%d.%m.%Y"), "31.03.2025"]


def test_pages_without_a_public_indicator_are_not_found(demo, client, login):
    assert client.get("/indikatoren/gibt-es-nicht/").status_code == 404
    Indicator.objects.create(code="ohne-ziel", name="Ohne Ziel", direction="increase")
    assert client.get("/indikatoren/ohne-ziel/").status_code == 404
    draft = import_sek_file(SEED, "entwurf", edition_title="Entwurf").edition
    Edition.objects.filter(pk=draft.pk).update(is_published=False)
    hidden = Indicator.objects.create(code="nur-entwurf", name="Nur Entwurf", direction="increase")
    hidden.operative_goals.add(find_goal(draft, "12.3.4"))
    assert client.get("/indikatoren/nur-entwurf/").status_code == 404
    assert client.get("/ausgaben/entwurf/indikatoren/nur-entwurf/").status_code == 404
    login("strategie")  # staff see drafts under their edition's address
    assert client.get("/ausgaben/entwurf/indikatoren/nur-entwurf/").status_code == 200


def test_edition_address_and_links_from_the_goal_page(demo, client):
    html = html_of(client, "/ziele/12.3.4/")
    assert 'href="/indikatoren/12-3-4-verschuldung/"' in html
    qualified = f"/ausgaben/{demo.edition.name}/indikatoren/12-3-4-verschuldung/"
    assert "Verschuldung je Einwohner" in html_of(client, qualified)
    assert (
        client.get(f"/ausgaben/{demo.edition.name}/indikatoren/12-4-2-netzwerk/").status_code == 200
    )


def test_english_indicator_page(demo, client):
    html = html_of(client, "/en/indikatoren/12-3-4-verschuldung/")
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    assert "Rating: Partly cloudy" in html  # the engine's English explanation
    assert "no political judgement and no forecast" in html
    assert 'href="/en/ziele/12.3.4/"' in html
    assert chart_of(html).get("role") == "img"


def test_milestones_page_groups_milestones_by_field(demo, client):
    html = html_of(client, "/meilensteine/")
    assert html.count("<h1>") == 1
    assert "Handlungsfeld 12: " in html
    titles = re.findall(r"<h3>(.*?)(?: <span|</h3>)", html)
    assert titles == [
        "Projektmanagementstandard verabschiedet",
        "Kennzahlen der nachhaltigen Beschaffung messbar",
        "Leitlinien für Bürgerinnen- und Bürgerbeteiligung verabschiedet",
    ]
    assert "Stand: <strong>erreicht</strong>" in html
    assert "Dienstanweisung Projektmanagement (Beispieldaten)" in html  # evidence
    assert 'href="/ziele/12.5.1/"' in html
    english = html_of(client, "/en/meilensteine/")
    assert '<html lang="en">' in english
    assert "<strong>reached</strong>" in english  # the engine's English label
    assert "Reached on " in english and "Evidence: " in english  # its English explanation


def test_pages_of_an_empty_installation(db, client):
    assert "noch keine Meilensteine" in html_of(client, "/meilensteine/")
    assert "Es ist noch keine Ausgabe veröffentlicht." in html_of(client, "/suche/?q=Ziel")
    assert client.get("/indikatoren/irgendwas/").status_code == 404

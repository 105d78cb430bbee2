"""Cards of goals and indicators that a city embeds on its own website: frameable, while every
other page still refuses to be framed."""

import pytest

from tests.status_support import DAY, debt_and_liquidity
from tests.test_pages import Outline
from zielwerk.evaluation.services import evaluate_edition
from zielwerk.goals.models import Edition
from zielwerk.indicators.models import Indicator, Value

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(seed_edition):
    debt, _ = debt_and_liquidity(seed_edition)
    Value.objects.create(indicator=debt, year=2025, value=1234.5, state=Value.State.ENTERED)
    evaluate_edition(seed_edition, DAY)
    return debt


def card(response) -> tuple[Outline, str]:
    assert response.status_code == 200
    html = response.content.decode()
    parser = Outline()
    parser.feed(html)
    # A card of its own: one heading, one main landmark, none of the site's header or footer.
    assert len(parser.h1) == 1 and parser.tags.count("main") == 1
    assert "header" not in parser.tags and "footer" not in parser.tags and "nav" not in parser.tags
    assert "zielwerk/embed.css" in html
    return parser, html


def test_goal_card_is_frameable_with_status_and_a_link_into_the_report(rated, client):
    response = client.get("/einbetten/ziele/12.3.4/")
    page, html = card(response)

    assert "X-Frame-Options" not in response.headers
    assert "Content-Security-Policy" not in response.headers
    assert page.lang == "de"
    assert page.h1 == ["12.3.4Kredite als subsidiäres Finanzierungsinstrument einsetzen"]
    assert "Operatives Ziel" in html and "<strong>leicht abweichend</strong>" in html
    assert "Bewertung zum 31.03.2025" in html
    assert '<a href="/ziele/12.3.4/" target="_blank" rel="noopener">im Bericht ansehen' in html
    assert "(öffnet ein neues Fenster)" in html


def test_english_card_and_cards_of_fields_with_their_distribution(rated, client):
    page, html = card(client.get("/en/einbetten/ziele/12.3.4/"))
    assert page.lang == "en" and "<strong>slightly off track</strong>" in html
    assert '<a href="/en/ziele/12.3.4/"' in html

    page, html = card(client.get("/einbetten/ziele/12/"))
    assert "Handlungsfeld" in html and '<a href="/handlungsfelder/12/"' in html
    assert "1 × kritisch" in html and "18 × nicht gemessen" in html
    page, html = card(client.get("/einbetten/ziele/12.3/"))
    assert "Strategisches Ziel" in html and "<strong>kritisch</strong>" in html


def test_indicator_card_shows_the_latest_approved_value(rated, client):
    response = client.get("/einbetten/indikatoren/debt/")
    page, html = card(response)

    assert "X-Frame-Options" not in response.headers
    assert page.h1 == ["Debt"]
    assert "Letzter freigegebener Wert:" in html and "948,0" in html and "(2024)" in html
    assert "1.234,5" not in html  # entered, not approved: not public
    assert "<strong>leicht abweichend</strong>" in html and "12.3.4" in html
    assert '<a href="/indikatoren/debt/" target="_blank" rel="noopener">' in html


def test_other_pages_still_refuse_frames(rated, client):
    for path in ("/", "/ziele/12.3.4/", "/barrierefreiheit/", "/en/leichte-sprache/"):
        assert client.get(path)["X-Frame-Options"] == "DENY", path


def test_unknown_or_unpublished_goals_and_indicators_give_404(rated, client):
    assert client.get("/einbetten/ziele/12.9.9/").status_code == 404
    assert client.get("/einbetten/indikatoren/gibt-es-nicht/").status_code == 404
    Indicator.objects.create(code="ohne-ziel", name="Ohne Ziel", direction="increase")
    assert client.get("/einbetten/indikatoren/ohne-ziel/").status_code == 404
    Edition.objects.update(is_published=False)
    assert client.get("/einbetten/ziele/12.3.4/").status_code == 404
    assert client.get("/einbetten/indikatoren/debt/").status_code == 404


def test_configured_sites_alone_may_frame_the_cards(rated, client, settings):
    settings.ZIELWERK_EMBED_ALLOWED_ORIGINS = ["https://www.example.de", "https://intra.example.de"]

    response = client.get("/einbetten/indikatoren/debt/")

    assert response["Content-Security-Policy"] == (
        "frame-ancestors https://www.example.de https://intra.example.de"
    )
    assert "X-Frame-Options" not in response.headers


def test_operative_goal_page_offers_the_code_to_embed_its_card(rated, client):
    html = client.get("/ziele/12.3.4/").content.decode()

    assert '<label for="embed-code">HTML-Code zum Einbetten</label>' in html
    assert '&lt;iframe src="http://testserver/einbetten/ziele/12.3.4/"' in html
    assert 'title="Operatives Ziel 12.3.4: Kredite als subsidiäres' in html
    assert '<a href="/einbetten/ziele/12.3.4/">Vorschau der Karte</a>' in html

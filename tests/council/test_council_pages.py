"""Public pages of the SEK-Check: the list of published checks with filters, one check, the
council decisions on a goal page, the yearly overview and annual evaluation — published checks
only, never an unpublished check, an exemption, a paper's text or a person; in German and
English."""

from __future__ import annotations

import datetime

import pytest

from zielwerk.council.evaluation import annual_evaluation
from zielwerk.council.models import Check, Paper, Rating
from zielwerk.goals.queries import find_goal

pytestmark = pytest.mark.django_db

# Sample papers of zielwerk/council/data/hf12-papers.yaml by what happened to their check.
PUBLISHED = [
    "Haushaltssatzung und Haushaltsplan 2026",
    "Beschaffungsrichtlinie Fairtrade und Kreislaufwirtschaft",
    "Rathaus: Energetische Sanierung des Verwaltungsgebäudes",
    "Digitalisierung Bürgerservice: Online-Anträge und E-Akte",
    "Personalentwicklungskonzept 2026–2030",
    "Leitlinien für Bürgerbeteiligung – Fortschreibung",
]
NOT_PUBLIC = {
    "approved": "Gebührensatzung für Verwaltungsleistungen – Neukalkulation",
    "review": "Neubau Verwaltungszentrum Süd: Baubeschluss",
    "in_progress": "Klimapartnerschaft Kongoussi: Projektförderung 2027",
    "exempt": "Personalangelegenheit: Besetzung der Leitung eines Fachbereichs",
    "open": "Zuschüsse an Vereine und Initiativen 2027",
}
# What only staff may read: people, an exemption, a justification of an unpublished check,
# the text of a paper.
PRIVATE = [
    "Fritz Finanzen",
    "Sabine Strategie",
    "Berta",
    "eine Abwägung mit den Zielen des SEK ist nicht sachgerecht",
    "Ohne Ermäßigungen werden Leistungen",
    "Kredite von 16 Mio. EUR",
    "Der Gemeinderat beschließt die Haushaltssatzung",
]


def _paper(title: str) -> Paper:
    return Paper.objects.get(title__startswith=title)


def _html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def test_list_shows_published_checks_only(demo, client):
    html = _main(_html(client, "/beschluesse/"))

    assert "6 veröffentlichte SEK-Checks" in html
    for title in PUBLISHED:
        assert f"{title} (Beispieldaten)" in html
    for title in NOT_PUBLIC.values():
        assert title not in html
    for text in PRIVATE:
        assert text not in html
    fairtrade = _paper(PUBLISHED[1])
    assert f'href="/beschluesse/{fairtrade.pk}/"' in html
    assert 'href="/ziele/12.4.1/">12.4.1</a>: +2 stark fördernd' in html


def test_list_filters_by_year_and_goal_and_explains_bad_filters(demo, client):
    fairtrade = _paper(PUBLISHED[1])

    html = _main(_html(client, "/beschluesse/?goal=12.4.1"))
    assert "1 veröffentlichter SEK-Check" in html and "(gefiltert)" in html
    assert PUBLISHED[1] in html and PUBLISHED[0] not in html

    year = fairtrade.date.year
    html = _main(_html(client, f"/beschluesse/?year={year}"))
    expected = [t for t in PUBLISHED if _paper(t).date.year == year]
    count = len(expected)
    assert (f"{count} veröffentlichte SEK-Checks" if count > 1 else "1 veröffentlichter") in html
    assert all(title in html for title in expected)

    # Only goals a published check rated are offered; 12.2.1 was also rated by the
    # unpublished fee check, 12.3.1 only by it.
    assert '<option value="12.2.1"' in html and '<option value="12.3.1"' not in html

    html = _main(_html(client, "/beschluesse/?goal=99.9.9&year=neunzehn"))
    assert "Filter nicht angewendet: „neunzehn“ ist keine Jahreszahl (z. B. 2025)." in html
    assert "hat kein operatives Ziel mit der Nummer „99.9.9“" in html
    assert "6 veröffentlichte SEK-Checks" in html


def test_list_pages_through_many_checks(demo, client):
    template = Check.objects.get(paper=_paper(PUBLISHED[0]))
    for number in range(55):
        paper = Paper.objects.create(
            title=f"Weitere Vorlage {number}",
            date=datetime.date(2020, 1, 1) + datetime.timedelta(days=number),
            paper_type="Beschlussvorlage",
        )
        Check.objects.create(
            paper=paper, edition=template.edition, state=Check.State.CHECKED, is_public=True
        )

    first = _main(_html(client, "/beschluesse/"))
    second = _main(_html(client, "/beschluesse/?page=2"))

    assert "61 veröffentlichte SEK-Checks" in first and "Seite 1 von 2" in first
    assert 'href="?page=2"' in first
    assert "Weitere Vorlage 0<" in second and "Weitere Vorlage 0<" not in first


def test_detail_shows_the_published_check(demo, client):
    paper = _paper(PUBLISHED[4])

    html = _main(_html(client, f"/beschluesse/{paper.pk}/"))

    assert f"{PUBLISHED[4]} (Beispieldaten)" in html
    assert "Fachbereich Personal und Organisation" in html
    assert "Stärkt Fortbildung, Führung und Vielfalt" in html  # summary
    assert "+2 stark fördernd" in html and "−1 hemmend" in html
    assert "Führungskräfteentwicklung und Fortbildung stärken die Organisationskultur." in html
    assert 'href="/ziele/12.4.5/"' in html
    assert "Alle anderen operativen Ziele sind von dieser Vorlage nicht betroffen." in html
    for text in PRIVATE:
        assert text not in html


@pytest.mark.parametrize("state", list(NOT_PUBLIC))
def test_unpublished_checks_have_no_page(demo, client, state):
    paper = _paper(NOT_PUBLIC[state])

    assert client.get(f"/beschluesse/{paper.pk}/").status_code == 404


def test_a_paper_deleted_in_the_source_disappears(demo, client):
    paper = _paper(PUBLISHED[1])
    paper.deleted = True
    paper.save()

    assert client.get(f"/beschluesse/{paper.pk}/").status_code == 404
    assert PUBLISHED[1] not in _html(client, "/beschluesse/")
    assert PUBLISHED[1] not in _html(client, "/ziele/12.4.1/")


def test_goal_page_lists_the_council_decisions_on_the_goal(demo, client):
    html = _main(_html(client, "/ziele/12.2.1/"))

    assert "<h2>Beschlüsse des Gemeinderats</h2>" in html
    digital = _paper(PUBLISHED[3])
    assert f'href="/beschluesse/{digital.pk}/"' in html
    assert "+1 fördernd" in html
    assert "Der Bearbeitungsstand ist für die Antragstellenden jederzeit sichtbar." in html
    # The fee check rated 12.2.1 too, but is not published.
    assert NOT_PUBLIC["approved"] not in html
    for text in PRIVATE:
        assert text not in html
    # A goal no published check rated has no such section.
    assert "Beschlüsse des Gemeinderats</h2>" not in _html(client, "/ziele/12.4.4/")


def test_english_pages_mark_german_content(demo, client):
    paper = _paper(PUBLISHED[4])
    year = paper.date.year
    for url in ("/en/beschluesse/", f"/en/beschluesse/{paper.pk}/", "/en/sek-check/"):
        html = _html(client, url)
        assert '<html lang="en">' in html
    html = _main(_html(client, f"/en/beschluesse/{paper.pk}/"))
    assert f'<span lang="de">{PUBLISHED[4]} (Beispieldaten)</span>' in html
    assert _html(client, f"/en/sek-check/{year}/").count('lang="de"') > 1


def test_overview_shows_coverage_per_year(demo, client):
    html = _main(_html(client, "/sek-check/"))

    years = sorted({p.date.year for p in Paper.objects.filter(paper_type="Beschlussvorlage")})
    for year in years:
        assert f'href="/sek-check/{year}/"' in html
    assert 'href="/indikatoren/12-4-4-sek-check/"' in html
    for text in PRIVATE:
        assert text not in html


def test_years_without_checks_or_papers_have_no_evaluation(demo, client):
    assert client.get("/sek-check/1999/").status_code == 404
    assert client.get("/sek-check/2999/").status_code == 404


@pytest.fixture
def year_of_checks(demo, settings):
    """Checks of 2025 on goals of the demo edition (sample papers removed):
    A (published, FB-FIN): 12.4.1 +2, 12.3.2 −1; B (published, no department): 12.3.2 −2,
    12.3.4 −1; C (published): no goal affected; D (approved, unpublished): 12.3.2 −2;
    E (exempt); F (in progress): 12.4.1 −2; G: no check. A deleted paper with a published
    check and a paper of 2024 do not count."""
    settings.ZIELWERK_SEK_CHECK_START = "2025-01-01"
    Paper.objects.all().delete()
    edition = demo.edition
    day = datetime.date(2025, 4, 1)

    def make(ratings, state=Check.State.CHECKED, public=True, department="", **paper_fields):
        paper = Paper.objects.create(
            title="Vorlage",
            date=paper_fields.pop("date", day),
            paper_type="Beschlussvorlage",
            department=department,
            **paper_fields,
        )
        if state is None:
            return
        check = Check.objects.create(paper=paper, edition=edition, state=state, is_public=public)
        for code, score in ratings.items():
            Rating.objects.create(
                check_ref=check, goal=find_goal(edition, code), score=score, justification="x"
            )

    make({"12.4.1": 2, "12.3.2": -1}, department="Fachbereich Finanzen")
    make({"12.3.2": -2, "12.3.4": -1})
    make({})
    make({"12.3.2": -2}, public=False, department="Fachbereich Finanzen")
    make({}, state=Check.State.EXEMPT, public=False)
    make({"12.4.1": -2}, state=Check.State.IN_PROGRESS, public=False)
    make({}, state=None)
    make({"12.4.1": -2}, deleted=True)
    make({"12.4.1": -2}, date=datetime.date(2024, 4, 1))
    return edition


def test_annual_evaluation_counts_published_checks(year_of_checks, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        evaluation = annual_evaluation(year_of_checks, 2025)

    assert (evaluation.checks, evaluation.checks_without_ratings, evaluation.ratings) == (3, 1, 4)
    per_goal = {row.goal.code: row.scores.cells for row in evaluation.goals}
    assert per_goal == {
        "12.3.2": [1, 1, 0, 0, 0],
        "12.3.4": [0, 1, 0, 0, 0],
        "12.4.1": [0, 0, 0, 0, 1],
    }
    assert [(g.field.number, g.scores.cells) for g in evaluation.fields] == [(12, [1, 2, 0, 0, 1])]
    assert [(g.label, g.scores.total) for g in evaluation.departments] == [
        ("", 2),
        ("Fachbereich Finanzen", 2),
    ]
    assert [row.goal.code for row in evaluation.hindered] == ["12.3.2", "12.3.4"]
    papers = evaluation.papers
    assert (papers.papers, papers.checked, papers.exempt, papers.open) == (7, 4, 1, 2)

    staff = annual_evaluation(year_of_checks, 2025, public_only=False)
    assert staff.checks == 4
    assert {row.goal.code: row.scores.hindering for row in staff.hindered} == {
        "12.3.2": 3,
        "12.3.4": 1,
    }


def test_annual_evaluation_page_shows_the_numbers(year_of_checks, client):
    html = _main(_html(client, "/sek-check/2025/"))

    assert "<strong>7</strong> Beschlussvorlagen" in html
    assert "geprüft: <strong>4</strong> (57,1 %)" in html
    assert "ausgenommen: <strong>1</strong> (14,3 %)" in html
    assert "offen: <strong>2</strong> (28,6 %)" in html
    assert "<strong>66,7 %</strong>" in html  # 4 of 6
    assert "3 veröffentlichte SEK-Checks, davon 1 ohne betroffenes Ziel" in html
    hindered = html[html.index("Am häufigsten gehemmte Ziele") : html.index("</ol>")]
    assert hindered.index("12.3.2") < hindered.index("12.3.4")
    assert "2 Vorlagen hemmend" in hindered and "1 Vorlage hemmend" in hindered
    assert "ohne Angabe" in html and "Fachbereich Finanzen" in html
    assert 'href="/beschluesse/?year=2025&amp;goal=12.4.1"' in html

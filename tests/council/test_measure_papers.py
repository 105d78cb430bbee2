"""Measures name the council papers they rest on; the public measure page lists them and
links a paper's SEK-Check only once it is published."""

import pytest

from zielwerk.council.models import Paper
from zielwerk.measures.models import Measure

pytestmark = pytest.mark.django_db


def test_measure_page_lists_its_papers_and_links_published_checks_only(demo, client):
    published = Paper.objects.get(title__startswith="Beschaffungsrichtlinie Fairtrade")
    in_progress = Paper.objects.get(title__startswith="Klimapartnerschaft Kongoussi")
    assert published.sek_check.is_public and not in_progress.sek_check.is_public

    page = client.get("/massnahmen/M-12-06/").content.decode()
    assert "Beschlüsse des Gemeinderats" in page
    assert f'href="/beschluesse/{published.pk}/"' in page
    assert published.reference in page

    other = client.get("/massnahmen/M-12-04/").content.decode()
    assert in_progress.title in other
    assert f"/beschluesse/{in_progress.pk}/" not in other


def test_deleted_papers_and_measures_without_papers_show_no_section(demo, client):
    Paper.objects.filter(measures__number="M-12-06").update(deleted=True)

    assert "Beschlüsse des Gemeinderats" not in client.get("/massnahmen/M-12-06/").content.decode()
    assert not Measure.objects.get(number="M-12-01").papers.exists()
    assert "Beschlüsse des Gemeinderats" not in client.get("/massnahmen/M-12-01/").content.decode()

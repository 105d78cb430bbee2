"""Anonymous visitors share a short-lived copy of each public page; staff never do."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from zielwerk.goals.queries import current_edition, find_goal

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.ZIELWERK_PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def _retitle(code: str, title: str) -> None:
    goal = find_goal(current_edition(), code)
    goal.title = title
    goal.save()


def test_anonymous_visitors_get_the_stored_copy_staff_a_fresh_page(demo, client, page_cache):
    first = client.get("/ziele/12.3.4/").content.decode()
    _retitle("12.3.4", "Neuer Titel im Test")
    assert client.get("/ziele/12.3.4/").content.decode() == first
    # Each address has its own copy.
    assert "Neuer Titel im Test" in client.get("/ziele/12.3/").content.decode()

    staff = client.__class__()
    staff.force_login(get_user_model().objects.get(username="strategie"))
    assert "Neuer Titel im Test" in staff.get("/ziele/12.3.4/").content.decode()

    cache.clear()
    assert "Neuer Titel im Test" in client.get("/ziele/12.3.4/").content.decode()


def test_nothing_is_stored_when_switched_off(demo, client, settings):
    settings.ZIELWERK_PUBLIC_CACHE_SECONDS = 0
    client.get("/ziele/12.3.4/")
    _retitle("12.3.4", "Sofort sichtbar")
    assert "Sofort sichtbar" in client.get("/ziele/12.3.4/").content.decode()


def test_pages_with_forms_and_frame_rules_stay_correct(demo, client, page_cache):
    # The feedback form sets a CSRF cookie: such a page is never stored.
    client.cookies.clear()
    first = client.get("/barrierefreiheit/")
    assert first.cookies
    client.cookies.clear()
    assert client.get("/barrierefreiheit/").cookies

    for _ in range(2):
        embed = client.get("/einbetten/ziele/12.3.4/")
        assert "X-Frame-Options" not in embed.headers
        page = client.get("/ziele/12.3.4/")
        assert page.headers["X-Frame-Options"] == "DENY"

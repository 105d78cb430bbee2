from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "000_c9e9ab87b69f2e8c.txt"


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def seed_edition(db):
    from zielwerk.goals.importing import import_sek_file

    return import_sek_file(SEED, "2023").edition


@pytest.fixture
def demo(db):
    """The demo set: seed edition 2023, sample units with responsibilities, demo logins."""
    from zielwerk.demo import load_demo

    return load_demo()


@pytest.fixture
def login(client):
    """Log the test client in as one of the demo people."""
    from django.contrib.auth import get_user_model

    def _login(username: str):
        user = get_user_model().objects.get(username=username)
        client.force_login(user)
        return user

    return _login


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The demo creates several logins per test; real key stretching would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _source_language():
    # A request to an /en/ page leaves English active in the thread (LocaleMiddleware does not
    # reset it), which would leak into the next test's commands and services.
    from django.utils import translation

    yield
    translation.activate("de")

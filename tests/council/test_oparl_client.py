"""The OParl HTTP client under injected faults of the local server: retries with backoff,
Retry-After, timeouts, dropped connections, broken JSON, client errors and the rate limit."""

import functools
import time

import pytest

from zielwerk.council.models import Paper
from zielwerk.council.oparl import MalformedResponse, OParlError
from zielwerk.council.sync import sync

from .oparl_server import OParlServer, fast_client, karlsruhe

SMALL = functools.partial(karlsruhe, count=60)


@pytest.mark.django_db
def test_503_and_429_are_retried_and_retry_after_is_honoured():
    with OParlServer(SMALL) as server:
        server.fault("status", match="/papers?page=2", status=503)
        server.fault("status", match="/papers?page=3", status=429, retry_after="1")
        start = time.monotonic()
        result = sync(server.entry, client=fast_client())
        elapsed = time.monotonic() - start
        assert len(server.requests("/papers?page=2")) == 2
        assert len(server.requests("/papers?page=3")) == 2
    assert not result.error and result.papers.created == 60
    assert Paper.objects.count() == 60
    assert elapsed >= 1.0  # the backoff alone would be 10 ms


@pytest.mark.django_db
def test_slow_answer_is_retried_after_the_timeout():
    with OParlServer(SMALL) as server:
        server.fault("slow", match="/papers?page=2", delay=1.2)
        result = sync(server.entry, client=fast_client(timeout=0.4))
        assert len(server.requests("/papers?page=2")) == 2
    assert not result.error and result.papers.created == 60


@pytest.mark.django_db
def test_timeout_on_every_attempt_stops_the_run_with_a_clear_error():
    with OParlServer(SMALL) as server:
        server.fault("slow", match="/papers?page=2", delay=1.2, times=None)
        result = sync(server.entry, client=fast_client(timeout=0.4, retries=1))
    assert result.error.startswith("Zeitüberschreitung: ")
    assert "nicht innerhalb von 0.4 s geantwortet" in result.error
    assert result.error.endswith("(Versuche: 2)")
    assert Paper.objects.count() == 20
    assert result.source.resume_state["next"].endswith("/papers?page=2")


def test_dropped_connection_is_retried():
    with OParlServer(SMALL) as server:
        server.fault("drop", match="/bodies/0001/papers/vo/16656")
        client = fast_client()
        paper = client.get_object(f"{server.base}/bodies/0001/papers/vo/16656")
        assert paper["reference"] == "16656"
        assert len(server.requests("/vo/16656")) == 2


def test_truncated_json_is_retried_then_reported():
    url_part = "/bodies/0001/papers/vo/16656"
    with OParlServer(SMALL) as server:
        server.fault("malformed", match=url_part)
        assert fast_client().get_object(f"{server.base}{url_part}")["reference"] == "16656"
        server.fault("malformed", match=url_part, times=None)
        with pytest.raises(MalformedResponse, match=r"kein gültiges JSON.*\(Versuche: 3\)"):
            fast_client(retries=2).get_object(f"{server.base}{url_part}")
        assert len(server.requests(url_part)) == 2 + 3


def test_client_errors_and_non_json_are_not_retried():
    with OParlServer(SMALL) as server:
        client = fast_client()
        with pytest.raises(OParlError, match=r"HTTP 404 Not Found\. Unter dieser Adresse gibt es"):
            client.get_object(f"{server.base}/gibtsnicht")
        server.fault("status", match="/system", status=403)
        with pytest.raises(OParlError, match=r"HTTP 403 Forbidden\. Der Zugriff ist nicht erlaubt"):
            client.get_object(server.entry)
        pdf = next(iter(server.data.downloads))
        with pytest.raises(MalformedResponse, match=r"kein JSON \(application/pdf\)"):
            client.get_object(f"{server.root}{pdf}")
        assert len(server.log) == 3


def test_rate_limits_requests_per_second():
    with OParlServer(SMALL) as server:
        client = fast_client(rate=20)
        start = time.monotonic()
        for _ in range(6):
            client.get_object(server.entry)
        elapsed = time.monotonic() - start
    assert client.requests == 6
    assert elapsed >= 5 * 0.05


def test_unreachable_server_names_the_address():
    with pytest.raises(OParlError, match=r"127\.0\.0\.1:9/oparl ist nicht erreichbar"):
        fast_client(retries=0).get_object("http://127.0.0.1:9/oparl")

"""HTTP client for OParl endpoints (1.0 and 1.1): JSON objects, paginated lists, file bytes.

Council information systems are often slow, rate-limited and sometimes flaky, so every request
waits for the minimum interval, and connection errors, timeouts, server errors (5xx), 429 and
truncated JSON are retried with exponential backoff (honouring Retry-After). Other client
errors (4xx) are final. Every failure ends in an `OParlError` with a German message that names
the address."""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests
from django.utils.translation import gettext as _

USER_AGENT = "zielwerk-oparl-sync/1.0"
# Longest wait a Retry-After header may impose; a server asking for more is asked again sooner.
MAX_WAIT = 120.0
# Guards the memory of the run against a mislabelled video or an endless stream.
MAX_FILE_BYTES = 50 * 1024 * 1024


class OParlError(Exception):
    """The endpoint could not be read; the message says where and why (German)."""


class MalformedResponse(OParlError):
    """The answer is not JSON, or not the object or list the caller asked for."""


class _Retryable(Exception):
    """One attempt failed in a way that may pass; the message is the reason if none is left."""

    def __init__(self, reason: str, wait: float | None = None, malformed: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait
        self.malformed = malformed


@dataclass(frozen=True)
class Page:
    url: str
    objects: list[Any]
    next_url: str | None
    last_url: str | None
    total: int | None


def with_query(url: str, params: dict[str, str]) -> str:
    """`url` with `params` added to (or replacing those in) its query string."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += list(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


class OParlClient:
    """One keep-alive session to one council information system."""

    def __init__(
        self,
        *,
        rate: float = 4.0,
        timeout: float = 30.0,
        retries: int = 4,
        backoff: float = 1.0,
    ) -> None:
        if rate < 0 or timeout <= 0 or retries < 0 or backoff < 0:
            raise ValueError("rate, retries and backoff must not be negative, timeout positive")
        self.interval = 1.0 / rate if rate else 0.0
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.requests = 0
        self._next_start = 0.0
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})

    def close(self) -> None:
        self.session.close()

    def get_object(self, url: str) -> dict[str, Any]:
        data = self._with_retries(url, self._json_attempt)
        if not isinstance(data, dict):
            raise MalformedResponse(
                _("Die Antwort von %(url)s ist kein OParl-Objekt (JSON-Objekt erwartet).")
                % {"url": url}
            )
        return data

    def get_page(self, url: str) -> Page:
        """One page of an OParl list (`data`, `links.next`, `pagination.totalElements`)."""
        data = self.get_object(url)
        objects = data.get("data")
        if not isinstance(objects, list):
            raise MalformedResponse(
                _("Die Antwort von %(url)s ist keine OParl-Liste (es fehlt das Feld „data“).")
                % {"url": url}
            )
        links = data.get("links") if isinstance(data.get("links"), dict) else {}
        pagination = data.get("pagination")
        total = pagination.get("totalElements") if isinstance(pagination, dict) else None
        return Page(
            url=url,
            objects=objects,
            next_url=_link(links, "next"),
            last_url=_link(links, "last"),
            total=total if isinstance(total, int) else None,
        )

    def pages(self, url: str) -> Iterator[Page]:
        while url:
            page = self.get_page(url)
            yield page
            url = page.next_url

    def get_bytes(self, url: str) -> bytes:
        return self._with_retries(url, self._bytes_attempt)

    def _json_attempt(self, response: requests.Response) -> Any:
        content = response.content
        if content.lstrip()[:1] not in (b"{", b"["):
            # An HTML page or a file: asking again would give the same.
            raise MalformedResponse(
                _("Die Antwort von %(url)s ist kein JSON (%(type)s).")
                % {"url": response.url, "type": response.headers.get("Content-Type", "?")}
            )
        try:
            return json.loads(content)
        except ValueError as exc:
            # A proxy cutting the body short looks like this; asking again often helps.
            raise _Retryable(
                _("Die Antwort von %(url)s ist kein gültiges JSON: %(reason)s")
                % {"url": response.url, "reason": exc},
                malformed=True,
            ) from exc

    def _bytes_attempt(self, response: requests.Response) -> bytes:
        chunks, size = [], 0
        for chunk in response.iter_content(64 * 1024):
            size += len(chunk)
            if size > MAX_FILE_BYTES:
                raise OParlError(
                    _("Die Datei %(url)s ist größer als %(mb)s MB und wird nicht gelesen.")
                    % {"url": response.url, "mb": MAX_FILE_BYTES // (1024 * 1024)}
                )
            chunks.append(chunk)
        return b"".join(chunks)

    def _with_retries(self, url: str, read):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise OParlError(
                _("Ungültige Adresse „%(url)s“: sie muss mit http:// oder https:// beginnen.")
                % {"url": url}
            )
        attempts = self.retries + 1
        for attempt in range(attempts):
            try:
                return self._attempt(url, read)
            except _Retryable as failure:
                if attempt + 1 == attempts:
                    error = MalformedResponse if failure.malformed else OParlError
                    raise error(
                        _("%(reason)s (Versuche: %(n)s)")
                        % {"reason": failure.reason, "n": attempts}
                    ) from failure
                delay = self.backoff * 2**attempt
                if failure.wait is not None:
                    delay = max(delay, min(failure.wait, MAX_WAIT))
                time.sleep(delay)
        raise AssertionError("unreachable")

    def _attempt(self, url: str, read):
        self._wait_for_turn()
        try:
            with self.session.get(url, timeout=self.timeout, stream=True) as response:
                self._check_status(response)
                return read(response)
        except requests.Timeout as exc:
            raise _Retryable(
                _("Zeitüberschreitung: %(url)s hat nicht innerhalb von %(s)s s geantwortet.")
                % {"url": url, "s": self.timeout}
            ) from exc
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
            raise _Retryable(
                _("Die Adresse %(url)s ist nicht erreichbar: %(reason)s")
                % {"url": url, "reason": _root_cause(exc)}
            ) from exc
        except requests.RequestException as exc:
            raise OParlError(
                _("Die Adresse %(url)s kann nicht abgefragt werden: %(reason)s")
                % {"url": url, "reason": exc}
            ) from exc

    def _wait_for_turn(self) -> None:
        now = time.monotonic()
        if now < self._next_start:
            time.sleep(self._next_start - now)
            now = self._next_start
        self._next_start = now + self.interval
        self.requests += 1

    def _check_status(self, response: requests.Response) -> None:
        status = response.status_code
        if status < 400:
            return
        message = _("Der Server antwortet auf %(url)s mit HTTP %(status)s %(reason)s.") % {
            "url": response.url,
            "status": status,
            "reason": response.reason or "",
        }
        if status == 429 or status >= 500:
            raise _Retryable(message, _retry_after(response.headers.get("Retry-After")))
        hints = {
            401: _("Die Schnittstelle verlangt eine Anmeldung."),
            403: _("Der Zugriff ist nicht erlaubt."),
            404: _("Unter dieser Adresse gibt es nichts; ist die Adresse richtig?"),
            410: _("Das Objekt gibt es nicht mehr."),
        }
        raise OParlError(f"{message} {hints.get(status, '')}".strip())


def _link(links: dict[str, Any], name: str) -> str | None:
    value = links.get(name)
    return value if isinstance(value, str) and value else None


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _root_cause(exc: BaseException) -> str:
    """The innermost reason of a requests/urllib3 error chain, e.g. "Connection refused";
    the outer layers only repeat the address."""
    while exc.__cause__ is not None or exc.__context__ is not None:
        exc = exc.__cause__ or exc.__context__
    return str(exc)

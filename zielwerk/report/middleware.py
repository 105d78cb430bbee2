"""A short-lived cache of public pages for visitors who are not logged in.

The public report changes when staff release data or an evaluation runs, not per visitor, so
anonymous GET requests share one rendered copy per address for ZIELWERK_PUBLIC_CACHE_SECONDS
(0 switches it off; the default is off with DEBUG). Logged-in staff always get a fresh page.
Pages that set a cookie, render a CSRF token (forms) or say they must not be stored
(`Cache-Control: private` or `no-store`, e.g. a sender's private status page) are never stored,
nor are staff and API addresses."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from zielwerk.report.context_processors import EXPORT_ATTRIBUTE

SKIPPED_PREFIXES = ("/verwaltung/", "/en/verwaltung/", "/api/", "/i18n/")
# Cookies that do not change what an anonymous visitor sees.
NEUTRAL_COOKIES = {"csrftoken", settings.LANGUAGE_COOKIE_NAME}


def _private(response: HttpResponse) -> bool:
    directives = {d.strip().lower() for d in response.get("Cache-Control", "").split(",")}
    return bool(directives & {"private", "no-store"})


class PublicPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.ZIELWERK_PUBLIC_CACHE_SECONDS
        if not seconds or not self._cacheable(request):
            return self.get_response(request)
        key = f"zielwerk:page:{get_language()}:{request.get_full_path()}"
        stored = cache.get(key)
        if stored is not None:
            return self._restore(stored)
        response = self.get_response(request)
        # A page that rendered a CSRF token belongs to this visitor alone.
        personal = (
            response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or _private(response)
        )
        if response.status_code == 200 and not personal and not response.streaming:
            cache.set(key, self._stored(response), seconds)
        return response

    @staticmethod
    def _cacheable(request: HttpRequest) -> bool:
        return (
            request.method == "GET"
            # The static export renders its own variant of each page (static_export).
            and not getattr(request, EXPORT_ATTRIBUTE, False)
            and not request.path.startswith(SKIPPED_PREFIXES)
            and set(request.COOKIES) <= NEUTRAL_COOKIES
        )

    @staticmethod
    def _stored(response: HttpResponse) -> tuple:
        exempt = getattr(response, "xframe_options_exempt", False)
        return response.content, dict(response.headers), exempt

    @staticmethod
    def _restore(stored: tuple) -> HttpResponse:
        content, headers, exempt = stored
        response = HttpResponse(content, headers=headers)
        if exempt:
            response.xframe_options_exempt = True
        return response

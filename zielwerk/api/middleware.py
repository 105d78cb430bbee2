"""The API speaks the language the client asks for.

Public pages choose their language by URL prefix (/en/…); LocaleMiddleware therefore pins every
unprefixed path, /api/ included, to German. API clients have no prefix to choose, so for them
the Accept-Language header (or the language cookie) decides."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation


class ApiLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            language = translation.get_language_from_request(request)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)

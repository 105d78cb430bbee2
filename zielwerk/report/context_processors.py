"""Template context for pages rendered by the static export (`zielwerk export-site`).

The export marks its requests with the attribute EXPORT_ATTRIBUTE (report/export.py); pages then
see `static_export` and leave out what needs a server (forms, login), and the language switch
is plain links to the same page in the other languages (as on every page)."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

EXPORT_ATTRIBUTE = "static_export"


def static_export(request: HttpRequest) -> dict[str, object]:
    # The language switch is a plain link everywhere: it works without JavaScript and a form,
    # sets no cookie (so public pages can be cached) and survives the static export.
    path = request.get_full_path()
    links = [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": translate_url(path, code),
        }
        for code, _name in settings.LANGUAGES
        if code != get_language()
    ]
    return {"static_export": getattr(request, EXPORT_ATTRIBUTE, False), "language_links": links}

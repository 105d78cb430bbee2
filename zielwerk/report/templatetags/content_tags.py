"""Content in the page language. German is the source language of all content; an English page
shows the English text (field `<name>_en`) where staff have written one. Where not, it shows the
German text marked with lang="de", so that screen readers switch pronunciation, and followed by a
small note that it exists in German only."""

from django import template
from django.conf import settings
from django.db import models
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()

SOURCE_LANGUAGE = settings.LANGUAGE_CODE


def _in_page_language(obj: models.Model, name: str) -> tuple[str, bool]:
    """The text to show and whether it is the German fallback on a page in another language."""
    german = getattr(obj, name) or ""
    language = get_language() or SOURCE_LANGUAGE
    if language == SOURCE_LANGUAGE:
        return german, False
    translated = getattr(obj, f"{name}_{language}", "")
    if translated:
        return translated, False
    return german, bool(german)


@register.simple_tag
def content(
    obj: models.Model, name: str, paragraphs: bool = False, words: int = 0, note: bool = True
) -> SafeString:
    """obj's text `name` in the page language, escaped.

    paragraphs: as paragraphs, like the linebreaks filter; words: shortened to so many words,
    like truncatewords; note=False leaves out the "German only" note, for a text repeated
    close to where it was already marked (e.g. a unit after each number)."""
    text, fallback = _in_page_language(obj, name)
    if words:
        text = Truncator(text).words(words, truncate=" …")
    html = linebreaks_filter(text, autoescape=True) if paragraphs else conditional_escape(text)
    if not fallback:
        return html
    if paragraphs:
        marked = format_html('<div lang="{}">{}</div>', SOURCE_LANGUAGE, html)
        notice = '<p class="lang-note">({})</p>'
    else:
        marked = format_html('<span lang="{}">{}</span>', SOURCE_LANGUAGE, html)
        notice = ' <span class="lang-note">({})</span>'
    if not note:
        return marked
    return format_html("{}" + notice, marked, _("nur auf Deutsch"))


@register.filter
def content_text(obj: models.Model, name: str) -> str:
    """obj's text `name` in the page language as plain text, for places that cannot hold markup
    such as the page title."""
    return _in_page_language(obj, name)[0]

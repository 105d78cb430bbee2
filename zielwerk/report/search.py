"""Searching the goals and indicators of an edition.

The data is small (a few hundred goals, about a thousand indicators), so the search reads the
texts once per request and matches in Python; that keeps it the same on SQLite and PostgreSQL
and lets it fold German spelling the way readers type:

- case does not matter, and ß matches ss ("strasse" finds "Straße");
- an umlaut matches its spelling with e and without dots ("Buerger" and "Burger" both find
  "Bürger"); other accents are ignored ("cafe" finds "Café");
- several words must all occur (AND), each anywhere in number, title or text;
- a goal number such as 12.3.4 puts that goal first.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from zielwerk.goals.models import Edition, Field, OperativeGoal, StrategicGoal
from zielwerk.goals.queries import RE_CODE
from zielwerk.indicators.models import Indicator
from zielwerk.report.templatetags.goal_urls import goal_url
from zielwerk.report.templatetags.indicator_tags import indicator_url

EXCERPT = 90  # characters of context on each side of the first match in a long text
SHOWN = 100  # hits shown per group; a query that finds more is too wide to read through
PUNCTUATION = "\"'„“‚‘»«()[]{},;:!?."
COMBINING = re.compile(r"[\u0300-\u036f]")
NON_ASCII = re.compile(r"[^\x00-\x7f]")


def fold(text: str, umlaut_e: bool = True) -> str:
    """The text as the search compares it: casefolded (ß → ss), umlauts as ae/oe/ue (or, with
    umlaut_e False, as plain vowels), other accents dropped."""
    folded = text.casefold()
    if umlaut_e:
        # replace() rather than translate(): translate maps one character at a time in Python.
        folded = folded.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    if folded.isascii():
        return folded
    return COMBINING.sub("", unicodedata.normalize("NFD", folded))


def words(query: str) -> list[str]:
    """The search words: split at spaces, quotes and trailing punctuation removed (the dots
    inside a goal number stay)."""
    return [w for w in (word.strip(PUNCTUATION) for word in query.split()) if w]


@dataclass(frozen=True)
class Folding:
    """A folded text and the way back to the original: the characters whose folded form is not
    one character long (ß → ss, ä → ae, a combining accent → nothing), with their folded and
    original positions. German text has few of them, so this is cheap to build."""

    folded: str
    starts: tuple[int, ...]
    origins: tuple[int, ...]
    lengths: tuple[int, ...]

    @classmethod
    def of(cls, text: str, umlaut_e: bool) -> Folding:
        starts, origins, lengths = [], [], []
        shift = 0
        for match in NON_ASCII.finditer(text):
            length = len(fold(match.group(), umlaut_e))
            if length != 1:
                starts.append(match.start() + shift)
                origins.append(match.start())
                lengths.append(length)
                shift += length - 1
        return cls(fold(text, umlaut_e), tuple(starts), tuple(origins), tuple(lengths))

    def original(self, position: int) -> int:
        """The index in the original text of the character at `position` of the folded one."""
        k = bisect_right(self.starts, position) - 1
        if k < 0:
            return position
        start, origin, length = self.starts[k], self.origins[k], self.lengths[k]
        return origin if position < start + length else origin + 1 + position - start - length


def spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where the terms occur in the text, folded both ways, as merged (start, end) pairs of
    the original text."""
    found = []
    for umlaut_e in (True, False):
        folding = Folding.of(text, umlaut_e)
        for term in {fold(t, umlaut_e) for t in terms} - {""}:
            start = folding.folded.find(term)
            while start != -1:
                end = start + len(term)
                # A match ends after its last character, and after the accents that follow it.
                after = folding.original(end) if end < len(folding.folded) else len(text)
                found.append((folding.original(start), max(folding.original(end - 1) + 1, after)))
                start = folding.folded.find(term, end)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(
    text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None
) -> SafeString:
    """text[start:end], HTML-escaped, with each span in <mark>."""
    end = len(text) if end is None else end
    parts, position = [], start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end:
            continue
        parts.append(escape(text[position:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(escape(text[position:end]))
    return mark_safe("".join(parts))


def excerpt(text: str, spans: list[tuple[int, int]]) -> SafeString:
    """The part of a long text around its first match, cut at spaces, with the matches
    marked; the beginning of the text when nothing in it matches."""
    if not text:
        return mark_safe("")
    first = spans[0][0] if spans else 0
    start = 0 if first <= EXCERPT else text.find(" ", first - EXCERPT) + 1
    stop = text.rfind(" ", 0, first + EXCERPT + 60)
    end = len(text) if len(text) <= first + EXCERPT + 60 or stop <= first else stop
    html = highlight(text, spans, start, end)
    return mark_safe(("… " if start else "") + html + (" …" if end < len(text) else ""))


@dataclass
class Item:
    """One goal or indicator as the search sees it."""

    kind: str
    code: str
    title: str
    text: str
    url: str
    whole: tuple[str, str] = field(init=False)
    title_folded: tuple[str, str] = field(init=False)

    def __post_init__(self) -> None:
        whole = f"{self.code}\n{self.title}\n{self.text}"
        self.whole = (fold(whole, True), fold(whole, False))
        self.title_folded = (fold(self.title, True), fold(self.title, False))

    def matches(self, terms: list[str]) -> bool:
        return all(_within(term, self.whole) for term in terms)

    def in_title(self, terms: list[str]) -> bool:
        return all(_within(term, self.title_folded) for term in terms)


def _within(term: str, folded: tuple[str, str]) -> bool:
    return fold(term, True) in folded[0] or fold(term, False) in folded[1]


@dataclass
class Hit:
    item: Item
    code: SafeString
    title: SafeString
    excerpt: SafeString


@dataclass
class Group:
    kind: str
    label: str
    hits: list[Hit]
    total: int


GROUPS = [
    ("field", _("Handlungsfelder")),
    ("strategic", _("Strategische Ziele")),
    ("operative", _("Operative Ziele")),
    ("indicator", _("Indikatoren")),
]


@dataclass
class SearchResult:
    query: str
    terms: list[str]
    groups: list[Group]
    exact: Item | None = None

    @property
    def count(self) -> int:
        return sum(group.total for group in self.groups)


def items_of(edition: Edition) -> list[Item]:
    """Every field, strategic and operative goal and indicator of the edition, in goal order
    (four queries)."""
    items = [
        Item("field", f.code, f.title, f.leitsatz, goal_url(f.code, edition))
        for f in Field.objects.filter(edition=edition).order_by("number")
    ]
    items += [
        Item("strategic", g.code, g.title, g.text, goal_url(g.code, edition))
        for g in StrategicGoal.objects.filter(field__edition=edition)
        .select_related("field")
        .order_by("field__number", "number")
    ]
    items += [
        Item("operative", g.code, g.title, g.text, goal_url(g.code, edition))
        for g in OperativeGoal.objects.filter(strategic_goal__field__edition=edition)
        .select_related("strategic_goal__field")
        .order_by("strategic_goal__field__number", "strategic_goal__number", "number")
    ]
    items += [
        Item("indicator", i.code, i.name, i.definition, indicator_url(i.code, edition))
        for i in Indicator.objects.filter(
            operative_goals__strategic_goal__field__edition=edition
        ).distinct()
    ]
    return items


def _hit(item: Item, terms: list[str]) -> Hit:
    return Hit(
        item,
        highlight(item.code, spans(item.code, terms)),
        highlight(item.title, spans(item.title, terms)),
        excerpt(item.text, spans(item.text, terms)),
    )


def search(edition: Edition, query: str) -> SearchResult:
    """Goals and indicators of the edition in which every word of the query occurs, grouped by
    kind; within a group the goal with the number searched for first, then those matching in
    their title, then in goal order. Each group shows at most SHOWN hits."""
    terms = words(query)
    result = SearchResult(query.strip(), terms, [])
    if not terms:
        return result
    items = items_of(edition)
    if RE_CODE.match(result.query):
        result.exact = next(
            (i for i in items if i.kind != "indicator" and i.code == result.query), None
        )
    matching = [item for item in items if item.matches(terms)]
    for kind, label in GROUPS:
        found = [item for item in matching if item.kind == kind]
        found.sort(key=lambda item: (item is not result.exact, not item.in_title(terms)))
        if found:
            hits = [_hit(item, terms) for item in found[:SHOWN]]
            result.groups.append(Group(kind, str(label), hits, len(found)))
    return result

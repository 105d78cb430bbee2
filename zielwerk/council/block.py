"""The "SEK-Check" block that goes into the printed Beschlussvorlage: the paper, the state of its
check, every affected operative goal with its rating in words and the justification (or the
exemption and its reason), and who approved it when. Goals not listed are "nicht betroffen".

One content (`block_content`) in four forms: Markdown and plain text for pasting, HTML from
council/block_document.html, and PDF laid out from that HTML by WeasyPrint like the printed
report (report/pdf.py): no address outside the app's static files is fetched."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from weasyprint import HTML

from zielwerk.council.checks import person_name
from zielwerk.council.models import Check, Paper, Rating
from zielwerk.report.pdf import StaticFilesOnly, base_url

DOCUMENT_TEMPLATE = "council/block_document.html"
RE_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


@dataclass(frozen=True)
class RatedGoal:
    code: str
    title: str
    word: str
    justification: str


@dataclass(frozen=True)
class Block:
    paper: Paper
    state: str
    edition_title: str
    goals: list[RatedGoal]
    exemption_reason: str
    responsible: str
    approved_by: str
    approved_on: str
    """Empty while the check is not approved."""

    @property
    def is_exempt(self) -> bool:
        return bool(self.exemption_reason)

    @property
    def paper_line(self) -> str:
        return " – ".join(part for part in (self.paper.reference, self.paper.title) if part)


def block_content(check: Check) -> Block:
    ratings = check.ratings.select_related("goal__strategic_goal__field")
    approved_on = ""
    if check.approved_at is not None:
        approved_on = _date(timezone.localtime(check.approved_at).date())
    return Block(
        paper=check.paper,
        state=check.get_state_display(),
        edition_title=check.edition.title or check.edition.name,
        goals=[_rated(rating) for rating in ratings],
        exemption_reason=check.exemption_reason,
        responsible=str(check.responsible or ""),
        approved_by=person_name(check.approved_by) if check.approved_by else "",
        approved_on=approved_on,
    )


def _rated(rating: Rating) -> RatedGoal:
    return RatedGoal(
        rating.goal.code, rating.goal.title, rating.get_score_display(), rating.justification
    )


def _date(day: dt.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _lines(block: Block, markdown: bool) -> list[str]:
    """The block as lines of Markdown or of plain text; both say the same in the same order."""

    def esc(text: str) -> str:
        return RE_MARKDOWN_SPECIAL.sub(r"\\\1", text) if markdown else text

    def strong(text: str) -> str:
        return f"**{esc(text)}**" if markdown else text

    # Markdown needs two trailing spaces to keep a line break inside a paragraph.
    br = "  " if markdown else ""
    title = _("SEK-Check")
    lines = [f"## {title}" if markdown else f"{title}\n{'=' * len(title)}", ""]
    lines += [
        f"{strong(_('Vorlage:'))} {esc(block.paper_line)}{br}",
        f"{strong(_('Stand:'))} {esc(block.state)}{br}",
        f"{strong(_('Bewertet nach:'))} {esc(block.edition_title)}",
        "",
    ]
    if block.is_exempt:
        lines += [
            f"{strong(_('Vom SEK-Check ausgenommen.'))} {_('Grund:')} "
            f"{esc(block.exemption_reason)}",
            "",
        ]
    else:
        lines += [strong(_("Betroffene operative Ziele")), ""]
        if not block.goals:
            lines.append(_("noch keine Bewertung"))
        for goal in block.goals:
            lines += [
                f"- {strong(f'{goal.code} {goal.title}')}: {esc(goal.word)}{br}",
                f"  {_('Begründung:')} {esc(goal.justification)}",
            ]
        lines += ["", _("Alle anderen operativen Ziele: nicht betroffen."), ""]
    lines.append(esc(_signature(block)))
    return lines


def _signature(block: Block) -> str:
    parts = []
    if block.responsible:
        parts.append(_("Bearbeitet von %(name)s.") % {"name": block.responsible})
    if block.approved_on:
        parts.append(
            _("Freigegeben von %(name)s am %(date)s.")
            % {"name": block.approved_by or "–", "date": block.approved_on}
        )
    else:
        parts.append(_("Noch nicht von der Strategiestelle freigegeben."))
    return " ".join(parts)


def block_markdown(check: Check) -> str:
    return "\n".join(_lines(block_content(check), markdown=True)) + "\n"


def block_text(check: Check) -> str:
    return "\n".join(_lines(block_content(check), markdown=False)) + "\n"


def block_context(check: Check) -> dict[str, object]:
    """What council/block.html shows (it is also included in the check's staff page, where
    `block` is taken by the template engine, hence the name)."""
    block = block_content(check)
    return {"sek_block": block, "signature": _signature(block)}


def block_html(check: Check) -> str:
    """The block as a standalone HTML document (for download and for the PDF)."""
    return render_to_string(DOCUMENT_TEMPLATE, block_context(check))


def block_pdf(check: Check) -> bytes:
    document = HTML(string=block_html(check), base_url=base_url(), url_fetcher=StaticFilesOnly())
    return document.write_pdf(pdf_variant="pdf/ua-1")


def block_file_name(check: Check, extension: str) -> str:
    """A file name for downloads: sek-check-123-2025.pdf for paper 123/2025."""
    stem = re.sub(r"[^0-9A-Za-z]+", "-", check.paper.reference or str(check.paper.pk))
    return f"sek-check-{stem.strip('-').lower() or check.paper.pk}.{extension}"

"""Plain text of a PDF (council papers, uploads) for the goal suggestions.

Layout does not matter here, words do: pages are joined by blank lines, runs of spaces are
collapsed and words split by a hyphen at a line end are joined again."""

from __future__ import annotations

import io
import logging
import re

from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError

# Words after which a trailing hyphen is an elided compound part ("Umwelt- und Klimaschutz"),
# so the hyphen stays and the words stay apart.
_CONJUNCTIONS = frozenset({"und", "oder", "bzw", "sowie", "bis", "als", "wie"})
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_HYPHEN_BREAK = re.compile(r"(\w)[-\u00ad]\n[ ]*(\w+)")


class PdfTextError(ValueError):
    """The bytes are not a readable PDF; the message says why (German)."""


def pdf_text(data: bytes) -> str:
    """Text of all pages of the PDF in `data`; "" for a PDF without text (a scan)."""
    # Readers accept the header anywhere in the first kilobyte; so does this check.
    if b"%PDF-" not in data[:1024]:
        raise PdfTextError(
            _("Die Datei ist keine PDF-Datei (ihr fehlt die PDF-Kennung am Anfang).")
        )
    # pypdf logs every repairable defect; a damaged file is reported through PdfTextError.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfTextError(_("Die PDF-Datei ist verschlüsselt und kann nicht gelesen werden."))
        pages = [_normalise(page.extract_text() or "") for page in reader.pages]
    except PdfTextError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        # pypdf raises plain Python errors as well as its own for damaged files.
        raise PdfTextError(
            _("Die PDF-Datei ist beschädigt und kann nicht gelesen werden: %(reason)s")
            % {"reason": exc}
        ) from exc
    return "\n\n".join(page for page in pages if page)


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = _HYPHEN_BREAK.sub(_join_hyphenated, "\n".join(lines))
    # Blank-line runs inside a page carry no meaning; one blank line keeps paragraphs apart.
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _join_hyphenated(match: re.Match[str]) -> str:
    before, after = match.group(1), match.group(2)
    if after.lower().rstrip(".") in _CONJUNCTIONS:
        return f"{before}- {after}"
    if after[0].isupper() or after[0].isdigit():
        # "Karlsruhe-\nDurlach", "Stufe-\n2": a real hyphen that only fell on the line end.
        return f"{before}-{after}"
    return f"{before}{after}"

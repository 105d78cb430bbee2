"""PDF text for council papers and uploads (zielwerk.council.pdftext)."""

import pytest
from weasyprint import HTML

from zielwerk.council.pdftext import PdfTextError, pdf_text


def test_pages_are_joined_by_blank_lines_and_hyphenation_is_undone():
    pdf = HTML(
        string="""<html lang="de"><body style="font-size: 11pt">
        <p>Die Stadt   beschafft fair gehandelte Produkte.</p>
        <p style="break-before: page">Das Klimaschutz-<br>konzept gilt für Umwelt-<br>und
        Verkehrsplanung in Karlsruhe-<br>Durlach.</p></body></html>"""
    ).write_pdf()
    assert pdf_text(pdf) == (
        "Die Stadt beschafft fair gehandelte Produkte.\n\n"
        "Das Klimaschutzkonzept gilt für Umwelt- und Verkehrsplanung in Karlsruhe-Durlach."
    )


def test_a_pdf_without_text_gives_an_empty_string():
    assert pdf_text(HTML(string="<p></p>").write_pdf()) == ""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "keine PDF-Datei"),
        (b"<html>Fehler 404</html>", "keine PDF-Datei"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog", "beschädigt"),
    ],
)
def test_unreadable_bytes_raise_a_german_error(data, message):
    with pytest.raises(PdfTextError, match=message):
        pdf_text(data)


def test_a_truncated_pdf_is_reported():
    pdf = HTML(string="<p>Haushalt 2026</p>").write_pdf()
    with pytest.raises(PdfTextError, match="beschädigt"):
        pdf_text(pdf[: len(pdf) // 3])

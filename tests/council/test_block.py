"""The printable "SEK-Check" block in Markdown, plain text, HTML and PDF."""

import pytest
from django.utils import timezone

from tests.council.check_support import goal, load_staff, make_paper, user
from zielwerk.council import checks
from zielwerk.council.block import (
    block_file_name,
    block_html,
    block_markdown,
    block_pdf,
    block_text,
)
from zielwerk.council.pdftext import pdf_text


@pytest.fixture
def staff(db):
    return load_staff()


@pytest.fixture
def rated(staff):
    """An approved check with two ratings, on a paper whose title has Markdown characters."""
    editor = user("finanzen")
    check = checks.start_check(make_paper(title="Haushalt *2026* [Entwurf]"), editor)
    checks.rate(check, goal(check.edition, "12.3.2"), -1, "Bindet Mittel\nfür Jahre.", editor)
    checks.rate(check, goal(check.edition, "12.3.1"), 2, "Senkt die Schulden.", editor)
    checks.submit(check, editor)
    return checks.approve(check, user("strategie"))


@pytest.fixture
def exempt(staff):
    editor = user("finanzen")
    check = checks.start_check(make_paper(reference="7/2025", title="Personalie"), editor)
    checks.record_exemption(check, "Personalangelegenheit", editor)
    return check


def approved_on(check) -> str:
    return timezone.localtime(check.approved_at).strftime("%d.%m.%Y")


def test_markdown_lists_affected_goals_in_code_order(rated):
    title_12_3_1 = goal(rated.edition, "12.3.1").title
    assert block_markdown(rated).splitlines() == [
        "## SEK-Check",
        "",
        r"**Vorlage:** 12/2025 – Haushalt \*2026\* \[Entwurf\]  ",
        "**Stand:** geprüft  ",
        f"**Bewertet nach:** {rated.edition.title}",
        "",
        "**Betroffene operative Ziele**",
        "",
        f"- **12.3.1 {title_12_3_1}**: +2 stark fördernd  ",
        "  Begründung: Senkt die Schulden.",
        f"- **12.3.2 {goal(rated.edition, '12.3.2').title}**: −1 hemmend  ",
        "  Begründung: Bindet Mittel",
        "für Jahre.",
        "",
        "Alle anderen operativen Ziele: nicht betroffen.",
        "",
        f"Bearbeitet von Fritz Finanzen. Freigegeben von Sabine Strategie am {approved_on(rated)}.",
    ]


def test_text_says_the_same_without_markup(rated):
    text = block_text(rated)
    assert text.startswith("SEK-Check\n=========\n\nVorlage: 12/2025 – Haushalt *2026* [Entwurf]\n")
    assert "Stand: geprüft\n" in text
    assert "- 12.3.1 " in text and ": +2 stark fördernd\n" in text
    assert "**" not in text
    assert text.rstrip().endswith(f"Freigegeben von Sabine Strategie am {approved_on(rated)}.")


def test_exemption_instead_of_goals_and_not_yet_approved(exempt):
    text = block_text(exempt)
    assert "Stand: in Bearbeitung\n" in text
    assert "Vom SEK-Check ausgenommen. Grund: Personalangelegenheit" in text
    assert "Betroffene operative Ziele" not in text
    assert "Noch nicht von der Strategiestelle freigegeben." in text
    html = block_html(exempt)
    assert "<strong>Vom SEK-Check ausgenommen.</strong> Grund: Personalangelegenheit" in html
    assert "<table>" not in html


def test_html_is_a_document_with_a_table_of_ratings(rated):
    html = block_html(rated)
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="de">' in html
    assert "<title>SEK-Check – 12/2025 – Haushalt *2026* [Entwurf]</title>" in html
    assert "<caption>Betroffene operative Ziele</caption>" in html
    assert "<td>+2 stark fördernd</td><td>Senkt die Schulden.</td>" in html
    assert "Bindet Mittel<br>für Jahre." in html
    assert "Alle anderen operativen Ziele: nicht betroffen." in html


def test_pdf_carries_the_block(rated):
    data = block_pdf(rated)
    assert data.startswith(b"%PDF-")
    # Table cells wrap wherever the column ends.
    text = " ".join(pdf_text(data).split())
    for expected in (
        "SEK-Check",
        "12/2025",
        "Haushalt *2026* [Entwurf]",
        "12.3.1",
        "+2 stark fördernd",
        "−1 hemmend",
        "Senkt die Schulden.",
        "Bindet Mittel für Jahre.",
        "Alle anderen operativen Ziele: nicht betroffen.",
        "Sabine Strategie",
    ):
        assert expected in text, expected


def test_download_file_names(rated, exempt):
    assert block_file_name(rated, "pdf") == "sek-check-12-2025.pdf"
    assert block_file_name(exempt, "md") == "sek-check-7-2025.md"

"""Goal suggestions: the pure engine, the Django glue and `zielwerk suggest-goals`."""

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from weasyprint import HTML

from zielwerk.council.models import Check, GoalKeyword, Paper, PaperFile, Rating
from zielwerk.council.suggest import (
    Analyzer,
    GoalDoc,
    PaperText,
    SuggestionIndex,
    build_corpus,
    strip_boilerplate,
)
from zielwerk.council.suggestions import (
    SuggestionError,
    load_keywords,
    store_suggestions,
    suggest_for_text,
)
from zielwerk.goals.models import Edition
from zielwerk.goals.queries import find_goal

KEYWORDS = Path(__file__).resolve().parents[2] / "zielwerk/council/data/hf12-keywords.yaml"

# Three goals in the words of the seed chapter, enough to show how the engine ranks.
GOALS = (
    GoalDoc(
        key="beschaffen",
        title="Nachhaltig beschaffen",
        text="Die Nachhaltige Beschaffung umfasst sämtliche Bereiche. Es werden Leistungen "
        "bezogen, die unter fairen Bedingungen erbracht werden.",
        strategic_title="Nachhaltiges Verwaltungshandeln leben",
    ),
    GoalDoc(
        key="ertraege",
        title="Verhältnismäßige Erträge erwirtschaften",
        text="Wir erheben die Gebühren und Entgelte nach dem Verursachungsprinzip. Unsere "
        "Erträge aus Mieten und Pachten orientieren sich am ortsüblichen Niveau.",
        strategic_title="Generationengerecht haushalten",
    ),
    GoalDoc(
        key="digital",
        title="Digitale Angebote ausbauen",
        text="Wir erfüllen das Onlinezugangsgesetz (OZG) und digitalisieren unsere Services.",
        strategic_title="Dienstleistungsangebot optimieren",
    ),
)

FAIRTRADE = PaperText(
    title="Fairtrade-Beschaffungsrichtlinie der Stadt",
    text="Die Stadt stellt die Beschaffung von Arbeitskleidung auf Fairtrade-Produkte um. "
    "Alle Ausschreibungen verlangen faire Bedingungen.",
)
UNRELATED = PaperText(
    title="Wahl des stellvertretenden Ortsvorstehers",
    text="Der Ortschaftsrat schlägt Herrn Müller vor. Die Wahl erfolgt geheim.",
)


def keys(suggestions) -> list[str]:
    return [suggestion.key for suggestion in suggestions]


# -- the pure engine ---------------------------------------------------------------------------


def test_words_keep_umlauts_and_split_compounds_and_drop_numbers():
    words = Analyzer.words("Fairtrade-Produkte für 2.500 Straßen-\nbeleuchtung, CO2 und ÖPNV 2024")
    assert words == ["Fairtrade", "Produkte", "für", "Straßenbeleuchtung", "CO", "und", "ÖPNV"]


def test_stemming_joins_word_forms_and_drops_stop_words():
    analyzer = Analyzer()
    assert analyzer.term("Gebühren") == analyzer.term("Gebühr") == analyzer.term("Gebühr")
    assert analyzer.term("Beschaffung") == analyzer.term("beschaffen")
    # Stop words, every form of a council noun, and short ambiguous stems are no terms.
    assert [analyzer.term(w) for w in ("und", "Städte", "städtischen", "Süd")] == [None] * 4
    # Abbreviations in capitals count although they are short.
    assert analyzer.term("IT") and analyzer.term("OZG")
    assert Analyzer(stop_words=["Ludwigsburg"]).term("Ludwigsburgs") is None


def test_compounds_are_split_into_known_goal_words():
    index = SuggestionIndex([*GOALS, GoalDoc(key="vereine", title="Vereine und Partner")])
    stem = index.analyzer.term
    assert stem("Beschaffung") in index.parts(stem("Beschaffungsrichtlinie"))
    assert stem("Gebühren") in index.parts(stem("Parkgebühren"))
    assert stem("Verein") in index.parts(stem("Vereinsförderung"))
    # A known word followed by a suffix is a derived word, not a compound.
    assert index.parts(stem("Vereinbarung")) == index.parts(stem("Partnerschaft")) == ()


def test_a_related_paper_gets_the_goal_with_its_matched_words():
    index = SuggestionIndex(GOALS)
    [first, *_rest] = index.suggest(FAIRTRADE)
    assert first.key == "beschaffen"
    assert first.score >= index.weights.threshold
    # "Fairtrade" is no goal word, but it holds one ("fair"): the paper's spelling is shown.
    assert first.terms[:2] == ("Beschaffung", "Fairtrade")
    assert first.reason.startswith("Beschaffung, Fairtrade")


def test_an_unrelated_paper_gets_no_goal():
    assert SuggestionIndex(GOALS).suggest(UNRELATED) == []


def test_a_single_common_word_is_below_the_threshold():
    weak = PaperText(title="Sachstand Spielplätze", text="Die Gebühren bleiben unverändert.")
    index = SuggestionIndex(GOALS)
    assert index.suggest(weak) == []
    assert keys(index.suggest(PaperText("Gebühren und Entgelte", "Neue Gebühren, Mieten."))) == [
        "ertraege"
    ]


def test_title_weighs_more_than_the_body():
    index = SuggestionIndex(GOALS)
    in_title = index.suggest(PaperText("Gebühren und Entgelte der Bäder", "Bericht."))
    in_body = index.suggest(PaperText("Bericht", "Gebühren und Entgelte der Bäder."))
    assert in_title and (not in_body or in_body[0].score < in_title[0].score)


BOILERPLATE_PAPER = PaperText(
    title="Neubau eines Spielplatzes im Stadtteil Nord",
    text="""Der Spielplatz erhält neue Geräte und eine Sandfläche.
Finanzielle Auswirkungen: Finanzierung durch städtischen Haushalt, Gebühren, Entgelte, Erträge
Abstimmung mit städtischen Gesellschaften: Stadtwerke, Beschaffung, Vergabe
Ja ☐ Nein ☒ Beschaffung fairer Produkte
CO2-Relevanz: Auswirkung auf den Klimaschutz, Beschaffung, Digitalisierung, OZG
Gedruckt auf 100 Prozent Recyclingpapier
""",
)


def test_boilerplate_of_council_papers_does_not_drive_suggestions():
    cleaned = strip_boilerplate(BOILERPLATE_PAPER.text)
    assert "Spielplatz erhält neue Geräte" in cleaned
    for phrase in ("Gebühren", "Stadtwerke", "fairer", "OZG", "Recyclingpapier"):
        assert phrase not in cleaned
    assert SuggestionIndex(GOALS).suggest(BOILERPLATE_PAPER) == []


def template_papers(line: str, count: int = 40) -> list[PaperText]:
    topics = ("Radweg", "Schulhof", "Friedhof", "Kläranlage", "Sporthalle")
    return [
        PaperText(f"{topics[i % 5]} {i}", f"Sanierung {topics[i % 5]} Nummer {i}.\n{line}\n")
        for i in range(count)
    ]


def test_lines_of_a_citys_forms_and_common_terms_are_learned_from_stored_papers():
    line = "Hinweis zur Vergabe: Beschaffung fair nach Richtlinie"
    corpus = build_corpus(template_papers(line))
    assert line.lower() in corpus.boilerplate_lines
    paper = PaperText("Sanierung Radweg Süd", f"Der Radweg wird saniert.\n{line}\nBeschaffung fair")
    assert keys(SuggestionIndex(GOALS).suggest(paper)) == ["beschaffen"]
    # With the stored papers, the form line goes and "Beschaffung", found in every paper,
    # counts nothing any more.
    assert SuggestionIndex(GOALS, corpus).suggest(paper) == []


def test_staff_keywords_change_the_ranking():
    paper = PaperText("Hebesatz der Grundsteuer", "Der Hebesatz der Grundsteuer B steigt.")
    assert SuggestionIndex(GOALS).suggest(paper) == []
    goals = [
        GoalDoc(**{**goal.__dict__, "keywords": ("Hebesatz", "Grundsteuer")})
        if goal.key == "ertraege"
        else goal
        for goal in GOALS
    ]
    [first] = SuggestionIndex(goals).suggest(paper)
    assert first.key == "ertraege"
    assert sorted(first.terms) == ["Grundsteuer", "Hebesatz"]


def test_keywords_of_several_words_count_only_as_a_whole():
    goals = [GoalDoc(**{**GOALS[2].__dict__, "keywords": ("Leichte Sprache", "Bürgerportal")})]
    index = SuggestionIndex(goals)
    found = index.suggest(PaperText("Texte in leichter Sprache im Bürgerportal", ""))
    assert sorted(found[0].terms) == ["Bürgerportal", "leichter Sprache"]
    alone = index.suggest(PaperText("Leichte Aufgaben", "Die Sprache des Bürgerportals."))
    assert all("Sprache" not in term for suggestion in alone for term in suggestion.terms)


def test_learned_papers_strengthen_their_goal():
    paper = PaperText("Elternbeiträge der Kindertagesstätten", "Die Elternbeiträge steigen.")
    assert SuggestionIndex(GOALS).suggest(paper) == []
    earlier = "Kita-Elternbeiträge 2024\nDie Elternbeiträge der Kindertagesstätten werden erhöht."
    goals = [
        GoalDoc(**{**goal.__dict__, "learned": (earlier,)}) if goal.key == "ertraege" else goal
        for goal in GOALS
    ]
    assert keys(SuggestionIndex(goals).suggest(paper)) == ["ertraege"]


def test_limit_and_order():
    paper = PaperText(
        "Digitale Gebühren-Bescheide und faire Beschaffung",
        "OZG: Gebühren online zahlen; Beschaffung fairer Geräte, Entgelte, Mieten.",
    )
    found = SuggestionIndex(GOALS).suggest(paper, limit=2)
    assert len(found) == 2
    assert found[0].score >= found[1].score


# -- Django glue -------------------------------------------------------------------------------


def make_paper(title: str, text: str = "", file_text: str = "") -> Paper:
    paper = Paper.objects.create(title=title, text=text, paper_type="Beschlussvorlage")
    if file_text:
        PaperFile.objects.create(paper=paper, is_main=True, text=file_text)
    return paper


@pytest.mark.django_db
def test_store_suggestions_replaces_the_rows_of_the_check(demo):
    paper = make_paper(
        "Fairtrade-Beschaffungsrichtlinie",
        file_text="Die Stadt beschafft künftig Fairtrade-Produkte nach ILO-Kernarbeitsnormen.",
    )
    check = Check.objects.create(paper=paper, edition=demo.edition)
    stored = store_suggestions(check)
    assert 1 <= len(stored) <= 5
    assert [s.rank for s in stored] == list(range(1, len(stored) + 1))
    first = check.suggestions.get(rank=1)
    assert first.goal.code == "12.4.1"
    assert "Fairtrade" in first.terms
    # Again after the text changed: the old rows are gone.
    paper.title, paper.text = "Wahl des Ortsvorstehers", ""
    paper.save()
    paper.files.all().delete()
    assert store_suggestions(check) == []
    assert not check.suggestions.exists()


@pytest.mark.django_db
def test_suggest_for_text_follows_keyword_changes(demo):
    text = "Die Schwimmbäder erhalten neue Kassenautomaten und eine Kartenzahlung."
    assert suggest_for_text("Kassenautomaten in den Schwimmbädern", text) == []
    goal = find_goal(demo.edition, "12.2.1")
    GoalKeyword.objects.create(goal=goal, term="Kassenautomat")
    GoalKeyword.objects.create(goal=goal, term="Kartenzahlung")
    [first] = suggest_for_text("Kassenautomaten in den Schwimmbädern", text)
    assert first.goal == goal
    assert first.terms == ("Kassenautomaten", "Kartenzahlung")


@pytest.mark.django_db
def test_approved_checks_teach_later_suggestions(demo):
    title = "Zuschuss für die Musikschule Weststadt"
    text = "Die Musikschule Weststadt erhält für den Musikunterricht einen Zuschuss."
    before = [m.goal.code for m in suggest_for_text(title, text)]
    goal = find_goal(demo.edition, "12.4.5")
    assert goal.code not in before
    earlier = make_paper("Musikschule Weststadt", "Musikunterricht der Musikschule Weststadt")
    check = Check.objects.create(
        paper=earlier,
        edition=demo.edition,
        state=Check.State.CHECKED,
        approved_at=timezone.now(),
    )
    Rating.objects.create(check_ref=check, goal=goal, score=1, justification="Teilhabe")
    assert goal.code in [m.goal.code for m in suggest_for_text(title, text)]
    # A check still in progress teaches nothing.
    check.state, check.approved_at = Check.State.IN_PROGRESS, None
    check.save()
    assert goal.code not in [m.goal.code for m in suggest_for_text(title, text)]


@pytest.mark.django_db
def test_terms_common_in_the_stored_papers_stop_counting(demo):
    title = "Radweg Nord"
    text = "Beschaffung fairer Produkte nach ILO-Kernarbeitsnormen im Projekt."
    assert suggest_for_text(title, text)
    for number in range(35):
        make_paper(f"Bericht {number}", f"Bericht Nummer {number}.\n{text}")
    assert suggest_for_text(title, text) == []


def test_suggestions_need_an_edition_with_goals(db):
    with pytest.raises(SuggestionError, match="keine aktuelle Ausgabe"):
        suggest_for_text("Fairtrade", "Beschaffung")
    edition = Edition.objects.create(name="leer", title="Leer", is_current=True)
    with pytest.raises(SuggestionError, match="„leer“ hat keine operativen Ziele"):
        suggest_for_text("Fairtrade", "Beschaffung", edition)
    check = Check.objects.create(paper=make_paper("Fairtrade"), edition=edition)
    assert store_suggestions(check) == []


@pytest.fixture
def edition(seed_edition):
    """The seed chapter as the current edition, without the rest of the demo (faster)."""
    seed_edition.is_current = seed_edition.is_published = True
    seed_edition.save()
    return seed_edition


def test_load_keywords_creates_rows_once(edition):
    created = load_keywords(KEYWORDS, edition)
    assert created == GoalKeyword.objects.count() > 200
    assert GoalKeyword.objects.filter(goal__number=1, term="Fairtrade").exists()
    assert load_keywords(KEYWORDS, edition) == 0


def test_load_keywords_rejects_bad_files_and_stores_nothing(edition, tmp_path):
    bad_files = [
        ('"12.4.1": [Fairtrade]\n"12.9.9": [Unsinn]\n', "„12.9.9“ ist kein operatives Ziel"),
        ('"12.4": [Fairtrade]\n', "„12.4“ ist kein operatives Ziel"),
        ('"12.4.1": Fairtrade\n', "Ziel 12.4.1: erwartet wird eine Liste von Begriffen"),
        ("- Fairtrade\n", "erwartet wird eine Zuordnung"),
        ('"12.4.1": [Fairtrade\n', "kein gültiges YAML"),
        (f'"12.4.1": [Fairtrade, {"x" * 101}]\n', "länger als 100 Zeichen"),
    ]
    path = tmp_path / "keywords.yaml"
    for content, message in bad_files:
        path.write_text(content, encoding="utf-8")
        with pytest.raises(SuggestionError, match=message):
            load_keywords(path, edition)
        assert not GoalKeyword.objects.exists()


# -- zielwerk suggest-goals --------------------------------------------------------------------

FAIRTRADE_TEXT = """Einführung einer Fairtrade-Beschaffungsrichtlinie

Die Stadt stellt ihre Beschaffung von Arbeitskleidung und Kaffee auf Fairtrade-Produkte um.
Bei allen Ausschreibungen gelten künftig die ILO-Kernarbeitsnormen.
Gedruckt auf 100 Prozent Recyclingpapier
"""


def run_command(*args) -> str:
    out = StringIO()
    call_command("suggest_goals", *args, stdout=out)
    return out.getvalue()


def test_cli_ranks_goals_of_a_text_file(edition, tmp_path):
    load_keywords(KEYWORDS, edition)
    path = tmp_path / "vorlage.txt"
    path.write_text(FAIRTRADE_TEXT, encoding="cp1252")
    lines = run_command(str(path), "--limit", "2").splitlines()
    assert 1 <= len(lines) <= 2
    assert lines[0].startswith("1. 12.4.1 Nachhaltig beschaffen — Fairtrade, ")
    assert lines[0].endswith(")") and "(Punktzahl " in lines[0]
    score = lines[0].rsplit("Punktzahl ", 1)[1].rstrip(")")
    assert "," in score and float(score.replace(",", ".")) > 0


def test_cli_reads_a_pdf(edition, tmp_path):
    path = tmp_path / "vorlage.pdf"
    paragraphs = "".join(f"<p>{line}</p>" for line in FAIRTRADE_TEXT.splitlines())
    path.write_bytes(HTML(string=f"<html lang='de'><body>{paragraphs}</body></html>").write_pdf())
    output = run_command(str(path), "--edition", edition.name)
    assert output.startswith("1. 12.4.1 Nachhaltig beschaffen — ")


def test_cli_says_when_no_goal_is_affected(edition, tmp_path):
    path = tmp_path / "wahl.txt"
    path.write_text(f"{UNRELATED.title}\n\n{UNRELATED.text}\n", encoding="utf-8")
    assert run_command(str(path)) == "Kein Ziel des Stadtentwicklungskonzepts scheint betroffen.\n"


def test_cli_reports_unusable_files(edition, tmp_path):
    unusable = [
        ("fehlt.txt", None, "Datei nicht gefunden"),
        ("leer.txt", b" \n\n", "leer.txt enthält keinen Text"),
        ("scan.pdf", HTML(string="<p></p>").write_pdf(), "scan.pdf enthält keinen Text"),
        ("kaputt.pdf", b"%PDF-1.7\nkaputt", "kaputt.pdf: Die PDF-Datei ist beschädigt"),
        ("bild.pdf", b"\x89PNG\r\n", "bild.pdf: Die Datei ist keine PDF-Datei"),
        ("binär.txt", b"\x81\x8d\x8f\x90\x9d", "keine lesbare Textdatei"),
    ]
    for name, content, message in unusable:
        path = tmp_path / name
        if content is not None:
            path.write_bytes(content)
        with pytest.raises(CommandError, match=message):
            run_command(str(path))


def test_cli_needs_a_loaded_edition(db, tmp_path):
    path = tmp_path / "vorlage.txt"
    path.write_text(FAIRTRADE_TEXT, encoding="utf-8")
    with pytest.raises(CommandError, match="keine aktuelle Ausgabe"):
        run_command(str(path))
    with pytest.raises(CommandError, match="Es gibt keine Ausgabe „2099“"):
        run_command(str(path), "--edition", "2099")
    with pytest.raises(CommandError, match="--limit muss mindestens 1 sein"):
        run_command(str(path), "--limit", "0")


def test_dates_do_not_leak_into_terms():
    # Dates and amounts are numbers: dropped, so "2025" never matches a goal's "bis 2025".
    goals = [GoalDoc(key="sek", title="Stadtentwicklungskonzept vorantreiben", text="Bis 2025")]
    paper = PaperText(f"Haushalt {dt.date(2025, 1, 1):%Y}", "Bis 2025 werden 2.025 Euro fällig.")
    assert SuggestionIndex(goals).suggest(paper) == []

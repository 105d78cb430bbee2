"""The council staff pages with real logins: papers entered by hand (with a real PDF) or
uploaded as a list, the check page through the whole workflow, refusals, deadlines."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook
from weasyprint import HTML

from tests.council.check_support import goal, load_staff, make_paper, user
from zielwerk.council import checks
from zielwerk.council.models import Check, GoalKeyword, OParlSource, Paper, SyncRun
from zielwerk.org.models import OrgUnit

PAPERS = "/verwaltung/council/paper/"
UPLOAD = f"{PAPERS}hochladen/"
OVERVIEW = "/verwaltung/sek-check/"


@pytest.fixture
def staff(db):
    return load_staff()


def check_page(paper) -> str:
    return f"{OVERVIEW}{paper.pk}/"


def paper_form(**changes):
    return {
        "reference": "BV 40/2026",
        "title": "Fairer Kaffee in der Verwaltung",
        "date": "02.11.2026",
        "paper_type": "Beschlussvorlage",
        "department": "Fachbereich Finanzen",
        "unit": OrgUnit.objects.get(code="FB-FIN").pk,
        "meeting_date": "10.12.2026",
        "text": "",
    } | changes


def real_pdf() -> bytes:
    return HTML(
        string=(
            '<html lang="de"><body><h1>Beschaffung von Fairtrade-Kaffee</h1>'
            "<p>Die Verwaltung beschafft Kaffee und Tee künftig aus fairem Handel "
            "und achtet bei der Vergabe auf soziale und ökologische Kriterien.</p></body></html>"
        )
    ).write_pdf()


def test_editor_enters_a_paper_with_a_pdf(staff, client, login):
    login("finanzen")
    upload = SimpleUploadedFile("kaffee.pdf", real_pdf(), content_type="application/pdf")
    response = client.post(f"{PAPERS}add/", paper_form(pdf=upload))
    assert response.status_code == 302, response.content.decode()[:2000]
    paper = Paper.objects.get(reference="BV 40/2026")
    assert (paper.unit.code, paper.meeting_date, paper.source) == (
        "FB-FIN",
        dt.date(2026, 12, 10),
        None,
    )
    pdf = paper.files.get()
    assert (pdf.is_main, pdf.file_name, pdf.text_source) == (True, "kaffee.pdf", "pdf")
    assert "Fairtrade-Kaffee" in pdf.text
    assert "fairem Handel" in pdf.text
    # The check's suggestions read the PDF's text.
    client.post(check_page(paper), {"action": "start"})
    page = client.get(check_page(paper)).content.decode()
    assert "passende Begriffe:" in page
    assert paper.sek_check.suggestions.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Hallo", "Die Datei ist keine PDF-Datei"),
        (b"%PDF-1.7\n1 0 obj kaputt", "Die PDF-Datei ist beschädigt"),
    ],
)
def test_unreadable_pdf_is_refused_and_nothing_stored(staff, client, login, data, message):
    login("finanzen")
    upload = SimpleUploadedFile("kaputt.pdf", data, content_type="application/pdf")
    response = client.post(f"{PAPERS}add/", paper_form(pdf=upload))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Paper.objects.filter(reference="BV 40/2026").exists()


def test_editor_enters_papers_only_for_own_units_and_numbers_stay_unique(staff, client, login):
    login("finanzen")
    other = OrgUnit.objects.get(code="FB-BD").pk
    for unit in (other, ""):
        response = client.post(f"{PAPERS}add/", paper_form(unit=unit, text="Text"))
        assert response.status_code == 200
        assert 'class="errorlist' in response.content.decode()
    assert not Paper.objects.filter(reference="BV 40/2026").exists()
    make_paper(reference="BV 40/2026")
    response = client.post(f"{PAPERS}add/", paper_form(text="Text"))
    assert "Eine Vorlage mit der Nummer „BV 40/2026“ gibt es schon." in response.content.decode()


def csv_upload(text: str) -> io.BytesIO:
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = "vorlagen.csv"
    return upload


def xlsx_upload(rows) -> io.BytesIO:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = "vorlagen.xlsx"
    return upload


def test_strategy_office_uploads_lists(staff, client, login):
    login("strategie")
    before = Paper.objects.count()
    bad_csv = csv_upload(
        "Nummer;Titel;Datum\nBV 50/2026;Gut;01.03.2026\nBV 51/2026;Schlecht;32.01.2026\n"
    )
    response = client.post(UPLOAD, {"file": bad_csv})
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 Fehler, es wurde nichts gespeichert:" in page
    assert "Zeile 3, Spalte „Datum“: „32.01.2026“ ist kein Datum" in page
    bad_xlsx = xlsx_upload(
        [["Nummer", "Titel", "Sitzungsdatum"], ["BV 50/2026", "Gut", None], [None, "Ohne", None]]
    )
    page = client.post(UPLOAD, {"file": bad_xlsx}).content.decode()
    assert "Zeile 3, Spalte „Nummer“: fehlt." in page
    assert Paper.objects.count() == before

    good = xlsx_upload([["Nummer", "Titel"], ["BV 50/2026", "Gut"], ["BV 51/2026", "Auch gut"]])
    response = client.post(UPLOAD, {"file": good}, follow=True)
    assert "Vorlagen angelegt: 2, geändert: 0." in response.content.decode()
    assert Paper.objects.count() == before + 2
    template = client.get(f"{PAPERS}vorlage.csv")
    assert b"".join(template.streaming_content).startswith(b"Nummer;Titel;Datum;Art;")


def test_editors_do_not_upload_lists(staff, client, login):
    login("finanzen")
    assert client.post(UPLOAD, {"file": csv_upload("Nummer;Titel\nBV 1;x\n")}).status_code == 403
    assert "Liste von Vorlagen hochladen" not in client.get(PAPERS).content.decode()


def rating_data(paper, **ratings):
    """The rating form as posted; ratings maps goal codes to (score, justification)."""
    edition = paper.sek_check.edition
    data = {"action": "ratings"}
    for code, (score, justification) in ratings.items():
        prefix = f"goal-{goal(edition, code).pk}"
        data[f"{prefix}-score"] = score
        data[f"{prefix}-justification"] = justification
    return data


def test_full_check_flow(staff, client, login):
    paper = make_paper()
    login("finanzen")
    page = client.get(check_page(paper)).content.decode()
    assert 'value="start"' in page
    response = client.post(check_page(paper), {"action": "start"}, follow=True)
    page = response.content.decode()
    assert "SEK-Check begonnen." in page
    check = Check.objects.get(paper=paper)
    suggestion = check.suggestions.select_related("goal").first()
    assert f"<strong>{suggestion.goal.code}</strong>" in page
    assert ", ".join(suggestion.terms) in page
    # Suggestions are hints: every goal starts as "nicht betroffen".
    goals = check.edition.fields.get().strategic_goals.all()
    total = sum(sg.operative_goals.count() for sg in goals)
    assert page.count('<option value="" selected>nicht betroffen</option>') == total

    data = rating_data(paper, **{"12.3.1": ("1", "Senkt die Schulden."), "12.3.2": ("-1", "")})
    response = client.post(check_page(paper), data)
    assert response.status_code == 400
    assert "12.3.2: Zur Bewertung fehlt die Begründung." in response.content.decode()
    assert not check.ratings.exists()
    data[f"goal-{goal(check.edition, '12.3.2').pk}-justification"] = "Bindet Mittel."
    response = client.post(check_page(paper), data, follow=True)
    assert "Bewertungen gespeichert." in response.content.decode()
    assert sorted(check.ratings.values_list("score", flat=True)) == [-1, 1]

    response = client.post(check_page(paper), {"action": "submit"}, follow=True)
    page = response.content.decode()
    assert "zur Freigabe vorgelegt" in page
    assert 'value="approve"' not in page
    # Once submitted the editor cannot change the ratings any more.
    response = client.post(check_page(paper), rating_data(paper, **{"12.1.1": ("2", "x")}))
    assert not check.ratings.filter(goal__number=1, goal__strategic_goal__number=1).exists()

    login("strategie")
    assert 'value="approve"' in client.get(check_page(paper)).content.decode()
    client.post(check_page(paper), {"action": "approve"})
    response = client.post(check_page(paper), {"action": "publish"}, follow=True)
    assert "Der Check ist veröffentlicht." in response.content.decode()
    check.refresh_from_db()
    assert (check.state, check.is_public, check.approved_by.username) == (
        "checked",
        True,
        "strategie",
    )
    page = response.content.decode()
    assert "Freigegeben von Sabine Strategie am" in page
    assert "zur Freigabe vorgelegt</td>" in page  # the history

    markdown = client.get(f"{check_page(paper)}baustein.md")
    assert markdown["Content-Type"] == "text/markdown; charset=utf-8"
    assert markdown["Content-Disposition"] == 'attachment; filename="sek-check-12-2025.md"'
    assert "+1 fördernd" in markdown.content.decode()
    text = client.get(f"{check_page(paper)}baustein.txt")
    assert text.content.decode().startswith("SEK-Check\n")
    html = client.get(f"{check_page(paper)}baustein.html")
    assert html["Content-Type"] == "text/html; charset=utf-8"
    pdf = client.get(f"{check_page(paper)}baustein.pdf")
    assert (pdf["Content-Type"], pdf.content[:5]) == ("application/pdf", b"%PDF-")
    assert client.get(f"{check_page(paper)}baustein.doc").status_code == 404


def test_return_for_rework_needs_a_note(staff, client, login):
    paper = make_paper()
    editor = user("finanzen")
    check = checks.start_check(paper, editor)
    checks.record_exemption(check, "Reine Haushaltsformalie", editor)
    checks.submit(check, editor)
    login("strategie")
    response = client.post(check_page(paper), {"action": "return", "note": ""})
    assert response.status_code == 400
    response = client.post(check_page(paper), {"action": "return", "note": "Kein Formalie."})
    check.refresh_from_db()
    assert (check.state, check.review_note) == ("in_progress", "Kein Formalie.")
    login("finanzen")
    assert "Kein Formalie." in client.get(check_page(paper)).content.decode()


def test_editor_of_another_unit_is_refused(staff, client, login):
    paper = make_paper()
    login("buergerdienste")
    page = client.get(check_page(paper)).content.decode()
    assert 'value="start"' not in page
    response = client.post(check_page(paper), {"action": "start"}, follow=True)
    assert "Sie dürfen für „12/2025 Haushaltsplan 2026“ keinen SEK-Check beginnen" in (
        response.content.decode()
    )
    assert not Check.objects.filter(paper=paper).exists()

    check = checks.start_check(paper, user("finanzen"))
    response = client.post(
        check_page(paper), rating_data(paper, **{"12.2.1": ("1", "Grund")}), follow=True
    )
    assert "nicht bearbeiten" in response.content.decode()
    assert not check.ratings.exists()
    assert 'value="ratings"' not in client.get(check_page(paper)).content.decode()
    change = client.post(f"{PAPERS}{paper.pk}/change/", paper_form(title="Anders"))
    assert change.status_code == 403
    shown = client.get(f"{PAPERS}{paper.pk}/change/").content.decode()
    assert "Vorlage ansehen" in shown
    assert f'href="{check_page(paper)}"' in shown


def test_viewers_read_checks_without_steps(staff, client, login):
    paper = make_paper()
    checks.start_check(paper, user("finanzen"))
    login("lesen")
    page = client.get(check_page(paper)).content.decode()
    assert "Baustein für die Vorlage" in page
    for action in ("start", "ratings", "submit", "approve", "publish"):
        assert f'value="{action}"' not in page
    assert client.get(OVERVIEW).status_code == 200


def test_deadlines_and_overdue_in_lists(staff, client, login, settings):
    settings.ZIELWERK_SEK_CHECK_DAYS_BEFORE_MEETING = 14
    today = timezone.localdate()
    late = make_paper(reference="BV 60/2026", meeting_date=today + dt.timedelta(days=3))
    on_time = make_paper(reference="BV 61/2026", meeting_date=today + dt.timedelta(days=30))
    login("strategie")
    page = client.get(PAPERS, {"frist": "ueberfaellig"}).content.decode()
    deadline = (today - dt.timedelta(days=11)).strftime("%d.%m.%Y")
    assert f"<strong>{deadline} (überfällig)</strong>" in page
    assert late.title in page
    assert "BV 61/2026" not in page
    page = client.get(PAPERS, {"stand": "open", "q": "BV 6"}).content.decode()
    assert "BV 60/2026" in page and "BV 61/2026" in page

    overview = client.get(OVERVIEW).content.decode()
    overdue_part, rest = overview.split("Zur Freigabe vorgelegt", 1)
    assert f'href="{check_page(late)}"' in overdue_part
    assert f'href="{check_page(on_time)}"' in rest
    index = client.get("/verwaltung/").content.decode()
    assert f'href="{OVERVIEW}"' in index
    assert f'href="{UPLOAD}"' in index


def test_oparl_records_are_read_only_and_keywords_belong_to_the_office(staff, client, login):
    source = OParlSource.objects.create(url="http://127.0.0.1:1/oparl/system", name="Testrat")
    run = SyncRun.objects.create(
        source=source,
        started_at=timezone.now(),
        skipped=1,
        problems=[{"id": "http://127.0.0.1:1/oparl/paper/7", "reason": "kein JSON"}],
    )
    login("strategie")
    page = client.get(f"/verwaltung/council/syncrun/{run.pk}/change/").content.decode()
    assert "<li>id: http://127.0.0.1:1/oparl/paper/7; reason: kein JSON</li>" in page
    assert client.get("/verwaltung/council/oparlsource/").status_code == 200
    assert client.get("/verwaltung/council/meeting/").status_code == 200
    assert client.get("/verwaltung/council/oparlsource/add/").status_code == 403
    from_oparl = Paper.objects.create(
        source=source,
        oparl_id="http://127.0.0.1:1/oparl/paper/1",
        reference="BV 70/2026",
        title="Aus dem Ratsinformationssystem",
    )
    page = client.get(f"{PAPERS}{from_oparl.pk}/change/").content.decode()
    assert "http://127.0.0.1:1/oparl/paper/1" in page
    assert 'name="title"' not in page and 'name="pdf"' not in page
    target = goal(staff, "12.4.1")
    response = client.post(
        "/verwaltung/council/goalkeyword/add/", {"goal": target.pk, "term": "Kaffee"}
    )
    assert response.status_code == 302
    assert GoalKeyword.objects.filter(goal=target, term="Kaffee").exists()

    login("finanzen")
    assert client.get("/verwaltung/council/goalkeyword/add/").status_code == 403
    assert client.get("/verwaltung/council/syncrun/").status_code == 403

"""`zielwerk oparl-sync` against a real local OParl server serving the Karlsruhe sample."""

import datetime as dt
import functools
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from zielwerk.council.models import Consultation, Meeting, OParlSource, Paper, PaperFile, SyncRun
from zielwerk.council.oparl import OParlError
from zielwerk.council.pdftext import pdf_text
from zielwerk.council.sync import SAFETY_MARGIN, sync

from .oparl_server import (
    PDF_TEXT,
    OParlServer,
    fast_client,
    karlsruhe,
    karlsruhe_1_0,
    sample_pdf,
)

pytestmark = pytest.mark.django_db

SMALL = functools.partial(karlsruhe, count=60)


def _query(target: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(target).query)


def test_full_sync_of_the_karlsruhe_sample_then_incremental():
    with OParlServer(karlsruhe, page_size=25) as server:
        before = timezone.now()
        result = sync(server.entry, client=fast_client())

        assert result.summary == (
            "Vorlagen: 335 neu, 0 geändert, 10 gelöscht, 0 übersprungen; "
            "Sitzungen: 251 neu, 0 geändert, 0 gelöscht, 0 übersprungen"
        )
        assert not result.error and not result.problems
        # 345 papers in pages of 25: page 1 without a page parameter, then links.next.
        pages = server.requests("/papers")
        assert len(pages) == 14
        assert [_query(p).get("page") for p in pages[1:]] == [[str(n)] for n in range(2, 15)]
        assert Paper.objects.count() == 345
        assert Paper.objects.filter(deleted=True).count() == 10
        placeholder = Paper.objects.get(oparl_id=f"{server.base}/bodies/0001/papers/vo/51232")
        assert placeholder.deleted and placeholder.title == ""
        assert PaperFile.objects.count() == 965
        assert Consultation.objects.count() == 368
        assert Meeting.objects.count() == 251
        assert Consultation.objects.filter(meeting__isnull=True).count() == 5  # no meeting given

        source = OParlSource.objects.get()
        assert (source.name, source.oparl_version) == ("Stadt Karlsruhe", "1.1")
        assert source.body_id == f"{server.base}/bodies/0001"
        assert source.resume_state == {}
        assert before - SAFETY_MARGIN <= source.synced_until <= timezone.now() - SAFETY_MARGIN
        run = SyncRun.objects.get()
        assert run.complete and (run.created, run.deleted, run.skipped) == (335, 10, 0)

        # A paper with only auxiliary files: its text is theirs, in their order.
        paper = Paper.objects.get(oparl_id=f"{server.base}/bodies/0001/papers/vo/16656")
        files = list(paper.files.order_by("id"))
        assert [f.is_main for f in files] == [False, False, False]
        assert paper.text == "\n\n".join(f.text for f in files if f.text)
        assert (paper.reference, paper.paper_type) == ("16656", "Beschlussvorlage")
        assert paper.title.startswith("Anfrage GRÜNE: Energiebericht")
        assert paper.date == dt.date(2005, 12, 16)
        meeting = server.data.objects["/oparl/bodies/0001/meetings/1117"]
        start = timezone.localtime(dt.datetime.fromisoformat(meeting["start"]))
        assert paper.meeting_date == start.date()
        assert Paper.objects.get(oparl_id__endswith="/ag/271").meeting_date is None

        # File text from OParl where given, otherwise read from the downloaded PDF.
        by_oparl = PaperFile.objects.get(oparl_id=f"{server.base}/bodies/0001/files/503329")
        served = server.data.objects["/oparl/bodies/0001/files/503329"]["text"]
        assert by_oparl.text_source == "oparl" and by_oparl.text == served.strip()

        # The department is the name of the organization the paper is under the direction of;
        # the organization list was read once, over its two pages.
        names = {o["id"]: o["name"] for o in server.organizations()}
        for raw in server.papers():
            if not raw.get("deleted"):
                expected = ", ".join(names[a] for a in raw.get("underDirectionOf", []))
                assert Paper.objects.get(oparl_id=raw["id"]).department == expected
        assert paper.department == "Amt 14"
        assert Paper.objects.get(oparl_id__endswith="/ag/271").department == ""  # names none
        assert Paper.objects.values("department").distinct().count() == 40
        organization_pages = server.requests("/organizations")
        assert [_query(t).get("page") for t in organization_pages] == [None, ["2"]]
        from_pdf = PaperFile.objects.filter(text_source="pdf")
        assert from_pdf.count() == 127
        assert {f.text for f in from_pdf} == {pdf_text(sample_pdf())}
        assert PDF_TEXT.split()[-1] in from_pdf.first().text

        # Second run: only what changed since the first one is asked for and sent.
        server.log.clear()
        server.touch(server.paper("16656"), name="Energiebericht 2026")
        server.touch(server.paper("16761"))
        server.delete(server.paper("16809"))
        result = sync(server.entry, client=fast_client())

    assert result.summary == (
        "Vorlagen: 0 neu, 2 geändert, 1 gelöscht, 0 übersprungen; "
        "Sitzungen: 0 neu, 0 geändert, 0 gelöscht, 0 übersprungen"
    )
    since = source.synced_until.replace(microsecond=0).isoformat()
    for listing in ("/meetings", "/papers"):
        (target,) = [t for t in server.log if listing in t]
        assert _query(target) == {"modified_since": [since]}
    # The organization names are read whole on every run.
    assert [_query(t) for t in server.log if "/organizations" in t] == [{}, {"page": ["2"]}]
    assert not [t for t in server.log if "downloadfiles" in t]
    assert Paper.objects.get(pk=paper.pk).title == "Energiebericht 2026"
    gone = Paper.objects.get(oparl_id__endswith="/vo/16809")
    assert gone.deleted and gone.title  # what was known stays readable
    assert Paper.objects.count() == 345
    assert PaperFile.objects.count() == 965
    source.refresh_from_db()
    second = SyncRun.objects.order_by("started_at").last()
    assert source.synced_until == second.started_at - SAFETY_MARGIN


def test_meeting_date_is_the_earliest_meeting_that_takes_place():
    with OParlServer(functools.partial(karlsruhe, count=140)) as server:
        paper = server.paper("37214")  # discussed in two meetings
        first, second = (
            server.data.objects[urlsplit(c["meeting"]).path] for c in paper["consultation"][:2]
        )
        server.touch(first, start="2024-03-05T17:00:00+01:00")
        server.touch(second, start="2024-04-16T17:00:00+02:00")
        sync(server.entry, client=fast_client())
        stored = Paper.objects.get(oparl_id=paper["id"])
        assert stored.meeting_date == dt.date(2024, 3, 5)

        server.touch(first, cancelled=True)
        result = sync(server.entry, client=fast_client())
        assert (result.meetings.updated, result.papers.updated) == (1, 0)
        stored.refresh_from_db()
        assert stored.meeting_date == dt.date(2024, 4, 16)

        server.delete(second)
        result = sync(server.entry, client=fast_client())
        assert result.meetings.deleted == 1
        assert Meeting.objects.get(oparl_id=second["id"]).deleted
        stored.refresh_from_db()
        assert stored.meeting_date is None


def test_new_paper_on_a_later_run_and_a_meeting_known_later():
    with OParlServer(SMALL) as server:
        sync(server.entry, client=fast_client())
        template = server.paper("16656")
        meeting_url = f"{server.base}/bodies/0001/meetings/999001"
        added = {
            **template,
            "id": f"{server.base}/bodies/0001/papers/vo/999001",
            "reference": "2026/0999",
            "consultation": [{**template["consultation"][0], "meeting": meeting_url}],
            "auxiliaryFile": [],
            "modified": timezone.now().isoformat(),
        }
        server.papers().append(added)
        result = sync(server.entry, client=fast_client())
        assert result.papers.created == 1
        consultation = Consultation.objects.get(paper__oparl_id=added["id"])
        assert consultation.meeting is None and consultation.meeting_oparl_id == meeting_url

        server.meetings().append(
            server.touch(
                {
                    "id": meeting_url,
                    "type": "https://schema.oparl.org/1.1/Meeting",
                    "name": "Gemeinderat",
                    "start": "2026-12-15T15:30:00+01:00",
                }
            )
        )
        sync(server.entry, client=fast_client())
    consultation.refresh_from_db()
    assert consultation.meeting.name == "Gemeinderat"
    assert consultation.paper.meeting_date == dt.date(2026, 12, 15)


def test_no_files_then_full_run_fills_the_pdf_texts():
    with OParlServer(SMALL) as server:
        sync(server.entry, client=fast_client(), files=False)
        assert not [t for t in server.log if "downloadfiles" in t]
        missing = PaperFile.objects.filter(text_source="")
        assert missing.count() > 0 and not missing.exclude(text="").exists()

        result = sync(server.entry, client=fast_client(), full=True)
    assert (result.papers.created, result.papers.updated) == (0, 0)
    assert not PaperFile.objects.filter(text_source="").exists()
    assert PaperFile.objects.filter(text_source="pdf").count() == len(
        [t for t in server.log if "downloadfiles" in t]
    )
    assert "Grundschule" in Paper.objects.filter(files__text_source="pdf").first().text


def test_unreadable_files_are_reported_and_the_paper_kept():
    with OParlServer(SMALL) as server:
        paths = sorted(p for p in server.data.downloads if "/downloadfiles/0" in p)
        broken, gone = paths[0], paths[1]
        server.data.downloads[broken] = b"<html>Wartungsarbeiten</html>"
        del server.data.downloads[gone]
        result = sync(server.entry, client=fast_client())

    reasons = {p["id"].rsplit("/", 1)[1]: p["reason"] for p in result.problems}
    broken_id = broken.rsplit("/", 1)[1].removesuffix(".pdf").lstrip("0")
    gone_id = gone.rsplit("/", 1)[1].removesuffix(".pdf").lstrip("0")
    assert "keine PDF-Datei" in reasons[broken_id]
    assert "HTTP 404" in reasons[gone_id]
    assert result.papers.skipped == 0 and result.summary.endswith("; 2 Hinweise")
    for file_id in (broken_id, gone_id):
        stored = PaperFile.objects.get(oparl_id__endswith=f"/files/{file_id}")
        assert (stored.text, stored.text_source) == ("", "")
    assert SyncRun.objects.get().complete


def test_oparl_1_0_endpoint():
    with OParlServer(karlsruhe_1_0) as server:
        result = sync(server.entry, client=fast_client())
        consultation_requests = server.requests("/consultations/")
    assert result.summary.startswith("Vorlagen: 30 neu, 0 geändert, 1 gelöscht, 0 übersprungen")
    source = OParlSource.objects.get()
    assert source.oparl_version == "1.0" and source.name == "Stadt Krefeld"
    # Consultations given only by address were fetched and linked to their meetings.
    assert len(consultation_requests) == Consultation.objects.count() >= 30
    assert not Consultation.objects.filter(meeting__isnull=True).exclude(meeting_oparl_id="")
    assert not Paper.objects.filter(deleted=False, meeting_date__isnull=True).exists()
    main = PaperFile.objects.get(is_main=True)
    assert main.text and main.paper.text == main.text
    # Organization names from the 1.0 list.
    assert not result.problems
    assert not Paper.objects.filter(deleted=False, department="").exists()
    assert Paper.objects.filter(department="Amt 10").exists()


def test_department_joins_the_names_and_falls_back_to_the_short_name():
    with OParlServer(SMALL) as server:
        council, office = server.organizations()
        del office["name"]  # only "A10" is left
        server.paper("16761")["underDirectionOf"] = [office["id"], council["id"], office["id"]]
        # Embedded instead of referenced: its id counts.
        server.paper("16809")["underDirectionOf"] = [{"id": council["id"], "type": council["type"]}]
        server.paper("16867")["underDirectionOf"] = "Amt 10"
        result = sync(server.entry, client=fast_client(), files=False)
        bad_id = server.paper("16867")["id"]

    assert Paper.objects.get(oparl_id__endswith="/16656").department == "A10"
    assert Paper.objects.get(oparl_id__endswith="/16761").department == "A10, Gemeinderat"
    assert Paper.objects.get(oparl_id__endswith="/16809").department == "Gemeinderat"
    assert result.papers.skipped == 1
    assert result.problems == [
        {
            "type": "Vorlage",
            "id": bad_id,
            "reason": "Feld „underDirectionOf“: Liste erwartet, erhalten 'Amt 10'",
            "skipped": True,
        }
    ]


def test_renamed_and_unknown_organizations_on_incremental_and_full_runs():
    with OParlServer(karlsruhe) as server:
        sync(server.entry, client=fast_client(), files=False)
        organizations = {o["id"].rsplit("/", 1)[1]: o for o in server.organizations()}
        # Amt 39 (13 papers) is renamed; one of its papers changes too.
        server.touch(organizations["882983"], name="Umwelt- und Arbeitsschutz")
        server.touch(server.paper("34906"))
        # Amt 29 (12 papers) disappears from the list; two of its papers change.
        server.organizations().remove(organizations["882967"])
        server.touch(server.paper("36671"))
        server.touch(server.paper("36754"))
        result = sync(server.entry, client=fast_client(), files=False)

        def department(number: str) -> str:
            return Paper.objects.get(oparl_id__endswith=f"/{number}").department

        assert result.summary.startswith("Vorlagen: 0 neu, 3 geändert, 0 gelöscht")
        # An unknown organization is reported once per run, not once per paper.
        assert [(p["type"], p["id"]) for p in result.problems] == [
            ("Organisation", organizations["882967"]["id"])
        ]
        assert "fehlt in der Liste der Organisationen" in result.problems[0]["reason"]
        assert department("34906") == "Umwelt- und Arbeitsschutz"
        assert department("35860") == "Amt 39"  # unchanged: not sent by the server
        assert department("36671") == department("36754") == ""
        assert department("37214") == "Amt 29"

        # A full run gives the renamed office's other papers the new name, and counts them;
        # only the department is written. Unchanged papers of the vanished office keep its name.
        files_before = set(PaperFile.objects.values_list("pk", flat=True))
        result = sync(server.entry, client=fast_client(), files=False, full=True)
        assert result.summary.startswith("Vorlagen: 0 neu, 12 geändert, 0 gelöscht")
        assert len(result.problems) == 1
        assert department("35860") == "Umwelt- und Arbeitsschutz"
        assert department("37214") == "Amt 29"
        assert Paper.objects.filter(department="Umwelt- und Arbeitsschutz").count() == 13
        assert set(PaperFile.objects.values_list("pk", flat=True)) == files_before

        # Nothing changed: nothing is counted.
        result = sync(server.entry, client=fast_client(), files=False, full=True)
        assert result.summary.startswith("Vorlagen: 0 neu, 0 geändert, 0 gelöscht")


def test_failing_organization_list_leaves_the_departments_and_the_run_goes_on():
    with OParlServer(karlsruhe) as server:
        list_url = f"{server.base}/bodies/0001/organizations"
        server.fault("status", match="/organizations", times=None, status=500)
        result = sync(server.entry, client=fast_client(retries=1), files=False)
        assert not result.error and result.papers.created == 335
        (problem,) = result.problems
        assert (problem["type"], problem["id"]) == ("Organisationen", list_url)
        assert "HTTP 500" in problem["reason"] and "(Versuche: 2)" in problem["reason"]
        assert result.summary.endswith("; 1 Hinweis")
        assert not Paper.objects.exclude(department="").exists()
        assert SyncRun.objects.get().complete
        assert len(server.requests("/organizations")) == 2  # one request and its retry

        # Once the list can be read, a full run names the departments and counts each paper.
        server.reset_faults()
        result = sync(server.entry, client=fast_client(), files=False, full=True)
        assert not result.problems
        assert result.papers.updated == Paper.objects.exclude(department="").count() == 334

        # The second page of the list stays broken: no names at all rather than half of them,
        # and a changed paper keeps its department.
        server.fault("malformed", match="/organizations?page=2", times=None)
        server.touch(server.paper("16656"), name="Energiebericht 2026")
        result = sync(server.entry, client=fast_client(retries=1), files=False)
        (problem,) = result.problems
        assert problem["type"] == "Organisationen" and "kein gültiges JSON" in problem["reason"]
        assert result.summary.startswith("Vorlagen: 0 neu, 1 geändert, 0 gelöscht")
    paper = Paper.objects.get(oparl_id__endswith="/16656")
    assert (paper.title, paper.department) == ("Energiebericht 2026", "Amt 14")


def test_body_without_organization_list():
    with OParlServer(SMALL) as server:
        del server.data.objects["/oparl/bodies/0001"]["organization"]
        result = sync(server.entry, client=fast_client(), files=False)
    assert result.papers.created == 60 and not result.error
    (problem,) = result.problems
    assert problem["id"] == f"{server.base}/bodies/0001"
    assert problem["reason"] == (
        "Die Körperschaft nennt keine Liste der Organisationen (Feld „organization“)."
    )


def test_malformed_objects_are_skipped_with_id_and_reason():
    with OParlServer(SMALL) as server:
        papers = server.papers()
        del papers[0]["id"]
        papers[1]["date"] = "gestern"
        papers[2]["name"] = 42
        papers[3] = "kaputt"
        papers[4]["type"] = "https://schema.oparl.org/1.1/Meeting"
        papers[5]["auxiliaryFile"][0]["modified"] = ["2025"]
        papers[6]["consultation"] = {"id": "x"}
        result = sync(server.entry, client=fast_client())
        ids = [p.get("id") if isinstance(p, dict) else None for p in papers[:7]]
        page_url = f"{server.base}/bodies/0001/papers"

    assert result.papers.skipped == 6
    assert result.papers.created == 54
    problems = {p["id"]: p["reason"] for p in result.problems}
    assert problems[f"{page_url}, Eintrag 1"] == "Feld „id“ fehlt oder ist leer"
    assert problems[ids[1]] == "Feld „date“: Datum erwartet, erhalten 'gestern'"
    assert problems[ids[2]] == "Feld „name“: Text erwartet, erhalten 42"
    assert problems[f"{page_url}, Eintrag 4"] == "Eintrag ist kein JSON-Objekt"
    assert problems[ids[4]].startswith("Typ „https://schema.oparl.org/1.1/Meeting“")
    assert "Feld „consultation“: Liste erwartet" in problems[ids[6]]
    # A malformed file is left out; its paper is stored with the other files.
    file_id = papers[5]["auxiliaryFile"][0]["id"]
    assert "Feld „modified“" in problems[file_id]
    assert Paper.objects.filter(oparl_id=ids[5]).exists()
    assert not PaperFile.objects.filter(oparl_id=file_id).exists()
    run = SyncRun.objects.get()
    assert run.skipped == 6 and len(run.problems) == 7
    assert run.complete and OParlSource.objects.get().synced_until is not None


def test_interrupted_run_resumes_without_duplicates():
    with OParlServer(functools.partial(karlsruhe, count=100)) as server:
        # From the fourth page of papers on, the server fails until it is repaired.
        server.fault("status", match="/papers", skip=3, times=None, status=500)
        result = sync(server.entry, client=fast_client(retries=1))
        assert "HTTP 500" in result.error and "Versuche: 2" in result.error
        assert Paper.objects.count() == 60
        source = OParlSource.objects.get()
        assert source.synced_until is None
        assert source.resume_state["list"] == "papers"
        assert _query(source.resume_state["next"])["page"] == ["4"]
        assert not SyncRun.objects.get().complete

        server.reset_faults()
        server.log.clear()
        result = sync(server.entry, client=fast_client())
        assert result.resumed and not result.error
        # Meetings were done; papers go on at page 4.
        assert [
            _query(t).get("page") for t in server.log if "/papers" in t or "/meetings" in t
        ] == [
            ["4"],
            ["5"],
        ]
    assert result.papers.created == 40
    assert Paper.objects.count() == Paper.objects.values("oparl_id").distinct().count() == 100
    source.refresh_from_db()
    first = SyncRun.objects.order_by("started_at").first()
    assert source.synced_until == first.started_at - SAFETY_MARGIN
    assert source.resume_state == {}


def test_malformed_json_page_is_skipped_and_the_run_goes_on():
    with OParlServer(SMALL) as server:
        server.fault("malformed", match="/papers?page=2", times=None)
        result = sync(server.entry, client=fast_client(retries=1))
    assert not result.error
    (problem,) = result.problems
    assert problem["id"].endswith("/papers?page=2") and "kein gültiges JSON" in problem["reason"]
    assert result.papers.created == 40 and result.papers.skipped == 1
    # The papers of the broken page are asked for again next time: no new start point.
    assert OParlSource.objects.get().synced_until is None
    assert not SyncRun.objects.get().complete


def test_bad_address_or_no_oparl_endpoint_stores_nothing():
    with OParlServer(SMALL) as server:
        cases = {
            "ris.example.org/oparl": "Ungültige Adresse",
            f"{server.base}/gibtsnicht": "HTTP 404",
            f"{server.base}/bodies/0001/papers": "keine OParl-Schnittstelle",
            f"{server.base}/bodies/0001/papers/vo/16656": "erhalten „https://schema.oparl.org",
        }
        for url, message in cases.items():
            with pytest.raises(OParlError, match=message):
                sync(url, client=fast_client())
        server.data.lists["/oparl/bodies"].append({"id": "b2", "name": "Zweite"})
        with pytest.raises(OParlError, match=r"hat 2 Körperschaften.*Zweite"):
            sync(server.entry, client=fast_client())
        with pytest.raises(CommandError, match=r"Nichts gespeichert\. .*nicht erreichbar"):
            call_command("oparl_sync", "http://127.0.0.1:9/oparl", "--retries", "0", "--quiet")
    assert not OParlSource.objects.exists()
    assert not SyncRun.objects.exists()
    assert not Paper.objects.exists()


def test_body_address_as_entry():
    with OParlServer(SMALL) as server:
        result = sync(f"{server.base}/bodies/0001", client=fast_client())
    assert result.papers.created == 60
    assert OParlSource.objects.get().url == f"{server.base}/bodies/0001"


def test_command_prints_one_summary_line_and_the_skipped_objects():
    with OParlServer(SMALL) as server:
        server.papers()[1]["date"] = "gestern"
        out = io.StringIO()
        call_command("oparl_sync", server.entry, "--rate", "0", "--quiet", stdout=out)
        bad_id = server.papers()[1]["id"]
        lines = out.getvalue().splitlines()
        assert lines == [
            "Vorlagen: 59 neu, 0 geändert, 0 gelöscht, 1 übersprungen; "
            "Sitzungen: 44 neu, 0 geändert, 0 gelöscht, 0 übersprungen",
            f"  – Vorlage {bad_id}: Feld „date“: Datum erwartet, erhalten 'gestern'",
        ]

        server.fault("status", match="/papers", times=None, status=503)
        out = io.StringIO()
        with pytest.raises(CommandError, match="abgebrochen"):
            call_command(
                "oparl_sync",
                server.entry,
                *("--full", "--rate", "0", "--retries", "0", "--quiet"),
                stdout=out,
            )
    assert out.getvalue().startswith("Vorlagen: 0 neu")
    assert "HTTP 503" in out.getvalue()


def test_command_shows_at_most_twenty_problems():
    with OParlServer(SMALL) as server:
        for paper in server.papers()[:22]:
            paper["reference"] = 2026
        out = io.StringIO()
        call_command("oparl_sync", server.entry, "--rate", "0", "--quiet", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Vorlagen: 38 neu, 0 geändert, 0 gelöscht, 22 übersprungen;")
    assert len(lines) == 22
    assert (
        lines[-1] == f"  … und 2 weitere, gespeichert beim Abgleich Nr. {SyncRun.objects.get().pk}"
    )
    assert len(SyncRun.objects.get().problems) == 22

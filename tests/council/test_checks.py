"""The SEK-Check workflow as services: status and deadlines, every step with its permission and
its refusal, and the history it leaves."""

import datetime as dt

import pytest

from tests.conftest import SEED
from tests.council.check_support import TODAY, goal, load_staff, make_paper, user
from zielwerk.council import checks
from zielwerk.council.models import Check, Paper, Rating
from zielwerk.goals.importing import import_sek_file
from zielwerk.org.models import Person


@pytest.fixture
def staff(db):
    return load_staff()


@pytest.fixture
def paper(staff):
    return make_paper()


@pytest.fixture
def check(paper):
    return checks.start_check(paper, user("finanzen"))


def test_status_and_deadline_follow_the_meeting_date(staff, settings):
    settings.ZIELWERK_SEK_CHECK_DAYS_BEFORE_MEETING = 14
    paper = make_paper(meeting_date=dt.date(2025, 3, 17))
    assert paper.check_deadline == dt.date(2025, 3, 3)
    on_the_day = checks.paper_status(paper, dt.date(2025, 3, 3))
    assert (on_the_day.status, on_the_day.deadline, on_the_day.overdue) == (
        checks.PaperStatus.OPEN,
        dt.date(2025, 3, 3),
        False,
    )
    assert on_the_day.label == "offen"
    assert checks.paper_status(paper, dt.date(2025, 3, 4)).overdue
    # Only types that need a check can be overdue; without a meeting there is no deadline.
    antrag = make_paper(reference="13/2025", paper_type="Antrag", meeting_date=dt.date(2025, 1, 1))
    assert not checks.paper_status(antrag, TODAY).overdue
    undated = make_paper(reference="14/2025", meeting_date=None)
    assert checks.paper_status(undated, TODAY).deadline is None
    assert not checks.paper_status(undated, TODAY).overdue
    mine = Paper.objects.filter(pk__in=[paper.pk, antrag.pk, undated.pk])
    assert list(checks.filter_overdue(mine, dt.date(2025, 3, 4))) == [paper]
    assert not checks.filter_overdue(mine, dt.date(2025, 3, 3)).exists()


def test_status_runs_through_the_workflow(staff, settings):
    settings.ZIELWERK_SEK_CHECK_DAYS_BEFORE_MEETING = 14
    paper = make_paper(meeting_date=TODAY + dt.timedelta(days=10))
    late = TODAY + dt.timedelta(days=1)
    editor, office = user("finanzen"), user("strategie")
    check = checks.start_check(paper, editor)
    status = checks.paper_status(paper, late)
    assert (status.status, status.in_review, status.overdue) == ("in_progress", False, True)
    assert status.label == "in Bearbeitung"
    checks.rate(check, goal(check.edition, "12.3.1"), 1, "Senkt die Schulden.", editor)
    checks.submit(check, editor)
    status = checks.paper_status(paper, late)
    assert (status.status, status.in_review, status.overdue) == ("in_progress", True, True)
    assert status.label == "in Bearbeitung (zur Freigabe vorgelegt)"
    checks.approve(check, office)
    paper.refresh_from_db()
    status = checks.paper_status(paper, late)
    assert (status.status, status.overdue) == ("checked", False)
    assert status.label == "geprüft"
    all_papers = Paper.objects.filter(pk=paper.pk)
    assert list(checks.filter_status(all_papers, checks.PaperStatus.CHECKED)) == [paper]
    assert not checks.filter_status(all_papers, checks.PaperStatus.OPEN).exists()
    assert not checks.filter_overdue(all_papers, late).exists()


def test_start_stores_suggestions_but_no_ratings(check, paper):
    check.refresh_from_db()
    assert check.state == Check.State.IN_PROGRESS
    assert check.edition.is_current
    assert check.responsible == Person.objects.get(user__username="finanzen")
    suggestions = list(check.suggestions.select_related("goal"))
    assert suggestions, "the budget paper should get goal suggestions"
    assert all(s.terms for s in suggestions)
    assert check.ratings.count() == 0
    with pytest.raises(checks.CheckError, match="gibt es schon einen SEK-Check"):
        checks.start_check(paper, user("strategie"))


def test_only_the_strategy_office_names_someone_else_responsible(paper):
    other = user("buergerdienste").person
    with pytest.raises(checks.CheckPermissionError, match="legt die Strategiestelle fest"):
        checks.start_check(paper, user("finanzen"), responsible=other)
    assert not Check.objects.filter(paper=paper).exists()


@pytest.mark.parametrize("username", ["buergerdienste", "lesen"])
def test_others_may_not_start_a_check(paper, username):
    with pytest.raises(checks.CheckPermissionError, match="keinen SEK-Check beginnen"):
        checks.start_check(paper, user(username))
    assert not Check.objects.filter(paper=paper).exists()


def test_rating_rules(check):
    editor = user("finanzen")
    target = goal(check.edition, "12.3.1")
    for score in (3, -3, True):
        with pytest.raises(checks.CheckError, match=r"von −2 bis \+2"):
            checks.rate(check, target, score, "Grund", editor)
    with pytest.raises(checks.CheckError, match=r"12\.3\.1: Zur Bewertung fehlt die Begründung"):
        checks.rate(check, target, 1, "   ", editor)
    foreign = goal(import_sek_file(SEED, "andere").edition, "12.3.1")
    with pytest.raises(checks.CheckError, match="gehört nicht zur Ausgabe"):
        checks.rate(check, foreign, 1, "Grund", editor)
    assert not check.ratings.exists()

    rating = checks.rate(check, target, -2, " Belastet den Haushalt. ", editor)
    assert (rating.score, rating.justification) == (-2, "Belastet den Haushalt.")
    assert rating.get_score_display() == "−2 stark hemmend"
    checks.rate(check, target, 0, "Neutral für den Haushalt.", editor)
    assert check.ratings.get().score == 0
    assert checks.rate(check, target, None, "", editor) is None
    assert not check.ratings.exists()

    reasons = list(
        Rating.history.filter(check_ref_id=check.pk)
        .order_by("history_date")
        .values_list("history_type", "history_change_reason", "history_user__username")
    )
    assert reasons == [
        ("+", "12.3.1 bewertet: −2 stark hemmend", "finanzen"),
        ("~", "12.3.1 bewertet: 0 neutral", "finanzen"),
        ("-", "12.3.1: nicht betroffen (Bewertung entfernt)", "finanzen"),
    ]


def test_save_ratings_is_all_or_nothing(check):
    editor = user("finanzen")
    entries = [
        (goal(check.edition, "12.3.1"), 1, "Gut für den Haushalt."),
        (goal(check.edition, "12.3.2"), -1, ""),
        (goal(check.edition, "12.1.1"), None, ""),
    ]
    with pytest.raises(checks.RatingErrors) as refused:
        checks.save_ratings(check, entries, editor)
    assert list(refused.value.errors.values()) == ["12.3.2: Zur Bewertung fehlt die Begründung."]
    assert not check.ratings.exists()
    entries[1] = (entries[1][0], -1, "Kürzt Mittel.")
    checks.save_ratings(check, entries, editor)
    assert sorted(check.ratings.values_list("score", flat=True)) == [-1, 1]


def test_submit_needs_ratings_or_an_exemption_but_not_both(check):
    editor = user("finanzen")
    with pytest.raises(checks.CheckError, match="mindestens ein betroffenes Ziel"):
        checks.submit(check, editor)
    checks.rate(check, goal(check.edition, "12.3.1"), 1, "Gut.", editor)
    checks.record_exemption(check, "Reine Haushaltsformalie", editor)
    with pytest.raises(checks.CheckError, match="Bewertungen und einen Grund der Ausnahme"):
        checks.submit(check, editor)
    checks.record_exemption(check, "", editor)
    checks.submit(check, editor)
    check.refresh_from_db()
    assert check.state == Check.State.REVIEW
    assert check.submitted_at is not None
    with pytest.raises(checks.CheckError, match="kann nicht mehr geändert werden"):
        checks.rate(check, goal(check.edition, "12.3.2"), 1, "Auch gut.", editor)


def test_only_the_strategy_office_approves_returns_and_publishes(check):
    editor, office = user("finanzen"), user("strategie")
    checks.rate(check, goal(check.edition, "12.3.1"), 2, "Entschuldung.", editor)
    with pytest.raises(checks.CheckError, match="Nur ein zur Freigabe vorgelegter Check"):
        checks.approve(check, office)
    checks.submit(check, editor)
    for step in (checks.approve, checks.publish):
        with pytest.raises(checks.CheckPermissionError, match="nur die Strategiestelle"):
            step(check, editor)
    with pytest.raises(checks.CheckPermissionError):
        checks.return_for_rework(check, editor, "Bitte ergänzen.")
    with pytest.raises(checks.CheckError, match="Nur freigegebene Checks"):
        checks.publish(check, office)

    checks.approve(check, office)
    checks.publish(check, office)
    check.refresh_from_db()
    assert (check.state, check.is_public, check.approved_by) == ("checked", True, office)

    with pytest.raises(checks.CheckError, match="was überarbeitet werden soll"):
        checks.return_for_rework(check, office, "  ")
    checks.return_for_rework(check, office, "Ziel 12.3.2 fehlt.")
    check.refresh_from_db()
    assert (check.state, check.is_public, check.approved_at) == ("in_progress", False, None)
    assert check.review_note == "Ziel 12.3.2 fehlt."
    # Back in the editor's hands.
    checks.rate(check, goal(check.edition, "12.3.2"), 1, "Auch betroffen.", editor)


def test_exemption_is_approved_as_exempt(check):
    editor, office = user("finanzen"), user("strategie")
    checks.record_exemption(check, "Personalangelegenheit", editor)
    checks.submit(check, editor)
    checks.approve(check, office)
    check.refresh_from_db()
    assert check.state == Check.State.EXEMPT
    assert checks.paper_status(check.paper).status == checks.PaperStatus.EXEMPT


def test_the_person_named_responsible_works_on_a_check_of_another_unit(paper):
    office, other = user("strategie"), user("buergerdienste")
    not_named = checks.start_check(make_paper(reference="99/2025"), office)
    with pytest.raises(checks.CheckPermissionError, match="nicht bearbeiten"):
        checks.rate(not_named, goal(not_named.edition, "12.3.1"), 1, "Grund", other)
    assert not not_named.ratings.exists()
    check = checks.start_check(paper, office, responsible=other.person)
    checks.rate(check, goal(check.edition, "12.2.1"), 1, "Bürgerdienste betroffen.", other)
    checks.submit(check, other)
    assert checks.allowed_steps(paper, office) == checks.Allowed(approve=True, give_back=True)
    assert checks.allowed_steps(paper, other) == checks.Allowed()


def test_viewers_only_read(check):
    viewer = user("lesen")
    with pytest.raises(checks.CheckPermissionError):
        checks.record_exemption(check, "Information", viewer)
    assert checks.allowed_steps(check.paper, viewer) == checks.Allowed()
    assert checks.allowed_steps(check.paper, user("finanzen")) == checks.Allowed(work=True)


def test_every_step_is_in_the_history(check):
    editor, office = user("finanzen"), user("strategie")
    checks.rate(check, goal(check.edition, "12.3.1"), 1, "Gut.", editor)
    checks.submit(check, editor)
    checks.return_for_rework(check, office, "Bitte genauer begründen.")
    checks.rate(check, goal(check.edition, "12.3.1"), 1, "Senkt die Schulden je Einwohner.", editor)
    checks.submit(check, editor)
    checks.approve(check, office)
    checks.publish(check, office)
    steps = [(step.who, step.what) for step in checks.check_history(check)]
    assert steps == [
        ("Fritz Finanzen", "SEK-Check begonnen"),
        ("Fritz Finanzen", "12.3.1 bewertet: +1 fördernd"),
        ("Fritz Finanzen", "zur Freigabe vorgelegt"),
        ("Sabine Strategie", "zur Überarbeitung zurückgegeben: Bitte genauer begründen."),
        ("Fritz Finanzen", "12.3.1 bewertet: +1 fördernd"),
        ("Fritz Finanzen", "zur Freigabe vorgelegt"),
        ("Sabine Strategie", "freigegeben"),
        ("Sabine Strategie", "veröffentlicht"),
    ]


def test_overview_groups_overdue_pending_and_submitted(staff, settings):
    settings.ZIELWERK_SEK_CHECK_DAYS_BEFORE_MEETING = 14
    editor = user("finanzen")
    overdue = make_paper(reference="1/2025", meeting_date=TODAY + dt.timedelta(days=5))
    pending = make_paper(reference="2/2025", meeting_date=TODAY + dt.timedelta(days=40))
    submitted = make_paper(reference="3/2025", meeting_date=TODAY + dt.timedelta(days=50))
    done = make_paper(reference="4/2025", meeting_date=TODAY + dt.timedelta(days=1))
    make_paper(reference="5/2025", paper_type="Informationsvorlage")
    check = checks.start_check(submitted, editor)
    checks.record_exemption(check, "Information", editor)
    checks.submit(check, editor)
    check = checks.start_check(done, editor)
    checks.record_exemption(check, "Eilentscheidung", editor)
    checks.submit(check, editor)
    checks.approve(check, user("strategie"))

    overview = checks.check_overview(TODAY)
    mine = {overdue, pending, submitted, done}

    def listed(rows):
        return [row.paper for row in rows if row.paper in mine]

    assert listed(overview.overdue) == [overdue]
    assert listed(overview.pending) == [pending]
    assert listed(overview.review) == [submitted]
    assert overview.overdue[0].status.deadline <= TODAY - dt.timedelta(days=9)

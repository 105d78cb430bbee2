"""Roles, responsibility of units and the history of changes, through the real staff pages."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from zielwerk.goals.models import OperativeGoal
from zielwerk.goals.queries import find_goal
from zielwerk.org.models import OrgUnit, Person

pytestmark = pytest.mark.django_db


def _user(username):
    return get_user_model().objects.get(username=username)


def _change_url(goal):
    return f"/verwaltung/goals/{goal._meta.model_name}/{goal.pk}/change/"


@pytest.mark.parametrize(
    ("username", "code", "allowed"),
    [
        ("strategie", "12.2.1", True),
        ("strategie", "12", True),
        ("finanzen", "12.3.4", True),  # a sub-unit of FB-FIN is responsible
        ("finanzen", "12.3.1", True),  # inherited from strategic goal 12.3
        ("finanzen", "12.3", True),
        ("finanzen", "12.2.1", False),
        ("finanzen", "12", False),
        ("buergerdienste", "12.2.1", True),
        ("buergerdienste", "12.3.4", False),
        ("lesen", "12.3.4", False),
    ],
)
def test_who_may_change_which_goal(demo, username, code, allowed):
    goal = find_goal(demo.edition, code)
    perm = f"goals.change_{goal._meta.model_name}"
    assert _user(username).has_perm(perm, goal) is allowed


def test_editor_of_a_department_acts_only_for_its_own_subtree(demo):
    user = get_user_model().objects.create_user("haushalt", password="x", is_staff=True)
    Person.objects.create(
        user=user, role=Person.Role.EDITOR, unit=OrgUnit.objects.get(code="FB-FIN-HH")
    )
    assert user.has_perm("goals.change_operativegoal", find_goal(demo.edition, "12.3.4"))
    assert not user.has_perm("goals.change_operativegoal", find_goal(demo.edition, "12.3.1"))
    assert not user.has_perm("goals.change_strategicgoal", find_goal(demo.edition, "12.3"))


def test_only_the_strategy_office_changes_structure_and_responsibility(demo):
    for username in ("finanzen", "lesen"):
        user = _user(username)
        assert not user.has_perm("goals.add_operativegoal")
        assert not user.has_perm("goals.delete_operativegoal", find_goal(demo.edition, "12.3.4"))
        assert not user.has_perm("goals.change_edition", demo.edition)
        assert not user.has_perm("goals.assign_responsibility")
        assert not user.has_perm("org.change_orgunit", OrgUnit.objects.first())
    assert _user("strategie").has_perm("goals.assign_responsibility")
    assert not AnonymousUser().has_perm("goals.change_operativegoal", OperativeGoal.objects.first())


def test_editor_of_another_unit_is_denied_in_the_staff_pages(demo, client, login):
    goal = find_goal(demo.edition, "12.2.1")
    login("finanzen")
    page = client.get(_change_url(goal))
    assert page.status_code == 200  # may look at it …
    assert b'name="_save"' not in page.content  # … but gets no save button
    response = client.post(_change_url(goal), {"title": "Fremd geändert", "text": "x"})
    assert response.status_code == 403
    goal.refresh_from_db()
    assert goal.title == "Kundenorientierte Servicestandards etablieren"


def test_editor_changes_own_goal_and_history_shows_who_what_before_after(demo, client, login):
    goal = find_goal(demo.edition, "12.3.4")
    old_text = goal.text
    login("finanzen")
    new_text = old_text.replace("1.000 EUR", "1.100 EUR")
    fin_hh = OrgUnit.objects.get(code="FB-FIN-HH")
    other = OrgUnit.objects.get(code="FB-BD")
    response = client.post(
        _change_url(goal),
        # responsible_units is read-only for editors: the posted value must be ignored.
        {
            "title": goal.title,
            "text": new_text,
            "title_en": goal.title_en,
            "text_en": goal.text_en,
            "responsible_units": [other.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    goal.refresh_from_db()
    assert goal.text == new_text
    assert list(goal.responsible_units.all()) == [fin_hh]

    latest = goal.history.latest()
    assert latest.history_user.username == "finanzen"
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("text", old_text, new_text)]

    page = client.get("/ziele/12.3.4/verlauf/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Fritz Finanzen" in html
    assert "1.000 EUR" in html and "1.100 EUR" in html
    assert "Import aus ludwigsburg-hf12.txt" in html


def test_history_needs_a_login(demo, client):
    response = client.get("/ziele/12.3.4/verlauf/")
    assert response.status_code == 302
    assert response["Location"].startswith("/anmelden/")


def test_strategy_office_assigns_responsibility_and_it_is_recorded(demo, client, login):
    goal = find_goal(demo.edition, "12.4.1")
    unit = OrgUnit.objects.get(code="FB-FIN")
    login("strategie")
    response = client.post(
        _change_url(goal),
        {
            "strategic_goal": goal.strategic_goal_id,
            "number": goal.number,
            "title": goal.title,
            "text": goal.text,
            "responsible_units": [unit.pk],
        },
    )
    assert response.status_code == 302
    assert list(goal.responsible_units.all()) == [unit]
    assert _user("finanzen").has_perm("goals.change_operativegoal", goal)
    html = client.get("/ziele/12.4.1/verlauf/").content.decode()
    assert "verantwortliche Einheiten" in html and "FB-FIN" in html


def test_viewer_sees_staff_pages_but_cannot_save(demo, client, login):
    login("lesen")
    assert client.get("/verwaltung/goals/operativegoal/").status_code == 200
    goal = find_goal(demo.edition, "12.3.4")
    assert client.post(_change_url(goal), {"title": "x", "text": "y"}).status_code == 403


def test_strategy_office_manages_logins_but_cannot_grant_superuser(demo, client, login):
    login("finanzen")
    assert client.get("/verwaltung/auth/user/").status_code == 403
    login("strategie")
    assert client.get("/verwaltung/auth/user/").status_code == 200
    page = client.get(f"/verwaltung/auth/user/{_user('finanzen').pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="person-0-role"' in page

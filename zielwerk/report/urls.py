from django.urls import path, register_converter

from zielwerk.report import (
    case_views,
    council_views,
    diff_views,
    indicator_views,
    info_views,
    views,
)


class GoalCodeConverter:
    regex = r"\d{1,3}(?:\.\d{1,2}){0,2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(GoalCodeConverter, "code")

urlpatterns = [
    path("", views.home, name="home"),
    path("handlungsfelder/<int:number>/", views.field_detail, name="field"),
    path("ziele/<code:code>/", views.goal_detail, name="goal"),
    path("ziele/<code:code>/verlauf/", views.goal_history, name="goal-history"),
    path("ausgaben/", views.edition_list, name="editions"),
    path("methoden/", views.methods, name="methods"),
    path("massnahmen/", views.measure_list, name="measures"),
    path("massnahmen/<str:number>/", views.measure_detail, name="measure"),
    path("abdeckung/", views.coverage, name="coverage"),
    path("beschluesse/", council_views.decision_list, name="decisions"),
    path("beschluesse/<int:paper_id>/", council_views.decision_detail, name="decision"),
    path("sek-check/", council_views.check_overview, name="sek-check"),
    path("sek-check/<int:year>/", council_views.check_year, name="sek-check-year"),
    path("indikatoren/<slug:code>/", indicator_views.indicator_detail, name="indicator"),
    path("meilensteine/", indicator_views.milestones, name="milestones"),
    path("suche/", indicator_views.search, name="search"),
    path("barrierefreiheit/", info_views.accessibility, name="accessibility"),
    path("anliegen/", case_views.case_form, name="case-form"),
    path("anliegen/status/<str:token>/", case_views.case_status, name="case-status"),
    path("sie-haben-gesagt/", case_views.case_outcomes, name="case-outcomes"),
    path("leichte-sprache/", info_views.easy_read, name="easy-read"),
    path("einbetten/ziele/<code:code>/", info_views.embed_goal, name="embed-goal"),
    path("einbetten/indikatoren/<slug:code>/", info_views.embed_indicator, name="embed-indicator"),
    path("ausgaben/vergleich/", diff_views.edition_diff, name="edition-diff"),
    path("ausgaben/<slug:edition>/", views.edition_detail, name="edition"),
    path(
        "ausgaben/<slug:edition>/handlungsfelder/<int:number>/",
        views.field_detail,
        name="edition-field",
    ),
    path("ausgaben/<slug:edition>/ziele/<code:code>/", views.goal_detail, name="edition-goal"),
    path(
        "ausgaben/<slug:edition>/indikatoren/<slug:code>/",
        indicator_views.indicator_detail,
        name="edition-indicator",
    ),
    path(
        "ausgaben/<slug:edition>/ziele/<code:code>/verlauf/",
        views.goal_history,
        name="edition-goal-history",
    ),
]

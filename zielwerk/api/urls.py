from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from zielwerk.api import cases, council, indicators, measures, statuses, views

app_name = "api"

router = DefaultRouter()
router.register("editions", views.EditionViewSet, basename="edition")
router.register("fields", views.FieldViewSet, basename="field")
router.register("strategic-goals", views.StrategicGoalViewSet, basename="strategic-goal")
router.register("operative-goals", views.OperativeGoalViewSet, basename="operative-goal")
router.register("org-units", views.OrgUnitViewSet, basename="org-unit")
router.register("indicators", indicators.IndicatorViewSet, basename="indicator")
router.register("targets", indicators.TargetViewSet, basename="target")
router.register("values", indicators.ValueViewSet, basename="value")
router.register("milestones", indicators.MilestoneViewSet, basename="milestone")
router.register("evaluations", statuses.EvaluationViewSet, basename="evaluation")
router.register("statuses", statuses.StatusViewSet, basename="status")
router.register("measures", measures.MeasureViewSet, basename="measure")
router.register("measure-statuses", measures.MeasureStatusViewSet, basename="measure-status")
router.register("papers", council.PaperViewSet, basename="paper")
router.register("sek-checks", council.CheckViewSet, basename="sek-check")
router.register("sek-check-statistics", council.StatisticsViewSet, basename="sek-check-statistics")
router.register("cases", cases.CaseViewSet, basename="case")
router.register("case-statistics", cases.CaseStatisticsViewSet, basename="case-statistics")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's files come from drf-spectacular-sidecar (SWAGGER_UI_DIST = "SIDECAR"),
    # so the page works without any request to a CDN.
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]

"""Staff pages about updates; they live under /verwaltung/ beside the admin and use its login."""

from django.contrib import admin
from django.urls import path

from zielwerk.updates import views

app_name = "updates"
urlpatterns = [
    path(
        "verwaltung/meine-aktualisierungen/",
        admin.site.admin_view(views.my_updates_page),
        name="mine",
    ),
    path(
        "verwaltung/aktualisierungen/",
        admin.site.admin_view(views.stale_overview_page),
        name="overview",
    ),
]

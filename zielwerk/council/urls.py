"""Staff pages of the SEK-Check; they live under /verwaltung/ beside the admin and use its login."""

from django.contrib import admin
from django.urls import path

from zielwerk.council import views

app_name = "council"
urlpatterns = [
    path(
        "verwaltung/sek-check/",
        admin.site.admin_view(views.overview_page),
        name="overview",
    ),
    path(
        "verwaltung/sek-check/<int:paper_id>/",
        admin.site.admin_view(views.check_page),
        name="check",
    ),
    path(
        "verwaltung/sek-check/<int:paper_id>/baustein.<str:fmt>",
        admin.site.admin_view(views.block_download),
        name="block",
    ),
]

"""Pages of cases. Staff pages live under /verwaltung/ beside the admin and use its login."""

from django.contrib import admin
from django.urls import path

from zielwerk.cases import views_servicelevel

urlpatterns = [
    path(
        "verwaltung/servicelevel/",
        admin.site.admin_view(views_servicelevel.service_level_page),
        name="case_service_level",
    ),
]

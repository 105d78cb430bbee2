from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("zielwerk – Verwaltung")
admin.site.site_title = _("zielwerk")
admin.site.index_title = _("Zielsystem pflegen")
admin.site.index_template = "admin/zielwerk_index.html"

urlpatterns = [
    path("api/", include("zielwerk.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(
    # Staff pages under /verwaltung/ that are not admin pages; before the admin's catch-all.
    path("", include("zielwerk.updates.urls")),
    path("", include("zielwerk.council.urls")),
    path("", include("zielwerk.cases.urls")),
    path("verwaltung/", admin.site.urls),
    path("", include("zielwerk.org.urls")),
    path("", include("zielwerk.report.urls")),
    prefix_default_language=False,
)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZielwerkConfig(AppConfig):
    name = "zielwerk"
    verbose_name = _("zielwerk")

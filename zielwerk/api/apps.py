from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "zielwerk.api"
    label = "api"
    verbose_name = "API"

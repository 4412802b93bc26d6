from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jifang.api"
    label = "api"
    verbose_name = "REST API"

from django.apps import AppConfig


class PractitionersConfig(AppConfig):
    name = "jifang.platform.practitioners"
    label = "practitioners"
    verbose_name = "从业单位"

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "jifang.web"
    label = "web"
    verbose_name = "网页"

from django.apps import AppConfig


class SystemsConfig(AppConfig):
    name = "jifang.platform.systems"
    label = "systems"
    verbose_name = "技防系统与产品"

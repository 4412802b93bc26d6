from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "jifang.platform.units"
    label = "units"
    verbose_name = "单位与场所"

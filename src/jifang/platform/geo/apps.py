from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "jifang.platform.geo"
    label = "geo"
    verbose_name = "行政区划与公安机关"

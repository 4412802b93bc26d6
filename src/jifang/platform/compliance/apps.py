from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "jifang.platform.compliance"
    label = "compliance"
    verbose_name = "合规评估"

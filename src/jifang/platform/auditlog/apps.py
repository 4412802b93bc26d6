from django.apps import AppConfig


class AuditlogConfig(AppConfig):
    name = "jifang.platform.auditlog"
    label = "auditlog"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects change logging)

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jifang.platform.accounts"
    label = "accounts"
    verbose_name = "账户与权限"

    def ready(self) -> None:
        from . import security  # noqa: F401  (connects the login signals)

"""Platform commands start Django on demand; engine commands never do."""

from __future__ import annotations

import os


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jifang.platform.settings")
    import django

    django.setup()

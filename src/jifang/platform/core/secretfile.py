"""Secrets made once and kept in the data directory, readable by the owner only."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def read_or_create(path: Path, nbytes: int = 32) -> str:
    """The secret in `path`; on first use a new random one, written with mode 0600."""
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(nbytes))
    return path.read_text().strip()

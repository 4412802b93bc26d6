"""`jifang` subcommands for this part of the platform (see register)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add this module's subcommands to the `jifang` parser."""

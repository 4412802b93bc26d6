"""`jifang manage …` (Django's management commands), `jifang migrate`, `jifang sweep`."""

from __future__ import annotations

import argparse

from .django_setup import setup_django


def _manage(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jifang manage", *args.rest])
    return 0


def _migrate(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=args.verbosity)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("manage", help="Django 管理命令 / Django management commands")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=_manage)
    p = sub.add_parser("migrate", help="建立或升级数据库 / create or upgrade the database")
    p.add_argument("--verbosity", type=int, default=1)
    p.set_defaults(func=_migrate)

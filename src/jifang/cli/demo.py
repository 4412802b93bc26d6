"""`jifang demo`: (re)build the demo jurisdiction from a seed (see docs/demo.md)."""

from __future__ import annotations

import argparse
import sys

from .django_setup import setup_django


def _migrate_if_needed() -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        print("正在建立或升级数据库… / migrating the database…", file=sys.stderr)
        call_command("migrate", interactive=False, verbosity=0)


def _ensure_admin() -> None:
    """A superuser `admin` to sign in to the demo with; its password is made once and kept
    in the data directory (mode 0600), or taken from JIFANG_ADMIN_PASSWORD."""
    import os

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from jifang.platform.core.secretfile import read_or_create

    path = settings.DATA_DIR / "admin_password"
    password = os.environ.get("JIFANG_ADMIN_PASSWORD") or read_or_create(path, 12)
    users = get_user_model()
    with transaction.atomic():
        user = users.objects.filter(username="admin").first()
        if user is None:
            users.objects.create_superuser("admin", password=password)
        elif not user.check_password(password):
            user.set_password(password)
            user.save()
    print(f"管理员 / administrator: admin  密码 / password: {password}（保存在 / kept in {path}）")


def _demo(args: argparse.Namespace) -> int:
    setup_django()
    from jifang.platform.auditlog.context import acting_as
    from jifang.platform.demo import DemoDataExists, generate
    from jifang.platform.units.models import Unit

    _migrate_if_needed()
    _ensure_admin()
    if args.if_empty and Unit.objects.exists():
        print("已有登记数据，未重新生成演示数据 / registry data present: demo not regenerated")
    else:
        try:
            with acting_as("cli:demo"):
                summary = generate(
                    seed=args.seed, units_per_city=args.units_per_city, reset=not args.no_reset
                )
        except DemoDataExists as exc:
            print(f"错误 / error: {exc}", file=sys.stderr)
            return 1
        print(summary.render())
        with acting_as("cli:demo"):
            _sweep_demo()
    with acting_as("cli:demo"):
        _ensure_demo_accounts()
    return 0


def _sweep_demo() -> None:
    """Assess every demo unit on the demo's base date, so the dashboards have results."""
    from jifang.platform.compliance.services import sweep
    from jifang.platform.demo import BASE_DATE
    from jifang.platform.geo.models import Division

    for province in Division.objects.filter(parent__isnull=True).order_by("code"):
        run = sweep(province, BASE_DATE)
        print(f"已评估 / assessed {province.name}：{run.units} 个单位，{run.findings} 项违法认定")


def _ensure_demo_accounts() -> None:
    """One account per role bound to the demo's first city (see docs/demo.md)."""
    import os

    from django.conf import settings

    from jifang.platform.core.secretfile import read_or_create
    from jifang.platform.demo.accounts import ensure_demo_accounts

    path = settings.DATA_DIR / "demo_password"
    password = os.environ.get("JIFANG_DEMO_PASSWORD") or read_or_create(path, 12)
    made = ensure_demo_accounts(password)
    print(f"演示账户 / demo accounts（密码 / password: {password}，保存在 / kept in {path}）：")
    for account in made:
        print(f"  {account.username:<16} {account.role:<20} {account.bound_to}")


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("至少为 1 / must be at least 1")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    """Add this module's subcommands to the `jifang` parser."""
    from jifang.platform.demo import DEFAULT_SEED, DEFAULT_UNITS_PER_CITY

    p = sub.add_parser(
        "demo",
        help="生成演示数据（五个城市，可由种子重现）/ build the demo jurisdiction from a seed",
        description="删除全部登记数据，按种子重新生成演示辖区：五个城市各适用一部已编码法规。"
        " / Deletes every registry record and regenerates the demo jurisdiction from a seed.",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help=f"随机种子，相同种子生成相同数据（默认 {DEFAULT_SEED}）",
    )
    p.add_argument(
        "--units-per-city",
        type=_positive,
        default=DEFAULT_UNITS_PER_CITY,
        help=f"每个城市的单位数（默认 {DEFAULT_UNITS_PER_CITY}）",
    )
    p.add_argument(
        "--if-empty",
        action="store_true",
        help="已有登记数据时不重新生成（make run 使用）/ only when the registries are empty",
    )
    p.add_argument(
        "--no-reset",
        action="store_true",
        help="不先删除已有登记数据 / keep existing registry records",
    )
    p.set_defaults(func=_demo)

"""`jifang serve`: the platform behind gunicorn (a production WSGI server), static files by
WhiteNoise, nothing fetched from outside."""

from __future__ import annotations

import argparse
import os

from .django_setup import setup_django


def _serve(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command
    from gunicorn.app.base import BaseApplication

    # Collect first: WhiteNoise indexes the static root when the application starts.
    call_command("collectstatic", interactive=False, verbosity=0)
    from jifang.platform.wsgi import application

    class Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", args.workers)
            self.cfg.set("threads", 4)
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", 120)

        def load(self):
            return application

    print(f"jifang 技防平台：http://{args.host}:{args.port}/admin/")
    Server().run()
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="启动平台服务 / serve the platform")
    p.add_argument("--host", default=os.environ.get("JIFANG_HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("JIFANG_PORT", "8000")))
    p.add_argument("--workers", type=int, default=int(os.environ.get("JIFANG_WORKERS", "2")))
    p.set_defaults(func=_serve)

"""advisor serve: the questionnaires in the browser."""

from __future__ import annotations

import argparse


def cmd_serve(args: argparse.Namespace) -> int:
    from ..app.web.server import serve

    return serve(args.host, args.port, args.db, open_browser=args.open)

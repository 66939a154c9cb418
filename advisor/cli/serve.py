"""advisor serve: the questionnaires in the browser; advisor purge: what the server no longer needs to keep."""

from __future__ import annotations

import argparse

#: Days an assessment or workshop is kept after its last change, unless the
#: administrator says otherwise (--keep-days of serve and purge).
KEEP_DAYS = 90


def cmd_serve(args: argparse.Namespace) -> int:
    from ..app.web.server import serve

    return serve(args.host, args.port, args.db, keep_days=args.keep_days, open_browser=args.open,
                 engine=args.engine)


def cmd_purge(args: argparse.Namespace) -> int:
    from ..app.web.server import purge

    return purge(args.db, args.keep_days)

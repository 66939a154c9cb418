"""The ``advisor`` command. The one place where errors become the Spanish
messages a user reads, and where Ctrl-C is handled."""

from __future__ import annotations

import gc
import os
import sys
from typing import Sequence

from ..app.messages import format_error
from ..errors import AdvisorError
from ..i18n import _
from ..io import translations
from ..io.text import emit
from . import argparse_i18n
from .common import EXIT_INTERRUPTED
from .parser import add_language_option, build_parser, requested_language


def main(argv: Sequence[str] | None = None) -> int:
    # advisor uses no pydantic plugins; looking for them scans the metadata of
    # every installed package, a few milliseconds of each command.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    argv = list(sys.argv[1:] if argv is None else argv)
    _closed_streams_to_nowhere()
    try:
        translations.load(requested_language(argv))
        with argparse_i18n.speaking():  # argparse asks for its words while building, too («options»)
            parser = build_parser()
            add_language_option(parser)
            args = parser.parse_args(argv)
            handler = getattr(args, "handler", None)
            if handler is None:
                parser.print_help()
                return 2
        if getattr(args, "long_running", False) and not gc.isenabled():
            # The console script started without the collector (cli/__init__.py);
            # ask, batch and serve run long enough to need it. What start-up
            # built lives as long as the process: frozen, it is never scanned.
            gc.freeze()
            gc.enable()
        return handler(args)
    except AdvisorError as error:
        emit(format_error(error), sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        emit(_("\nInterrumpido."), sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0
    except Exception as error:  # a defect: say so plainly, keep the traceback for developers
        if os.environ.get("ADVISOR_DEBUG"):
            raise
        emit(_("advisor: error interno ({kind}: {error}). Es un defecto de advisor, no de sus datos; "
                "repórtelo con el comando que usó. Con ADVISOR_DEBUG=1 se ve el detalle.",
                kind=type(error).__name__, error=error), sys.stderr)
        return 1


def _closed_streams_to_nowhere() -> None:
    """A stream the caller closed (``2>&-``) is None in Python: what would go
    there goes nowhere, and a refusal still exits with its own code."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - lives as long as the process

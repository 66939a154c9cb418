"""The ``advisor`` command. The one place where errors become the Spanish
messages a user reads, and where Ctrl-C is handled."""

from __future__ import annotations

import os
import sys
from typing import Sequence

from ..app.messages import format_error
from ..errors import AdvisorError
from ..i18n import _
from ..io import translations
from ..io.text import emit
from .common import EXIT_INTERRUPTED
from .parser import add_language_option, argparse_in_spanish, build_parser, requested_language


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        translations.load(requested_language(argv))
        parser = build_parser()
        add_language_option(parser)
        with argparse_in_spanish():
            args = parser.parse_args(argv)
            handler = getattr(args, "handler", None)
            if handler is None:
                parser.print_help()
                return 2
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

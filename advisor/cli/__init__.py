"""The command line: a parser and thin commands over the application layer."""

from __future__ import annotations

import gc
from typing import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """The ``advisor`` console script: the process runs ``program.main``
    without the garbage collector, which long-running commands turn back on."""
    # A command builds what it needs once and exits: the collector's passes
    # over modules, the knowledge base and the engine's network find no
    # garbage, and were about a twentieth of a report's time.
    gc.disable()
    from .program import main as run

    return run(argv)


__all__ = ["main"]

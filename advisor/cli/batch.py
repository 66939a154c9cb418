"""advisor batch: reports of many answer files, with a progress line."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from ..app.messages import format_error
from ..errors import Problem, UsageError
from ..i18n import _, ngettext
from ..io.text import emit, visible
from .common import checked_bundle, refuse_replacing


def cmd_batch(args: argparse.Namespace) -> int:
    from ..app import batch
    from ..engine.base import backend

    checked_bundle()  # refuse a broken knowledge base or template before any work
    backend(args.engine)  # and an engine that is not there
    paths = batch.answer_files(args.inputs)
    if not paths:
        raise UsageError(Problem(_("no se encontraron archivos de respuestas"), key="ENTRADA",
                                 expected=_("archivos .yaml, .yml o .json, o carpetas que los contengan")))
    formats = tuple(dict.fromkeys(args.format or ["json", "html"]))
    refuse_replacing(batch.outputs(paths, Path(args.output), formats), paths)
    jobs = args.jobs or batch.default_jobs()
    show = _Progress(len(paths), sys.stderr)
    # SIGTERM stops the batch as Ctrl-C does: the pool is shut down, not orphaned
    # (only the main thread may set a handler; elsewhere the workers' own guard remains).
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupted) if main else None
    try:
        done, refused = batch.write(batch.run(paths, formats, jobs, args.date, args.engine), Path(args.output),
                                    format_error,
                                    show, args.separator)
    finally:
        if main:  # a handler set outside Python reads as None: the default is what it did
            signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
    show.finish()
    emit(_("{reports} en {folder}; {refused}", reports=ngettext("{n} informe", "{n} informes", done, n=done),
            folder=visible(str(args.output)),
            refused=ngettext("{n} archivo rechazado", "{n} archivos rechazados", refused, n=refused))
         + (_(", vea {path}", path=visible(str(Path(args.output) / batch.ERRORS))) if refused else "") + ".")
    emit(_("Resumen: {path}", path=visible(str(Path(args.output) / batch.SUMMARY))))
    return 2 if refused else 0


def _interrupted(signum, frame) -> None:
    raise KeyboardInterrupt


class _Progress:
    """A bar on a terminal; one plain line per file otherwise (logs, CI)."""

    def __init__(self, total: int, stream):
        self.total, self.count, self.stream = total, 0, stream
        self.bar = stream.isatty()

    def __call__(self, outcome) -> None:
        from ..app.batch import shown_path

        self.count += 1
        if self.bar:
            filled = int(30 * self.count / self.total)
            self.stream.write(f"\r[{'█' * filled}{'·' * (30 - filled)}] {self.count}/{self.total}")
        else:
            state = _("rechazado") if outcome.problems else _("listo")
            self.stream.write(f"{self.count}/{self.total} {state}: {shown_path(outcome.path)}\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.bar:
            self.stream.write("\n")

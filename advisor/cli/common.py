"""What every command needs: the checked bundle, a report built from an
answer file, output to a file or the terminal, and the refusal to overwrite."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from ..errors import Problem, UsageError
from ..i18n import _
from ..io.text import emit, visible

#: The exit code of a command stopped with Ctrl-C.
EXIT_INTERRUPTED = 130


def checked_bundle(args: argparse.Namespace | None = None):
    """The packaged bundle (or the one of ``--base``), its templates checked."""
    from ..kb.load import load_bundle, packaged_bundle
    from ..report.templates import check_templates

    base = getattr(args, "base", None)
    bundle = load_bundle(kb_dir=Path(base)) if base else packaged_bundle()
    check_templates(sorted(bundle.questionnaires))
    return bundle


def build_report(answers_path: Path, args: argparse.Namespace, date: dt.date | None = None):
    from ..app.assessment import assess

    return assess(answers_path, checked_bundle(), date, args.engine)


def write_output(text: str, output: str | None) -> None:
    from ..io.atomic import write_atomic

    if output is None or output == "-":
        emit(text)
    else:
        write_atomic(output, text)


def exists(path: Path) -> UsageError:
    return UsageError(Problem(
        _("el archivo ya existe y no se sobrescribe"),
        file=str(path),
        expected=_("otro nombre con -o, o continuar ese archivo con «advisor ask --resume {path}»",
                   path=visible(str(path))),
    ))


def refuse_replacing(outputs: list[Path], inputs: list[Path]) -> None:
    """An output never replaces an input (``report r.json -o r.json``, a batch
    written into the folder of its answer files): refused before any work."""
    import os

    def identity(path: Path) -> tuple[int, int] | None:
        try:
            status = os.stat(path)
        except (OSError, ValueError):
            return None  # not there: nothing to replace
        return status.st_dev, status.st_ino

    read = {key: path for path in inputs if (key := identity(path)) is not None}
    for output in outputs:
        found = read.get(identity(output)) if str(output) != "-" else None  # type: ignore[arg-type]
        if found is not None:
            raise UsageError(Problem(
                _("la salida {output} es el archivo de entrada {input}, y se perdería", output=visible(str(output)),
                  input=visible(str(found))),
                file=str(output), key="-o",
                expected=_("otro archivo u otra carpeta de salida: un informe nunca reemplaza los datos de los que "
                           "sale"),
            ))


def write_reports(report, stem: Path) -> list[Path]:
    from ..report.render import render

    written = []
    for fmt in ("html", "md"):
        target = stem.with_suffix(f".{fmt}")
        write_output(render(report, fmt), str(target))
        written.append(target)
    return written

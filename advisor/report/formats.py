"""The formats a report is written in, said once: their names, the file
suffixes that choose them, whether they are documents (never shown on a
terminal), and how a report becomes their bytes. Every front end (the command
line, a batch, the web) asks here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem, UsageError
from ..i18n import _

if TYPE_CHECKING:
    from .model import Report


@dataclass(frozen=True)
class Format:
    """One format: its name, the suffixes that choose it, and whether it is a
    document (a file to hand over) rather than text."""

    name: str
    suffixes: tuple[str, ...]
    media_type: str
    document: bool = False
    #: Whether a comparison of two reports can be written in it too.
    comparison: bool = True


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("json", (".json",), "application/json; charset=utf-8"),
        Format("md", (".md", ".markdown"), "text/markdown; charset=utf-8"),
        Format("html", (".html", ".htm"), "text/html; charset=utf-8"),
        Format("docx", (".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               document=True, comparison=False),
    )
}
#: Text formats, written to the terminal when there is no file.
TEXT = tuple(name for name, f in FORMATS.items() if not f.document)
#: Formats a comparison is written in.
COMPARISON = tuple(name for name, f in FORMATS.items() if f.comparison)


def chosen(explicit: str | None, output: str | None, allowed: tuple[str, ...] = tuple(FORMATS)) -> Format:
    """The format asked for: ``--format``, else the suffix of ``-o``, else JSON.
    A suffix that names no format is refused, never silently written as JSON."""
    if explicit:
        return FORMATS[explicit]
    if not output or output == "-":
        return FORMATS["json"]
    suffix = Path(output).suffix.lower()
    for name in allowed:
        if suffix in FORMATS[name].suffixes:
            return FORMATS[name]
    suffixes = [s for name in allowed for s in FORMATS[name].suffixes]
    raise UsageError(Problem(
        _("no se sabe en qué formato escribir «{path}»", path=Path(output).name), key="-o",
        expected=_("un archivo terminado en {suffixes}, o el formato con --format", suffixes=", ".join(suffixes)),
    ))


def render_bytes(report: Report, fmt: str) -> bytes:
    """The report as the content of a file in that format."""
    if fmt == "docx":
        from .memo import memo_docx

        return memo_docx(report)
    from .render import render

    return render(report, fmt).encode("utf-8")

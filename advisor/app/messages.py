"""The Spanish message of an error (CONTRACT §4): which file, key and line,
what was expected. The terminal prints it; the web app shows it beside a field
or puts it in a JSON refusal."""

from __future__ import annotations

import dataclasses

from ..errors import AdvisorError, PackagedDataError, Problem
from ..i18n import _
from ..io.text import visible


def format_error(error: AdvisorError) -> str:
    """The Spanish message for an error: which file, key and line, what was expected."""
    problems = error.problems
    lines = []
    if isinstance(error, PackagedDataError):
        lines.append(_("advisor: los archivos que vienen con advisor tienen un defecto (no es un problema de sus "
                       "datos); reinstale advisor o repórtelo con este mensaje:"))
    if len(problems) > 1 and len({p.file for p in problems}) == 1 and problems[0].file:
        lines.append(_("advisor: {file} tiene {count} problemas:", file=problems[0].file, count=len(problems)))
        for problem in problems:
            lines.append("  - " + describe(problem, with_file=False))
    else:
        for problem in problems:
            lines.append("advisor: " + describe(problem, with_file=True))
    return "\n".join(lines)


def describe(problem: Problem, *, with_file: bool) -> str:
    where = []
    if with_file and problem.file:
        where.append(problem.file)
    if problem.line:
        where.append(_("línea {line}", line=problem.line))
    if problem.key:
        where.append(_("clave «{key}»", key=problem.key))
    text = (", ".join(where) + ": " if where else "") + problem.message
    if not text.endswith((".", "?")):
        text += "."
    if problem.expected:
        text += _(" Se esperaba {expected}.", expected=problem.expected)
    if problem.suggestion:
        text += _(" ¿Quiso decir «{suggestion}»?", suggestion=problem.suggestion)
    return visible(text)


def beside_a_field(problem: Problem) -> str:
    """A problem as a sentence next to the answer it is about (a form field, a
    terminal prompt): no file, line or key, capitalised."""
    text = describe(dataclasses.replace(problem, file=None, line=None, key=None), with_file=False)
    return text[:1].upper() + text[1:]

"""Our exception types, all under one root.

One formatter (``app.messages``) turns them into the Spanish messages a user
reads, for the terminal and the web alike; everything else raises them with the
facts (file, key, line, what was expected, a near-miss suggestion)::

    AdvisorError
    ├── InputError              input refused: exit code 2
    │   ├── FileError           cannot be read: missing, too large, not UTF-8, hostile
    │   ├── ParseError          not valid YAML or JSON
    │   ├── ValidationError     readable, but not what the format allows
    │   │   └── KnowledgeBaseError   the rules or catalogues are inconsistent
    │   └── UsageError          the command cannot run as asked (no terminal, file exists…)
    ├── EngineError             the inference went wrong at run time (a defect)
    └── PackagedDataError       a file that ships with advisor is broken (a defect): exit code 1
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place of one file."""

    message: str
    file: str | None = None
    key: str | None = None
    line: int | None = None
    expected: str | None = None
    suggestion: str | None = None


class AdvisorError(Exception):
    """Root of every error raised on purpose by advisor."""

    exit_code = 1

    def __init__(self, problems: Problem | Sequence[Problem]):
        self.problems: tuple[Problem, ...] = (
            (problems,) if isinstance(problems, Problem) else tuple(problems)
        )
        super().__init__("; ".join(p.message for p in self.problems))


class InputError(AdvisorError):
    """The input was refused; nothing was written."""

    exit_code = 2


class FileError(InputError):
    """A file could not be read at all."""


class ParseError(InputError):
    """A file is not valid YAML or JSON."""


class ValidationError(InputError):
    """A file was read but its content is not what its format allows."""


class KnowledgeBaseError(ValidationError):
    """Rules, catalogues or questionnaires contradict each other."""


class UsageError(InputError):
    """The command cannot run as it was asked."""


class EngineError(AdvisorError):
    """The inference engine misbehaved; this is a defect, not bad input."""


class PackagedDataError(AdvisorError):
    """A file advisor ships (its knowledge base, questionnaires, templates or
    translations) is broken: a defect of the installation, never the user's
    input, so the exit code is 1, not 2."""


class BadValue(ValueError):
    """Raised inside model validators: pydantic keeps it, and the translation
    to our Problem keeps what was expected and the suggestion apart."""

    def __init__(self, message: str, expected: str | None = None, suggestion: str | None = None):
        super().__init__(message)
        self.message = message
        self.expected = expected
        self.suggestion = suggestion


def suggest(name: object, candidates: Iterable[object]) -> str | None:
    """The closest candidate to a mistyped name, for a "¿quiso decir…?" hint."""
    import difflib  # only a refusal needs it

    names = [str(c) for c in candidates]
    matches = difflib.get_close_matches(str(name), names, n=1, cutoff=0.6)
    return matches[0] if matches else None


__all__ = [
    "Problem",
    "AdvisorError",
    "InputError",
    "FileError",
    "ParseError",
    "ValidationError",
    "KnowledgeBaseError",
    "UsageError",
    "EngineError",
    "PackagedDataError",
    "BadValue",
    "suggest",
]

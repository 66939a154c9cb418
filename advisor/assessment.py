"""One answer file through the whole chain: read and validate it, infer, and
assemble its report (once; render it as often as needed)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from .answers import load_answers, parse_answers
from .engine import DEFAULT_ENGINE
from .files import Document
from .report import Report, build_report

if TYPE_CHECKING:
    from .loading import Bundle


def assess(path: str | Path, bundle: "Bundle", date: dt.date | None = None, engine: str = DEFAULT_ENGINE) -> Report:
    """The report of an answer file; ``date`` overrides the file's own."""
    return assess_answers(*load_answers(path, bundle), bundle, date, engine)


def assess_document(document: Document, bundle: "Bundle", date: dt.date | None = None,
                    engine: str = DEFAULT_ENGINE) -> Report:
    """The report of an answer file already read (a request's body, a stored assessment)."""
    return assess_answers(*parse_answers(document, bundle), bundle, date, engine)


def assess_answers(answers, questionnaire, bundle: "Bundle", date: dt.date | None = None,
                   engine: str = DEFAULT_ENGINE) -> Report:
    if date is not None:
        answers.date = date
    inference = bundle.advisor(questionnaire.id, engine).run(answers.flat)
    return build_report(questionnaire, bundle.kb, answers, inference)

"""One answer file through the whole chain: read and validate it, infer, and
assemble its report (once; render it as often as needed)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from .answers import load_answers
from .engine import DEFAULT_ENGINE
from .report import Report, build_report

if TYPE_CHECKING:
    from .loading import Bundle


def assess(path: str | Path, bundle: "Bundle", date: dt.date | None = None, engine: str = DEFAULT_ENGINE) -> Report:
    """The report of an answer file; ``date`` overrides the file's own."""
    answers, questionnaire = load_answers(path, bundle)
    if date is not None:
        answers.date = date
    inference = bundle.advisor(questionnaire.id, engine).run(answers.flat)
    return build_report(questionnaire, bundle.kb, answers, inference)

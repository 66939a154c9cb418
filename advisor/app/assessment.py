"""One answer file through the whole chain: read and validate it, infer, and
assemble its report (once; render it as often as needed)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from ..engine.base import DEFAULT_ENGINE
from ..io.documents import Document
from ..kb.bundle import Bundle
from ..model.answers import load_answers, parse_answers
from ..report.build import build_report
from ..report.model import Report
from .engines import compiled

if TYPE_CHECKING:
    from ..report.compare import Comparison

def assess(path: str | Path, bundle: "Bundle", date: dt.date | None = None, engine: str = DEFAULT_ENGINE) -> Report:
    """The report of an answer file; ``date`` overrides the file's own."""
    return assess_answers(*load_answers(path, bundle), bundle, date, engine)


def assess_document(document: Document, bundle: "Bundle", date: dt.date | None = None,
                    engine: str = DEFAULT_ENGINE) -> Report:
    """The report of an answer file already read (a request's body, a stored assessment)."""
    return assess_answers(*parse_answers(document, bundle), bundle, date, engine)


def assess_answers(answers, questionnaire, bundle: "Bundle", date: dt.date | None = None,
                   engine: str = DEFAULT_ENGINE, suggestions: bool = True) -> Report:
    """The report of answers already read; with ``suggestions``, it carries «Lo
    que más cambiaría» (``app.whatif``), which runs the engine a few times more."""
    if date is not None:
        answers.date = date
    inference = compiled(bundle, questionnaire.id, engine).run(answers.flat)
    report = build_report(questionnaire, bundle.kb, answers, inference)
    if suggestions:
        from ..i18n import _
        from .suggestions import CRITERION, suggestions as suggested

        report.lo_que_mas_cambiaria = suggested(answers, questionnaire, bundle, report, engine,
                                                facts=inference.facts)
        report.criterio_cambiaria = _(CRITERION) if report.lo_que_mas_cambiaria else None
    return report


def compare_files(base: str | Path, followup: str | Path, bundle: Bundle, engine: str = DEFAULT_ENGINE) -> Comparison:
    """Assess both answer files and compare them (a follow-up a year later),
    with what moved along the guide's path, as a what-if shows it."""
    from ..report.compare import compare
    from ..report.whatif import moves

    first, second = load_answers(base, bundle), load_answers(followup, bundle)
    before = assess_answers(*first, bundle, engine=engine, suggestions=False)
    after = assess_answers(*second, bundle, engine=engine, suggestions=False)
    comparison = compare(before, after, files=(str(base), str(followup)))
    comparison.camino = moves(first[0], second[0], second[1], bundle.kb, before, after)
    return comparison

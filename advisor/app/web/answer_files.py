"""What the web app does with answer files, through the same chain as the
CLI: ``parse_document`` and ``parse_answers`` to read and validate them,
``assess`` to infer, ``render`` to write the report. Call these inside
``translations.speaking(lang)``: the bundle, the messages and the report are in the
language in use."""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from ...engine.base import DEFAULT_ENGINE, backend
from ...errors import Problem, ValidationError
from ...i18n import _
from ...io.documents import Document, parse_document
from ...kb.bundle import Bundle
from ...kb.load import packaged_bundle
from ...model.answers import Answers, changed, dump_answers, parse_answers
from ...model.questionnaire import Questionnaire
from ...report.model import Report
from ..assessment import assess_answers

if TYPE_CHECKING:
    from ..whatif import WhatIfRun

#: A compiled knowledge base runs one inference at a time.
_ENGINE = threading.Lock()
#: The engine this server infers with (``advisor serve --engine``): one per process,
#: so every page, download and what-if of an assessment agrees.
_engine = {"name": DEFAULT_ENGINE}


def use_engine(name: str) -> None:
    """Infer with the engine of that name from now on; a UsageError names the
    engines there are, or what to install for this one."""
    backend(name)
    _engine["name"] = name


def engine_name() -> str:
    return _engine["name"]


def bundle() -> Bundle:
    return packaged_bundle()


def read_body(raw: bytes) -> tuple[Answers, Questionnaire]:
    """An answer file sent as JSON (CONTRACT §5), validated as `advisor report` would."""
    return parse_answers(parse_document(raw, _("respuestas.json"), json_format=True), bundle())


def read_upload(raw: bytes, filename: str) -> tuple[Answers, Questionnaire]:
    """An uploaded answer file, YAML or JSON by its name's suffix. The name is
    only shown in messages, never used as a path."""
    name = PurePath(filename.replace("\\", "/")).name[:100] or _("archivo")
    suffix = PurePath(name).suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        raise ValidationError(Problem(_("el tipo de archivo no es reconocido"), file=name,
                                      expected=_("un archivo .yaml, .yml o .json")))
    return parse_answers(parse_document(raw, name, json_format=suffix == ".json"), bundle())


def from_stored(document: dict[str, Any]) -> tuple[Answers, Questionnaire]:
    """A stored answer file: valid when it was stored, checked again all the same."""
    return parse_answers(Document(_("respuestas guardadas"), document, {}), bundle())


def to_stored(answers: Answers, questionnaire: Questionnaire) -> dict[str, Any]:
    """The answer file (CONTRACT §1) as plain JSON data."""
    return json.loads(json.dumps(answers.to_data(questionnaire), default=_plain, ensure_ascii=False))


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def dated(answers: Answers) -> Answers:
    """A new assessment is dated the day it starts, as the terminal interview does."""
    if answers.date is None:
        answers.date = dt.date.today()
    return answers


def new(questionnaire_id: str) -> tuple[str, dict[str, Any]]:
    """A new assessment of the questionnaire of that name (refused with the nearest
    name when there is none): the questionnaire's id and the empty answer file, dated."""
    questionnaire = bundle().questionnaire(questionnaire_id)
    return questionnaire.id, to_stored(dated(Answers(questionnaire=questionnaire.id)), questionnaire)


def follow_up(document: dict[str, Any]) -> tuple[Answers, Questionnaire]:
    """A new assessment starting from a previous one's answers (as `advisor ask --from`)."""
    answers, questionnaire = from_stored(document)
    answers.date = dt.date.today()
    return answers, questionnaire


def change(document: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    """The stored answer file after one answer (``model.answers.changed``, as
    the what-if and the CLI make changes), the whole file checked again."""
    answers, questionnaire = from_stored(document)
    stored = to_stored(changed(answers, questionnaire, {key: value}), questionnaire)
    from_stored(stored)  # the whole file, as answer files are checked
    return stored


def report(document: dict[str, Any], suggestions: bool = True) -> Report:
    """The stored answers' report; without ``suggestions`` (a class's summary needs
    none), «Lo que más cambiaría» is left out and the few inferences more it costs."""
    answers, questionnaire = from_stored(document)
    with _ENGINE:
        return assess_answers(answers, questionnaire, bundle(), engine=_engine["name"], suggestions=suggestions)


def what_if(document: dict[str, Any], changes: dict[str, Any], before: Report) -> WhatIfRun:
    """The stored answers' report (``before``, already at hand) against that of
    the answers with ``changes`` made in memory; nothing is stored."""
    from ..whatif import what_if as run

    answers, questionnaire = from_stored(document)
    with _ENGINE:
        return run(answers, questionnaire, bundle(), changes, _engine["name"], before=before)


def stages_if(assessments: list[tuple[Answers, Questionnaire]], changes: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """For a class: each stage's count of governments with it complete, as
    answered and with ``changes`` made to every one's answers (in memory)."""
    from ..whatif import stages_if as count

    with _ENGINE:
        return count(assessments, bundle(), changes, _engine["name"])


def report_bytes(document: dict[str, Any], fmt: str) -> bytes:
    """The report, byte for byte what `advisor report FILE --format FMT -o OUT` writes."""
    from ...report.formats import render_bytes

    return render_bytes(report(document), fmt)


def answer_file(document: dict[str, Any]) -> bytes:
    """The answer file to download: YAML, as `advisor ask` writes it."""
    answers, questionnaire = from_stored(document)
    return dump_answers(answers, questionnaire, f"respuestas-{questionnaire.id}.yaml").encode("utf-8")


def comparison_html(before: dict[str, Any], after: dict[str, Any]) -> str:
    """The progress between two assessments, as `advisor compare --format html` writes it."""
    from ...report.compare import compare
    from ...report.render import render_comparison

    return render_comparison(compare(report(before), report(after)), "html")

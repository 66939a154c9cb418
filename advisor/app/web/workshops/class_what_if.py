"""«Si todos los gobiernos tuvieran…»: for a workshop's class, how many more
governments would complete each stage of the guide's path if every one's
answer to a question were another, computed on demand when the trainer asks
(only the rules the path rests on run; nothing is saved)."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from ....errors import AdvisorError
from ....i18n import N_, _
from ....model.answers import CLEAR, DONT_KNOW, DONT_KNOW_VALUE, Answers
from ....model.questionnaire import KeyedQuestion
from ...messages import describe
from .. import answer_files
from ..http import form_fields
from ..http.rendering import page
from ..http.request import in_thread, workshops_of
from ..whatif.panel import KEY, asked, choices
from .trainer_pages import trainer_workshop


def _values(request: Request, code: str, questionnaire_id: str) -> dict[str, Any]:
    bundle = answer_files.bundle()
    questionnaire = bundle.questionnaire(questionnaire_id)
    participants = [answer_files.from_stored(p.document) for p in workshops_of(request).participants(code)]
    params = FormData(request.query_params)
    messages: list[str] = []
    lines: list[tuple[str, int, int, int]] = []
    try:
        wanted = asked(params, questionnaire)
    except AdvisorError as error:
        wanted, messages = None, [describe(p, with_file=False) for p in error.problems]
    question = wanted.shown[-1] if wanted and wanted.shown else None
    change = None
    if wanted and question and question.key in wanted.changes and not wanted.errors:
        pending = {question.key: wanted.changes[question.key]}
        try:
            counts = answer_files.stages_if(participants, pending)
        except AdvisorError as error:
            messages += [describe(p, with_file=False) for p in error.problems]
        else:
            titles = {w.spec.id: w.spec.title for w in bundle.kb.stages if w.questionnaire == questionnaire.id}
            lines = [(titles.get(stage, stage), after - before, before, after)
                     for stage, (before, after) in counts.items()]
            change = _shown(question, pending[question.key])
    fields = form_fields.fields([question], Answers(questionnaire=questionnaire.id),
                                errors=wanted.errors if wanted else {}) if question else []
    return dict(code=code, groups=choices(questionnaire, None),
                fields=fields, question=question, change=change, lines=lines, count=len(participants),
                messages=messages + (list(wanted.errors.values()) if wanted else []), key_field=KEY,
                clear_option=True)


def _shown(question: KeyedQuestion, value: Any) -> str:
    """The answer every government would give, in words."""
    if value is CLEAR:
        return _("sin respuesta")
    return form_fields.shown_value(question, DONT_KNOW_VALUE if value is DONT_KNOW else question.parse(value))


async def class_what_if(request: Request) -> Response:
    workshop = await trainer_workshop(request)
    values = await in_thread(request, lambda: _values(request, workshop.code, workshop.questionnaire))
    return page(request, "taller_y_si.html.j2", 422 if values["messages"] else 200,
                title=N_("¿Y si todos los gobiernos…?"), workshop=workshop, **values)

"""«¿Y si…?» as the web shows it, shared by an assessment's pages and a
trainer's view of a participant: the changes a form or address asks for (each
question named in ``clave``, its answer in the question's own fields), the
panel above a report, and the what-if page (a GET form that works without
script; static/y_si.js fetches the same address for the panel alone). Nothing
here writes anything."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from ....errors import AdvisorError
from ....i18n import N_, _
from ....io import translations
from ....model.answers import CLEAR, CLEAR_VALUE, Answers, changed
from ....model.questionnaire import KeyedQuestion, Questionnaire
from ....model.vocabulary import LEVEL_NAMES, STATE_MARKS
from ....report.model import Report, Suggestion
from ...messages import describe
from ...whatif import WhatIfRun
from .. import answer_files
from ..http import form_fields
from ..http.rendering import fragment, page
from ..http.request import in_thread, language, store_of
from ..http.security import CSRF_FIELD, csrf_token
from ..storage import renders

#: The query's field naming each question changed (in order); its answer comes in the question's own fields.
KEY = "clave"
#: The query's field asking for the result panel alone (the page's script fetches it).
PART = "parte"
#: The id of a report page's «Lo que más cambiaría», which the panel links to.
SUGGESTIONS_ID = "lo-que-mas-cambiaria"


@dataclass
class Asked:
    """What a what-if address asks: the changes (key → value for ``changed``),
    the questions shown with their fields, and the messages of refused values."""

    changes: dict[str, Any] = field(default_factory=dict)
    shown: list[KeyedQuestion] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    pairs: list[tuple[str, str]] = field(default_factory=list)


def asked(params: FormData, questionnaire: Questionnaire) -> Asked:
    """The changes a what-if form or address sends: each question named in
    ``clave`` with its answer in the question's own fields (as a section form
    sends it; «sin respuesta» is ``CLEAR_VALUE``). A named question with
    no answer sent is shown with its field, to choose one. An unknown key raises
    ValidationError with the nearest one."""
    result = Asked()
    for key in dict.fromkeys(str(k) for k in params.getlist(KEY) if k):
        if key not in questionnaire.by_key:
            changed(Answers(questionnaire=questionnaire.id), questionnaire, {key: CLEAR})  # raises, naming it
        question = questionnaire.by_key[key]
        result.shown.append(question)
        if CLEAR_VALUE in params.getlist(key):
            result.changes[key] = CLEAR
        else:
            read, errors, _typed = form_fields.read(params, [question], only=key)
            result.errors.update(errors)
            if key in read:
                result.changes[key] = read[key]
    if result.shown:
        result.pairs = [(KEY, q.key) for q in result.shown]
        result.pairs += form_fields.section_pairs(params, result.shown)
    return result


def address(base: str, pairs: list[tuple[str, str]]) -> str:
    return f"{base}?{urlencode(pairs)}" if pairs else base


def suggestion_pairs(question: KeyedQuestion, value: Any) -> list[tuple[str, str]]:
    """A suggestion's change as a what-if address's query: the question, then
    its answer as the question's field sends it."""
    pairs = [(KEY, question.key)]
    if question.type == "boolean":
        pairs.append((question.key, "true" if value else "false"))
    elif question.type == "multi":
        pairs.append((question.key + form_fields.PRESENT, "1"))
        pairs += [(question.key, str(v)) for v in value] or [(question.key, form_fields.NONE_VALUE)]
    elif value is not None:
        pairs.append((question.key, str(value)))
    return pairs


def suggested_links(base: str, questionnaire: Questionnaire, suggested: list[Suggestion]
                    ) -> list[tuple[Suggestion, str]]:
    return [(s, address(base, suggestion_pairs(questionnaire.by_key[s.clave], s.valor))) for s in suggested
            if s.clave in questionnaire.by_key]


def choices(questionnaire: Questionnaire, answers: Answers | None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every question, answered or not, grouped by section: (key, its label and ``answers``' answer to it)."""
    from ....report.explain import Explainer

    explainer = Explainer(questionnaire, answer_files.bundle().kb)
    groups = []
    for section in questionnaire.sections:
        rows = [(q.key, f"{q.label} ({form_fields.shown(answers, q, explainer)})" if answers else q.label)
                for q in questionnaire.questions() if q.section.id == section.id]
        groups.append((section.title, rows))
    return groups


def panel(request: Request, stored: Any, answers: Answers, questionnaire: Questionnaire, base: str,
          html: str) -> tuple[str, str]:
    """The «¿Y si…?» panel above a report (call in a worker thread), a question
    to try, and the report's ``html`` with its «Lo que más cambiaría» (said once,
    under the plan) linking each suggestion to its what-if and back to the panel."""
    suggested = suggested_links(base, questionnaire, saved_report(request, stored).lo_que_mas_cambiaria)
    html = _linked(request, html, suggested)
    return fragment(request, "_y_si_panel.html.j2", base=base, groups=choices(questionnaire, answers),
                    suggested=suggested and SUGGESTIONS_ID in html, suggestions_id=SUGGESTIONS_ID), html


def _linked(request: Request, html: str, suggested: list[tuple[Suggestion, str]]) -> str:
    """``html`` with each item of its «Lo que más cambiaría» list ending in the
    link to that suggestion's what-if; as it was when the list is not there."""
    with translations.speaking(language(request)):
        heading = f'<section class="subsection"><h3>{escape(_("Lo que más cambiaría"), quote=False)}</h3>'
    start = html.find(heading)
    if start < 0 or not suggested:
        return html
    end = html.find("</section>", start)
    items = html[start:end].split("</li>")
    if len(items) != len(suggested) + 1:
        return html
    links = [fragment(request, "_y_si_en_informe.html.j2", s=s, url=url) for s, url in suggested]
    part = "".join(f"{item}{link}</li>" for item, link in zip(items[:-1], links, strict=True)) + items[-1]
    part = part.replace('class="subsection"', f'class="subsection" id="{SUGGESTIONS_ID}"', 1)
    return html[:start] + part + fragment(request, "_y_si_en_informe.html.j2", s=None) + html[end:]


def saved_report(request: Request, stored: Any) -> Report:
    """The saved answers' report, from the render kept for this revision (one inference at most, ever)."""
    return renders.report_model(store_of(request).engine, stored)


def run(request: Request, stored: Any, changes: dict[str, Any],
        before: Callable[[Request, Any], Report] | None = None) -> WhatIfRun:
    """The what-if of ``changes`` to ``stored``'s answers, against its report as ``before`` gives it."""
    return answer_files.what_if(stored.document, changes, (before or saved_report)(request, stored))


# --- the page -------------------------------------------------------------------------


@dataclass
class Place:
    """Where a what-if page lives: an assessment's, or a trainer's view of a participant's."""

    load: Callable[[Request], tuple[Any, Answers, Questionnaire]]
    base: Callable[[Request], str]
    report: Callable[[Request], str]
    create: str | None  # the address that starts a new assessment, None where none may start
    before: Callable[[Request, Any], Report] = saved_report  # the report of the answers as they are


def page_values(request: Request, place: Place) -> tuple[int, dict[str, Any]]:
    """The values of the what-if page (or its result panel) for the request's query, and its status."""
    stored, answers, questionnaire = place.load(request)
    params = FormData(request.query_params)
    base = place.base(request)
    messages: list[str] = []
    try:
        wanted = asked(params, questionnaire)
    except AdvisorError as error:
        wanted, messages = Asked(), [describe(p, with_file=False) for p in error.problems]
    outcome = None
    if wanted.changes and not wanted.errors:
        try:
            outcome = run(request, stored, wanted.changes, place.before)
        except AdvisorError as error:
            messages += [describe(p, with_file=False) for p in error.problems]
    explained = outcome.answers if outcome else answers
    fields = form_fields.fields(wanted.shown, explained, errors=wanted.errors)
    removals = [(q.label, address(base, [p for p in wanted.pairs if not _of(p, q.key)])) for q in wanted.shown]
    before = outcome.before if outcome else place.before(request, stored)
    values = dict(
        ident=stored.id, base=base, report_url=place.report(request), create=place.create,
        groups=choices(questionnaire, answers), fields=fields, removals=removals, pairs=wanted.pairs,
        messages=messages + list(wanted.errors.values()), run=outcome, diff=outcome.diff if outcome else None,
        titles=_titles(outcome), LEVEL_NAMES=LEVEL_NAMES, STATE_MARKS=STATE_MARKS,
        suggested=suggested_links(base, questionnaire, before.lo_que_mas_cambiaria),
        clear_option=True,
    )
    return (422 if messages else 200), values


def _of(pair: tuple[str, str], key: str) -> bool:
    name, value = pair
    return name in (key, key + form_fields.PRESENT) or (name in (KEY, "no_sabe") and value == key)


def _titles(outcome: WhatIfRun | None) -> dict[str, str]:
    if outcome is None:
        return {}
    return {r.id: r.titulo for r in [*outcome.before.recomendaciones, *outcome.after.recomendaciones]}


async def what_if_page(request: Request, place: Place) -> Response:
    status, values = await in_thread(request, lambda: page_values(request, place))
    if request.query_params.get(PART):
        html = fragment(request, "_y_si_resultado.html.j2", csrf=csrf_token(request), csrf_field=CSRF_FIELD, **values)
        return Response(html, status_code=status, media_type="text/html; charset=utf-8")
    return page(request, "y_si.html.j2", status, title=N_("¿Y si…?"), **values)



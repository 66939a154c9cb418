"""Answering an assessment section by section. Every submission is answered
with a redirect (post/redirect/get), errors included: what was not saved goes
back to the page through ``drafts``. A page sends back the answers it showed,
so a save never silently reverts an answer changed meanwhile in another tab."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ....errors import AdvisorError
from ....i18n import _
from ....io import translations
from ....model.questionnaire import KeyedQuestion
from .. import answer_files
from ..http import drafts, form_fields
from ..http.errors import NoAssessment, closed_workshop_text
from ..http.rendering import page, see_other
from ..http.request import in_thread, language, store_of, writing
from ..http.security import CSRF_FIELD, csrf_ok, csrf_token, set_csrf_cookie
from ..storage.assessments import Frozen
from .sections import load, sections

#: Section numbers are small; a longer «number» is an address that does not exist.
_MAX_DIGITS = 4


def _number(request: Request) -> int:
    """The section number of the address; NoAssessment for one that cannot be."""
    text = request.path_params["n"]
    if not (text.isascii() and text.isdigit() and len(text) <= _MAX_DIGITS):
        raise NoAssessment()
    return int(text)


async def resume(request: Request) -> Response:
    stored, answers, questionnaire = await in_thread(request, lambda: load(request))
    for number, _section, questions in sections(questionnaire, answers):
        if any(answers.pending(q) for q in questions):
            return see_other(f"/e/{stored.id}/seccion/{number}")
    return see_other(f"/e/{stored.id}/revision")


def _draft_view(draft: drafts.Draft | None, document: dict[str, Any], questions: list[KeyedQuestion]
                ) -> dict[str, Any]:
    """What a draft puts back on the page: the answers as that form gave them
    (shown, not stored), the values typed and their messages (checked again now),
    and for a conflict both versions of each answer."""
    empty: dict[str, Any] = dict(typed={}, errors={}, conflicts=[], draft_kind=None, draft_pairs=[],
                                 shown_document=document)
    if draft is None:
        return empty
    changes, errors, typed = form_fields.read(draft.form(), questions)
    if draft.kind != drafts.CONFLICT:
        shown = form_fields.apply(document, changes, errors)  # on screen only: nothing is stored here
        return {**empty, "typed": typed, "errors": errors, "draft_kind": draft.kind, "shown_document": shown}
    conflicts = []
    for q in questions:
        if q.key in changes:
            try:
                changed = answer_files.change(document, q.key, changes[q.key])
                mine = form_fields.shown_value(q, form_fields.state(changed, q.key))
            except AdvisorError:  # a value refused now is shown as it was typed
                mine = typed.get(q.key, "")
            conflicts.append((q.label, form_fields.shown_value(q, form_fields.state(document, q.key)), mine))
    return {**empty, "conflicts": conflicts, "draft_kind": draft.kind, "draft_pairs": draft.pairs}


async def section(request: Request) -> Response:
    number = _number(request)
    draft = drafts.take(request, request.path_params["id"], number)

    def work() -> dict[str, Any]:
        stored, answers, questionnaire = load(request)
        found = sections(questionnaire, answers)
        if not 1 <= number <= len(found):
            raise NoAssessment()
        _n, current, questions = found[number - 1]
        answered, total = answers.progress(questionnaire)
        shown = _draft_view(draft, stored.document, questions)
        on_screen = (answers if shown["shown_document"] is stored.document
                     else answer_files.from_stored(shown.pop("shown_document"))[0])
        shown.pop("shown_document", None)
        return dict(
            ident=stored.id, questionnaire=questionnaire, section=current, number=number, count=len(found),
            fields=form_fields.fields(questions, on_screen, shown["typed"], shown["errors"]), answered=answered,
            total=total, sections=[(n, s.title) for n, s, qs in found if qs],
            back=request.query_params.get("volver") == "revision",
            previous=next((n for n, _s, qs in reversed(found[: number - 1]) if qs), None),
            before=form_fields.snapshot(stored.document, questions), frozen=stored.frozen, **shown,
        )

    values = await in_thread(request, work)
    notice = None
    if request.query_params.get("nuevas"):
        with translations.speaking(language(request)):
            notice = _("Según sus respuestas, hay preguntas nuevas en esta sección.")
    kind = values["draft_kind"]
    status = (409 if values["conflicts"] else 422 if values["errors"] else 403 if kind == drafts.EXPIRED else 200)
    response = page(request, "seccion.html.j2", status,
                    title=values["section"].title, notice=notice,
                    resume_url=str(request.url_for("resume", id=values["ident"])), **values)
    if draft is not None:
        drafts.forget(response, values["ident"])
    return response


def _here(ident: str, number: int, back: bool, **query: str) -> str:
    params = {**({"volver": "revision"} if back else {}), **query}
    return f"/e/{ident}/seccion/{number}" + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


async def save_section(request: Request) -> Response:
    number = _number(request)
    form = await request.form(max_files=0, max_fields=400)
    auto = request.headers.get("x-guardado") == "auto"
    ident = request.path_params["id"]
    back = request.query_params.get("volver") == "revision"
    if not csrf_ok(request, form.get(CSRF_FIELD)):
        return await _expired(request, form, ident, number, back, auto)
    only = form.get("__solo") if auto else None
    shown_keys = set(str(form.get("mostradas", "")).split())
    before = form_fields.seen(form)
    outcome: dict[str, Any] = {}

    def work() -> None:
        stored, answers, questionnaire = load(request)
        found = sections(questionnaire, answers)
        if not 1 <= number <= len(found):
            raise NoAssessment()
        questions = found[number - 1][2]
        changes, errors, _typed = form_fields.read(form, questions, only if isinstance(only, str) else None)
        final_errors: dict[str, str] = {}
        conflicts: list[str] = []

        def apply(doc: dict[str, Any]) -> dict[str, Any]:  # the messages are those of the attempt that was kept
            final_errors.clear()
            final_errors.update(errors)
            conflicts.clear()
            return form_fields.apply(doc, changes, final_errors, before, conflicts)

        document = store_of(request).update(stored.id, apply)
        if document is None:
            raise NoAssessment()
        answers, _q = answer_files.from_stored(document)
        after = sections(questionnaire, answers)
        new = [q.key for q in after[number - 1][2] if q.key not in shown_keys and answers.pending(q)]
        following = next((n for n, _s, qs in after[number:] if qs), None)
        answered, total = answers.progress(questionnaire)
        unsaved = set(final_errors) | set(conflicts)
        outcome.update(errors=final_errors, conflicts=conflicts, new=new, following=following, answered=answered,
                       total=total, states={k: form_fields.state(document, k) for k in changes if k not in unsaved},
                       now={k: form_fields.state(document, k) for k in conflicts},
                       pairs=form_fields.section_pairs(form, questions, unsaved))

    try:
        await writing(request, work)
    except Frozen:
        if not auto:
            raise
        with translations.speaking(language(request)):
            text = _("No se guardó: {reason}.", reason=closed_workshop_text())
        return JSONResponse({"guardado": False, "mensaje": text}, status_code=403)
    if auto:
        return _auto_answer(request, outcome)
    if outcome["errors"] or outcome["conflicts"]:
        kind = drafts.CONFLICT if outcome["conflicts"] and not outcome["errors"] else drafts.ERRORS
        response = see_other(_here(ident, number, back) + "#problemas")
        drafts.keep(response, ident, drafts.Draft(kind, number, outcome["pairs"]))
        return response
    if outcome["new"]:
        return see_other(_here(ident, number, back, nuevas="1"))
    if back or outcome["following"] is None:
        return see_other(f"/e/{ident}/revision")
    return see_other(_here(ident, outcome["following"], back))


def _auto_answer(request: Request, outcome: dict[str, Any]) -> Response:
    """An autosave's answer: what was saved (its state, for the page's snapshot), the
    messages of what was not, and the count of answers."""
    with translations.speaking(language(request)):
        conflicts = {key: _("No se guardó: esta respuesta cambió en otra pestaña o equipo después de abrir esta "
                            "página. Recargue la página para ver lo guardado, o vuelva a guardar para dejar la suya.")
                     for key in outcome["conflicts"]}
        count = _("{answered} de {total} preguntas respondidas", answered=outcome["answered"], total=outcome["total"])
    return JSONResponse({"guardado": not outcome["errors"] and not conflicts,
                         "errores": {**outcome["errors"], **conflicts}, "estados": outcome["states"],
                         "actuales": outcome["now"], "respondidas": outcome["answered"], "total": outcome["total"],
                         "cuenta": count})


async def _expired(request: Request, form: FormData, ident: str, number: int, back: bool, auto: bool) -> Response:
    """A form whose CSRF token does not match (the cookie expired or was deleted,
    or another site sent it): nothing is saved; a person's typed answers go back
    to the page, which carries a fresh token."""
    with translations.speaking(language(request)):
        text = _("No se guardó: la página venció. Su respuesta sigue aquí; vuelva a guardarla.")
    if auto:
        response = JSONResponse({"guardado": False, "mensaje": text, CSRF_FIELD: csrf_token(request)},
                                status_code=403)
        set_csrf_cookie(request, response)
        return response
    _stored, answers, questionnaire = await in_thread(request, lambda: load(request))
    found = sections(questionnaire, answers)
    questions = found[number - 1][2] if 1 <= number <= len(found) else []
    back_to_page = see_other(_here(ident, number, back))
    drafts.keep(back_to_page, ident, drafts.Draft(drafts.EXPIRED, number, form_fields.section_pairs(form, questions)))
    return back_to_page


"""The workshops' doors: a participant joins with the code and a name (no
account) and answers an assessment of their own; a trainer creates a workshop
and finds their earlier ones. The class itself is in class_pages."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...io import translations
from ...errors import AdvisorError
from ...i18n import N_, _
from ..messages import describe
from . import class_view, service, share, trainer
from .context import in_thread, language
from .pages import _checked_form, message_page, page, see_other
from .workshop_api import capacity, checked, participant_name, workshops_of
from .workshops import CAPACITY, MOST_CAPACITY, Closed, Full, gone_text, normal_code


# --- participants ------------------------------------------------------------------


async def join_form(request: Request, code: str = "", name: str = "", error: str | None = None,
                    status: int = 200) -> Response:
    code = code or request.path_params.get("code", "") or request.query_params.get("codigo", "")
    workshop = await in_thread(request, lambda: workshops_of(request).get(code)) if code else None
    if code and workshop is None and error is None and request.method == "GET":
        with translations.speaking(language(request)):
            gone = await in_thread(request, lambda: gone_text(workshops_of(request), code))
            if gone:
                return message_page(request, gone, 410)
            error = _("No hay un taller con el código {code}. Revise el código que le dieron.", code=code[:12])
        status = 404
    return page(request, "taller_unirse.html.j2", status, title=N_("Sumarse a un taller"),
                code=(workshop.code if workshop else code[:12]), name=name, error=error,
                workshop_name=workshop.name if workshop else None)


async def join(request: Request) -> Response:
    form, refused = await _checked_form(request)
    if refused:
        return refused
    typed_code, name = str(form.get("codigo", "")), participant_name(form.get("nombre", ""))
    store = workshops_of(request)
    workshop = await in_thread(request, lambda: store.get(typed_code))
    with translations.speaking(language(request)):
        if workshop is None:
            return await join_form(request, typed_code, name,
                                   _("No hay un taller con ese código. Revise el código que le dieron."), 404)
        if not name:
            return await join_form(request, workshop.code, name, _("Escriba su nombre para que el docente lo reconozca."),
                                   422)

    def work():
        questionnaire = service.bundle().questionnaire(workshop.questionnaire)
        answers = service.dated(service.Answers(questionnaire=questionnaire.id))
        return store.join(workshop, service.to_stored(answers, questionnaire), name)

    try:
        ident = await in_thread(request, work)
    except Closed:
        with translations.speaking(language(request)):
            return await join_form(request, workshop.code, name, _("Este taller ya terminó: no admite participantes nuevos."),
                                   403)
    except Full:
        with translations.speaking(language(request)):
            return await join_form(request, workshop.code, name,
                                   _("Este taller está completo: ya se sumaron {n} participantes, todos los que su "
                                     "docente admite. Avísele si falta lugar.", n=workshop.capacity), 403)
    return see_other(f"/e/{ident}/seccion/1")


async def qr(request: Request) -> Response:
    """The QR code of the participants' address (the code is no secret: it is shown to the class)."""
    code = normal_code(request.path_params["code"])
    if code is None:
        return Response(status_code=404)
    content = await in_thread(request, lambda: share.qr_svg(share.join_url(request, code)))
    return Response(content, media_type="image/svg+xml", headers={"cache-control": "no-store"})


# --- trainers ----------------------------------------------------------------------


async def trainer_home(request: Request, errors: list[str] | None = None, status: int = 200,
                       typed: dict[str, str] | None = None) -> Response:
    chain = trainer.keychain(request)

    def work():
        store = workshops_of(request)
        found = [w for w in store.many(list(chain)) if trainer.page_allowed(request, w)]
        earlier = [(w, store.count(w.code)) for w in found]
        names = class_view.case_names()
        questionnaires = sorted(service.bundle().questionnaires.values(), key=lambda q: (q.id != "diagnostico", q.title))
        return earlier, names, [(q.id, q.title) for q in questionnaires]

    earlier, cases, questionnaires = await in_thread(request, work)
    return page(request, "talleres.html.j2", status, title=N_("Talleres"), earlier=earlier, cases=cases,
                questionnaires=questionnaires, errors=errors or [], typed=typed or {}, capacity=CAPACITY,
                most_capacity=MOST_CAPACITY)


async def create(request: Request) -> Response:
    form, refused = await _checked_form(request)
    if refused:
        return refused
    typed = {key: str(form.get(key, "")) for key in ("nombre", "cuestionario", "referencia", "cupo")}

    def work():
        name, questionnaire, reference = checked(typed["nombre"], typed["cuestionario"] or "diagnostico",
                                                 typed["referencia"] or None)
        return workshops_of(request).create(name, questionnaire, reference, capacity(typed["cupo"] or CAPACITY))

    try:
        workshop, token = await in_thread(request, work)
    except AdvisorError as error:
        texts = await in_thread(request, lambda: [describe(p, with_file=False) for p in error.problems])
        return await trainer_home(request, texts, 422, typed)
    response = see_other(f"/taller/{workshop.code}/docente")
    trainer.remember(request, response, workshop.code, token)
    return response


routes = [
    Route("/taller", join_form, methods=["GET"]),
    Route("/taller", join, methods=["POST"]),
    Route("/taller/{code}", join_form, methods=["GET"]),
    Route("/taller/{code}/qr.svg", qr, methods=["GET"]),
    Route("/talleres", trainer_home, methods=["GET"]),
    Route("/talleres", create, methods=["POST"]),
]

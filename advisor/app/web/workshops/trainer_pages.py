"""The trainer's view of a workshop: what to share with the class (code, QR,
address), the class as answers arrive (who started and finished, each pillar's
levels, the most frequent recommendations), any participant's report, a
participant beside the reference case, the exports, closing and deleting.
It updates without reloading (static/taller.js asks for the class part every
few seconds) and works without JavaScript (a reload shows the same).

Every request checks the trainer's token (the browser's cookie) against the
database: nothing is kept in this process."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from ...io import translations
from ...i18n import N_, _
from . import class_view, exports, private_link, renders, share, trainer
from .context import in_thread, language
from .pages import _checked_form, environment, message_page, page, see_other
from .security import inline_styles, policy
from .workshop_api import workshops_of
from .workshops import Workshop

#: How often the page asks for the class, in seconds.
REFRESH = 4
FILES = {"resumen.csv": exports.CSV, "resumen.xlsx": exports.XLSX, "memos.zip": exports.ZIP}


async def _workshop(request: Request) -> Workshop | Response:
    """The path's workshop if this browser holds its token; a page saying what to do otherwise."""
    workshop = await in_thread(request, lambda: workshops_of(request).get(request.path_params["code"]))
    with translations.speaking(language(request)):
        if workshop is None:
            return message_page(request, _("no existe un taller con ese código"), 404)
        if not trainer.page_allowed(request, workshop):
            return message_page(request, _("esta página es del docente del taller: ábrala con su enlace privado "
                                           "(el que lleva el token), en este navegador"), 401)
    return workshop


def _values(request: Request, workshop: Workshop) -> dict[str, Any]:
    """What the class part of the page shows (inferring only the reports that changed)."""
    view = class_view.class_view(workshops_of(request), workshop)
    guide = class_view.reference(workshop.reference) if workshop.reference else None
    rows = []
    for number, row in enumerate(view.rows, start=1):
        close = class_view.closeness(guide, row.result) if guide else None
        rows.append({"n": number, "id": row.participant.handle, "name": row.participant.name or _("(sin nombre)"),
                     "answered": row.result["respondidas"], "total": row.result["preguntas"],
                     "finished": row.finished, "close": close})
    return dict(workshop=workshop, view=view, rows=rows, pillars=view.pillars(), levels=class_view.LEVELS,
                recommendations=view.recommendations()[:10], guide=guide, refresh=REFRESH)


async def class_page(request: Request) -> Response:
    token = request.query_params.get("token")
    if token is not None:
        # The private link: ask before keeping the token in this browser (private_link).
        workshop = await in_thread(request, lambda: workshops_of(request).get(request.path_params["code"]))
        if workshop is not None and trainer.token_ok(workshop, token):
            return await private_link.confirm(request, workshop, token)
    workshop = await _workshop(request)
    if isinstance(workshop, Response):
        return workshop

    def work():
        values = dict(_values(request, workshop), **share.room_address(request, workshop.code))
        token = trainer.keychain(request).get(workshop.code, "")
        values["private"] = values["join"].replace(f"/taller/{workshop.code}", f"/taller/{workshop.code}/docente?token={token}")
        return values

    values = await in_thread(request, work)
    return page(request, "taller.html.j2", title=N_("Taller"), **values)


async def live_part(request: Request, template: str, values_of) -> Response:
    """Only the live part of a trainer's page (``template`` filled by
    ``values_of(request, workshop)``), for the page's script to swap in."""
    workshop = await _workshop(request)
    if isinstance(workshop, Response):
        return workshop
    values = await in_thread(request, lambda: values_of(request, workshop))
    with translations.speaking(language(request)):
        html = environment().get_template(template).render(lang=language(request), **values)
    return HTMLResponse(html)


async def class_part(request: Request) -> Response:
    return await live_part(request, "_clase.html.j2", _values)


async def download(request: Request) -> Response:
    workshop = await _workshop(request)
    if isinstance(workshop, Response):
        return workshop
    name = request.path_params["name"]
    separator = request.query_params.get("separador", ",")
    if name not in FILES or separator not in (",", ";"):
        with translations.speaking(language(request)):
            return message_page(request, _("no existe esa descarga"), 404)

    def work():
        view = class_view.class_view(workshops_of(request), workshop)
        guide = class_view.reference(workshop.reference) if workshop.reference else None
        if name == "resumen.csv":
            return exports.csv_file(view, separator, guide, for_people=True)
        if name == "resumen.xlsx":
            return exports.xlsx_file(view, guide, for_people=True)
        return exports.memos_zip(view, workshops_of(request).engine)

    content = await in_thread(request, work)
    filename = download_name(workshop, name, separator)
    return Response(content, media_type=FILES[name],
                    headers={"content-disposition": f'attachment; filename="{filename}"'})


def download_name(workshop: Workshop, name: str, separator: str = ",") -> str:
    """A download's file name: the workshop's name and code, and for the two
    CSV files which separator (``…-resumen-punto-y-coma.csv`` opens in a
    spreadsheet set to Spanish)."""
    stem, dot, extension = name.partition(".")
    if extension == "csv":
        stem += "-punto-y-coma" if separator == ";" else "-coma"
    return "-".join(p for p in ("taller", exports.slug(workshop.name, 30), workshop.code, stem) if p) + dot + extension


async def _participant(request: Request, workshop: Workshop):
    handle = request.path_params["id"]  # a read-only handle, never the participant's own id
    participants = await in_thread(request, lambda: workshops_of(request).participants(workshop.code))
    return next((p for p in participants if p.handle == handle), None)


async def _with_participant(request: Request):
    """The path's workshop and participant, or the page saying which is not there."""
    workshop = await _workshop(request)
    if isinstance(workshop, Response):
        return workshop
    participant = await _participant(request, workshop)
    if participant is None:
        with translations.speaking(language(request)):
            return message_page(request, _("no hay un participante así en este taller"), 404)
    return workshop, participant


async def participant_report(request: Request) -> Response:
    """A participant's report as they see it, with a way back to the class."""
    found = await _with_participant(request)
    if isinstance(found, Response):
        return found
    workshop, participant = found

    def work():
        return renders.report_bytes(workshops_of(request).engine, participant, "html").decode("utf-8")

    html = await in_thread(request, work)
    lang = language(request)
    with translations.speaking(lang):
        bar = environment().get_template("_volver_taller.html.j2").render(
            code=workshop.code, name=participant.name or _("(sin nombre)"))
    html = html.replace("<body>\n", "<body>\n" + bar, 1)
    html = html.replace("</head>", '<link rel="stylesheet" href="/static/barra.css">\n</head>', 1)
    html = html.replace('<html lang="es">', f'<html lang="{lang}">', 1)
    return HTMLResponse(html, headers={"content-security-policy": policy(inline_styles(html))})


async def comparison(request: Request) -> Response:
    """A participant's reading beside the guide's reading of the reference case."""
    workshop = await _workshop(request)
    if isinstance(workshop, Response):
        return workshop
    participant = await _participant(request, workshop)
    if participant is None or not workshop.reference:
        with translations.speaking(language(request)):
            return message_page(request, _("no hay un participante así en este taller, o el taller no tiene caso de "
                                           "referencia"), 404)

    def work():
        guide = class_view.reference(workshop.reference)
        mine = class_view.result_of(participant.document)
        return guide, class_view.closeness(guide, mine)

    guide, close = await in_thread(request, work)
    return page(request, "taller_comparacion.html.j2", title=N_("La lectura de la guía y la del participante"),
                workshop=workshop, guide=guide, close=close, name=participant.name or "")


async def _posted_workshop(request: Request):
    """The trainer's workshop a form acts on, or the refusal (a bad CSRF token,
    a wrong code or token) to answer instead."""
    _form, refused = await _checked_form(request)
    return refused if refused else await _workshop(request)


def _switch(action: str):
    """A form that closes or reopens the workshop, then back to its page."""
    async def handler(request: Request) -> Response:
        workshop = await _posted_workshop(request)
        if isinstance(workshop, Response):
            return workshop
        await in_thread(request, lambda: getattr(workshops_of(request), action)(workshop.code))
        return see_other(f"/taller/{workshop.code}/docente")

    return handler


close, reopen = _switch("close"), _switch("reopen")


async def remove_confirm(request: Request) -> Response:
    found = await _with_participant(request)
    if isinstance(found, Response):
        return found
    workshop, participant = found
    return page(request, "taller_quitar.html.j2", title=N_("Quitar a un participante"), workshop=workshop,
                participant=participant, name=participant.name or _("(sin nombre)"))


async def remove(request: Request) -> Response:
    workshop = await _posted_workshop(request)
    if isinstance(workshop, Response):
        return workshop
    participant = await _participant(request, workshop)  # named by its read-only handle
    if participant is not None:
        await in_thread(request, lambda: workshops_of(request).remove(workshop.code, participant.id))
    return see_other(f"/taller/{workshop.code}/docente")


async def delete_confirm(request: Request) -> Response:
    workshop = await _workshop(request)
    if isinstance(workshop, Response):
        return workshop
    count = await in_thread(request, lambda: workshops_of(request).count(workshop.code))
    return page(request, "taller_borrar.html.j2", title=N_("Borrar el taller"), workshop=workshop, count=count)


async def delete(request: Request) -> Response:
    workshop = await _posted_workshop(request)
    if isinstance(workshop, Response):
        return workshop
    await in_thread(request, lambda: workshops_of(request).delete(workshop.code))
    response = see_other("/talleres?borrado=" + workshop.code)
    trainer.forget(request, response, workshop.code)
    return response


routes = [
    Route("/taller/{code}/docente", class_page, methods=["GET"]),
    Route("/taller/{code}/docente/clase", class_part, methods=["GET"]),
    Route("/taller/{code}/docente/descargas/{name}", download, methods=["GET"]),
    Route("/taller/{code}/docente/participantes/{id}", participant_report, methods=["GET"]),
    Route("/taller/{code}/docente/participantes/{id}/comparacion", comparison, methods=["GET"]),
    Route("/taller/{code}/docente/cerrar", close, methods=["POST"]),
    Route("/taller/{code}/docente/reabrir", reopen, methods=["POST"]),
    Route("/taller/{code}/docente/participantes/{id}/quitar", remove_confirm, methods=["GET"]),
    Route("/taller/{code}/docente/participantes/{id}/quitar", remove, methods=["POST"]),
    Route("/taller/{code}/docente/borrar", delete_confirm, methods=["GET"]),
    Route("/taller/{code}/docente/borrar", delete, methods=["POST"]),
]

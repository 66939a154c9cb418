"""The trainer's view of a workshop: what to share with the class (code, QR,
address), the class as answers arrive (who started and finished, each pillar's
levels, the most frequent recommendations), any participant's report, a
participant beside the reference case, the exports, closing and deleting.
It updates without reloading (static/taller.js asks for the class part every
few seconds) and works without JavaScript (a reload shows the same).

Every request checks the trainer's token (the browser's cookie) against the
database: nothing is kept in this process."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from .... import i18n
from ....i18n import N_, _
from ....io import translations
from ....report.workshop_summary import LEVELS, closeness
from .. import answer_files
from ..http import drafts
from ..http.errors import Refused
from ..http.forms import checked_form
from ..http.rendering import fragment, framed, page, see_other
from ..http.request import in_thread, language, results_apart, workshops_of
from ..storage import renders
from ..storage.workshops import Participant, Workshop
from ..whatif import panel as what_if
from . import downloads, private_link, results, share, trainer_auth

#: How often the page asks for the class, in seconds.
REFRESH = 4


async def trainer_workshop(request: Request) -> Workshop:
    """The path's workshop if this browser holds its token; Refused (a page saying what to do) otherwise."""
    workshop = await in_thread(request, lambda: workshops_of(request).get(request.path_params["code"]))
    with translations.speaking(language(request)):
        if workshop is None:
            raise Refused(404, _("no existe un taller con ese código"))
        if not trainer_auth.page_allowed(request, workshop):
            raise Refused(401, _("esta página es del docente del taller: ábrala con su enlace privado "
                                 "(el que lleva el token), en este navegador"))
    return workshop


def _values(request: Request, workshop: Workshop) -> dict[str, Any]:
    """What the class part of the page shows (inferring only the reports that changed)."""
    view = results.class_results(workshops_of(request), workshop, results.live_budget(results_apart(request)))
    guide = results.reference(workshop.reference) if workshop.reference else None
    rows = []
    for number, row in enumerate(view.rows, start=1):
        close = closeness(guide, row.result) if guide else None
        rows.append({"n": number, "id": row.participant.handle, "name": row.participant.name or _("(sin nombre)"),
                     "answered": row.result["answered"], "total": row.result["questions"],
                     "finished": row.finished, "close": close})
    return dict(workshop=workshop, view=view, rows=rows, pillars=view.pillars(), levels=LEVELS,
                recommendations=view.recommendations()[:10], guide=guide, refresh=REFRESH)


async def class_page(request: Request) -> Response:
    token = request.query_params.get("token")
    if token is not None:
        # The private link: ask before keeping the token in this browser (private_link).
        linked = await in_thread(request, lambda: workshops_of(request).get(request.path_params["code"]))
        if linked is not None and trainer_auth.token_ok(linked, token):
            return await private_link.confirm(request, linked, token)
    workshop = await trainer_workshop(request)

    def work() -> dict[str, Any]:
        values = dict(_values(request, workshop), **share.room_address(request, workshop.code))
        token = trainer_auth.keychain(request).get(workshop.code, "")
        values["private"] = values["join"].replace(f"/taller/{workshop.code}",
                                                   f"/taller/{workshop.code}/docente?token={token}")
        return values

    values = await in_thread(request, work)
    return page(request, "taller.html.j2", title=N_("Taller"), **values)


async def live_part(request: Request, template: str,
                    values_of: Callable[[Request, Workshop], dict[str, Any]]) -> Response:
    """Only the live part of a trainer's page (``template`` filled by
    ``values_of(request, workshop)``), for the page's script to swap in."""
    workshop = await trainer_workshop(request)
    values = await in_thread(request, lambda: values_of(request, workshop))
    return HTMLResponse(fragment(request, template, **values))


async def class_part(request: Request) -> Response:
    return await live_part(request, "_clase.html.j2", _values)


async def download(request: Request) -> Response:
    workshop = await trainer_workshop(request)
    name = request.path_params["name"]
    separator = downloads.separator_of(request)
    if name not in downloads.FILES or separator is None:
        with translations.speaking(language(request)):
            raise Refused(404, _("no existe esa descarga"))
    with translations.speaking(language(request)):
        filename = downloads.download_name(workshop, name, separator)
    return await downloads.class_download(request, workshop, name, separator, filename, for_people=True)


async def _participant(request: Request, workshop: Workshop) -> Participant | None:
    handle = request.path_params["id"]  # a read-only handle, never the participant's own id
    participants = await in_thread(request, lambda: workshops_of(request).participants(workshop.code))
    return next((p for p in participants if p.handle == handle), None)


async def _with_participant(request: Request) -> tuple[Workshop, Participant]:
    """The path's workshop and participant, or Refused saying which is not there."""
    workshop = await trainer_workshop(request)
    participant = await _participant(request, workshop)
    if participant is None:
        with translations.speaking(language(request)):
            raise Refused(404, _("no hay un participante así en este taller"))
    return workshop, participant


async def participant_report(request: Request) -> Response:
    """A participant's report as they see it, with a way back to the class."""
    workshop, participant = await _with_participant(request)

    def work() -> tuple[str, str]:
        html = renders.report_bytes(workshops_of(request).engine, participant, "html", also=("json",)).decode("utf-8")
        base = f"/taller/{workshop.code}/docente/participantes/{participant.handle}/y-si"
        panel, html = what_if.panel(request, participant, *answer_files.from_stored(participant.document), base,
                                    html)
        return html, panel

    html, panel = await in_thread(request, work)
    with translations.speaking(language(request)):
        name = participant.name or _("(sin nombre)")
    bar = fragment(request, "_volver_taller.html.j2", code=workshop.code, name=name)
    return framed(request, html, bar + panel, icon=False)


@dataclass(frozen=True)
class _Case:
    """A reference case as a what-if page reads it: its id and answer file."""

    id: str
    document: dict[str, Any]


async def reference_what_if(request: Request) -> Response:
    """«¿Y si…?» on the workshop's reference case, for the trainer to project to the class."""
    workshop = await trainer_workshop(request)
    case = workshop.reference
    if not case:
        with translations.speaking(language(request)):
            raise Refused(404, _("este taller no tiene caso de referencia"))
    here = f"/taller/{workshop.code}/docente"

    def load(_r: Request) -> tuple[_Case, Any, Any]:
        document = results.case_document(case)
        return (_Case(case, document), *answer_files.from_stored(document))

    place = what_if.Place(load=load, base=lambda _r: here + "/referencia/y-si", report=lambda _r: here, create=None,
                          before=lambda _r, _s: renders.read_report(results.case_report(case, i18n.current())))
    return await what_if.what_if_page(request, place)


async def participant_what_if(request: Request) -> Response:
    """«¿Y si…?» on a participant's answers, for the trainer to project: nothing is saved to the participant."""
    workshop, participant = await _with_participant(request)
    here = f"/taller/{workshop.code}/docente/participantes/{participant.handle}"
    place = what_if.Place(load=lambda _r: (participant, *answer_files.from_stored(participant.document)),
                          base=lambda _r: here + "/y-si", report=lambda _r: here, create=None)
    return await what_if.what_if_page(request, place)


async def comparison(request: Request) -> Response:
    """A participant's reading beside the guide's reading of the reference case."""
    workshop = await trainer_workshop(request)
    participant = await _participant(request, workshop)
    reference = workshop.reference
    if participant is None or not reference:
        with translations.speaking(language(request)):
            raise Refused(404, _("no hay un participante así en este taller, o el taller no tiene caso de "
                                 "referencia"))
    document = participant.document

    def work() -> tuple[dict[str, Any], dict[str, Any]]:
        guide = results.reference(reference)
        return guide, closeness(guide, results.result_of(document))

    guide, close = await in_thread(request, work)
    with translations.speaking(language(request)):
        name = participant.name or _("(sin nombre)")
    return page(request, "taller_comparacion.html.j2", title=N_("La lectura de la guía y la del participante"),
                workshop=workshop, guide=guide, close=close, name=name, handle=participant.handle)


async def _posted_workshop(request: Request, back: str = "") -> Workshop:
    """The trainer's workshop a form acts on; Refused for a bad CSRF token, a
    wrong code or token, going back to the page the form was on (``back`` below
    the class page, the class page itself when empty)."""
    try:
        await checked_form(request)
        return await trainer_workshop(request)
    except Refused as refusal:
        refusal.back = f"/taller/{quote(request.path_params['code'], safe='')}/docente{back}"
        raise


def _to_class(workshop: Workshop) -> Response:
    return drafts.done(see_other(f"/taller/{workshop.code}/docente"))


async def close(request: Request) -> Response:
    workshop = await _posted_workshop(request)
    await in_thread(request, lambda: workshops_of(request).close(workshop.code))
    return _to_class(workshop)


async def reopen(request: Request) -> Response:
    workshop = await _posted_workshop(request)
    await in_thread(request, lambda: workshops_of(request).reopen(workshop.code))
    return _to_class(workshop)


async def remove_confirm(request: Request) -> Response:
    workshop, participant = await _with_participant(request)
    return page(request, "taller_quitar.html.j2", title=N_("Quitar a un participante"), workshop=workshop,
                participant=participant, name=participant.name or _("(sin nombre)"))


async def remove(request: Request) -> Response:
    handle = quote(request.path_params["id"], safe="")
    workshop = await _posted_workshop(request, f"/participantes/{handle}/quitar")
    participant = await _participant(request, workshop)  # named by its read-only handle
    if participant is not None:
        ident = participant.id
        await in_thread(request, lambda: workshops_of(request).remove(workshop.code, ident))
    return _to_class(workshop)


async def delete_confirm(request: Request) -> Response:
    workshop = await trainer_workshop(request)
    count = await in_thread(request, lambda: workshops_of(request).count(workshop.code))
    return page(request, "taller_borrar.html.j2", title=N_("Borrar el taller"), workshop=workshop, count=count)


async def delete(request: Request) -> Response:
    workshop = await _posted_workshop(request, "/borrar")
    await in_thread(request, lambda: workshops_of(request).delete(workshop.code))
    response = drafts.done(see_other("/talleres?borrado=" + workshop.code))
    trainer_auth.forget(request, response, workshop.code)
    return response

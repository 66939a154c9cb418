"""A participant joins a workshop with its code and a name (no account) and
answers an assessment of their own; the code's QR for the room."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ....i18n import N_, _
from ....io import translations
from .. import answer_files
from ..http.forms import checked_form
from ..http.rendering import message_page, page, see_other
from ..http.request import in_thread, language, workshops_of
from ..storage.workshops import Closed, Full, gone_text, normal_code
from . import share
from .checks import participant_name


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
    form = await checked_form(request)
    typed_code, name = str(form.get("codigo", "")), participant_name(form.get("nombre", ""))
    store = workshops_of(request)
    found = await in_thread(request, lambda: store.get(typed_code))
    with translations.speaking(language(request)):
        if found is None:
            return await join_form(request, typed_code, name,
                                   _("No hay un taller con ese código. Revise el código que le dieron."), 404)
        if not name:
            return await join_form(request, found.code, name, _("Escriba su nombre para que el docente lo reconozca."),
                                   422)
    workshop = found

    def work() -> str:
        _questionnaire, document = answer_files.new(workshop.questionnaire)
        return store.join(workshop, document, name)

    try:
        ident = await in_thread(request, work)
    except Closed:
        with translations.speaking(language(request)):
            text = _("Este taller ya terminó: no admite participantes nuevos.")
        return await join_form(request, workshop.code, name, text, 403)
    except Full:
        with translations.speaking(language(request)):
            text = _("Este taller está completo: ya se sumaron {n} participantes, todos los que su "
                     "docente admite. Avísele si falta lugar.", n=workshop.capacity)
        return await join_form(request, workshop.code, name, text, 403)
    return see_other(f"/e/{ident}/seccion/1")


async def qr(request: Request) -> Response:
    """The QR code of the participants' address (the code is no secret: it is shown to the class)."""
    code = normal_code(request.path_params["code"])
    if code is None:
        return Response(status_code=404)
    content = await in_thread(request, lambda: share.qr_svg(share.join_url(request, code)))
    return Response(content, media_type="image/svg+xml", headers={"cache-control": "no-store"})

"""A participant joins a workshop with its code and a name (no account) and
answers an assessment of their own; the code's QR for the room."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ....i18n import N_, _
from ....io import translations
from .. import answer_files
from ..http import drafts
from ..http.forms import expired_text, read_form
from ..http.limits import wrong_code
from ..http.rendering import message_page, page, see_other
from ..http.request import in_thread, language, workshops_of, writing
from ..http.security import CSRF_FIELD, csrf_ok
from ..storage.workshops import Closed, Full, gone_text, normal_code
from . import share
from .checks import participant_name


async def join_form(request: Request) -> Response:
    """The form; after a refused join, with why and what was typed (until one succeeds)."""
    draft = drafts.take(request, None, kinds=(drafts.JOIN,))
    typed = draft.typed() if draft else {}
    error, status = (draft.messages()[0], draft.status) if draft and draft.messages() else (None, 200)
    # Only the address's code is looked up (a wrong one is counted as a guess):
    # the cookie's, which its holder can write, is only shown back.
    code = request.path_params.get("code", "") or request.query_params.get("codigo", "")
    name = typed.get("nombre", "")
    workshop = await in_thread(request, lambda: workshops_of(request).get(code)) if code else None
    if code and workshop is None:
        with translations.speaking(language(request)):
            gone = await in_thread(request, lambda: gone_text(workshops_of(request), code))
            if gone:
                return message_page(request, gone, 410)
            error = _("No hay un taller con el código {code}. Revise el código que le dieron.", code=code[:12])
        status = 404
    code = code or typed.get("codigo", "")
    closed = bool(workshop and workshop.closed)
    if closed and error is None:
        with translations.speaking(language(request)):
            error = _closed_text()
    return page(request, "taller_unirse.html.j2", status, title=N_("Sumarse a un taller"),
                code=(workshop.code if workshop else code[:12]), name=name, error=error, closed=closed,
                workshop_name=workshop.name if workshop else None)


def _closed_text() -> str:
    return _("Este taller ya terminó: no admite participantes nuevos.")


def _back(code: str | None, typed_code: str, name: str, status: int, text: str) -> Response:
    """A refused join: back to the workshop's form (or the bare one for a code
    that names none), saying why, with the code and name as typed."""
    return drafts.bounce(f"/taller/{code}" if code else "/taller", drafts.JOIN, status, [text],
                         {"codigo": typed_code[:12], "nombre": name})


async def join(request: Request) -> Response:
    form = await read_form(request)
    typed_code, name = str(form.get("codigo", "")), participant_name(form.get("nombre", ""))
    if not csrf_ok(request, form.get(CSRF_FIELD)):
        # Nothing looked up: the address is the code as typed, whether a workshop has it or not.
        return _back(normal_code(typed_code), typed_code, name, 403, expired_text(request))
    store = workshops_of(request)
    found = await in_thread(request, lambda: store.get(typed_code))
    with translations.speaking(language(request)):
        if found is None:
            await wrong_code(request)
            return _back(None, typed_code, name, 422,
                         _("No hay un taller con ese código. Revise el código que le dieron."))
        if not name:
            return _back(found.code, typed_code, name, 422, _("Escriba su nombre para que el docente lo reconozca."))
    workshop = found

    def work() -> str:
        _questionnaire, document = answer_files.new(workshop.questionnaire)
        return store.join(workshop, document, name)

    try:
        ident = await writing(request, work)
    except Closed:
        with translations.speaking(language(request)):
            text = _closed_text()
        return _back(workshop.code, typed_code, name, 403, text)
    except Full:
        with translations.speaking(language(request)):
            text = _("Este taller está completo: ya se sumaron {n} participantes, todos los que su "
                     "docente admite. Avísele si falta lugar.", n=workshop.capacity)
        return _back(workshop.code, typed_code, name, 403, text)
    return drafts.done(see_other(f"/e/{ident}/seccion/1"))


async def qr(request: Request) -> Response:
    """The QR code of the participants' address (the code is no secret: it is shown to the class)."""
    code = normal_code(request.path_params["code"])
    if code is None:
        return Response(status_code=404)
    content = await in_thread(request, lambda: share.qr_svg(share.join_url(request, code)))
    return Response(content, media_type="image/svg+xml", headers={"cache-control": "no-store"})

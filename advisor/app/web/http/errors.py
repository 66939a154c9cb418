"""Refusals and failures as Spanish messages: JSON for the API
(``{"problemas": […]}``), a page for people. Handlers raise ``Refused`` or
``NoAssessment`` (or a store's own error) and this module answers it: no
request gets a traceback."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

from .... import i18n
from ....i18n import N_, _
from ....io import translations
from ..storage.workshops import gone_text
from . import drafts
from .guard import REFUSALS
from .rendering import json_refusal, message_page
from .request import language, workshops_of

log = logging.getLogger("advisor.app.web")

_STATUS = {
    400: N_("la solicitud no es válida"),
    401: N_("falta el permiso para esta solicitud"),
    403: N_("la solicitud no está permitida"),
    404: N_("no existe esa dirección"),
    405: N_("esa dirección no admite este método"),
    409: N_("otra persona cambió esta evaluación al mismo tiempo; vuelva a intentarlo"),
    413: N_("la solicitud es demasiado grande: como máximo 1 MiB"),
    415: N_("el tipo de contenido no es compatible"),
    503: N_("el servicio no está disponible en este momento; vuelva a intentarlo en unos minutos"),
}


class Refused(Exception):
    """A request refused with ``text`` (in the request's language): a page
    for people, ``{"problemas": […]}`` for the API. A page's form refused
    with ``back`` goes back to that address, which shows why (post/redirect/get)."""

    def __init__(self, status: int, text: str, key: str | None = None, headers: dict[str, str] | None = None,
                 back: str | None = None):
        super().__init__(text)
        self.status, self.text, self.key, self.headers, self.back = status, text, key, headers or {}, back


class NoAssessment(Exception):
    """A page's address names no assessment: it says so, or why it is gone (410)."""


def refusal(path: str, status: int, message: str | None = None, lang: str = i18n.DEFAULT,
            request: Request | None = None, key: str | None = None) -> Response:
    with translations.speaking(lang):
        text = message or _(_STATUS.get(status, _STATUS[400]))
        if path.startswith("/api/") or request is None:
            return json_refusal(text, status, key)
        return message_page(request, text, status)


async def refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refused)
    if exc.back and request.method == "POST" and not request.url.path.startswith("/api/"):
        return drafts.bounce(exc.back, drafts.REFUSED, exc.status, [exc.text])
    response = refusal(request.url.path, exc.status, exc.text, lang=language(request), request=request, key=exc.key)
    response.headers.update(exc.headers)
    return response


async def no_assessment(request: Request, exc: Exception) -> Response:
    with translations.speaking(language(request)):
        gone = gone_text(workshops_of(request), request.path_params.get("id"))
        text = gone or _("no existe una evaluación con esa dirección; revise que la dirección esté completa")
    return message_page(request, text, 410 if gone else 404)


def too_large(scope: Scope) -> Response:
    """A body over the limit: JSON for the API, a Spanish page for a form (an upload from the home page)."""
    request = Request(scope)
    return refusal(request.url.path, 413, lang=language(request), request=request)


async def http_error(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 400)
    status = status if 400 <= status < 500 else 400
    headers = getattr(exc, "headers", None)
    response = refusal(request.url.path, status, lang=language(request), request=request)
    if headers and "allow" in {k.lower() for k in headers}:
        response.headers["allow"] = next(v for k, v in headers.items() if k.lower() == "allow")
    return response


async def body_too_large(request: Request, exc: Exception) -> Response:
    return refusal(request.url.path, 413, lang=language(request), request=request)


async def conflict(request: Request, exc: Exception) -> Response:
    return refusal(request.url.path, 409, lang=language(request), request=request)


def closed_workshop_text() -> str:
    """Why a participant's answers can no longer change, in the language in use."""
    return _("el taller terminó: el docente lo cerró; sus respuestas quedaron guardadas tal como estaban "
             "y ya no se pueden cambiar")


async def frozen(request: Request, exc: Exception) -> Response:
    with translations.speaking(language(request)):
        text = closed_workshop_text()
    # A page's autosave never gets here: save_section answers it in JSON itself.
    return refusal(request.url.path, 403, text, lang=language(request), request=request)


async def client_gone(request: Request, exc: Exception) -> Response:
    """The client went away, or was cut off for being too slow, before its request
    arrived whole: nothing was done, and nobody is left to answer."""
    REFUSALS.refused(request.client.host if request.client else "?", "entera",
                     f"la solicitud {request.method} {request.url.path} no llegó entera (el cliente se "
                     "desconectó); no se hizo nada")
    return Response(status_code=400)


async def database_down(request: Request, exc: Exception) -> Response:
    log.error("la base de datos no responde: %s", exc)
    response = refusal(request.url.path, 503, lang=language(request), request=request)
    response.headers["retry-after"] = "30"
    return response


async def last_resort(request: Request, exc: Exception) -> Response:
    """A defect: logged with its traceback for developers; the person gets a plain message."""
    log.exception("error interno en %s %s", request.method, request.url.path)
    with translations.speaking(language(request)):
        text = _("error interno de advisor: no es un problema de sus datos, y lo ya guardado sigue guardado; "
                 "vuelva a intentarlo")
    response = refusal(request.url.path, 503, text, lang=language(request), request=request)
    response.headers["retry-after"] = "5"
    return response


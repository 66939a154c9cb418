"""The JSON API of CONTRACT §5 (first table). It is for tools and is not
cookie-authenticated: the unguessable id is the capability, so it needs no
CSRF token."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ...version import __version__
from ...report.formats import FORMATS
from ...errors import AdvisorError, Problem, ValidationError
from ...i18n import _
from ..messages import describe
from . import renders, service
from .context import in_thread, store_of
from .store import Stale

JSON = "application/json; charset=utf-8"


def problems(error: AdvisorError | list[Problem], status: int) -> JSONResponse:
    """A refusal: ``{"problemas": [{"mensaje": …, "clave": …}]}``."""
    return JSONResponse({"problemas": _listed(error)}, status_code=status, media_type=JSON)


def _listed(error: AdvisorError | list[Problem]) -> list[dict[str, Any]]:
    found = error.problems if isinstance(error, AdvisorError) else error
    return [{"mensaje": describe(p, with_file=False), "clave": p.key} for p in found]


def refusal(message: str, status: int, key: str | None = None) -> JSONResponse:
    return problems([Problem(message, key=key)], status)


def document(data: Any, status: int = 200, **headers: str) -> Response:
    body = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return Response(body.encode("utf-8"), status_code=status, media_type=JSON, headers=headers or None)


def not_found() -> JSONResponse:
    return refusal(_("no existe una evaluación con ese identificador"), 404, key=None)


async def health(request: Request) -> Response:
    await in_thread(request, lambda: store_of(request).ping())
    return document({"estado": "ok", "version": __version__})


async def create(request: Request) -> Response:
    raw = await request.body()

    def work():
        answers, questionnaire = service.read_body(raw)
        stored = service.to_stored(service.dated(answers), questionnaire)
        return store_of(request).create(questionnaire.id, stored)

    try:
        ident = await in_thread(request, work)
    except AdvisorError as error:
        return problems(error, 422)
    url = f"/e/{ident}"
    return document({"id": ident, "url": url}, 201, location=f"/api/evaluaciones/{ident}")


async def read(request: Request) -> Response:
    stored = await in_thread(request, lambda: store_of(request).get(request.path_params["id"]))
    if stored is None:
        return not_found()
    return document(stored.document, etag=_etag(stored.revision))


def _etag(revision: int) -> str:
    return f'"{revision}"'


def _if_match(request: Request) -> int | None:
    """The revision a PUT was based on (``If-Match``), or None when it names none.
    A tag that is no revision of ours can only be older: it never matches."""
    header = request.headers.get("if-match")
    if header is None or header.strip() == "*":
        return None
    tag = header.strip().removeprefix("W/").strip('"')
    return int(tag) if tag.isascii() and tag.isdigit() and len(tag) <= 12 else -1


def _answer(body: bytes) -> tuple[str, Any]:
    """The key and value of a PUT body, or ValidationError with what was expected."""
    expected = _('{"clave": "recursos.ori", "valor": "responsable"} o {"clave": "…", "no_sabe": true}')
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ValidationError(Problem(_("el cuerpo no es JSON válido"), expected=expected)) from None
    if not isinstance(data, dict):
        raise ValidationError(Problem(_("el cuerpo no es un objeto JSON"), expected=expected))
    unknown = sorted(set(data) - {"clave", "valor", "no_sabe"})
    if unknown:
        raise ValidationError(Problem(_("la clave no existe en este formato"), key=str(unknown[0]), expected=expected))
    key = data.get("clave")
    if not isinstance(key, str):
        raise ValidationError(Problem(_("falta «clave», o no es un texto"), key="clave", expected=expected))
    if "no_sabe" in data:
        if data["no_sabe"] is not True or "valor" in data:
            raise ValidationError(Problem(_("«no_sabe» va solo y vale true"), key="no_sabe", expected=expected))
        return key, service.DONT_KNOW
    if "valor" not in data or data["valor"] is None:
        raise ValidationError(Problem(_("falta «valor»"), key="valor", expected=expected))
    return key, data["valor"]


async def put_answer(request: Request) -> Response:
    body = await request.body()
    ident = request.path_params["id"]
    expected = _if_match(request)

    def work():
        key, value = _answer(body)
        return store_of(request).revise(ident, lambda stored: service.change(stored, key, value), expected)

    try:
        result = await in_thread(request, work)
    except Stale as stale:
        found = _listed([Problem(_("la evaluación cambió desde la revisión {sent} (ahora es la {now}): no se cambió "
                                   "nada; lea «actual» y vuelva a enviar el cambio",
                                   sent=request.headers.get("if-match", "")[:20], now=stale.stored.revision))])
        return document({"problemas": found, "actual": stale.stored.document}, 409, etag=_etag(stale.stored.revision))
    except AdvisorError as error:
        if await in_thread(request, lambda: store_of(request).get(ident)) is None:
            return not_found()
        return problems(error, 422)
    if result is None:
        return not_found()
    return document(result[0], etag=_etag(result[1]))


async def report(request: Request) -> Response:
    fmt = request.query_params.get("formato", "json")
    if fmt not in FORMATS:
        return refusal(_("el formato «{fmt}» no existe", fmt=fmt[:40]), 400, key="formato")
    stored = await in_thread(request, lambda: store_of(request).get(request.path_params["id"]))
    if stored is None:
        return not_found()
    content = await in_thread(request, lambda: renders.report_bytes(store_of(request).engine, stored, fmt))
    return Response(content, media_type=FORMATS[fmt].media_type)


routes = [
    Route("/api/salud", health, methods=["GET"]),
    Route("/api/evaluaciones", create, methods=["POST"]),
    Route("/api/evaluaciones/{id}", read, methods=["GET"]),
    Route("/api/evaluaciones/{id}/respuestas", put_answer, methods=["PUT"]),
    Route("/api/evaluaciones/{id}/informe", report, methods=["GET"]),
]

"""The JSON API of CONTRACT §5 (first table). It is for tools and is not
cookie-authenticated: the unguessable id is the capability, so it needs no
CSRF token."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ....errors import AdvisorError, Problem, ValidationError
from ....i18n import _
from ....model.answers import DONT_KNOW
from ....report.formats import FORMATS
from ....version import __version__
from .. import answer_files
from ..http.errors import Refused
from ..http.rendering import document, listed, problems
from ..http.request import in_thread, json_object, store_of, writing
from ..storage import renders
from ..storage.assessments import Stale, Stored


def _missing() -> Refused:
    return Refused(404, _("no existe una evaluación con ese identificador"))


async def health(request: Request) -> Response:
    await in_thread(request, lambda: store_of(request).ping())
    return document({"estado": "ok", "version": __version__})


async def create(request: Request) -> Response:
    raw = await request.body()

    def work() -> str:
        answers, questionnaire = answer_files.read_body(raw)
        stored = answer_files.to_stored(answer_files.dated(answers), questionnaire)
        return store_of(request).create(questionnaire.id, stored)

    try:
        ident = await in_thread(request, work)
    except AdvisorError as error:
        return problems(error, 422)
    url = f"/e/{ident}"
    return document({"id": ident, "url": url}, 201, location=f"/api/evaluaciones/{ident}")


async def read(request: Request) -> Response:
    stored = await _stored(request)
    return document(stored.document, etag=_etag(stored.revision))


async def _stored(request: Request) -> Stored:
    """The assessment the address names, or Refused (404)."""
    stored = await in_thread(request, lambda: store_of(request).get(request.path_params["id"]))
    if stored is None:
        raise _missing()
    return stored


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
    data = json_object(body, {"clave", "valor", "no_sabe"}, expected)
    key = data.get("clave")
    if not isinstance(key, str):
        raise ValidationError(Problem(_("falta «clave», o no es un texto"), key="clave", expected=expected))
    if "no_sabe" in data:
        if data["no_sabe"] is not True or "valor" in data:
            raise ValidationError(Problem(_("«no_sabe» va solo y vale true"), key="no_sabe", expected=expected))
        return key, DONT_KNOW
    if "valor" not in data or data["valor"] is None:
        raise ValidationError(Problem(_("falta «valor»"), key="valor", expected=expected))
    return key, data["valor"]


async def put_answer(request: Request) -> Response:
    body = await request.body()
    ident = request.path_params["id"]
    expected = _if_match(request)

    def work() -> tuple[dict[str, Any], int] | None:
        key, value = _answer(body)
        return store_of(request).revise(ident, lambda stored: answer_files.change(stored, key, value), expected)

    try:
        result = await writing(request, work)
    except Stale as stale:
        found = listed([Problem(_("la evaluación cambió desde la revisión {sent} (ahora es la {now}): no se cambió "
                                   "nada; lea «actual» y vuelva a enviar el cambio",
                                   sent=request.headers.get("if-match", "")[:20], now=stale.stored.revision))])
        return document({"problemas": found, "actual": stale.stored.document}, 409, etag=_etag(stale.stored.revision))
    except AdvisorError as error:
        if await in_thread(request, lambda: store_of(request).get(ident)) is None:
            raise _missing() from None
        return problems(error, 422)
    if result is None:
        raise _missing()
    return document(result[0], etag=_etag(result[1]))


async def report(request: Request) -> Response:
    fmt = request.query_params.get("formato", "json")
    if fmt not in FORMATS:
        raise Refused(400, _("el formato «{fmt}» no existe", fmt=fmt[:40]), key="formato")
    stored = await _stored(request)
    content = await in_thread(request, lambda: renders.report_bytes(store_of(request).engine, stored, fmt))
    return Response(content, media_type=FORMATS[fmt].media_type)


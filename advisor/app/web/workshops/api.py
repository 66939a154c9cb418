"""The workshops' JSON API (CONTRACT §5, second table, and what
docs/contract-additions.md adds): create a workshop, join it with an answer
file, and, with the trainer's token, the class summary and its exports."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..batch import SEPARATORS
from ...errors import AdvisorError, Problem, ValidationError
from ...i18n import _
from ...io.text import visible
from . import class_view, exports, service
from .api import document, problems, refusal
from .context import in_thread
from .trainer import api_allowed
from .workshops import CAPACITY, MOST_CAPACITY, NAME_LIMIT, TITLE_LIMIT, Closed, Full, Workshop, Workshops

_FIELDS = {"nombre", "cuestionario", "referencia", "cupo"}


def workshops_of(request: Request) -> Workshops:
    return request.app.state.workshops


def read_new(raw: bytes) -> tuple[str, str, str | None, int]:
    """Name, questionnaire, reference case and participant cap of a new workshop, checked."""
    expected = _('{"nombre": "Curso de paradiplomacia", "cuestionario": "diagnostico"}')
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ValidationError(Problem(_("el cuerpo no es JSON válido"), expected=expected)) from None
    if not isinstance(data, dict):
        raise ValidationError(Problem(_("el cuerpo no es un objeto JSON"), expected=expected))
    unknown = sorted(set(data) - _FIELDS)
    if unknown:
        raise ValidationError(Problem(_("la clave no existe en este formato"), key=str(unknown[0])[:60], expected=expected))
    return (*checked(data.get("nombre"), data.get("cuestionario", "diagnostico"), data.get("referencia")),
            capacity(data.get("cupo", CAPACITY)))


def capacity(value: Any) -> int:
    """How many may join: a whole number from 1 to MOST_CAPACITY (a form's text too)."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MOST_CAPACITY:
        raise ValidationError(Problem(_("el cupo de participantes debe ser un número entero de 1 a {most}",
                                        most=MOST_CAPACITY), key="cupo"))
    return value


def checked(name: Any, questionnaire: Any, reference: Any) -> tuple[str, str, str | None]:
    """The same checks for the API and the page's form."""
    name = visible(name.strip()) if isinstance(name, str) else ""
    if not name or len(name) > TITLE_LIMIT:
        raise ValidationError(Problem(_("el taller necesita un nombre de hasta {n} caracteres", n=TITLE_LIMIT),
                                      key="nombre"))
    if not isinstance(questionnaire, str):
        raise ValidationError(Problem(_("falta «cuestionario», o no es un texto"), key="cuestionario"))
    service.bundle().questionnaire(questionnaire)  # refuses an unknown one, with the nearest name
    if reference in (None, ""):
        return name, questionnaire, None
    if reference not in class_view.CASES:
        raise ValidationError(Problem(_("el caso de referencia «{case}» no existe", case=str(reference)[:40]),
                                      key="referencia", expected=", ".join(class_view.CASES)))
    if questionnaire != "diagnostico":
        raise ValidationError(Problem(_("los casos de referencia son diagnósticos: van con el cuestionario «diagnostico»"),
                                      key="referencia"))
    return name, questionnaire, reference


def participant_name(text: Any) -> str:
    name = " ".join(visible(text).split()) if isinstance(text, str) else ""
    return name[:NAME_LIMIT]


def unknown_code() -> Response:
    return refusal(_("no existe un taller con ese código"), 404)


def closed() -> Response:
    return refusal(_("el taller está cerrado: ya no se puede sumar nadie ni cambiar respuestas"), 403)


def full() -> Response:
    return refusal(_("el taller está completo: ya se sumaron todos los participantes que su docente admite"), 403)


async def create(request: Request) -> Response:
    raw = await request.body()

    def work():
        return workshops_of(request).create(*read_new(raw))

    try:
        workshop, token = await in_thread(request, work)
    except AdvisorError as error:
        return problems(error, 422)
    code = workshop.code
    return document({"codigo": code, "token_docente": token, "url": f"/taller/{code}", "cupo": workshop.capacity,
                     "url_docente": f"/taller/{code}/docente?token={token}"}, 201,
                    location=f"/api/talleres/{code}/resumen")


async def join(request: Request) -> Response:
    raw = await request.body()
    store = workshops_of(request)
    workshop = await in_thread(request, lambda: store.get(request.path_params["code"]))
    if workshop is None:
        return unknown_code()
    if workshop.closed:
        return closed()

    def work():
        answers, questionnaire = service.read_body(raw)
        if questionnaire.id != workshop.questionnaire:
            raise ValidationError(Problem(_("este taller responde el cuestionario «{name}»", name=workshop.questionnaire),
                                          key="cuestionario"))
        stored = service.to_stored(service.dated(answers), questionnaire)
        return store.join(workshop, stored, participant_name(request.query_params.get("nombre")))

    try:
        ident = await in_thread(request, work)
    except AdvisorError as error:
        return problems(error, 422)
    except Closed:
        return closed()
    except Full:
        return full()
    return document({"id": ident, "url": f"/e/{ident}"}, 201, location=f"/api/evaluaciones/{ident}")


async def _trainer(request: Request) -> Workshop | Response:
    """The workshop of the path if the request carries its token; a refusal otherwise."""
    workshop = await in_thread(request, lambda: workshops_of(request).get(request.path_params["code"]))
    if workshop is None:
        return unknown_code()
    if not api_allowed(request, workshop):
        response = refusal(_("falta el permiso del docente: envíe «Authorization: Bearer TOKEN» con el token del taller"),
                           401)
        response.headers["www-authenticate"] = 'Bearer realm="advisor"'
        return response
    return workshop


def separator_of(request: Request) -> str | None:
    chosen = request.query_params.get("separador", ",")
    return chosen if chosen in SEPARATORS else None


def attachment(content: bytes, media_type: str, filename: str) -> Response:
    return Response(content, media_type=media_type, headers={"content-disposition": f'attachment; filename="{filename}"'})


async def summary(request: Request) -> Response:
    workshop = await _trainer(request)
    if isinstance(workshop, Response):
        return workshop
    view = await in_thread(request, lambda: class_view.class_view(workshops_of(request), workshop))
    return document(view.summary())


async def summary_file(request: Request) -> Response:
    """``resumen.csv`` (``?separador=;`` for a spreadsheet in Spanish), ``resumen.xlsx`` or ``memos.zip``."""
    workshop = await _trainer(request)
    if isinstance(workshop, Response):
        return workshop
    kind = request.url.path.rsplit("/", 1)[-1]
    separator = separator_of(request)
    if separator is None:
        return refusal(_("el separador debe ser «,» o «;»"), 400, key="separador")

    def work():
        view = class_view.class_view(workshops_of(request), workshop)
        if kind == "resumen.csv":
            return exports.csv_file(view, separator), exports.CSV
        if kind == "resumen.xlsx":
            return exports.xlsx_file(view), exports.XLSX
        return exports.memos_zip(view, workshops_of(request).engine), exports.ZIP

    content, media_type = await in_thread(request, work)
    return attachment(content, media_type, f"taller-{workshop.code}-{kind}")


async def close(request: Request) -> Response:
    workshop = await _trainer(request)
    if isinstance(workshop, Response):
        return workshop
    await in_thread(request, lambda: workshops_of(request).close(workshop.code))
    view = await in_thread(request, lambda: class_view.class_view(workshops_of(request), workshop))
    return document({**view.summary(), "abierto": False})


async def delete(request: Request) -> Response:
    workshop = await _trainer(request)
    if isinstance(workshop, Response):
        return workshop
    gone = await in_thread(request, lambda: workshops_of(request).delete(workshop.code))
    return document({"codigo": workshop.code, "participantes_borrados": gone})


routes = [
    Route("/api/talleres", create, methods=["POST"]),
    Route("/api/talleres/{code}", delete, methods=["DELETE"]),
    Route("/api/talleres/{code}/evaluaciones", join, methods=["POST"]),
    Route("/api/talleres/{code}/resumen", summary, methods=["GET"]),
    Route("/api/talleres/{code}/resumen.csv", summary_file, methods=["GET"]),
    Route("/api/talleres/{code}/resumen.xlsx", summary_file, methods=["GET"]),
    Route("/api/talleres/{code}/memos.zip", summary_file, methods=["GET"]),
    Route("/api/talleres/{code}/cierre", close, methods=["POST"]),
]

"""The workshops' JSON API (CONTRACT §5, second table, and what
docs/contract-additions.md adds): create a workshop, join it with an answer
file, and, with the trainer's token, the class summary and its exports."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ....errors import AdvisorError, Problem, ValidationError
from ....i18n import _
from .. import answer_files
from ..http.errors import Refused
from ..http.rendering import document, problems
from ..http.request import in_thread, results_apart, workshops_of, writing
from ..storage.workshops import Closed, Full, Workshop
from . import downloads, results
from .checks import participant_name, read_new
from .trainer_auth import api_allowed


def _unknown_code() -> Refused:
    return Refused(404, _("no existe un taller con ese código"))


def _closed() -> Refused:
    return Refused(403, _("el taller está cerrado: ya no se puede sumar nadie ni cambiar respuestas"))


def _full() -> Refused:
    return Refused(403, _("el taller está completo: ya se sumaron todos los participantes que su docente admite"))


async def create(request: Request) -> Response:
    raw = await request.body()

    def work() -> tuple[Workshop, str]:
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
    found = await in_thread(request, lambda: store.get(request.path_params["code"]))
    if found is None:
        raise _unknown_code()
    if found.closed:
        raise _closed()
    workshop = found

    def work() -> str:
        answers, questionnaire = answer_files.read_body(raw)
        if questionnaire.id != workshop.questionnaire:
            raise ValidationError(Problem(_("este taller responde el cuestionario «{name}»",
                                            name=workshop.questionnaire), key="cuestionario"))
        stored = answer_files.to_stored(answer_files.dated(answers), questionnaire)
        return store.join(workshop, stored, participant_name(request.query_params.get("nombre")))

    try:
        ident = await writing(request, work)
    except AdvisorError as error:
        return problems(error, 422)
    except Closed:
        raise _closed() from None
    except Full:
        raise _full() from None
    return document({"id": ident, "url": f"/e/{ident}"}, 201, location=f"/api/evaluaciones/{ident}")


async def _trainer(request: Request) -> Workshop:
    """The workshop of the path if the request carries its token; Refused otherwise."""
    workshop = await in_thread(request, lambda: workshops_of(request).get(request.path_params["code"]))
    if workshop is None:
        raise _unknown_code()
    if not api_allowed(request, workshop):
        raise Refused(401, _("falta el permiso del docente: envíe «Authorization: Bearer TOKEN» con el token del "
                             "taller"), headers={"www-authenticate": 'Bearer realm="advisor"'})
    return workshop


async def summary(request: Request) -> Response:
    workshop = await _trainer(request)
    view = await in_thread(request, lambda: results.class_results(workshops_of(request), workshop,
                                                                  results.live_budget(results_apart(request))))
    return document(view.summary())


async def summary_file(request: Request) -> Response:
    """``resumen.csv`` (``?separador=;`` for a spreadsheet in Spanish), ``resumen.xlsx`` or ``memos.zip``."""
    workshop = await _trainer(request)
    kind = request.url.path.rsplit("/", 1)[-1]
    separator = downloads.separator_of(request)
    if separator is None:
        raise Refused(400, _("el separador debe ser «,» o «;»"), key="separador")
    return await downloads.class_download(request, workshop, kind, separator, f"taller-{workshop.code}-{kind}")


async def close(request: Request) -> Response:
    workshop = await _trainer(request)
    await in_thread(request, lambda: workshops_of(request).close(workshop.code))
    view = await in_thread(request, lambda: results.class_results(workshops_of(request), workshop))
    return document({**view.summary(), "abierto": False})


async def delete(request: Request) -> Response:
    workshop = await _trainer(request)
    gone = await in_thread(request, lambda: workshops_of(request).delete(workshop.code))
    return document({"codigo": workshop.code, "participantes_borrados": gone})

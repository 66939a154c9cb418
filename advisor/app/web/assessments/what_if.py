"""«¿Y si…?» on a saved assessment: its what-if page (whatif.panel), the
button that starts a new assessment from the changed answers (the original
stays as it was), and ``POST /api/evaluaciones/{id}/y-si``, the what-if as JSON."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ....errors import AdvisorError, Problem, ValidationError
from ....i18n import _
from ....model.answers import changed, unspelled
from ...messages import describe
from .. import answer_files
from ..http.errors import Refused
from ..http.forms import checked_form
from ..http.rendering import document, problems, see_other
from ..http.request import in_thread, json_object, store_of
from ..storage.assessments import Stored
from ..whatif.panel import Place, asked, run, what_if_page
from .sections import load


def _assessment_base(request: Request) -> str:
    return f"/e/{request.path_params['id']}/y-si"


ASSESSMENT = Place(load=load, base=_assessment_base, report=lambda r: f"/e/{r.path_params['id']}/informe",
                   create="nueva")


async def page_of_assessment(request: Request) -> Response:
    return await what_if_page(request, ASSESSMENT)


async def start_from(request: Request) -> Response:
    """A new assessment from the changed answers (the button under a what-if); the original stays as it was."""
    form = await checked_form(request)

    def work() -> str:
        stored, answers, questionnaire = load(request)
        wanted = asked(form, questionnaire)
        if wanted.errors:
            raise ValidationError([Problem(text) for text in wanted.errors.values()])
        new = changed(answers, questionnaire, wanted.changes)
        new.date = None  # a new assessment is dated the day it starts
        return store_of(request).create(questionnaire.id, answer_files.to_stored(answer_files.dated(new),
                                                                                 questionnaire))

    try:
        ident = await in_thread(request, work)
    except AdvisorError as error:
        raise Refused(422, " ".join(describe(p, with_file=False) for p in error.problems)) from None
    return see_other(f"/e/{ident}/informe")


# --- the API ------------------------------------------------------------------------------


async def api_what_if(request: Request) -> Response:
    """``POST /api/evaluaciones/{id}/y-si`` with ``{"cambios": {clave: valor}}``: the what-if as JSON."""
    body = await request.body()
    expected = _('{"cambios": {"recursos.ori": "responsable"}}; «No sé» es "__no_sabe__" y sin respuesta '
                 '"__sin_respuesta__"')

    def work() -> Response:
        stored: Stored | None = store_of(request).get(request.path_params["id"])
        if stored is None:
            raise Refused(404, _("no existe una evaluación con ese identificador"))
        try:
            data = json_object(body, {"cambios"}, expected)
            changes = data.get("cambios")
            if not isinstance(changes, dict) or not changes:
                raise ValidationError(Problem(_("falta «cambios», o no es un objeto con al menos un cambio"),
                                              key="cambios", expected=expected))
        except AdvisorError as error:
            return problems(error, 400)
        try:
            outcome = run(request, stored, {key: unspelled(value) for key, value in changes.items()})
        except AdvisorError as error:
            return problems(error, 422)
        return document(outcome.diff.model_dump(mode="json"))

    return await in_thread(request, work)

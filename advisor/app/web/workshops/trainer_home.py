"""A trainer's workshops page (``/talleres``): the workshops this browser
runs, and the form that creates one."""

from __future__ import annotations

from functools import partial

from starlette.requests import Request
from starlette.responses import Response

from ....errors import AdvisorError
from ....i18n import N_
from ...messages import describe
from .. import answer_files
from ..http import drafts
from ..http.forms import expired_text, read_form
from ..http.rendering import page, see_other
from ..http.request import in_thread, workshops_of
from ..http.security import CSRF_FIELD, csrf_ok
from ..storage.workshops import CAPACITY, MOST_CAPACITY, Workshop
from . import results, trainer_auth
from .checks import capacity, checked


async def trainer_home(request: Request) -> Response:
    """The list and the form; after a refused new workshop, with why and what was typed (until one is made)."""
    chain = trainer_auth.keychain(request)
    draft = drafts.take(request, None, kinds=(drafts.NEW_WORKSHOP,))

    def work() -> tuple[list[tuple[Workshop, int]], list[tuple[str, str]], list[tuple[str, str]]]:
        store = workshops_of(request)
        found = [w for w in store.many(list(chain)) if trainer_auth.page_allowed(request, w)]
        earlier = [(w, store.count(w.code)) for w in found]
        names = results.case_names()
        questionnaires = sorted(answer_files.bundle().questionnaires.values(),
                                key=lambda q: (q.id != "diagnostico", q.title))
        return earlier, names, [(q.id, q.title) for q in questionnaires]

    earlier, cases, questionnaires = await in_thread(request, work)
    # After «Borrar el taller»: said only when the database shows it gone (the address alone proves nothing).
    asked = request.query_params.get("borrado", "")[:12]
    deleted = asked if asked and await in_thread(request, lambda: workshops_of(request).removed(asked)) == "taller" \
        else None
    return page(request, "talleres.html.j2", draft.status if draft else 200, title=N_("Talleres"), earlier=earlier,
                cases=cases, questionnaires=questionnaires, errors=draft.messages() if draft else [],
                typed=draft.typed() if draft else {}, capacity=CAPACITY, deleted=deleted,
                most_capacity=MOST_CAPACITY)


def _texts(error: AdvisorError) -> list[str]:
    return [describe(p, with_file=False) for p in error.problems]


def _back(status: int, texts: list[str], typed: dict[str, str]) -> Response:
    return drafts.bounce("/talleres#problemas", drafts.NEW_WORKSHOP, status, texts, typed)


async def create(request: Request) -> Response:
    form = await read_form(request)
    typed = {key: str(form.get(key, ""))[:300] for key in ("nombre", "cuestionario", "referencia", "cupo")}
    if not csrf_ok(request, form.get(CSRF_FIELD)):
        return _back(403, [expired_text(request)], typed)

    def work() -> tuple[Workshop, str]:
        name, questionnaire, reference = checked(typed["nombre"], typed["cuestionario"] or "diagnostico",
                                                 typed["referencia"] or None)
        return workshops_of(request).create(name, questionnaire, reference, capacity(typed["cupo"] or CAPACITY))

    try:
        workshop, token = await in_thread(request, work)
    except AdvisorError as error:
        texts = await in_thread(request, partial(_texts, error))
        return _back(422, texts, typed)
    response = drafts.done(see_other(f"/taller/{workshop.code}/docente"))
    trainer_auth.remember(request, response, workshop.code, token)
    return response

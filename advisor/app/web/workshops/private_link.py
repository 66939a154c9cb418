"""A trainer's private link opened in a browser: it asks before adding the
workshop to «Sus talleres» (a link from another site must not add one), and
the list never pushes out a workshop the trainer still has to make room."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from ....i18n import N_, _
from ....io import translations
from ..http import drafts
from ..http.errors import Refused
from ..http.forms import expired_text, read_form
from ..http.rendering import page, see_other
from ..http.request import in_thread, language, workshops_of
from ..http.security import CSRF_FIELD, csrf_ok
from ..storage.workshops import Workshop
from . import trainer_auth as trainer


async def confirm(request: Request, workshop: Workshop, token: str) -> Response:
    """The question, or the class at once when this browser already holds the workshop."""
    if trainer.keychain(request).get(workshop.code) == token:
        return see_other(f"/taller/{workshop.code}/docente")
    return page(request, "taller_recordar.html.j2", title=N_("Agregar el taller a Sus talleres"), workshop=workshop,
                token=token)


async def remember(request: Request) -> Response:
    form = await read_form(request)
    token = str(form.get("token", ""))
    # Refused, back to the question (which shows why): a reload never sends it again.
    back = f"/taller/{quote(request.path_params['code'], safe='')}/docente?token={quote(token[:100], safe='')}"
    if not csrf_ok(request, form.get(CSRF_FIELD)):
        raise Refused(403, expired_text(request), back=back)
    store = workshops_of(request)
    workshop = await in_thread(request, lambda: store.get(request.path_params["code"]))
    lang = language(request)
    if workshop is None or not trainer.token_ok(workshop, token):
        with translations.speaking(lang):
            raise Refused(404, _("el enlace privado no corresponde a ningún taller: pídale el enlace a quien "
                                 "creó el taller"), back=back)
    chain = trainer.keychain(request)
    alive = await in_thread(request, lambda: {w.code for w in store.many(list(chain))
                                              if trainer.token_ok(w, chain.get(w.code))})
    response = see_other(f"/taller/{workshop.code}/docente")
    if not trainer.remember(request, response, workshop.code, token, alive=alive):
        with translations.speaking(lang):
            raise Refused(409, _("«Sus talleres» ya tiene {n} talleres en este navegador y no se quita "
                                 "ninguno para hacer lugar: borre uno que ya no use, o abra este en otro "
                                 "navegador", n=trainer.KEEP), back=back)
    return drafts.done(response)


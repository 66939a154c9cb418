"""A page's form as the app reads it: within its limits, and only when the
CSRF check passes (security.csrf_ok)."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request

from ....i18n import _
from ....io import translations
from .errors import Refused
from .request import language
from .security import CSRF_FIELD, csrf_ok


async def read_form(request: Request) -> FormData:
    return await request.form(max_files=1, max_fields=400)


async def checked_form(request: Request) -> FormData:
    """The form, or Refused (403) when it expired or came from another site."""
    form = await read_form(request)
    if not csrf_ok(request, form.get(CSRF_FIELD)):
        with translations.speaking(language(request)):
            raise Refused(403, _("el formulario venció o llegó de otro sitio: vuelva a cargar la página e "
                                 "inténtelo de nuevo"))
    return form

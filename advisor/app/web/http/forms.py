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


def expired_text(request: Request) -> str:
    with translations.speaking(language(request)):
        return _("el formulario venció o llegó de otro sitio: vuelva a cargar la página e inténtelo de nuevo")


async def checked_form(request: Request, back: str | None = None) -> FormData:
    """The form, or Refused (403) when it expired or came from another site
    (going ``back`` to that page, which says so, when given)."""
    form = await read_form(request)
    if not csrf_ok(request, form.get(CSRF_FIELD)):
        raise Refused(403, expired_text(request), back=back)
    return form

"""What every request handler needs: the stores, the language, and a way to
run blocking work (the database, the inference, rendering) off the event
loop, in the request's language."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from .... import i18n
from ....errors import Problem, ValidationError
from ....i18n import _
from ....io import translations
from ..storage.assessments import Store
from ..storage.workshops import Workshops

T = TypeVar("T")
LANG_COOKIE = "idioma"


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def workshops_of(request: Request) -> Workshops:
    workshops: Workshops = request.app.state.workshops
    return workshops


def language(request: Request) -> str:
    """Pages speak the language the switch chose (a cookie), Spanish by default;
    the API always speaks Spanish, as `advisor report` does by default."""
    if request.url.path.startswith("/api/"):
        return i18n.DEFAULT
    chosen = request.cookies.get(LANG_COOKIE)
    return chosen if chosen in i18n.LANGUAGES else i18n.DEFAULT


def json_object(body: bytes, fields: set[str], expected: str, key_limit: int | None = None) -> dict[str, Any]:
    """An API request's body as a JSON object of ``fields`` at most, or
    ValidationError saying what was ``expected`` (an unknown key named, cut to ``key_limit``)."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ValidationError(Problem(_("el cuerpo no es JSON válido"), expected=expected)) from None
    if not isinstance(data, dict):
        raise ValidationError(Problem(_("el cuerpo no es un objeto JSON"), expected=expected))
    unknown = sorted(set(data) - fields)
    if unknown:
        raise ValidationError(Problem(_("la clave no existe en este formato"), key=str(unknown[0])[:key_limit],
                                      expected=expected))
    return data


async def in_thread(request: Request, work: Callable[[], T]) -> T:
    lang = language(request)

    def run() -> Any:
        with translations.speaking(lang):
            return work()

    result: T = await run_in_threadpool(run)
    return result

"""What every request handler needs: the store, the language, and a way to
run blocking work (the database, the inference, rendering) off the event
loop, in the request's language."""

from __future__ import annotations

from typing import Any, Callable, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from ... import i18n
from ...io import translations
from .store import Store

T = TypeVar("T")
LANG_COOKIE = "idioma"


def store_of(request: Request) -> Store:
    return request.app.state.store


def language(request: Request) -> str:
    """Pages speak the language the switch chose (a cookie), Spanish by default;
    the API always speaks Spanish, as `advisor report` does by default."""
    if request.url.path.startswith("/api/"):
        return i18n.DEFAULT
    chosen = request.cookies.get(LANG_COOKIE)
    return chosen if chosen in i18n.LANGUAGES else i18n.DEFAULT


async def in_thread(request: Request, work: Callable[[], T]) -> T:
    lang = language(request)

    def run() -> Any:
        with translations.speaking(lang):
            return work()

    return await run_in_threadpool(run)

"""What every request handler needs: the stores, the language, and a way to
run blocking work (the database, the inference, rendering) off the event
loop, in the request's language: most on the thread pool, a class's writes
(answers saved, participants joining) on the app's own writing threads."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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


def results_apart(request: Request) -> bool:
    """Whether participants' results are worked out in a process of their own (``advisor serve``)."""
    return bool(request.app.state.results_apart)


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
    result: T = await run_in_threadpool(_speaking(request, work))
    return result


async def writing(request: Request, work: Callable[[], T]) -> T:
    """Run a class's write (an answer saved, a participant joining) on the
    app's writing threads (``writers``), in the request's language."""
    executor: ThreadPoolExecutor = request.app.state.writers
    result: T = await asyncio.get_running_loop().run_in_executor(executor, _speaking(request, work))
    return result


def writers(dialect: str) -> ThreadPoolExecutor:
    """The threads a class's writes run on. SQLite takes one writer at a time:
    spread over the pool's forty threads, 200 participants' saves took turns on
    the interpreter as well as on the database, and each cost about a fifth
    more CPU (p95 of a save 371 ms against 149-250 ms on one thread,
    benchmarks/workshop_load.py). PostgreSQL writes rows side by side: a few."""
    return ThreadPoolExecutor(max_workers=1 if dialect == "sqlite" else 4, thread_name_prefix="advisor-writes")


def _speaking(request: Request, work: Callable[[], T]) -> Callable[[], T]:
    lang = language(request)

    def run() -> T:
        with translations.speaking(lang):
            return work()

    return run

"""Rate limits per client address: how many assessments and workshops one
address creates, how often it joins a workshop, and how many workshop codes
it gets wrong (so that guessing one is impractical). The counts are in the
database, in fixed windows, so every server process sharing it enforces the
same limits; a client over one gets 429 with ``Retry-After`` (CONTRACT §6)."""

from __future__ import annotations

import functools
import logging
import math
import re
import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ....i18n import _
from ....io import translations
from ..storage.bounds import MAX_STORED
from ..storage.database import DAY, insert, rate_counts
from .errors import refusal
from .guard import REFUSALS
from .request import language

log = logging.getLogger("advisor.app.web")


@dataclass(frozen=True)
class Limit:
    """At most ``most`` in each window of ``seconds``."""

    seconds: int
    most: int


#: What one address may do. A class behind one address (a school's NAT) joins
#: well under «unirse»; a workshop code of 8 characters from 31 is one of
#: 852 billion, and 100 wrong codes a day per address find one of a thousand
#: open workshops once in about 8.5 million days.
LIMITS: dict[str, tuple[Limit, ...]] = {
    "evaluacion": (Limit(600, 30), Limit(DAY, 200)),
    "taller": (Limit(600, 10), Limit(DAY, 50)),
    "unirse": (Limit(600, 150), Limit(DAY, 600)),
    "codigo": (Limit(600, 20), Limit(DAY, 100)),
}

#: How often, in seconds, one process clears the counts of windows long past.
SWEEP_SECONDS = 600

#: Requests that count, by method and path.
_COUNTED = [
    ("POST", re.compile(r"^/(api/evaluaciones|evaluaciones|subir|seguimiento|e/[^/]+/seguimiento|e/[^/]+/y-si/nueva)$"),
     "evaluacion"),
    ("POST", re.compile(r"^/(api/talleres|talleres)$"), "taller"),
    ("POST", re.compile(r"^/(api/talleres/[^/]+/evaluaciones|taller)$"), "unirse"),
]
#: Paths naming a workshop code: a 404 there is a wrong code.
_CODE_PATHS = re.compile(r"^/(api/talleres/[^/]+|taller)(/.*)?$")


class Limiter:
    def __init__(self, engine: Engine, limits: dict[str, tuple[Limit, ...]] | None = None):
        self.engine = engine
        self.limits = LIMITS if limits is None else limits
        #: (kind, client) → when (time.monotonic) a refusal this process found ends. A count in a
        #: window only grows, so until then the database would say the same: a flood of refused
        #: requests is answered without a write transaction each (which SQLite serialises with
        #: every answer save). The database stays the record; another process finds it there.
        self.refused: dict[tuple[str, str], float] = {}
        #: When (time.time) this process last cleared the windows long past.
        self.swept = 0

    def take(self, kind: str, client: str, count: bool = True) -> int | None:
        """Count one more ``kind`` for ``client`` (unless ``count`` is false);
        None if it is within the limits, else the seconds until it is again."""
        key, ticking = (kind, client[:64]), time.monotonic()
        until = self.refused.get(key, 0.0)
        if until > ticking:
            return max(1, math.ceil(until - ticking))
        wait = self._take(kind, client, count)
        if wait:
            if len(self.refused) > 10_000:  # forget the refusals that ended (all, if that is not enough: a memo)
                self.refused = {k: end for k, end in self.refused.items() if end > ticking}
                if len(self.refused) > 10_000:
                    self.refused = {}
            self.refused[key] = ticking + wait
        return wait

    def _take(self, kind: str, client: str, count: bool) -> int | None:
        now = int(time.time())
        wait = 0
        with self.engine.begin() as connection:
            statements = _statements(connection.dialect.name)
            for limit in self.limits.get(kind, ()):
                bucket = now - now % limit.seconds
                key = {"kind": f"{kind}:{limit.seconds}", "client": client[:64], "bucket": bucket}
                if count:
                    connection.execute(statements.increment, key)
                done = connection.execute(statements.count, key).scalar()
                if (done or 0) > limit.most - (0 if count else 1):
                    wait = max(wait, bucket + limit.seconds - now)
            if count and now - self.swept > SWEEP_SECONDS:
                # Clear the windows long past (a cheap delete, on an index), now and then.
                self.swept = now
                connection.execute(statements.sweep, {"before": now - 2 * DAY - now % DAY})
        return wait or None


@dataclass(frozen=True)
class _Statements:
    increment: sa.Executable
    count: sa.Executable
    sweep: sa.Executable


@functools.cache
def _statements(dialect: str) -> _Statements:
    """The limiter's statements, built once per dialect: one built per request
    cost more than the database takes to run it."""
    key: dict[str, Any] = {name: sa.bindparam(name) for name in ("kind", "client", "bucket")}
    # One more in this window, atomically in every process (an upsert, in both SQLite and PostgreSQL).
    upsert = insert(dialect, rate_counts).values(**key, count=1)
    return _Statements(
        increment=upsert.on_conflict_do_update(index_elements=["kind", "client", "bucket"],
                                               set_={"count": rate_counts.c.count + 1}),
        count=sa.select(rate_counts.c.count).where(*(getattr(rate_counts.c, name) == value
                                                     for name, value in key.items())),
        sweep=rate_counts.delete().where(rate_counts.c.bucket < sa.bindparam("before")))


async def too_big(request: Request, exc: Exception) -> Response:
    lang = language(request)
    with translations.speaking(lang):
        text = _("la evaluación ocuparía {size} KiB y cada una puede ocupar como máximo {most} KiB: no se guardó; "
                 "acorte las notas o los textos largos", size=getattr(exc, "size", 0) // 1024, most=MAX_STORED // 1024)
    return refusal(request.url.path, 413, text, lang=lang, request=request)


def client_of(scope: Scope) -> str:
    """The client's address (the proxy's X-Forwarded-For when uvicorn trusts it)."""
    client = scope.get("client")
    return str(client[0]) if client else "?"


def too_many(request: Request, wait: int) -> Response:
    """The Spanish (or chosen language's) 429, for the API or a page."""
    lang = language(request)
    with translations.speaking(lang):
        minutes = max(1, -(-wait // 60))
        text = _("demasiadas solicitudes de este tipo desde su dirección: vuelva a intentarlo en {n} minutos",
                 n=minutes)
    response = refusal(request.url.path, 429, text, lang=lang, request=request)
    response.headers["retry-after"] = str(wait)
    return response


async def wrong_code(request: Request) -> None:
    """Count a workshop code that names none, typed in a form: the form is
    answered with a redirect (post/redirect/get), which the middleware does not
    read as a wrong code, and the redirect's cookie already says it."""
    try:
        await run_in_threadpool(request.app.state.limiter.take, "codigo", client_of(request.scope), True)
    except sa.exc.SQLAlchemyError:  # the database is down: the request itself will say so
        pass


async def answered_with(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> int:
    """Run ``app`` on the request; the status it answered with (for what a middleware does after)."""
    status = 0

    async def watch(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        await send(message)

    await app(scope, receive, watch)
    return status


class LimitsMiddleware:
    """Counts the requests that create or join, and the wrong workshop codes, per address."""

    def __init__(self, app: ASGIApp, limiter: Limiter):
        self.app, self.limiter = app, limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        method, path, client = scope["method"], scope.get("path", ""), client_of(scope)
        kind = next((k for m, pattern, k in _COUNTED if m == method and pattern.match(path)), None)
        guessing = bool(_CODE_PATHS.match(path))
        wait = None
        if guessing:
            wait = await self._take("codigo", client, count=False)
        if wait is None and kind:
            wait = await self._take(kind, client)
        if wait is not None:
            REFUSALS.refused(client, f"429 {kind or 'codigo'}",
                             f"{method} {path} rechazada (429): límite de «{kind or 'codigo'}»")
            return await too_many(Request(scope), wait)(scope, receive, send)
        if not guessing:
            return await self.app(scope, receive, send)
        if await answered_with(self.app, scope, receive, send) in (404, 410):  # 410: a deleted workshop's code
            await self._take("codigo", client)

    async def _take(self, kind: str, client: str, count: bool = True) -> int | None:
        try:
            return await run_in_threadpool(self.limiter.take, kind, client, count)
        except sa.exc.SQLAlchemyError:  # the database is down: the request itself will say so
            return None

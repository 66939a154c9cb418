"""Each workshop participant's result kept up to date as they save, so the
trainer's class view and summary are a cheap aggregate of cached results
rather than a report inferred per participant when the trainer looks. The
result is computed just after the save's response went out, off the event
loop; if this process stops first, the class view infers the missing ones
itself (class_view.class_view), so nothing depends on it."""

from __future__ import annotations

import logging
import re

import anyio
import sqlalchemy as sa
from starlette.types import ASGIApp, Receive, Scope, Send

from ... import i18n
from ...errors import AdvisorError
from ...io import translations
from . import class_view
from .limits import answered_with
from .store import Store
from .workshops import Workshops

log = logging.getLogger("advisor.app.web")

#: The saves of an answer: the API's and the pages' (a section's form).
_SAVES = re.compile(r"^/(?:api/evaluaciones/([^/]+)/respuestas|e/([^/]+)/seccion/\d+)$")


class LiveResultsMiddleware:
    def __init__(self, app: ASGIApp, store: Store, workshops: Workshops):
        self.app, self.store, self.workshops = app, store, workshops
        #: One result at a time, on a thread of its own: a class saving at once
        #: must not take the threads the saves themselves wait for.
        self.one_at_a_time: anyio.CapacityLimiter | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = _SAVES.match(scope.get("path", "")) if scope["type"] == "http" else None
        if match is None or scope["method"] not in ("PUT", "POST"):
            return await self.app(scope, receive, send)
        if await answered_with(self.app, scope, receive, send) in (200, 303):
            if self.one_at_a_time is None:
                self.one_at_a_time = anyio.CapacityLimiter(1)
            await anyio.to_thread.run_sync(self.refresh, match.group(1) or match.group(2), limiter=self.one_at_a_time)

    def refresh(self, ident: str) -> None:
        """Compute and keep the result of a participant's assessment (in the class view's default language)."""
        try:
            stored = self.store.get(ident)
            if stored is None or stored.workshop is None:
                return
            with translations.speaking(i18n.DEFAULT):
                result = class_view.result_of(stored.document)
            self.workshops.keep_result(ident, stored.revision, result)
        except (AdvisorError, sa.exc.SQLAlchemyError) as exc:  # the class view will infer it when asked
            log.warning("no se pudo actualizar el resultado de un participante: %s", str(exc).splitlines()[0])

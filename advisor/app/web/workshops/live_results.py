"""Each workshop participant's result kept up to date as they save, so the
trainer's class view and summary are a cheap aggregate of cached results
rather than a report inferred per participant when the trainer looks. The
result is computed after the save's response went out, by a ``Refresher``:
in ``advisor serve`` one in a process of its own (``results_process``), in
an app made in-process (tests) on a thread. If it stops first, the class
view infers the missing ones itself (results.class_results), so nothing
depends on it."""

from __future__ import annotations

import itertools
import logging
import re
import threading
from typing import Protocol

import sqlalchemy as sa
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .... import i18n
from ....errors import AdvisorError
from ....io import translations
from ..http.limits import answered_with
from ..storage.assessments import Store
from ..storage.workshops import Workshops
from . import results


class Marks(Protocol):
    """What brings results up to date: a Refresher here, or results_process.ResultsProcess."""

    def mark(self, ident: str) -> None: ...

log = logging.getLogger("advisor.app.web")

#: The saves of an answer: the API's and the pages' (a section's form).
_SAVES = re.compile(r"^/(?:api/evaluaciones/([^/]+)/respuestas|e/([^/]+)/seccion/\d+)$")
#: Joining a workshop (the API's and the form's): the new assessment's id is in the answer's location.
_JOINS = re.compile(r"^/(?:api/talleres/[^/]+/evaluaciones|taller)$")
_JOINED = re.compile(r"^/(?:api/evaluaciones|e)/([A-Za-z0-9_-]+)(?:/seccion/1)?$")


#: Results kept in one transaction: a commit waits for the disk as long as a save does.
BATCH = 8


class LiveResultsMiddleware:
    """Marks a workshop participant's assessment as changed once a save
    answered 200 or 303, and a new participant's once they joined: sixty
    who join and never save must not leave sixty inferences to the
    trainer's next look at the class."""

    def __init__(self, app: ASGIApp, store: Store, workshops: Workshops, elsewhere: Marks | None = None):
        self.app = app
        self.refresher: Marks = elsewhere or Refresher(store, workshops)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("PUT", "POST"):
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        if scope["method"] == "POST" and _JOINS.match(path):
            return await self._joining(scope, receive, send)
        match = _SAVES.match(path)
        if match is None:
            return await self.app(scope, receive, send)
        if await answered_with(self.app, scope, receive, send) in (200, 303):
            self.refresher.mark(match.group(1) or match.group(2))

    async def _joining(self, scope: Scope, receive: Receive, send: Send) -> None:
        joined: list[str] = []

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] in (201, 303):
                location = MutableHeaders(scope=message).get("location", "")
                found = _JOINED.match(location)
                if found:
                    joined.append(found.group(1))
            await send(message)

        await self.app(scope, receive, watch)
        for ident in joined:
            self.refresher.mark(ident)


class Refresher:
    """One thread that computes the results of the assessments marked, oldest
    first, each once however often it was saved meanwhile (it reads the latest
    revision). What it has not reached when the process stops, the class view
    infers when asked: this is only a head start, not a record."""

    def __init__(self, store: Store, workshops: Workshops):
        self.store, self.workshops = store, workshops
        self.pending: dict[str, None] = {}
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.idle = threading.Event()
        self.thread: threading.Thread | None = None

    def mark(self, ident: str) -> None:
        with self.lock:
            self.pending[ident] = None
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="advisor-results", daemon=True)
                self.thread.start()
        self.wake.set()

    def _run(self) -> None:
        while True:
            self.wake.wait()
            with self.lock:
                if not self.pending:
                    self.wake.clear()
                    self.idle.set()
                    continue
                self.idle.clear()
                batch = list(itertools.islice(self.pending, BATCH))
                for ident in batch:
                    del self.pending[ident]
            try:
                self.refresh(batch)
            except Exception as exc:  # a defect: those results are inferred when asked; the next ones are kept
                log.error("no se pudieron actualizar %d resultados de participantes (%s: %s)", len(batch),
                          type(exc).__name__, str(exc).splitlines()[0] if str(exc) else "")

    def finish(self, timeout: float | None = None) -> bool:
        """Wait until every id marked so far is brought up to date (at most
        ``timeout`` seconds); whether they were."""
        with self.lock:
            if self.thread is None:
                return True
            self.idle.clear()
        self.wake.set()
        return self.idle.wait(timeout)

    def refresh(self, idents: list[str]) -> None:
        """Compute and keep the results of participants' assessments (in the class
        view's default language), kept in one transaction."""
        kept = []
        for ident in idents:
            try:
                stored = self.store.get(ident)
                if stored is None or stored.workshop is None:
                    continue
                with translations.speaking(i18n.DEFAULT):
                    kept.append((ident, stored.revision, results.result_of(stored.document)))
            except (AdvisorError, sa.exc.SQLAlchemyError) as exc:  # the class view will infer it when asked
                log.warning("no se pudo actualizar el resultado de un participante: %s", str(exc).splitlines()[0])
        try:
            if kept:
                self.workshops.keep_results(kept)
        except sa.exc.SQLAlchemyError as exc:
            log.warning("no se pudo actualizar el resultado de un participante: %s", str(exc).splitlines()[0])

"""``advisor serve``: the app on uvicorn until Ctrl-C or SIGTERM, which finish
the requests in flight and exit with 0. The address is announced (and the
browser opened) only once the server answers there."""

from __future__ import annotations

import errno
import logging
import os
import signal
import socket
import sys
import threading
import webbrowser

import sqlalchemy as sa
import uvicorn

from ...engine.base import DEFAULT_ENGINE
from ...errors import Problem, UsageError
from ...i18n import _, ngettext
from .storage import database as db, retention
from .workshops.share import ANY_HOST, base_urls, is_loopback

BACKLOG = 2048  # uvicorn's default

log = logging.getLogger("advisor.app.web")


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on ``host:port``, or a Spanish refusal naming what is
    wrong (a busy port, one that needs privileges, an address not of this machine)."""
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except (socket.gaierror, UnicodeError):
        raise _not_here(host) from None
    sock = socket.socket(family, kind, proto)
    try:
        if os.name == "posix":  # elsewhere it would let two servers share the port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(BACKLOG)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise UsageError(Problem(
                _("el puerto {port} ya está en uso: otro programa (quizás otro advisor serve) escucha en él",
                  port=port), key="--port",
                expected=_("otro puerto con --port, por ejemplo «advisor serve --port {other}», "
                           "o cerrar el programa que usa el {port}", other=_other_port(port), port=port))) from None
        if error.errno == errno.EACCES:
            raise UsageError(Problem(
                _("no tiene permiso para usar el puerto {port}", port=port), key="--port",
                expected=_("un puerto de 1024 a 65535 con --port (los menores necesitan permisos de "
                           "administrador), por ejemplo «advisor serve --port 8000»"))) from None
        if error.errno == errno.EADDRNOTAVAIL:
            raise _not_here(host) from None
        raise UsageError(Problem(
            _("no se pudo escuchar en {host}:{port} (error {code} del sistema)", host=host, port=port,
              code=error.errno), key="--port",
            expected=_("otro puerto con --port, o otra dirección con --host"))) from None
    return sock


def _not_here(host: str) -> UsageError:
    return UsageError(Problem(
        _("«{host}» no es una dirección de esta computadora", host=host), key="--host",
        expected=_("127.0.0.1 (solo esta computadora) o 0.0.0.0 (también la red local, para un taller)")))


def _other_port(port: int) -> int:
    return port + 1 if port < 65535 else 8000


class _Server(uvicorn.Server):
    """uvicorn's server, saying where it is once it accepts connections."""

    def __init__(self, config: uvicorn.Config, on_listening) -> None:
        super().__init__(config)
        self.on_listening = on_listening

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            self.on_listening()


def serve(host: str, port: int, database: str | None, keep_days: int, open_browser: bool = False,
          engine: str = DEFAULT_ENGINE) -> int:
    from . import answer_files
    from .app import create_app
    from .http.guard import protocol_class

    answer_files.use_engine(engine)  # refuses an engine that is not installed, before anything starts
    url = db.database_url(database)
    shared = base_urls(host, port)
    # Results apart where a child process can be fed through a non-blocking pipe (POSIX); elsewhere on a thread.
    app = create_app(url, shared, results_apart=os.name == "posix")  # refuses a database it cannot open, first
    held = held_line(app.state.store.engine, keep_days)
    sock = listen(host, port)
    shown_host = f"[{host}]" if ":" in host else host
    if host in ANY_HOST:
        shown_host = "127.0.0.1"
    local = f"http://{shown_host}:{port}/"

    def announce() -> None:
        print(_("Base de datos: {db}", db=db.shown(url)), flush=True)
        print(held, flush=True)
        print(_("advisor está en {url} (ábralo en el navegador; Ctrl-C para terminar)", url=local), flush=True)
        for address in shared:
            print(_("En la red local (para los participantes de un taller): {url}/", url=address), flush=True)
        if is_loopback(host):
            print(_("Solo esta computadora puede abrirlo. Para un taller, con los teléfonos de la sala: "
                    "advisor serve --host 0.0.0.0"), flush=True)
        if open_browser:
            # A browser command may wait for the window it opens: never on the server's loop.
            threading.Thread(target=webbrowser.open, args=(local,), daemon=True).start()

    # No access log: a trainer's private link carries the workshop's token. The
    # guarded protocol closes slow clients and caps connections (http/guard.py).
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=10,
                            server_header=False, proxy_headers=True, access_log=False, backlog=BACKLOG,
                            http=protocol_class())
    server = _Server(config, announce)
    keeper = retention_task(app.state.store.engine, keep_days)
    # uvicorn finishes the requests in flight on SIGINT or SIGTERM, then raises
    # the signal again for the handlers it found: make those do nothing, so
    # that stopping the server is a normal end (exit code 0).
    handled = (signal.SIGINT, signal.SIGTERM)
    before = {sig: signal.signal(sig, lambda *_args: None) for sig in handled}
    # A class's answer saves wait on the database; a trainer's summary infers
    # for seconds in Python. With the default 5 ms switch interval, each wait of
    # a save could cost it 5 ms more to get the interpreter back: p95 of a save
    # at 40 participants was 93-237 ms on PostgreSQL, 15 ms with 1 ms
    # (benchmarks/workshop_load.py, docs/performance.md). Only while serving.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.001)
    try:
        server.run(sockets=[sock])
    finally:
        sys.setswitchinterval(interval)
        keeper.set()
        sock.close()
        for sig, handler in before.items():
            signal.signal(sig, handler)
    print(_("advisor terminó."), file=sys.stderr, flush=True)
    return 0


def held_line(engine, keep_days: int) -> str:
    """How much the database holds and how long it keeps what nobody changes, said at start."""
    held = retention.size(engine)
    return _("Ocupa {mb} MB: {n} evaluaciones, {w} talleres; se borra lo que nadie cambió en {days} días "
             "(--keep-days).", mb=retention.megabytes(held.bytes), n=held.assessments, w=held.workshops, days=keep_days)


def retention_task(engine, keep_days: int) -> threading.Event:
    """Remove what expired now and every few hours, in a thread of its own
    until the returned event is set."""
    stop = threading.Event()

    def run() -> None:
        while True:
            try:
                gone = retention.purge(engine, keep_days)
                if gone.assessments or gone.workshops:
                    log.warning("se borraron %d evaluaciones y %d talleres sin cambios en %d días",
                                gone.assessments, gone.workshops, keep_days)
            except sa.exc.SQLAlchemyError as exc:  # the database is down for now: try again later
                log.warning("no se pudo borrar lo vencido: %s", str(exc).splitlines()[0])
            if stop.wait(retention.EVERY):
                return

    threading.Thread(target=run, name="advisor-retention", daemon=True).start()
    return stop


def purge(database: str | None, keep_days: int) -> int:
    """``advisor purge``: remove what expired, and say what and how much is left."""
    url = db.database_url(database)
    engine = db.create(url)
    try:
        db.migrate(engine)
        gone = retention.purge(engine, keep_days)
        held = retention.size(engine)
    except sa.exc.OperationalError as exc:
        raise UsageError(Problem(_("no se pudo abrir la base de datos ({reason})", reason=db.reason(exc)),
                                 key="--db")) from None
    finally:
        engine.dispose()
    print(_("Se borraron {assessments} y {workshops} que nadie cambió en {days}.",
            assessments=_assessments(gone.assessments),
            workshops=_workshops(gone.workshops), days=ngettext("{n} día", "{n} días", keep_days, n=keep_days)))
    print(_("Base de datos: {db}", db=db.shown(url)))
    print(_("Ocupa {mb} MB: {assessments}, {workshops}.", mb=retention.megabytes(held.bytes),
            assessments=_assessments(held.assessments), workshops=_workshops(held.workshops)))
    return 0


def _assessments(n: int) -> str:
    return ngettext("{n} evaluación", "{n} evaluaciones", n, n=n)


def _workshops(n: int) -> str:
    return ngettext("{n} taller", "{n} talleres", n, n=n)

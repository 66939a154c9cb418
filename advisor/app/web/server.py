"""``advisor serve``: the app on uvicorn until Ctrl-C or SIGTERM, which finish
the requests in flight and exit with 0."""

from __future__ import annotations

import logging
import signal
import sys
import threading

import sqlalchemy as sa

from ...errors import Problem, UsageError
from ...i18n import _
from . import db

log = logging.getLogger("advisor.app.web")


def serve(host: str, port: int, database: str | None, keep_days: int) -> int:
    import uvicorn

    # A class's answer saves wait on the database; a trainer's summary infers
    # for seconds in Python. With the default 5 ms switch interval, each wait of
    # a save could cost it 5 ms more to get the interpreter back: p95 of a save
    # at 40 participants was 93-237 ms on PostgreSQL, 15 ms with 1 ms
    # (benchmarks/workshop_load.py, docs/performance.md).
    sys.setswitchinterval(0.001)

    from .app import create_app
    from .guard import protocol_class

    from .share import ANY_HOST, base_urls

    url = db.database_url(database)
    shared = base_urls(host, port)
    app = create_app(url, shared)  # refuses a database it cannot open, before printing the address
    shown_host = f"[{host}]" if ":" in host else host
    if host in ANY_HOST:
        shown_host = "127.0.0.1"
    print(_("Base de datos: {db}", db=db.shown(url)), flush=True)
    keeper = retention_task(app.state.store.engine, keep_days)
    print(_("advisor está en http://{host}:{port}/ (ábralo en el navegador; Ctrl-C para terminar)",
            host=shown_host, port=port), flush=True)
    for address in shared:
        print(_("En la red local (para los participantes de un taller): {url}/", url=address), flush=True)
    # No access log: a trainer's private link carries the workshop's token.
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=10,
                            server_header=False, proxy_headers=True, access_log=False, http=protocol_class())
    server = uvicorn.Server(config)
    # uvicorn finishes the requests in flight on SIGINT or SIGTERM, then raises
    # the signal again for the handlers it found: make those do nothing, so
    # that stopping the server is a normal end (exit code 0).
    handled = (signal.SIGINT, signal.SIGTERM)
    before = {sig: signal.signal(sig, lambda *_args: None) for sig in handled}
    try:
        server.run()
    except SystemExit:  # uvicorn's way of saying it could not start (the port is taken)
        raise UsageError(Problem(_("no se pudo abrir la dirección {host}:{port}", host=host, port=port), key="--port",
                                 expected=_("otro puerto con --port, o cerrar el programa que usa ese"))) from None
    finally:
        keeper.set()
        for sig, handler in before.items():
            signal.signal(sig, handler)
    print(_("advisor terminó."), file=sys.stderr, flush=True)
    return 0


def retention_task(engine, keep_days: int) -> threading.Event:
    """Say how much the database holds, then remove what expired now and every
    few hours, in a thread of its own until the returned event is set."""
    from . import retention

    held = retention.size(engine)
    print(_("Ocupa {mb} MB: {n} evaluaciones, {w} talleres; se borra lo que nadie cambió en {days} días "
            "(--keep-days).", mb=retention.megabytes(held.bytes), n=held.assessments, w=held.workshops, days=keep_days),
          flush=True)
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
    from . import retention

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
    print(_("Se borraron {n} evaluaciones y {w} talleres que nadie cambió en {days} días.",
            n=gone.assessments, w=gone.workshops, days=keep_days))
    print(_("Base de datos: {db}", db=db.shown(url)))
    print(_("Ocupa {mb} MB: {n} evaluaciones, {w} talleres.", mb=retention.megabytes(held.bytes), n=held.assessments,
            w=held.workshops))
    return 0

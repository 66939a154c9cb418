"""The ASGI application: the API and the pages over one store, the security
middleware, and Spanish refusals for every error."""

from __future__ import annotations

import contextlib
from pathlib import Path

import sqlalchemy as sa
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from ...kb.load import packaged_bundle
from . import api, class_pages, db, errors, pages, private_link, projection, section_pages, workshop_api, workshop_pages
from .bounds import TooBig
from .limits import Limiter, LimitsMiddleware, too_big
from .live_results import LiveResultsMiddleware
from .security import BodyTooLarge, SecurityMiddleware, server_key
from .store import Conflict, Frozen, Store
from .workshops import Workshops

STATIC = Path(__file__).with_name("static")


def create_app(url: sa.engine.URL, addresses: list[str] | None = None) -> Starlette:
    """The app on the database at ``url``, migrated to the newest schema first;
    ``addresses`` are the ones the server can be reached at on the local network
    (shown to a trainer to share with the class)."""
    engine = db.create(url)
    db.migrate(engine)
    limiter = Limiter(engine)
    store, workshops = Store(engine), Workshops(engine)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        from ...report.render import check_templates

        bundle = packaged_bundle()  # loaded and checked before the first request
        check_templates(sorted(bundle.questionnaires))
        yield
        engine.dispose()

    app = Starlette(
        routes=[*api.routes, *workshop_api.routes, *pages.routes, *section_pages.routes, *workshop_pages.routes,
                *class_pages.routes, *projection.routes, *private_link.routes,
                Mount("/static", StaticFiles(directory=str(STATIC)), name="static")],
        middleware=[Middleware(SecurityMiddleware, too_large=errors.too_large),
                    Middleware(LimitsMiddleware, limiter=limiter),
                    Middleware(LiveResultsMiddleware, store=store, workshops=workshops)],
        exception_handlers={
            HTTPException: errors.http_error,
            BodyTooLarge: errors.body_too_large,
            TooBig: too_big,
            Conflict: errors.conflict,
            Frozen: errors.frozen,
            ClientDisconnect: errors.client_gone,
            sa.exc.OperationalError: errors.database_down,
            sa.exc.InterfaceError: errors.database_down,
            Exception: errors.last_resort,
        },
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.workshops = workshops
    app.state.addresses = addresses or []
    app.state.limiter = limiter  # its limits, for tests to lower
    app.state.csrf_key = server_key(engine)
    return app

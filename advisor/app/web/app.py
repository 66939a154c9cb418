"""The ASGI application: the API and the pages over one store, the security
middleware, and Spanish refusals for every error."""

from __future__ import annotations

import contextlib
from pathlib import Path

import sqlalchemy as sa
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from ...kb.load import packaged_bundle
from . import api, db, errors, pages
from .security import BodyTooLarge, SecurityMiddleware
from .store import Conflict, Store

STATIC = Path(__file__).with_name("static")


def create_app(url: sa.engine.URL) -> Starlette:
    """The app on the database at ``url``, migrated to the newest schema first."""
    engine = db.create(url)
    db.migrate(engine)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        from ...report.render import check_templates

        bundle = packaged_bundle()  # loaded and checked before the first request
        check_templates(sorted(bundle.questionnaires))
        yield
        engine.dispose()

    app = Starlette(
        routes=[*api.routes, *pages.routes, Mount("/static", StaticFiles(directory=str(STATIC)), name="static")],
        middleware=[Middleware(SecurityMiddleware, too_large=errors.too_large)],
        exception_handlers={
            HTTPException: errors.http_error,
            BodyTooLarge: errors.body_too_large,
            Conflict: errors.conflict,
            sa.exc.OperationalError: errors.database_down,
            sa.exc.InterfaceError: errors.database_down,
            Exception: errors.last_resort,
        },
        lifespan=lifespan,
    )
    app.state.store = Store(engine)
    return app

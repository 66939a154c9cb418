"""The ASGI application: every address in one route table, the security
middleware, and Spanish refusals for every error."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import sqlalchemy as sa
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from ...kb.load import packaged_bundle
from . import answer_files
from .assessments import api, pages, section_pages, what_if
from .http import errors
from .http.limits import Limiter, LimitsMiddleware, too_big
from .http.request import writers
from .http.security import BodyTooLarge, SecurityMiddleware, server_key
from .storage import database
from .storage.assessments import Conflict, Frozen, Store
from .storage.bounds import TooBig
from .storage.workshops import Workshops
from .workshops import api as workshop_api, class_what_if, join, private_link, projection, trainer_home, trainer_pages
from .workshops.live_results import LiveResultsMiddleware
from .workshops.results_process import ResultsProcess

STATIC = Path(__file__).with_name("static")

#: Every address the app answers (CONTRACT §5 and the pages), in one place.
ROUTES: list[BaseRoute] = [
    # The assessments' API (CONTRACT §5, first table).
    Route("/api/salud", api.health, methods=["GET"]),
    Route("/api/evaluaciones", api.create, methods=["POST"]),
    Route("/api/evaluaciones/{id}", api.read, methods=["GET"]),
    Route("/api/evaluaciones/{id}/respuestas", api.put_answer, methods=["PUT"]),
    Route("/api/evaluaciones/{id}/informe", api.report, methods=["GET"]),
    Route("/api/evaluaciones/{id}/y-si", what_if.api_what_if, methods=["POST"]),
    # The workshops' API (second table).
    Route("/api/talleres", workshop_api.create, methods=["POST"]),
    Route("/api/talleres/{code}", workshop_api.delete, methods=["DELETE"]),
    Route("/api/talleres/{code}/evaluaciones", workshop_api.join, methods=["POST"]),
    Route("/api/talleres/{code}/resumen", workshop_api.summary, methods=["GET"]),
    Route("/api/talleres/{code}/resumen.csv", workshop_api.summary_file, methods=["GET"]),
    Route("/api/talleres/{code}/resumen.xlsx", workshop_api.summary_file, methods=["GET"]),
    Route("/api/talleres/{code}/memos.zip", workshop_api.summary_file, methods=["GET"]),
    Route("/api/talleres/{code}/cierre", workshop_api.close, methods=["POST"]),
    # An assessment's pages.
    Route("/", pages.home, methods=["GET"]),
    Route("/evaluaciones", pages.start, methods=["POST"]),
    Route("/subir", pages.upload, methods=["POST"]),
    Route("/seguimiento", pages.upload, methods=["POST"]),
    Route("/idioma/{lang}", pages.switch_language, methods=["GET"]),
    Route("/e/{id}/revision", pages.review, methods=["GET"]),
    Route("/e/{id}/informe", pages.report_page, methods=["GET"]),
    Route("/e/{id}/comparacion", pages.comparison_page, methods=["GET"]),
    Route("/e/{id}/y-si", what_if.page_of_assessment, methods=["GET"]),
    Route("/e/{id}/y-si/nueva", what_if.start_from, methods=["POST"]),
    Route("/e/{id}/descargas/{name}", pages.download, methods=["GET"]),
    Route("/e/{id}/seguimiento", pages.follow_up, methods=["POST"]),
    Route("/e/{id}", section_pages.resume, methods=["GET"], name="resume"),
    Route("/e/{id}/seccion/{n}", section_pages.section, methods=["GET"]),
    Route("/e/{id}/seccion/{n}", section_pages.save_section, methods=["POST"]),
    # A workshop's participants and its trainer's list.
    Route("/taller", join.join_form, methods=["GET"]),
    Route("/taller", join.join, methods=["POST"]),
    Route("/taller/{code}", join.join_form, methods=["GET"]),
    Route("/taller/{code}/qr.svg", join.qr, methods=["GET"]),
    Route("/talleres", trainer_home.trainer_home, methods=["GET"]),
    Route("/talleres", trainer_home.create, methods=["POST"]),
    # A workshop's trainer pages.
    Route("/taller/{code}/docente", trainer_pages.class_page, methods=["GET"]),
    Route("/taller/{code}/docente/clase", trainer_pages.class_part, methods=["GET"]),
    Route("/taller/{code}/docente/descargas/{name}", trainer_pages.download, methods=["GET"]),
    Route("/taller/{code}/docente/participantes/{id}", trainer_pages.participant_report, methods=["GET"]),
    Route("/taller/{code}/docente/participantes/{id}/comparacion", trainer_pages.comparison, methods=["GET"]),
    Route("/taller/{code}/docente/participantes/{id}/y-si", trainer_pages.participant_what_if, methods=["GET"]),
    Route("/taller/{code}/docente/y-si", class_what_if.class_what_if, methods=["GET"]),
    Route("/taller/{code}/docente/referencia/y-si", trainer_pages.reference_what_if, methods=["GET"]),
    Route("/taller/{code}/docente/cerrar", trainer_pages.close, methods=["POST"]),
    Route("/taller/{code}/docente/reabrir", trainer_pages.reopen, methods=["POST"]),
    Route("/taller/{code}/docente/participantes/{id}/quitar", trainer_pages.remove_confirm, methods=["GET"]),
    Route("/taller/{code}/docente/participantes/{id}/quitar", trainer_pages.remove, methods=["POST"]),
    Route("/taller/{code}/docente/borrar", trainer_pages.delete_confirm, methods=["GET"]),
    Route("/taller/{code}/docente/borrar", trainer_pages.delete, methods=["POST"]),
    Route("/taller/{code}/docente/proyeccion", projection.projection, methods=["GET"]),
    Route("/taller/{code}/docente/proyeccion/clase", projection.projection_part, methods=["GET"]),
    Route("/taller/{code}/docente/recordar", private_link.remember, methods=["POST"]),
    Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
]


def create_app(url: sa.engine.URL, addresses: list[str] | None = None, results_apart: bool = False) -> Starlette:
    """The app on the database at ``url``, migrated to the newest schema first;
    ``addresses`` are the ones the server can be reached at on the local network
    (shown to a trainer to share with the class). With ``results_apart``,
    participants' results are worked out in a process of their own (``advisor serve``)."""
    engine = database.create(url)
    database.migrate(engine)
    limiter = Limiter(engine)
    store, workshops = Store(engine), Workshops(engine)
    apart = (ResultsProcess(url.render_as_string(hide_password=False), answer_files.engine_name())
             if results_apart else None)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        from ...report.templates import check_templates

        bundle = packaged_bundle()  # loaded and checked before the first request
        check_templates(sorted(bundle.questionnaires))
        yield
        if apart is not None:
            apart.stop()
        app.state.writers.shutdown()  # the writes in flight end; another start gets threads anew
        app.state.writers = writers(engine.dialect.name)
        engine.dispose()

    app = Starlette(
        routes=ROUTES,
        middleware=[Middleware(SecurityMiddleware, too_large=errors.too_large),
                    Middleware(LimitsMiddleware, limiter=limiter),
                    Middleware(LiveResultsMiddleware, store=store, workshops=workshops, elsewhere=apart)],
        exception_handlers={
            errors.Refused: errors.refused,
            errors.NoAssessment: errors.no_assessment,
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
    app.state.results_apart = apart is not None  # the live views leave changed results to that process
    app.state.addresses = addresses or []
    app.state.limiter = limiter  # its limits, for tests to lower
    app.state.writers = writers(engine.dialect.name)
    app.state.csrf_key = server_key(engine)
    return app

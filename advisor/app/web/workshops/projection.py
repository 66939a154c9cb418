"""The workshop projected in the room: the code and a large QR to join, how
many joined and finished, and each pillar's levels across the class as a bar
that fills as answers arrive (static/taller.js swaps in the live part).
Names are shown only when the trainer asks (``?nombres=1``)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ....i18n import N_
from ....report.workshop_summary import LEVELS
from ..http.rendering import page
from ..http.request import in_thread, results_apart, workshops_of
from ..storage.workshops import Workshop
from . import results, share
from .trainer_pages import REFRESH, live_part, trainer_workshop


def _values(request: Request, workshop: Workshop) -> dict[str, Any]:
    view = results.class_results(workshops_of(request), workshop, results.live_budget(results_apart(request)))
    names = request.query_params.get("nombres") == "1"
    pillars = []
    for pid, entry in view.pillars().items():
        total = sum(entry["niveles"].values()) or 1
        x, parts = 0.0, []
        for level in LEVELS:
            width = 100 * entry["niveles"][level] / total
            parts.append({"level": level, "count": entry["niveles"][level], "x": round(x, 2), "width": round(width, 2)})
            x += width
        pillars.append({"id": pid, "titulo": entry["titulo"], "parts": parts})
    return dict(workshop=workshop, view=view, pillars=pillars, refresh=REFRESH, names=names,
                people=[row.participant.name for row in view.rows if row.participant.name],
                source=f"/taller/{workshop.code}/docente/proyeccion/clase" + ("?nombres=1" if names else ""))


async def projection(request: Request) -> Response:
    workshop = await trainer_workshop(request)
    values = await in_thread(request, lambda: dict(_values(request, workshop),
                                                   **share.room_address(request, workshop.code)))
    return page(request, "taller_proyeccion.html.j2", title=N_("Taller en la sala"), **values)


async def projection_part(request: Request) -> Response:
    return await live_part(request, "_proyeccion.html.j2", _values)


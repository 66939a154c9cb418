"""Progress between two assessments of the same questionnaire: what went up or
down, which advice was resolved, which is new and which is still open; and the
models of what moves along the guide's path between two reports (``WhatIf``,
filled in by ``report.whatif``)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ..errors import Problem, UsageError
from ..i18n import _
from ..model.vocabulary import IDEA_STATES, PILLAR_LEVELS, IdeaState, PillarLevel
from .model import Profile, Recommendation, Report

#: Pillar levels and idea states from worst to best, for the direction of a change.
PILLAR_ORDER = PILLAR_LEVELS
IDEA_ORDER = tuple(reversed(IDEA_STATES))

Direction = Literal["sube", "baja", "igual"]


class _Model(BaseModel):
    # Built on first use, as the report's models (report/model.py).
    model_config = ConfigDict(extra="forbid", defer_build=True)


class PillarChange(_Model):
    id: str
    titulo: str
    antes: PillarLevel
    despues: PillarLevel
    cambio: Direction


class IdeaChange(_Model):
    id: str
    titulo: str
    antes: IdeaState
    despues: IdeaState
    cambio: Direction


class LevelChange(_Model):
    """A criterion, step or aspect of a checklist whose level changed."""

    id: str
    titulo: str
    antes: str
    despues: str


class OutcomeChange(_Model):
    hecho: str
    antes: str | None
    despues: str | None
    texto_antes: str | None
    texto_despues: str | None


class RecommendationBrief(_Model):
    """A recommendation, as much of it as a progress report needs to name it."""

    id: str
    titulo: str
    prioridad: int
    ref: str

    @classmethod
    def of(cls, rec: Recommendation) -> RecommendationBrief:
        return cls(id=rec.id, titulo=rec.titulo, prioridad=rec.prioridad, ref=rec.fuente.ref)


class RecommendationChanges(_Model):
    resueltas: list[RecommendationBrief]
    nuevas: list[RecommendationBrief]
    pendientes: list[RecommendationBrief]


#: How a step of the plan or of «Después» changed place.
Move = Literal["aparece", "sale", "sube", "baja"]
#: Where a step that left a list went: the other list, met, the rest of the report, or no longer given.
Whereabouts = Literal["plan", "despues", "cumplido", "resto", "no_se_da"]


class AnswerChange(_Model):
    """One answer changed, as the user reads it before and after."""

    clave: str
    pregunta: str
    antes: str
    despues: str


class StageChange(_Model):
    id: str
    titulo: str
    antes: str
    despues: str


class StepChange(_Model):
    """A step that appears in, leaves or moves within the plan or «Después»."""

    id: str
    titulo: str
    cambio: Move
    antes: int | None  # 1-based place before; None when it was not in the list
    despues: int | None
    ahora: Whereabouts | None = None  # where a step that left the list went
    porque: list[str]  # its «Por qué» in the changed report ([] when it is no longer given)


class InReach(_Model):
    """A network to join or a funding source the changed answers bring within reach (or take out of it)."""

    id: str
    titulo: str
    tipo: Literal["red", "fuente"]


class Counts(_Model):
    antes: int
    despues: int


class WhatIf(_Model):
    """What changes from one report to the report of the changed answers."""

    cuestionario: str
    nombre: str
    cambios: list[AnswerChange]
    pilares: list[PillarChange]
    ideas: list[IdeaChange]
    ideas_cumplidas: Counts
    etapas: list[StageChange]
    etapas_completas: Counts
    niveles: list[LevelChange] = []  # the other questionnaires' criteria or steps whose level changed
    resultado: OutcomeChange | None = None  # their outcome, when it changes
    plan: list[StepChange]
    despues: list[StepChange]
    al_alcance: list[InReach]
    fuera_de_alcance: list[InReach]

    @property
    def nothing(self) -> bool:
        """Whether the change leaves the report's plan, levels and stages as they were."""
        return not (self.niveles or self.resultado or self.pilares or self.ideas or self.etapas or self.plan
                    or self.despues
                    or self.al_alcance or self.fuera_de_alcance)


class Comparison(_Model):
    """The progress report of a government between a base assessment and a follow-up."""

    cuestionario: str
    titulo: str
    asunto: str | None
    perfil: Profile
    nombre_base: str
    fecha_base: dt.date
    fecha_seguimiento: dt.date
    versiones: dict[str, str]
    pilares: list[PillarChange]
    ideas: list[IdeaChange]
    niveles: list[LevelChange]
    resultado: OutcomeChange | None
    recomendaciones: RecommendationChanges
    camino: WhatIf | None = None  # the stages, plan and «Después» that moved (report.whatif), for `advisor compare`


def _direction(order: tuple[str, ...], before: str, after: str) -> Direction:
    step = order.index(after) - order.index(before)
    return "sube" if step > 0 else "baja" if step < 0 else "igual"


def level_changes(base: Report, followup: Report) -> list[LevelChange]:
    """The criteria, steps or aspects whose level changed."""
    before = {level.id: level for level in base.niveles}
    return [LevelChange(id=level.id, titulo=level.titulo, antes=before[level.id].nivel, despues=level.nivel)
            for level in followup.niveles if level.id in before and before[level.id].nivel != level.nivel]


def outcome_change(base: Report, followup: Report) -> OutcomeChange | None:
    """The outcome before and after, for the questionnaires that decide something."""
    if not (base.resultado or followup.resultado):
        return None
    return OutcomeChange(
        hecho=(followup.resultado or base.resultado).hecho,  # type: ignore[union-attr]
        antes=base.resultado.valor if base.resultado else None,
        despues=followup.resultado.valor if followup.resultado else None,
        texto_antes=base.resultado.texto if base.resultado else None,
        texto_despues=followup.resultado.texto if followup.resultado else None,
    )


def compare(base: Report, followup: Report, files: tuple[str, str] | None = None) -> Comparison:
    """What changed from ``base`` to ``followup``; ``files`` name them in the error
    raised when they answer different questionnaires."""
    if base.cuestionario != followup.cuestionario:
        first, second = files or (_("la evaluación de base"), _("el seguimiento"))
        raise UsageError(Problem(
            _("los archivos son de cuestionarios distintos: «{first}» es de «{a}» y «{second}» de «{b}»",
              first=first, a=base.cuestionario, second=second, b=followup.cuestionario),
            expected=_("dos archivos de respuestas del mismo cuestionario"),
        ))
    pillars = [
        PillarChange(id=pid, titulo=after.titulo, antes=base.pilares[pid].nivel, despues=after.nivel,
                    cambio=_direction(PILLAR_ORDER, base.pilares[pid].nivel, after.nivel))
        for pid, after in followup.pilares.items() if pid in base.pilares
    ]
    before_ideas = {idea.id: idea for idea in base.ideas}
    ideas = [
        IdeaChange(id=idea.id, titulo=idea.titulo, antes=before_ideas[idea.id].estado, despues=idea.estado,
                   cambio=_direction(IDEA_ORDER, before_ideas[idea.id].estado, idea.estado))
        for idea in followup.ideas
        if idea.id in before_ideas and before_ideas[idea.id].estado != idea.estado
    ]
    levels, outcome = level_changes(base, followup), outcome_change(base, followup)
    # Advice the answers show met is resolved, even where its rule still speaks.
    before_recs = {rec.id: rec for rec in base.to_do()}
    after_recs = {rec.id: rec for rec in followup.to_do()}

    def listed(recs: dict[str, Recommendation], keep) -> list[RecommendationBrief]:
        chosen = [RecommendationBrief.of(rec) for rid, rec in recs.items() if keep(rid)]
        return sorted(chosen, key=lambda p: p.prioridad)  # stable: the report's own order within a priority

    return Comparison(
        cuestionario=followup.cuestionario,
        titulo=followup.titulo,
        asunto=followup.asunto,
        perfil=followup.perfil,
        nombre_base=base.perfil.nombre,
        fecha_base=base.fecha,
        fecha_seguimiento=followup.fecha,
        versiones=followup.versiones,
        pilares=pillars,
        ideas=ideas,
        niveles=levels,
        resultado=outcome,
        recomendaciones=RecommendationChanges(
            resueltas=listed(before_recs, lambda rid: rid not in after_recs),
            nuevas=listed(after_recs, lambda rid: rid not in before_recs),
            pendientes=listed(after_recs, lambda rid: rid in before_recs),
        ),
    )

"""«¿Y si…?»: what changes in a report when some answers change — pillar levels,
ideas, stages of the path, the plan and «Después», and the networks and funders
now within reach. The two reports come from the app layer; nothing is saved."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from ..i18n import _, joined
from ..kb.base import KnowledgeBase
from ..model.answers import Answers
from ..model.questionnaire import Questionnaire
from .compare import (
    IDEA_ORDER,
    PILLAR_ORDER,
    AnswerChange,
    Counts,
    IdeaChange,
    InReach,
    Move,
    PillarChange,
    StageChange,
    StepChange,
    WhatIf,
    Whereabouts,
    _direction,
    level_changes,
    outcome_change,
)
from .model import Report, Suggestion
from .networks import REVIEW


def shown_answer(report: Report, key: str) -> str:
    """An answer as its report shows it: the option's words, «No sé» or «sin respuesta»."""
    for shown in report.respuestas_legibles:
        if shown.clave == key:
            return shown.respuesta
    if any(a.clave == key and a.no_sabe for a in report.supuestos):
        return _("No sé")
    return _("sin respuesta")


def diff(before: Report, after: Report, labels: Mapping[str, str], funders: Collection[str] = ()) -> WhatIf:
    """What changed from ``before`` to ``after``; ``labels`` names the changed
    questions (their keys are those whose answers differ), ``funders`` are the
    ids of the catalogue's funding sources."""
    old_pillars = before.pilares
    pillars = [PillarChange(id=pid, titulo=now.titulo, antes=old_pillars[pid].nivel, despues=now.nivel,
                            cambio=_direction(PILLAR_ORDER, old_pillars[pid].nivel, now.nivel))
               for pid, now in after.pilares.items() if pid in old_pillars and old_pillars[pid].nivel != now.nivel]
    old_ideas = {i.id: i for i in before.ideas}
    ideas = [IdeaChange(id=i.id, titulo=i.titulo, antes=old_ideas[i.id].estado, despues=i.estado,
                        cambio=_direction(IDEA_ORDER, old_ideas[i.id].estado, i.estado))
             for i in after.ideas if i.id in old_ideas and old_ideas[i.id].estado != i.estado]
    old_stages = {s.id: s.estado for s in before.etapas}
    stages = [StageChange(id=s.id, titulo=s.titulo, antes=old_stages[s.id], despues=s.estado)
              for s in after.etapas if s.id in old_stages and old_stages[s.id] != s.estado]
    reach_before, reach_after = _in_reach(before, funders), _in_reach(after, funders)
    return WhatIf(
        cuestionario=after.cuestionario,
        nombre=after.perfil.nombre,
        cambios=[AnswerChange(clave=key, pregunta=label, antes=shown_answer(before, key), despues=shown_answer(after,
                                                                                                               key))
                 for key, label in labels.items()],
        pilares=pillars,
        ideas=ideas,
        ideas_cumplidas=Counts(antes=_met(before), despues=_met(after)),
        etapas=stages,
        etapas_completas=Counts(antes=_complete(before), despues=_complete(after)),
        niveles=level_changes(before, after),
        resultado=outcome if (outcome := outcome_change(before, after)) and outcome.antes != outcome.despues else None,
        plan=_moves(before.plan, after.plan, before, after),
        despues=_moves(before.despues, after.despues, before, after),
        al_alcance=[entry for key, entry in reach_after.items() if key not in reach_before],
        fuera_de_alcance=[entry for key, entry in reach_before.items() if key not in reach_after],
    )


def moves(old: Answers, new: Answers, questionnaire: Questionnaire, kb: KnowledgeBase, before: Report,
          after: Report) -> WhatIf:
    """What moved between ``before`` and ``after``, the reports of two sets of answers to one questionnaire."""
    funders = {entry.id for entry in kb.catalogue.funding_sources}
    return diff(before, after, old.differences(new, questionnaire), funders)


def _met(report: Report) -> int:
    return sum(1 for i in report.ideas if i.estado == "cumplida")


def _complete(report: Report) -> int:
    return sum(1 for s in report.etapas if s.estado == "completa")


def _moves(old: list[str], new: list[str], before: Report, after: Report) -> list[StepChange]:
    """The steps of one list (the plan or «Después») that appear, leave or move,
    in the changed list's order, then those that left."""
    recs = {r.id: r for r in after.recomendaciones}
    titles = {r.id: r.titulo for r in [*before.recomendaciones, *after.recomendaciones]}
    changes = []
    for place, rid in enumerate(new, start=1):
        was = old.index(rid) + 1 if rid in old else None
        if was != place:
            move: Move = "aparece" if was is None else "sube" if place < was else "baja"
            changes.append(StepChange(id=rid, titulo=titles[rid], cambio=move, antes=was, despues=place,
                                      porque=recs[rid].porque))
    for place, rid in enumerate(old, start=1):
        if rid not in new:
            rec = recs.get(rid)
            changes.append(StepChange(id=rid, titulo=titles[rid], cambio="sale", antes=place, despues=None,
                                      ahora=_whereabouts(rid, after), porque=rec.porque if rec else []))
    return changes


def _whereabouts(rid: str, after: Report) -> Whereabouts:
    rec = next((r for r in after.recomendaciones if r.id == rid), None)
    if rec is None:
        return "no_se_da"
    if rec.cumplido is True:
        return "cumplido"
    return "plan" if rid in after.plan else "despues" if rid in after.despues else "resto"


def _in_reach(report: Report, funders: Collection[str]) -> dict[tuple[str, str], InReach]:
    """Networks the report suggests joining and funding sources it lists, not yet done."""
    found: dict[tuple[str, str], InReach] = {}
    for rec in report.to_do():
        if rec.id.startswith("red.") and rec.id != REVIEW:
            found["red", rec.id] = InReach(id=rec.id, titulo=rec.titulo, tipo="red")
        for entry in rec.elementos:
            if entry.id in funders and entry.cumplido is not True:
                found["fuente", entry.id] = InReach(id=entry.id, titulo=entry.nombre, tipo="fuente")
    return found


def suggestion_lines(suggestion: Suggestion) -> tuple[str, str]:
    """A suggestion as the reports say it: the change, then what it would do."""
    change = _("«{question}»: {answer} (hoy: {now})", question=suggestion.pregunta, answer=suggestion.respuesta,
               now=suggestion.actual)
    parts = []
    if suggestion.etapas:
        parts.append(_("Completaría {stages}.", stages=joined([f"«{s}»" for s in suggestion.etapas])))
    if suggestion.pasos:
        parts.append(_("Dejaría cumplido: {steps}.", steps=joined(suggestion.pasos)))
    return change, " ".join(parts)

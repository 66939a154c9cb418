"""What ``advisor kb check`` refuses in the guide's path: each rule's stage
and prerequisites (``path:``) and the stages' milestones (``stages:``)."""

from __future__ import annotations

from typing import Any, Sequence

from .path import FOUNDATION, PATH_STAGE, PATH_STAGES, STAGE_FACT, STAGES


def cycles(requires: dict[str, list[str]]) -> list[list[str]]:
    """Each prerequisite cycle once, as the ids along it."""
    found: list[list[str]] = []
    seen: set[frozenset[str]] = set()
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in requires.get(node, []):
            if state.get(nxt) == 1:
                cycle = trail[trail.index(nxt):] + [nxt]
                if frozenset(cycle) not in seen:
                    seen.add(frozenset(cycle))
                    found.append(cycle)
            elif nxt in requires and state.get(nxt) is None:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for node in sorted(requires):
        if state.get(node) is None:
            visit(node, [node])
    return found


def check(rules: Sequence[Any]) -> list[tuple[str, str, str | None]]:
    """What ``advisor kb check`` refuses in the path of one questionnaire's
    rules, as (rule id, message, expected): advice without a stage when others
    have one, prerequisites (and advice to place before, ``after``) that name no
    advice rule, that come at a later stage, that lack the words for «cuando
    tenga …» (prerequisites only), that are less urgent than the advice waiting
    for them, and cycles among them."""
    from ..i18n import _

    advice = {r.id: r for r in rules if getattr(r, "advice", None) is not None}
    if not any(r.path for r in advice.values()):
        return []
    found: list[tuple[str, str, str | None]] = []
    for rule in advice.values():
        if rule.path is None:
            found.append((rule.id, _("el consejo no dice en qué etapa del camino de la guía está (path)"),
                          _("path: {stage: …, ref: K…, done: …}")))
            continue
        if rule.path.done_when is None:
            found.append((rule.id, _("el consejo no dice cuándo ya está cumplido (path.done_when)"),
                          _("path.done_when: una condición sobre respuestas y hechos deducidos")))
        if rule.path.carry and rule.advice.priority > FOUNDATION and rule.advice.urgent_when is None:
            found.append((rule.id, _("«carry» solo vale para una condición: prioridad 1–2, o urgent_when que la suba"),
                          _("advice: {priority: 2} o advice.urgent_when")))
        if rule.path.likely and not (rule.path.done_unasked and rule.path.done_when is not None):
            found.append((rule.id, _("«likely» solo vale para un done_when que no basta (done_unasked)"),
                          _("path: {done_when: …, done_unasked: true, likely: true}")))
        for need, ordering in [(p, False) for p in rule.path.requires] + [(p, True) for p in rule.path.after]:
            other = advice.get(need.rule)
            if other is None:
                found.append((rule.id, _("el requisito previo «{id}» no es un consejo de este cuestionario",
                                         id=need.rule), None))
            elif other.path is not None and STAGES.index(other.path.stage) > STAGES.index(rule.path.stage):
                found.append((rule.id, _("el requisito previo «{id}» está en una etapa posterior ({stage})",
                                         id=need.rule,
                                         stage=other.path.stage), None))
            elif other.path is not None and not other.path.having and not ordering:
                found.append((need.rule,
                              _("otro consejo lo exige antes, pero le falta «having» para decir «cuando tenga …»"),
                              None))
            elif other.advice.priority > rule.advice.priority:
                # Most urgent first (CONTRACT §2) would list it after the advice waiting for it.
                found.append((rule.id,
                              _("el requisito previo «{id}» es menos urgente (prioridad {other}) que este consejo "
                                         "(prioridad {this})", id=need.rule, other=other.advice.priority,
                                         this=rule.advice.priority), None))
    graph = {i: [p.rule for p in r.path.requires + r.path.after] for i, r in advice.items() if r.path}
    for cycle in cycles(graph):
        found.append((cycle[0], _("los requisitos previos forman un ciclo: {cycle}", cycle=" → ".join(cycle)), None))
    return found


def check_stages(stages: Sequence[Any], rules: Sequence[Any]) -> list[tuple[str, str, str | None]]:
    """What ``advisor kb check`` refuses in the stages of one questionnaire, as
    (where, message, expected): a stage missing or defined twice, a milestone
    that is no advice rule, has no done-condition of its own, sits at another
    stage, and a stage whose state depends on itself or a later stage."""
    from ..i18n import _
    from ..model.conditions import tests

    advice = {r.id: r for r in rules if getattr(r, "advice", None) is not None}
    found: list[tuple[str, str, str | None]] = []
    ids = [s.id for s in stages]
    for missing in [s for s in PATH_STAGES if s not in ids]:
        found.append((STAGE_FACT.format(id=missing), _("falta la etapa «{id}» del camino de la guía", id=missing),
                      _("stages: las seis etapas, {ids}", ids=", ".join(PATH_STAGES))))
    for twice in sorted({i for i in ids if ids.count(i) > 1}):
        found.append((STAGE_FACT.format(id=twice), _("la etapa «{id}» está definida más de una vez", id=twice), None))
    for stage in stages:
        where = STAGE_FACT.format(id=stage.id)
        for rule_id in stage.milestones:
            rule = advice.get(rule_id)
            if rule is None or rule.path is None:
                found.append((where, _("«{id}» no es un consejo con etapa de este cuestionario", id=rule_id), None))
                continue
            if PATH_STAGE.get(rule.path.stage) != stage.id:
                found.append((where, _("«{id}» está en la etapa «{stage}», no en esta", id=rule_id,
                                       stage=PATH_STAGE.get(rule.path.stage, rule.path.stage)), None))
            if rule.path.done_when is None or rule.path.done_unasked:
                found.append((where, _("«{id}» no dice por sí mismo cuándo está cumplido, y la etapa depende de eso",
                                       id=rule_id), _("un path.done_when sin done_unasked")))
                continue
            for test, _negated in tests(rule.path.done_when):
                later = test.fact.removeprefix("etapa.")
                if test.fact.startswith("etapa.") and later in PATH_STAGES and \
                        PATH_STAGES.index(later) >= PATH_STAGES.index(stage.id):
                    found.append((where, _("las etapas forman un ciclo: «{stage}» depende de «{id}», que depende de "
                                           "la etapa «{later}»", stage=stage.id, id=rule_id, later=later),
                                  _("que cada etapa dependa solo de etapas anteriores")))
    return found

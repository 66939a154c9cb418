"""The guide's path: where each piece of advice sits on the way from political
will to measuring results, what must be true or done before it, and the order
(and the short plan) that follows from that.

The path is the guide's own sequence: political will and someone in charge
(K23) → define the policy (K20, K21) → diagnose (the profile, K26) → plan
(K28–K31) → act (networks, cooperation, funds, positioning) → measure and
communicate (K35, K36); reading material (the Annex II cases) comes last.
Each rule of the diagnostic carries its stage and prerequisites as data
(``path:`` in ``knowledge_base/reglas/*.yaml``), each with its K citation.
Nothing here orders by id: ties are broken by where the guide says it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Iterable, Literal, Mapping, Sequence, get_args

from pydantic import BaseModel, ConfigDict, Field

from ..i18n import N_
from ..model.conditions import Condition, verdict
from ..model.questionnaire import KRef

Stage = Literal["voluntad", "politica", "diagnostico", "plan", "operativo", "accion", "medicion", "referencia"]
STAGES: tuple[str, ...] = get_args(Stage)
#: The stages of the guide's path as the report's ``etapas`` names them (CONTRACT §6), in order.
PathStage = Literal["definir_politica", "diagnosticar", "planificar", "planificacion_operativa", "actuar", "medir"]
PATH_STAGES: tuple[str, ...] = get_args(PathStage)
#: The ``etapas`` stage each advice stage belongs to; reading material belongs to none.
PATH_STAGE = {"voluntad": "definir_politica", "politica": "definir_politica", "diagnostico": "diagnosticar",
              "plan": "planificar", "operativo": "planificacion_operativa", "accion": "actuar", "medicion": "medir"}
#: The derived fact that holds a stage's state (``completa``, ``incompleta``, ``desconocida``).
STAGE_FACT = "etapa.{id}"
STAGE_STATES = ("completa", "incompleta", "desconocida")
#: The derived fact that says whether one milestone's advice is met, and its values.
DONE_FACT = "cumplido.{id}"
DONE_VALUES = ("si", "no", "desconocido")
#: How each stage is named in reports (translated where shown).
STAGE_NAMES = {
    "voluntad": N_("Voluntad política y un responsable"),
    "politica": N_("Definir la política pública"),
    "diagnostico": N_("Diagnóstico: el perfil y la línea de base"),
    "plan": N_("El plan de acción internacional"),
    "operativo": N_("El plan operativo"),
    "accion": N_("Actuar: redes, cooperación, fondos y posicionamiento"),
    "medicion": N_("Medir y comunicar"),
    "referencia": N_("Material de consulta"),
}
#: Priorities up to this one are foundations: conditions for what follows.
FOUNDATION = 2
#: The plan: at most this many first steps.
PLAN_STEPS = 5
#: «Después»: at most this many next steps.
NEXT_STEPS = 5


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Prerequisite(_Model):
    """Advice that must be taken first: met when that rule does not fire."""

    rule: str = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)+$", description="Id de la regla que debe cumplirse antes.")
    ref: KRef = Field(description="Ítem de la guía que pone esa regla antes que esta.")


class PathSpec(_Model):
    """Where a piece of advice sits on the guide's path."""

    __texts__ = ("done", "having", "carry")
    stage: Stage = Field(description="Etapa del camino de la guía.")
    ref: KRef = Field(description="Ítem de la guía que ubica el consejo en esa etapa.")
    requires: list[Prerequisite] = Field(default_factory=list, description="Qué debe estar hecho antes.")
    after: list[Prerequisite] = Field(
        default_factory=list, description="Consejos que la guía pone antes que este cuando ambos están pendientes: "
                                          "ordenan el plan sin ser requisito (no dicen «cuando tenga …»).")
    done: str = Field(min_length=1, description="Cómo se ve «hecho», en una oración.")
    done_when: Condition | None = Field(
        None, description="Cuándo el consejo ya está cumplido, como condición sobre respuestas y hechos deducidos; "
                          "si depende de preguntas sin respuesta, no se sabe.")
    done_unasked: bool = Field(
        False, description="done_when es necesaria pero no suficiente: el cuestionario no pregunta el resto, así que "
                           "si se cumple no se sabe si está hecho (y si no se cumple, no lo está).")
    likely: bool = Field(
        False, description="Con done_unasked: si done_when se cumple, probablemente ya está hecho (sin saberse): "
                           "no es un paso del plan y va último en su etapa.")
    summary: bool = Field(
        False, description="Resume otros consejos (sus requisitos previos): mientras alguno esté pendiente, "
                           "el plan da esos pasos y no este.")
    having: str | None = Field(
        None, description="Lo que existe una vez hecho, para «cuando tenga …» (p. ej. «un responsable designado»)."
    )
    carry: str | None = Field(
        None, description="Una condición que la guía pone para lo que sigue: si se sabe que falta y su etapa está "
                          "completa, no espera detrás de las etapas siguientes, sino que va en la primera etapa "
                          "pendiente, después de sus hitos de prioridad 1–2. El texto dice por qué, como criterio "
                          "de advisor, y se muestra cuando el consejo va ahí.")


    def met(self, facts: Mapping[str, Any]) -> bool | None:
        """Whether the answers show the advice already met (True), not met
        (False), or cannot tell (None): unanswered questions decide nothing."""
        if self.done_when is None:
            return None
        done = verdict(self.done_when, facts)
        return None if done and self.done_unasked else done

    def likely_met(self, facts: Mapping[str, Any]) -> bool:
        """Whether the answers make this advice likely met though they cannot
        tell (``likely``: what ``done_when`` shows is most of it)."""
        return self.likely and self.done_unasked and self.done_when is not None and verdict(self.done_when,
                                                                                            facts) is True


@dataclass(frozen=True)
class Step:
    """What ordering needs to know of one recommendation that fired."""

    id: str
    stage: int  # index in STAGES; len(STAGES) when the rule has no path
    priority: int
    requires: tuple[str, ...]
    guide: tuple[int, int]  # K number and first line: the guide's own order
    after: tuple[str, ...] = ()  # advice the guide puts first when both are pending (no «cuando tenga»)
    gap: bool = False  # rests only on unanswered questions: it may already be done
    done: bool | None = None  # the answers show it met (True), not met (False), or cannot tell (None)
    open: bool = True  # its stage of the path is not complete (or has no state: the checklists)
    summary: bool = False  # it sums up its prerequisites: they are the steps, not it
    milestone: bool = False  # its stage is complete only when it is met (the stage's data: milestones)
    likely: bool = False  # the answers make it likely met, though they cannot tell (PathSpec.likely)
    carried: bool = False  # a condition known unmet at a complete stage, taken up at the first open one (carry)

    def key(self) -> tuple[bool, bool, int, bool, int, bool, int, bool, int, tuple[int, int]]:
        """What orders two steps whose prerequisites are met; never the id.
        Met advice comes last. Then the stages that are not complete, in the
        path's order: a later stage's step never comes before a pending step
        of an earlier one; what is left at a complete stage (a complement:
        training, a norm) follows them. Within a stage, advice the answers
        make likely done (an operational plan for its projects' aspects)
        comes last; before it, the stage's milestones (what makes it
        complete: the four elements of the policy, the baseline) come before
        its complements; then foundations (priority 1–2, what the guide makes a condition),
        lines of action (priority 4) last; advice that rests only on
        unanswered questions follows the known pending advice of its tier, in
        every stage alike: it may already be done. A condition carried from a
        complete stage (``carried``) comes right after the foundation
        milestones of the stage it is carried to."""
        tier = 0 if self.priority <= FOUNDATION else 1 if self.priority == FOUNDATION + 1 else 2
        rank = 0 if self.milestone and tier == 0 else 1 if self.carried else 2
        return (self.done is True, not self.open, self.stage, self.likely, rank, not self.milestone, tier, self.gap,
                self.priority, self.guide)

    @property
    def is_step(self) -> bool:
        """Whether it can be a step of the plan: not met nor likely met, not a
        summary, not reading."""
        return (self.done is not True and not self.likely and not self.summary
                and self.stage != STAGES.index("referencia"))


def step(rule_id: str, path: PathSpec | None, priority: int, ref: str, lines: tuple[int, int] | None,
         gap: bool = False) -> Step:
    return Step(
        gap=gap,
        id=rule_id,
        stage=STAGES.index(path.stage) if path else len(STAGES),
        priority=priority,
        requires=tuple(p.rule for p in path.requires) if path else (),
        after=tuple(p.rule for p in path.after) if path else (),
        guide=(int(ref[1:]), lines[0] if lines else 0),
    )


def steps_of(fired: Sequence[tuple[str, int, PathSpec | None, str, tuple[int, int] | None, bool]],
          facts: Mapping[str, Any] | None = None) -> list[Step]:
    """``fired``: (id, priority, path, K ref, lines, rests only on unanswered
    questions) of every recommendation given; ``facts``: what the engine
    concluded, for whether each is met, its stage's state and the stages'
    milestones (each has its derived «cumplido» fact)."""
    facts = facts or {}
    states = stage_states(facts)
    first_open = next((STAGES.index(next(a for a, p in PATH_STAGE.items() if p == s)) for s in PATH_STAGES
                       if states.get(s, "completa") != "completa"), None)
    result = []
    for i, priority, path, ref, lines, gap in fired:
        one = step(i, path, priority, ref, lines, gap)
        if path is not None:
            state = states.get(PATH_STAGE.get(path.stage, ""))
            one = replace(one, done=path.met(facts), open=state is not None and state != "completa",
                          summary=path.summary, likely=path.likely_met(facts),
                          milestone=DONE_FACT.format(id=i) in facts)
            if carried(one, path, state) and first_open is not None and first_open > one.stage:
                one = replace(one, stage=first_open, open=True, carried=True)
        result.append(one)
    return result


def carried(one: Step, path: PathSpec, state: str | None) -> bool:
    """Whether this advice is a condition (``carry``, priority 1–2) that the
    answers show unmet at a stage that is otherwise complete: it then goes at
    the first stage still open instead of after every open stage."""
    return bool(path.carry) and state == "completa" and one.done is False and one.priority <= FOUNDATION


def order(steps: Sequence[Step]) -> list[Step]:
    """Stage, then urgency, then the guide's order, always after every pending
    prerequisite (one that fired too). Ids only break ties the data leaves."""
    present = {s.id for s in steps}
    # A prerequisite is needed as early as the earliest step that waits for it:
    # one that only rests on an unanswered question (a gap) would otherwise sink
    # below the steps it holds up, and let unrelated ones pass them all. What
    # the guide puts first («after») is placed the same way.
    keys = {s.id: s.key() for s in steps}
    first = {s.id: s.requires + s.after for s in steps}
    changed = True
    while changed:
        changed = False
        for s in steps:
            for r in first[s.id]:
                if r in keys and keys[s.id] < keys[r]:
                    keys[r], changed = keys[s.id], True
    placed: set[str] = set()
    waiting = sorted(steps, key=lambda s: (keys[s.id], s.id))
    result: list[Step] = []
    while waiting:
        ready = next((s for s in waiting if all(r in placed or r not in present for r in first[s.id])), waiting[0])
        waiting.remove(ready)
        placed.add(ready.id)
        result.append(ready)
    return result


def pending_prerequisites(one: Step, fired: Iterable[str]) -> list[str]:
    fired = set(fired)
    return [r for r in one.requires if r in fired]


def plan(ordered: Sequence[Step]) -> tuple[list[str], list[str]]:
    """The first steps (at most PLAN_STEPS) and «Después», the next ones (at
    most NEXT_STEPS), in the path's order. Met advice, summaries and reading
    material are never steps."""
    doing = [s.id for s in ordered if s.is_step]
    return doing[:PLAN_STEPS], doing[PLAN_STEPS:PLAN_STEPS + NEXT_STEPS]


def urgency(ordered: Sequence[Step]) -> dict[str, int]:
    """Each step's priority as reported (CONTRACT §2, most urgent first): never
    more urgent than a pending step of an earlier stage that is not complete,
    nor than a pending milestone of its own open stage (the complements follow
    the elements), so listing by priority keeps the path's order; what is left
    at a complete stage and not carried follows every open stage, so it is
    labelled by that place, never more urgent than a step shown before it in
    the plan or «Después» (the steps past those are reference, and do not push
    a condition of the bases down among them) nor than a pending step of an
    earlier open stage; met advice is not urgent at all (5)."""
    floor: dict[int, int] = {}  # stage → the least urgent pending step seen there
    elements: dict[int, int] = {}  # stage → the least urgent pending milestone seen there
    last = 0  # the least urgent step shown so far (plan and «Después»)
    shown = 0
    result = {}
    for s in ordered:
        if s.done is True:
            result[s.id] = 5
            continue
        earlier = [p for stage, p in floor.items() if stage < s.stage]
        before = [last, *earlier] if not s.open else earlier
        result[s.id] = max([s.priority, *before, *([] if s.milestone else [elements.get(s.stage, 0)])])
        if s.is_step:
            if shown < PLAN_STEPS + NEXT_STEPS:
                last = max(last, result[s.id])
            shown += 1
        if s.open and s.is_step:
            floor[s.stage] = max(floor.get(s.stage, 0), result[s.id])
            if s.milestone:
                elements[s.stage] = max(elements.get(s.stage, 0), result[s.id])
    return result


@dataclass(frozen=True)
class Arrangement:
    """The recommendations' order and the plan drawn from it."""

    by_path: list[str]  # every id, in the path's order
    by_priority: list[str]  # every id, most urgent first (CONTRACT §2), path order within a priority
    plan: list[str]
    after: list[str]
    waiting: dict[str, list[str]]  # id → the pending prerequisites it waits for
    priority: dict[str, int]  # id → its priority as reported (``urgency``)
    carried: frozenset[str] = frozenset()  # conditions taken up at the first open stage (``PathSpec.carry``)


def stage_states(facts: Mapping[str, Any]) -> dict[str, str]:
    """The state of each stage of the path that the engine derived (CONTRACT §6)."""
    return {s: str(facts[STAGE_FACT.format(id=s)]) for s in PATH_STAGES if STAGE_FACT.format(id=s) in facts}


def arrange(fired: Sequence[tuple[str, int, PathSpec | None, str, tuple[int, int] | None, bool]],
            facts: Mapping[str, Any] | None = None) -> Arrangement:
    """The order and the plan of the recommendations given (see ``steps_of``)."""
    given = steps_of(fired, facts)
    ordered = order(given)
    ids = {s.id for s in given}
    position = {s.id: n for n, s in enumerate(ordered)}
    urgent = urgency(ordered)
    first, after = plan(ordered)
    return Arrangement(
        by_path=[s.id for s in ordered],
        by_priority=sorted(position, key=lambda i: (urgent[i], position[i])),
        plan=first,
        after=after,
        waiting={s.id: [r for r in s.requires if r in ids] for s in given if any(r in ids for r in s.requires)},
        priority=urgent,
        carried=frozenset(s.id for s in given if s.carried),
    )

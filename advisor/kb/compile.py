"""Rules as the engines run them: each written rule with where it was read,
classifications expanded into one rule per case, and a rule per network."""

from __future__ import annotations

from typing import Any, NamedTuple

from pydantic import Field

from ..i18n import _
from ..model.conditions import All, AnyOf, Condition, Not, Scalar, Test, certain, tests
from .catalogue import Entry, Network
from .path import DONE_FACT, STAGE_FACT, PathSpec, Prerequisite
from .schema import Advice, Case, ClassificationSpec, RuleSpec, Source, StageSpec, _Model


class Written(NamedTuple):
    """A rule or classification as read: its file, its questionnaire and what it says."""

    file: str
    questionnaire: str
    spec: Any


class CompiledRule(_Model):
    """A rule as the engine runs it: classifications become one rule per case."""

    __texts__ = ('title', 'own_criterion')
    id: str
    title: str
    topic: str
    when: Condition
    derive: dict[str, Scalar]
    advice: Advice | None
    source: Source
    path: PathSpec | None = None
    own_criterion: str | None = None
    origin: str = Field(description="Id of the rule or classification written in the files.")
    file: str
    questionnaire: str
    #: The case rules of a classification hold only when the earlier cases do not.
    exclusive: bool = False
    #: Catalogue entries the advice lists, each shown when it applies.
    entries: tuple[Entry, ...] = ()


#: The derived fact and value that open the door to new networks (redes.yaml derives it).
NETWORK_GATE = ("redes.margen", "disponible")
NETWORK_QUESTIONNAIRE = "diagnostico"


def network_rule(network: Network, file: str) -> CompiledRule:
    """``red.<id>``: join a network that serves the priorities, admits the
    government, and that it does not already belong to (K14, K15)."""
    purpose: list[Condition] = []
    if network.themes:
        purpose.append(Test(fact="prioridades.temas", **{"in": list(network.themes)}))
    if network.reasons:
        purpose.append(Test(fact="prioridades.razones", **{"in": list(network.reasons)}))
    # Conditions are built here, not when the module is imported: a command
    # that reads the cached base never builds their validators.
    parts: list[Condition] = [
        Test(fact=NETWORK_GATE[0], equals=NETWORK_GATE[1]),
        Not(not_=Test(fact="antecedentes.redes", contains=network.id)),
        purpose[0] if len(purpose) == 1 else AnyOf(any=purpose),
    ]
    if network.when is not None:
        parts.append(network.when)
    steps = [_("Quiénes pueden sumarse: {members}", members=network.members)]
    steps.append(_("Cómo sumarse: {joining}", joining=network.joining) if network.joining else
                 _("Cómo sumarse: cada red tiene su vía; algunas reciben una solicitud escrita del jefe de gobierno, "
                   "otras cobran una cuota de afiliación. Consúltelo en el sitio de la red."))
    steps.append(_("Antes de decidir, responda las siete preguntas de la guía para elegir una red (capítulo 2, "
                   "«¿Cuáles son los pasos para formar parte de una red de ciudades?»)."))
    if network.url:
        steps.append(_("Más información: {url}", url=network.url))
    return CompiledRule(
        id=f"red.{network.id}",
        title=_("Evaluar sumarse {to_name}", to_name=network.called("a")),
        topic="redes",
        when=All(all=parts),
        derive={},
        advice=Advice(priority=4, text=network.text or _("{name} trabaja temas que usted prioriza.",
                                                         name=network.called()[:1].upper() + network.called()[1:]),
                      steps=steps),
        source=network.source,
        path=PathSpec(
            stage="accion", ref="K15",
            requires=[Prerequisite(rule="recursos.designar_responsable", ref="K15"),
                      Prerequisite(rule="plan.elaborar_pai", ref="K15"),
                      Prerequisite(rule="estrategia.cuatro_elementos", ref="K20")],
            done=_("Respondió las siete preguntas {about_name} y decidió, con su plan a la vista, si sumarse.",
                   about_name=network.called("sobre")),
            done_when=Test(fact="antecedentes.redes", contains=network.id),
        ),
        own_criterion=" ".join(c for c in (network.own_criterion or _(
            "La guía no dice quiénes pueden sumarse {to_name}: «Quiénes pueden sumarse» resume lo que la red "
            "publica, y advisor la sugiere solo a quienes lo cumplen. Confírmelo en su sitio antes de decidir.",
            to_name=network.called("a")), network.provenance()) if c),
        origin=f"networks:{network.id}",
        file=file,
        questionnaire=NETWORK_QUESTIONNAIRE,
    )




def expand(spec: ClassificationSpec, file: str, questionnaire: str) -> list[CompiledRule]:
    """One rule per case, each holding only when no earlier case holds, plus
    one for ``otherwise``. The result never depends on the order rules fire."""
    rules = []
    earlier: list[Condition] = []
    for case in [*spec.cases, None]:
        excluded = [Not(not_=c) for c in earlier]
        if case is None:
            value: Any = spec.otherwise
            when: Condition = All(all=excluded)
        else:
            value = case.value
            when = All(all=[case.when, *excluded]) if excluded else case.when
            earlier.append(case.when)
        rules.append(
            CompiledRule(
                id=f"{spec.id}:{value}",
                title=f"{spec.title}: {value}",
                topic=spec.topic,
                when=when,
                derive={spec.fact: value},
                advice=None,
                source=spec.source,
                origin=spec.id,
                file=file,
                questionnaire=questionnaire,
                exclusive=True,
            )
        )
    return rules




def stage_classifications(stage: StageSpec, rules: dict[str, RuleSpec]) -> list[ClassificationSpec]:
    """A stage's state as classifications the engines run: one per milestone,
    whether its advice is met (``certain``: unanswered questions decide
    nothing), then the stage: complete when every milestone is met,
    incomplete when one is not, unknown otherwise."""
    result = []
    for rule_id in stage.milestones:
        rule = rules.get(rule_id)
        if rule is None or rule.path is None or rule.path.done_when is None:
            continue  # kb check names it
        done = rule.path.done_when
        result.append(ClassificationSpec(
            id=DONE_FACT.format(id=rule_id), title=_("Cumplido: {title}", title=rule.title), topic=rule.topic,
            fact=DONE_FACT.format(id=rule_id),
            cases=[Case(value="si", when=certain(done, True)), Case(value="no", when=certain(done, False))],
            otherwise="desconocido", explain=list(dict.fromkeys(t.fact for t, _negated in tests(done))),
            source=rule.source,
        ))
    keys = [c.fact for c in result]
    if keys:
        result.append(ClassificationSpec(
            id=STAGE_FACT.format(id=stage.id), title=_("Etapa: {title}", title=stage.title), topic="estrategia",
            fact=STAGE_FACT.format(id=stage.id),
            cases=[Case(value="completa", when=All(all=[Test(fact=k, equals="si") for k in keys])),
                   Case(value="incompleta", when=AnyOf(any=[Test(fact=k, equals="no") for k in keys]))],
            otherwise="desconocida", explain=keys, source=stage.source,
        ))
    return result


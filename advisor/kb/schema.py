"""The knowledge base's file formats: rules, classifications and derived
facts as written in ``knowledge_base/reglas/`` and ``hechos.yaml``, each citing
the item of the guide's inventory it encodes (K01–K40)."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Mapping

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..i18n import _
from ..model.conditions import Condition, Scalar, verdict
from ..model.questionnaire import Identifier, KRef
from .path import PathSpec, PathStage
from .saturation import exceeds, sustained

DottedId = Annotated[str, Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")]

#: Catalogue lists a recommendation may list (``advice.items``).
ListName = Literal[
    "reasons", "agendas", "funding_sources", "cid_steps", "stakeholders", "positioning_actions",
    "cooperation_actions", "criteria", "indicators", "cases",
]


#: A rubric criterion's levels, in the order their cases are tried; the last is the default.
RUBRIC_LEVELS = ("debil", "parcial", "fuerte", "no_aplica", "sin_respuesta")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Source(_Model):
    """Where in the guide a piece of knowledge comes from."""

    ref: KRef
    chapter: int | Literal["recomendaciones", "anexo_1", "anexo_2"] = Field(
        description="Número de capítulo (1–4), «recomendaciones», «anexo_1» o «anexo_2»."
    )
    section: str = Field(min_length=1, description="Título de la sección de la guía.")
    lines: tuple[int, int] | None = Field(
        None, description="Líneas (inicio, fin) del pasaje en la guía; si falta, las del ítem del inventario."
    )


class Addendum(_Model):
    """A paragraph of advice said only where its condition holds: a country's
    law to that country's governments, and nobody else's."""

    __texts__ = ('text', 'own_criterion')
    when: Condition
    text: str = Field(min_length=1, description="Lo que se agrega al consejo, en español llano.")
    own_criterion: str | None = Field(
        None, description="Lo que el párrafo afirma sin que lo diga la guía, en una oración («criterio_propio»)."
    )
    steps_of: DottedId | None = Field(
        None, description="Regla del mismo cuestionario cuyos pasos siguen al texto, en el mismo párrafo: lo que "
                          "dos consejos dicen se escribe una sola vez.")


class Advice(_Model):
    """What a rule recommends when it fires."""

    __texts__ = ('text', 'steps')
    priority: int = Field(ge=1, le=5, description="1 es lo más urgente.")
    text: str = Field(min_length=1, description="El consejo, en español llano.")
    steps: list[str] = Field(default_factory=list, description="Pasos concretos, en orden.")
    items: ListName | None = Field(
        None, description="Catálogo cuyas entradas aplicables se listan con el consejo (p. ej. «funding_sources»)."
    )
    urgent_when: Condition | None = Field(
        None, description="Si se cumple, la prioridad sube un nivel (p. ej. un criterio débil antes que uno parcial)."
    )
    addenda: list[Addendum] = Field(
        default_factory=list,
        description="Párrafos que se agregan al consejo solo donde aplican (p. ej. la constitución de un país).",
    )

    def said(self, facts: Mapping[str, Any]) -> list[Addendum]:
        """The addenda that apply on these facts, in order."""
        return [a for a in self.addenda if a.when.holds(facts)]

    def priority_for(self, facts: Mapping[str, Any]) -> int:
        """The priority on these facts: one level more urgent when the answers
        show ``urgent_when`` to hold; a blank answer never raises it."""
        if self.urgent_when is not None and verdict(self.urgent_when, facts):
            return max(1, self.priority - 1)
        return self.priority


class RuleSpec(_Model):
    """A rule: when its condition holds, it derives facts and/or gives advice."""

    __texts__ = ('title', 'own_criterion')
    id: DottedId
    title: str = Field(min_length=1)
    topic: Identifier = Field(description="Tema, para «advisor rules list --topic».")
    when: Condition
    derive: dict[DottedId, Scalar] = Field(default_factory=dict)
    advice: Advice | None = None
    path: PathSpec | None = Field(None,
                                  description="Etapa del camino de la guía y requisitos previos (advisor.kb.path).")
    own_criterion: str | None = Field(
        None, description="Umbral o dato que la guía no da y que la regla asume, en una oración («criterio_propio»)."
    )
    source: Source

    @model_validator(mode="after")
    def _does_something(self) -> "RuleSpec":
        if not self.derive and self.advice is None:
            raise ValueError(_("la regla no deduce nada ni da un consejo: necesita derive o advice"))
        return self


class Case(_Model):
    value: Scalar
    when: Condition


class ClassificationSpec(_Model):
    """A derived fact that takes the value of the first case that holds."""

    __texts__ = ('title',)
    id: DottedId
    title: str
    topic: Identifier
    fact: DottedId
    cases: list[Case] = Field(min_length=1)
    otherwise: Scalar
    explain: list[str] = Field(
        default_factory=list,
        description="Claves cuyas respuestas explican el valor «otherwise» en el informe.",
    )
    source: Source


class StageSpec(_Model):
    """A stage of the guide's path (CONTRACT §6) and the advice whose
    done-conditions (``path.done_when``) make it complete."""

    __texts__ = ('title', 'own_criterion')
    id: PathStage
    title: str = Field(min_length=1)
    milestones: list[DottedId] = Field(
        min_length=1, description="Consejos cuyo «hecho» completa la etapa: completa si todos están cumplidos, "
                                  "incompleta si alguno no lo está, desconocida si no se sabe.")
    own_criterion: str | None = Field(
        None, description="Lo que la etapa da por hecho sin que lo diga la guía, en una oración («criterio_propio»).")
    source: Source


class SaturationSpec(_Model):
    """A fact set to true when the memberships held, plus ``margin`` more,
    exceed what the team can sustain by advisor's one criterion
    (``kb.saturation``); absent otherwise."""

    __texts__ = ('title',)
    id: DottedId
    title: str
    topic: Identifier
    fact: DottedId
    held: DottedId = Field(description="Membresías actuales: una lista o un número.")
    team: DottedId = Field(description="Personas del equipo.")
    budget: DottedId = Field(description="Presupuesto (ninguno, operativo, propio).")
    margin: int = Field(0, ge=0, description="Membresías que se suman a las actuales (1: una red más).")
    most: int = Field(ge=1, description="Cuántas membresías puede declarar una respuesta, como mucho.")
    minimum_team: int = Field(0, ge=0, description="Personas que cuenta el equipo aunque se responda menos.")
    alone: Condition | None = Field(
        None, description="Si se cumple y no se sabe el tamaño del equipo, el equipo es una persona a cargo.")
    source: Source

    def capacity(self, facts: Mapping[str, Any]) -> int | None:
        """Memberships this government sustains; None when it cannot be judged."""
        team = facts.get(self.team)
        return sustained(None if team is None else int(team), facts.get(self.budget), self.minimum_team,
                         self.alone is not None and self.alone.holds(facts))

    def rule(self) -> "SaturationRule":
        # A rule, not a classification: the negation a classification's
        # «otherwise» needs would unfold into too many alternatives.
        when = exceeds(self.held, self.team, self.budget, self.margin, self.most, self.minimum_team, self.alone)
        return SaturationRule(id=self.id, title=self.title, topic=self.topic, when=when, derive={self.fact: True},
                              source=self.source, saturation=self)


class SaturationRule(RuleSpec):
    """The rule a ``SaturationSpec`` compiles to, which keeps it."""

    saturation: SaturationSpec


class Criterion(_Model):
    """One row of a rubric: a criterion, its questions and where the guide defines it."""

    __texts__ = ('title',)
    id: Identifier
    title: str
    questions: list[DottedId] = Field(min_length=1, description="Preguntas sí/parcial/no/no_aplica del criterio.")
    reversed: list[DottedId] = Field(
        default_factory=list, description="Preguntas en las que «Sí» es la respuesta desfavorable y «No» la favorable.")
    lines: tuple[int, int] = Field(description="Líneas (inicio, fin) de la guía que definen el criterio.")


class LevelTexts(_Model):
    """What the report says of a criterion at each level; ``{title}`` names it."""

    __texts__ = RUBRIC_LEVELS
    debil: str
    parcial: str
    fuerte: str
    no_aplica: str
    sin_respuesta: str


class Rubric(_Model):
    """Criteria that share one rule, written as a table: a criterion is weak if
    any answer is unfavourable, partial if any is «En parte», strong if any is
    favourable, not applicable if every answer given is «No aplica», unanswered
    otherwise. Each row becomes a derived fact and a classification, as if
    written out; the texts name the criterion as ``{title}``."""

    __texts__ = ('label', 'title', 'says')
    fact: Identifier = Field(description="Prefijo de los hechos deducidos: «criterio» da criterio.<id>.")
    topic: Identifier
    label: str
    title: str
    says: LevelTexts
    source: Source = Field(description="Dónde define la guía los criterios; cada uno cita sus propias líneas.")
    criteria: list[Criterion] = Field(min_length=1)

    def facts(self) -> list["FactSpec"]:
        return [FactSpec(key=f"{self.fact}.{c.id}", label=self.label.format(title=c.title), role="level",
                         title=c.title, values=list(RUBRIC_LEVELS),
                         says={level: getattr(self.says, level).format(title=c.title) for level in RUBRIC_LEVELS})
                for c in self.criteria]

    def classifications(self) -> list[ClassificationSpec]:
        return [ClassificationSpec.model_validate({
            "id": f"{self.fact}.{c.id}", "title": self.title.format(title=c.title), "topic": self.topic,
            "fact": f"{self.fact}.{c.id}", "cases": _rubric_cases(c), "otherwise": RUBRIC_LEVELS[-1],
            "explain": c.questions, "source": {**self.source.model_dump(exclude_none=True), "lines": c.lines},
        }) for c in self.criteria]

    def translations(self, table: Mapping[str, str]) -> dict[str, str]:
        """The translation of each text the rubric writes out, made from the
        translations (in ``table``) of its templates and of each criterion's title."""
        templates = [self.label, self.title, *(getattr(self.says, level) for level in RUBRIC_LEVELS)]
        return {template.format(title=c.title): table.get(template, template).format(title=table.get(c.title, c.title))
                for c in self.criteria for template in templates}


def _rubric_cases(criterion: Criterion) -> list[dict[str, Any]]:
    def any_answer(answer: Any) -> dict[str, Any]:
        return {"any": [{"fact": q, "equals": answer(q)} for q in criterion.questions]}

    def unfavourable(q: str) -> str:
        return "si" if q in criterion.reversed else "no"

    def favourable(q: str) -> str:
        return "no" if q in criterion.reversed else "si"

    given = {"any": [{"fact": q, "in": ["si", "parcial", "no"]} for q in criterion.questions]}
    return [
        {"value": "debil", "when": any_answer(unfavourable)},
        {"value": "parcial", "when": any_answer(lambda q: "parcial")},
        {"value": "fuerte", "when": any_answer(favourable)},
        # Every answer given is «No aplica»: right whatever cases are tried before it.
        {"value": "no_aplica", "when": {"all": [any_answer(lambda q: "no_aplica"), {"not": given}]}},
    ]


class RuleFile(_Model):
    """One file of ``knowledge_base/reglas/``: rules for one questionnaire."""

    format: Literal[1]
    questionnaire: Identifier = Field(description="Cuestionario cuyas respuestas evalúan estas reglas.")
    rules: list[RuleSpec] = Field(default_factory=list)
    classifications: list[ClassificationSpec] = Field(default_factory=list)
    stages: list[StageSpec] = Field(
        default_factory=list, description="Las etapas del camino de la guía y qué consejos las completan.")
    saturation: list[SaturationSpec] = Field(
        default_factory=list, description="Hechos sí/no: si las membresías superan lo que el equipo sostiene.")
    facts: list["FactSpec"] = Field(
        default_factory=list, description="Hechos deducidos que declaran estas reglas (además de hechos.yaml)."
    )
    rubric: Rubric | None = Field(
        None, description="Criterios que comparten una regla, como tabla: un hecho y una clasificación por criterio.")


class FactSpec(_Model):
    """A derived fact that rules may produce and test."""

    __texts__ = ('label', 'says', 'title')
    key: DottedId
    label: str
    values: list[Scalar] = Field(min_length=1)
    says: dict[str, str] = Field(
        default_factory=dict,
        description="Frase por valor para el informe (tras «Se dedujo que…»); la clave es el valor como texto.",
    )
    role: Literal["level", "outcome"] | None = Field(
        None,
        description="«level»: el informe lo muestra en su tabla de niveles; «outcome»: es el resultado del "
                    "cuestionario.",
    )
    title: str | None = Field(None, description="Nombre corto en la tabla de niveles del informe.")


class FactFile(_Model):
    format: Literal[1]
    facts: list[FactSpec]

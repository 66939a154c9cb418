"""The knowledge base: rules, classifications and catalogues, as validated models.

Everything here is data read from ``knowledge_base/``. Each rule and catalogue
entry cites the item of the guide's inventory it encodes (K01–K40).
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .conditions import All, Condition, Not, Scalar
from .questionnaire import Identifier, KRef

DottedId = Annotated[str, Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")]

#: Values of a pillar level and of an idea's estado (CONTRACT §2).
PILLAR_LEVELS = ("inicial", "en_desarrollo", "consolidado")
IDEA_STATES = ("cumplida", "parcial", "pendiente")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Model):
    """Where in the guide a piece of knowledge comes from."""

    ref: KRef
    chapter: int | Literal["recomendaciones", "anexo_1", "anexo_2"] = Field(
        description="Número de capítulo (1–4), «recomendaciones», «anexo_1» o «anexo_2»."
    )
    section: str = Field(min_length=1, description="Título de la sección de la guía.")


class Advice(_Model):
    """What a rule recommends when it fires."""

    priority: int = Field(ge=1, le=5, description="1 es lo más urgente.")
    text: str = Field(min_length=1, description="El consejo, en español llano.")
    steps: list[str] = Field(default_factory=list, description="Pasos concretos, en orden.")


class RuleSpec(_Model):
    """A rule: when its condition holds, it derives facts and/or gives advice."""

    id: DottedId
    title: str = Field(min_length=1)
    topic: Identifier = Field(description="Tema, para «advisor rules list --tema».")
    when: Condition
    derive: dict[DottedId, Scalar] = Field(default_factory=dict)
    advice: Advice | None = None
    source: Source

    @model_validator(mode="after")
    def _does_something(self) -> "RuleSpec":
        if not self.derive and self.advice is None:
            raise ValueError("la regla no deduce nada ni da un consejo: necesita derive o advice")
        return self


class Case(_Model):
    value: Scalar
    when: Condition


class ClassificationSpec(_Model):
    """A derived fact that takes the value of the first case that holds."""

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


class RuleFile(_Model):
    """One file of ``knowledge_base/reglas/``: rules for one questionnaire."""

    format: Literal[1]
    questionnaire: Identifier = Field(description="Cuestionario cuyas respuestas evalúan estas reglas.")
    rules: list[RuleSpec] = Field(default_factory=list)
    classifications: list[ClassificationSpec] = Field(default_factory=list)


class FactSpec(_Model):
    """A derived fact that rules may produce and test."""

    key: DottedId
    label: str
    values: list[Scalar] = Field(min_length=1)
    says: dict[str, str] = Field(
        default_factory=dict,
        description="Frase por valor para el informe (tras «Se dedujo que…»); la clave es el valor como texto.",
    )


class FactFile(_Model):
    format: Literal[1]
    facts: list[FactSpec]


class Pillar(_Model):
    id: Identifier
    title: str
    description: str
    groups: list[Identifier] = Field(description="Grupos de claves de respuesta que informan este pilar (p. ej. «apoyo»).")
    source: Source


class Idea(_Model):
    id: Annotated[str, Field(pattern=r"^idea\.(0[1-9]|1[01])$")]
    title: str
    text: str
    source: Source


class Network(_Model):
    id: Identifier
    name: str
    scope: Literal["global", "regional", "nacional"]
    themes: list[str] = Field(default_factory=list)
    url: str | None = None
    source: Source


class Catalogue(_Model):
    """``knowledge_base/catalogo.yaml``: pillars, ideas and networks."""

    format: Literal[1]
    version: str = Field(description="Versión de la base de conocimiento; aparece en los informes.")
    pillars: list[Pillar] = Field(min_length=1)
    ideas: list[Idea] = Field(min_length=11, max_length=11)
    networks: list[Network] = Field(default_factory=list)


class CompiledRule(_Model):
    """A rule as the engine runs it: classifications become one rule per case."""

    id: str
    title: str
    topic: str
    when: Condition
    derive: dict[str, Scalar]
    advice: Advice | None
    source: Source
    origin: str = Field(description="Id of the rule or classification written in the files.")
    file: str
    questionnaire: str
    #: The case rules of a classification hold only when the earlier cases do not.
    exclusive: bool = False


class KnowledgeBase:
    """Every rule and catalogue, with where each came from (file and line)."""

    def __init__(
        self,
        catalogue: Catalogue,
        facts: list[FactSpec],
        rules: list[tuple[str, str, RuleSpec]],
        classifications: list[tuple[str, str, ClassificationSpec]],
        lines: dict[str, tuple[str, int | None]],
    ):
        self.catalogue = catalogue
        self.facts = facts
        self.rules = rules
        self.classifications = classifications
        #: (file, questionnaire, spec) triples, as read.
        #: Rule or classification id → (file, line), for error messages.
        self.lines = lines

    @property
    def version(self) -> str:
        return self.catalogue.version

    @cached_property
    def fact_specs(self) -> dict[str, FactSpec]:
        """Every derived fact: declared ones plus pillar levels and idea states."""
        specs = {f.key: f for f in self.facts}
        for pillar in self.catalogue.pillars:
            key = f"pilar.{pillar.id}"
            specs[key] = FactSpec(
                key=key,
                label=f"nivel del pilar «{pillar.title}»",
                values=list(PILLAR_LEVELS),
                says={level: f"el pilar «{pillar.title}» está en nivel {_LEVEL_WORDS[level]}" for level in PILLAR_LEVELS},
            )
        for idea in self.catalogue.ideas:
            number = int(idea.id.split(".")[1])
            specs[idea.id] = FactSpec(
                key=idea.id,
                label=f"idea {number} («{idea.title}»)",
                values=list(IDEA_STATES),
                says={state: f"la idea {number} («{idea.title}») está {state}" for state in IDEA_STATES},
            )
        return specs

    @cached_property
    def compiled(self) -> list[CompiledRule]:
        """All rules, classifications expanded, sorted by id."""
        result = []
        for file, questionnaire, rule in self.rules:
            result.append(
                CompiledRule(
                    id=rule.id, title=rule.title, topic=rule.topic, when=rule.when, derive=rule.derive,
                    advice=rule.advice, source=rule.source, origin=rule.id, file=file,
                    questionnaire=questionnaire,
                )
            )
        for file, questionnaire, spec in self.classifications:
            result.extend(expand(spec, file, questionnaire))
        return sorted(result, key=lambda r: r.id)

    def rules_for(self, questionnaire: str) -> list[CompiledRule]:
        return [r for r in self.compiled if r.questionnaire == questionnaire]


_LEVEL_WORDS = {"inicial": "inicial", "en_desarrollo": "en desarrollo", "consolidado": "consolidado"}


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

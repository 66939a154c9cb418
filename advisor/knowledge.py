"""The knowledge base: rules, classifications and catalogues, as validated models.

Everything here is data read from ``knowledge_base/``. Each rule and catalogue
entry cites the item of the guide's inventory it encodes (K01–K40).
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Callable, Iterator, Literal, Mapping, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .i18n import N_, _
from .conditions import All, AnyOf, Condition, Not, Scalar, Test, support
from .path import PathSpec, Prerequisite
from .questionnaire import Identifier, KRef

if TYPE_CHECKING:
    from .guide import Guide

DottedId = Annotated[str, Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")]

#: Values of a pillar level and of an idea's estado (CONTRACT §2).
PILLAR_LEVELS = ("inicial", "en_desarrollo", "consolidado")
IDEA_STATES = ("cumplida", "parcial", "pendiente")


#: Catalogue lists a recommendation may list (``advice.items``).
ListName = Literal[
    "reasons", "agendas", "funding_sources", "cid_steps", "stakeholders", "positioning_actions",
    "cooperation_actions", "criteria", "indicators", "cases",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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

    def priority_for(self, facts: Mapping[str, Any]) -> int:
        """The priority on these facts: one level more urgent when ``urgent_when`` holds."""
        if self.urgent_when is not None and self.urgent_when.holds(facts):
            return max(1, self.priority - 1)
        return self.priority


class RuleSpec(_Model):
    """A rule: when its condition holds, it derives facts and/or gives advice."""

    __texts__ = ('title', 'own_criterion')
    id: DottedId
    title: str = Field(min_length=1)
    topic: Identifier = Field(description="Tema, para «advisor rules list --tema».")
    when: Condition
    derive: dict[DottedId, Scalar] = Field(default_factory=dict)
    advice: Advice | None = None
    path: PathSpec | None = Field(None, description="Etapa del camino de la guía y requisitos previos (advisor.path).")
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


class RuleFile(_Model):
    """One file of ``knowledge_base/reglas/``: rules for one questionnaire."""

    format: Literal[1]
    questionnaire: Identifier = Field(description="Cuestionario cuyas respuestas evalúan estas reglas.")
    rules: list[RuleSpec] = Field(default_factory=list)
    classifications: list[ClassificationSpec] = Field(default_factory=list)
    facts: list["FactSpec"] = Field(
        default_factory=list, description="Hechos deducidos que declaran estas reglas (además de hechos.yaml)."
    )


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
        description="«level»: el informe lo muestra en su tabla de niveles; «outcome»: es el resultado del cuestionario.",
    )
    title: str | None = Field(None, description="Nombre corto en la tabla de niveles del informe.")


RuleFile.model_rebuild()


class FactFile(_Model):
    format: Literal[1]
    facts: list[FactSpec]


class Pillar(_Model):
    __texts__ = ('title', 'description')
    id: Identifier
    title: str
    description: str
    groups: list[Identifier] = Field(description="Grupos de claves de respuesta que informan este pilar (p. ej. «apoyo»).")
    source: Source


class Idea(_Model):
    __texts__ = ('title', 'text')
    id: Annotated[str, Field(pattern=r"^idea\.(0[1-9]|1[01])$")]
    title: str
    text: str
    source: Source


class Match(_Model):
    """Why a catalogue entry was listed under a recommendation."""

    done: bool | None = Field(description="True when the answers show it is already done; None when not asked.")
    facts: tuple[str, ...] = Field(description="Keys of the facts whose tests held.")
    notes: tuple[str, ...] = ()


class Entry(_Model):
    """A catalogue entry: something a recommendation can list (a network, a
    funding source, an action…), listed only when its condition holds."""

    __texts__ = ('name', 'text', 'own_criterion')
    id: Identifier
    name: str = Field(min_length=1)
    text: str = Field("", description="Qué es o qué ofrece, en una o dos oraciones.")
    url: str | None = Field(None, description="Enlace que da la guía.")
    own_criterion: str | None = Field(
        None, description="Lo que la entrada afirma o exige sin que lo diga la guía, en una oración."
    )
    when: Condition | None = Field(None, description="Se lista solo si se cumple.")
    done_when: Condition | None = Field(None, description="Se marca como ya cumplido si se cumple.")
    source: Source

    def listing(self) -> Condition | None:
        """The condition under which the entry is listed."""
        return self.when

    def details(self) -> list[str]:
        """The entry's own list (objectives, questions, indicators…) for reports."""
        return []

    def criterion(self) -> str | None:
        """What the entry assumes that the guide does not say (criterio_propio)."""
        return self.own_criterion

    def conditions(self) -> list[Condition]:
        return [c for c in (self.listing(), self.done_when) if c is not None]

    def match(self, facts: Mapping[str, Any]) -> Match | None:
        """Whether the entry applies to these facts, and why."""
        condition = self.listing()
        if condition is not None and not condition.holds(facts):
            return None
        done = None if self.done_when is None else self.done_when.holds(facts)
        held = support(condition, facts) if condition is not None else []
        if done:
            held += [k for k in support(self.done_when, facts) if k not in held]
        return Match(done=done, facts=tuple(held))


class Network(Entry):
    """A city network (K14). ``when`` says who may join."""

    __texts__ = Entry.__texts__ + ('members', 'joining')
    scope: Literal["global", "regional", "nacional"]
    themes: list[Identifier] = Field(default_factory=list, description="Temas prioritarios (prioridades.temas) que trabaja.")
    reasons: list[Identifier] = Field(default_factory=list, description="Razones (prioridades.razones) a las que sirve.")
    members: str = Field(min_length=1, description="Quiénes pueden sumarse, en español llano.")
    joining: str | None = Field(None, description="Cómo se adhiere, cuando la guía o la red lo publican.")
    joinable: bool = Field(True, description="False: ya no suma miembros (un proyecto concluido); nunca se sugiere sumarse.")

    @model_validator(mode="after")
    def _has_purpose(self) -> "Network":
        if not self.themes and not self.reasons:
            raise ValueError(_("la red necesita themes o reasons: sin ellos nunca se recomendaría"))
        return self


class FundingSource(Entry):
    """A source of development-cooperation funds (K18)."""

    __texts__ = Entry.__texts__ + ('funds',)
    kind: Literal["banco", "gobierno_local", "organismo_multilateral", "agencia", "red", "filantropia"]
    reimbursable: bool | None = Field(None, description="True: préstamos; False: donaciones; None: ambos o no se sabe.")
    funds: str = Field(min_length=1, description="Qué financia.")

    def details(self) -> list[str]:
        kinds = {
            "banco": _("Banco de desarrollo"), "gobierno_local": _("Gobierno local o regional"),
            "organismo_multilateral": _("Organismo multilateral"), "agencia": _("Agencia de cooperación"),
            "red": _("Red de ciudades"), "filantropia": _("Fundación filantrópica"),
        }
        money = {True: _("préstamos (reembolsables)"), False: _("donaciones (no reembolsables)"), None: None}[self.reimbursable]
        return [_("Tipo: {kind}", kind=kinds[self.kind]), _("Financia: {funds}", funds=self.funds),
                *([_("Modalidad: {money}", money=money)] if money else [])]


class Agenda(Entry):
    """One of the seven global agendas (K03)."""

    year: int

    def details(self) -> list[str]:
        return [_("Año: {year}", year=self.year)]


class Reason(Entry):
    """A reason to act abroad, with its objectives (K02)."""

    __texts__ = Entry.__texts__ + ('objectives',)
    objectives: list[str] = Field(min_length=1)

    def details(self) -> list[str]:
        return list(self.objectives)


class Stakeholder(Entry):
    """A kind of actor of the territory's stakeholder map (K25)."""

    __texts__ = Entry.__texts__ + ('examples',)
    sector: Literal["publico", "privado", "academico", "social", "internacional"]
    examples: list[str] = Field(default_factory=list)

    def details(self) -> list[str]:
        return [_("Por ejemplo: {examples}", examples=", ".join(self.examples))] if self.examples else []


class Action(Entry):
    """A positioning or cooperation action (K09, K31), listed only when the
    budget and staff it needs are there."""

    budget: Literal["ninguno", "operativo", "propio"] = Field(description="Presupuesto mínimo que requiere.")
    staff: int = Field(0, ge=0, description="Personas mínimas en el equipo.")

    def listing(self) -> Condition | None:
        needs: list[Condition] = []
        if self.budget != "ninguno":
            scale = ["operativo", "propio"] if self.budget == "operativo" else ["propio"]
            needs.append(Test(fact="recursos.presupuesto", **{"in": scale}))
        if self.staff:
            needs.append(Test(fact="recursos.equipo", ge=self.staff))
        if self.when is not None:
            needs.append(self.when)
        return All(all=needs) if needs else None

    def details(self) -> list[str]:
        scale = {"ninguno": _("no requiere presupuesto propio"), "operativo": _("requiere al menos presupuesto operativo"),
                 "propio": _("requiere presupuesto propio para actividades")}[self.budget]
        team = ("" if not self.staff else _("; un equipo de al menos una persona") if self.staff == 1
                else _("; un equipo de al menos {n} personas", n=self.staff))
        return [_("Escala: {scale}{team}.", scale=scale, team=team)]

    def criterion(self) -> str | None:
        if self.own_criterion or (self.budget == "ninguno" and not self.staff):
            return self.own_criterion
        return _("La guía no dice qué presupuesto ni cuántas personas pide cada acción; la escala es una "
                 "estimación de advisor para no sugerir lo que no está a su alcance.")


class CidStep(Entry):
    """One of the ten steps to reach development-cooperation funds (K19)."""

    __texts__ = Entry.__texts__ + ('needs',)
    number: int = Field(ge=1, le=10)
    needs: str = Field(min_length=1, description="Qué datos o insumos requiere el paso.")

    def details(self) -> list[str]:
        return [_("Qué necesita: {needs}", needs=self.needs)]


class Criterion(Entry):
    """A project design criterion with its verification questions (K34, K38)."""

    __texts__ = Entry.__texts__ + ('questions',)
    questions: list[str] = Field(min_length=1)

    def details(self) -> list[str]:
        return list(self.questions)


class IndicatorSet(Entry):
    """Result indicators of one theme (K39)."""

    __texts__ = Entry.__texts__ + ('indicators',)
    indicators: list[str] = Field(min_length=1)

    def details(self) -> list[str]:
        return list(self.indicators)


class Trait(_Model):
    __texts__ = ('says',)
    says: str = Field(min_length=1, description="El rasgo, dicho del caso: «es una provincia fronteriza».")
    when: Condition


class ReferenceCase(Entry):
    """A reference case of Annex II (K40), suggested when enough of its traits
    are shared with the user's profile."""

    __texts__ = Entry.__texts__ + ('place',)
    place: str
    traits: list[Trait] = Field(min_length=2)
    similar: int = Field(ge=1, description="Rasgos compartidos necesarios para sugerir el caso.")

    def conditions(self) -> list[Condition]:
        return [*super().conditions(), *(t.when for t in self.traits)]

    def match(self, facts: Mapping[str, Any]) -> Match | None:
        shared = [t for t in self.traits if t.when.holds(facts)]
        if len(shared) < self.similar:
            return None
        keys = [k for t in shared for k in support(t.when, facts)]
        return Match(done=None, facts=tuple(dict.fromkeys(keys)), notes=tuple(t.says for t in shared))


class _Lists(_Model):
    networks: list[Network] = Field(default_factory=list)
    reasons: list[Reason] = Field(default_factory=list)
    agendas: list[Agenda] = Field(default_factory=list)
    funding_sources: list[FundingSource] = Field(default_factory=list)
    cid_steps: list[CidStep] = Field(default_factory=list)
    stakeholders: list[Stakeholder] = Field(default_factory=list)
    positioning_actions: list[Action] = Field(default_factory=list)
    cooperation_actions: list[Action] = Field(default_factory=list)
    criteria: list[Criterion] = Field(default_factory=list)
    indicators: list[IndicatorSet] = Field(default_factory=list)
    cases: list[ReferenceCase] = Field(default_factory=list)


class Catalogue(_Lists):
    """``knowledge_base/catalogo.yaml``: the version, pillars and ideas; the
    lists of ``catalogos/`` are merged in when the knowledge base loads."""

    format: Literal[1]
    version: str = Field(description="Versión de la base de conocimiento; aparece en los informes.")
    pillars: list[Pillar] = Field(min_length=1)
    ideas: list[Idea] = Field(min_length=11, max_length=11)

    def entries(self, name: str) -> list[Entry]:
        return list(getattr(self, name))

    def keyed(self) -> Iterator[tuple[str, str, Any]]:
        """Every pillar, idea and catalogue entry as (kind, "kind:id", entry)."""
        for kind in ("pillars", "ideas", *CATALOGUE_LISTS):
            for entry in getattr(self, kind):
                yield kind, f"{kind}:{entry.id}", entry


class CatalogueFile(_Lists):
    """One file of ``knowledge_base/catalogos/``: one or more catalogue lists."""

    format: Literal[1]


#: Every list a catalogue file may hold, in the order reports and checks use.
CATALOGUE_LISTS: tuple[str, ...] = ("networks", *get_args(ListName))


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


class KnowledgeBase:
    """Every rule and catalogue, with where each came from (file and line)."""

    def __init__(
        self,
        catalogue: Catalogue,
        facts: list[FactSpec],
        rules: list[tuple[str, str, RuleSpec]],
        classifications: list[tuple[str, str, ClassificationSpec]],
        lines: dict[str, tuple[str, int | None]],
        guide: "Guide | None" = None,
    ):
        self.guide = guide
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
                label=_("nivel del pilar «{title}»", title=pillar.title),
                values=list(PILLAR_LEVELS),
                says={level: _("el pilar «{title}» está en nivel {level}", title=pillar.title, level=_(_LEVEL_WORDS[level]))
                      for level in PILLAR_LEVELS},
            )
        for idea in self.catalogue.ideas:
            number = int(idea.id.split(".")[1])
            specs[idea.id] = FactSpec(
                key=idea.id,
                label=_("idea {number} («{title}»)", number=number, title=idea.title),
                values=list(IDEA_STATES),
                says={state: _("la idea {number} («{title}») está {state}", number=number, title=idea.title,
                               state=_(_STATE_WORDS[state])) for state in IDEA_STATES},
            )
        return specs

    @cached_property
    def compiled(self) -> list[CompiledRule]:
        """All rules, classifications expanded, sorted by id."""
        result = []
        for file, questionnaire, rule in self.rules:
            items = rule.advice.items if rule.advice else None
            result.append(
                CompiledRule(
                    id=rule.id, title=rule.title, topic=rule.topic, when=rule.when, derive=rule.derive,
                    advice=rule.advice, source=rule.source, path=rule.path, own_criterion=rule.own_criterion,
                    origin=rule.id, file=file,
                    questionnaire=questionnaire, entries=tuple(self.catalogue.entries(items)) if items else (),
                )
            )
        for network in (n for n in self.catalogue.networks if n.joinable):
            file, _line = self.lines.get(f"networks:{network.id}", ("knowledge_base/catalogos", None))
            result.append(network_rule(network, file))
        for file, questionnaire, spec in self.classifications:
            result.extend(expand(spec, file, questionnaire))
        return sorted(result, key=lambda r: r.id)

    def translated(self, fn: Callable[[str], str]) -> "KnowledgeBase":
        """The same knowledge base with ``fn`` applied to every user-facing text."""
        from .i18n import walk

        return KnowledgeBase(
            walk(self.catalogue, fn), walk(self.facts, fn),
            [(file, q, walk(rule, fn)) for file, q, rule in self.rules],
            [(file, q, walk(spec, fn)) for file, q, spec in self.classifications],
            self.lines, self.guide,
        )

    def rules_for(self, questionnaire: str) -> list[CompiledRule]:
        return [r for r in self.compiled if r.questionnaire == questionnaire]


#: The derived fact and value that open the door to new networks (redes.yaml derives it).
NETWORK_GATE = Test(fact="redes.margen", equals="disponible")
NETWORK_QUESTIONNAIRE = "diagnostico"


def network_rule(network: Network, file: str) -> CompiledRule:
    """``red.<id>``: join a network that serves the priorities, admits the
    government, and that it does not already belong to (K14, K15)."""
    purpose: list[Condition] = []
    if network.themes:
        purpose.append(Test(fact="prioridades.temas", **{"in": list(network.themes)}))
    if network.reasons:
        purpose.append(Test(fact="prioridades.razones", **{"in": list(network.reasons)}))
    parts: list[Condition] = [
        NETWORK_GATE,
        Not(not_=Test(fact="antecedentes.redes", contains=network.id)),
        purpose[0] if len(purpose) == 1 else AnyOf(any=purpose),
    ]
    if network.when is not None:
        parts.append(network.when)
    steps = [_("Quiénes pueden sumarse: {members}", members=network.members)]
    steps.append(_("Cómo sumarse: {joining}", joining=network.joining) if network.joining else
                 _("Cómo sumarse: cada red tiene su vía; algunas reciben una solicitud escrita del jefe de gobierno, "
                   "otras cobran una cuota de afiliación (K15). Consúltelo en el sitio de la red."))
    steps.append(_("Antes de decidir, responda las siete preguntas de la guía para elegir una red (K15)."))
    if network.url:
        steps.append(_("Más información: {url}", url=network.url))
    return CompiledRule(
        id=f"red.{network.id}",
        title=_("Evaluar sumarse a {name}", name=network.name),
        topic="redes",
        when=All(all=parts),
        derive={},
        advice=Advice(priority=4, text=network.text or _("{name} trabaja temas que usted prioriza.", name=network.name), steps=steps),
        source=network.source,
        path=PathSpec(
            stage="accion", ref="K15",
            requires=[Prerequisite(rule="recursos.designar_responsable", ref="K15"),
                      Prerequisite(rule="plan.elaborar_pai", ref="K15")],
            done=_("Respondió las siete preguntas sobre {name} y decidió, con su plan a la vista, si sumarse.",
                   name=network.name),
        ),
        own_criterion=network.own_criterion or _(
            "La guía no dice quiénes pueden sumarse a {name}: «Quiénes pueden sumarse» resume lo que la red "
            "publica, y advisor la sugiere solo a quienes lo cumplen. Confírmelo en su sitio antes de decidir.",
            name=network.name),
        origin=f"networks:{network.id}",
        file=file,
        questionnaire=NETWORK_QUESTIONNAIRE,
    )


_LEVEL_WORDS = {"inicial": N_("inicial"), "en_desarrollo": N_("en desarrollo"), "consolidado": N_("consolidado")}
_STATE_WORDS = {"cumplida": N_("cumplida"), "parcial": N_("parcial"), "pendiente": N_("pendiente")}


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

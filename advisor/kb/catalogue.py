"""The catalogues: pillars, ideas and the lists recommendations show
(networks, funders, actions, cases…), each entry with when it applies and why."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Iterator, Literal, Mapping, get_args

from pydantic import Field, model_validator

from ..i18n import _, current, ngettext
from ..model.conditions import All, Condition, Test, support, verdict
from ..model.questionnaire import Identifier
from ..model.vocabulary import Modality, modalities_said
from .schema import ListName, Source, _Model


class Pillar(_Model):
    __texts__ = ('title', 'description')
    id: Identifier
    title: str
    description: str
    groups: list[Identifier] = Field(
        description="Grupos de claves de respuesta que informan este pilar (p. ej. «apoyo»).")
    source: Source


class Idea(_Model):
    __texts__ = ('title', 'text')
    id: Annotated[str, Field(pattern=r"^idea\.(0[1-9]|1[01])$")]
    title: str
    text: str
    source: Source


class Match(_Model):
    """Why a catalogue entry was listed under a recommendation."""

    done: bool | None = Field(description="True when the answers show it is already done, False when they show it is "
                                          "not; None when not asked, or when what it looks at was not answered.")
    facts: tuple[str, ...] = Field(description="Keys of the facts whose tests held.")
    notes: tuple[str, ...] = ()


class Entry(_Model):
    """A catalogue entry: something a recommendation can list (a network, a
    funding source, an action…), listed only when its condition holds."""

    __texts__: ClassVar[tuple[str, ...]] = ('name', 'text', 'own_criterion')
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

    def funding_modalities(self) -> list[str]:
        """How a funding source supports (``MODALITIES``); none for other entries."""
        return []

    def cost(self) -> tuple[int, int] | None:
        """What it costs, as (budget, staff) ranks to order a list by; None for
        entries that cost nothing the profile can weigh."""
        return None

    def criterion(self) -> str | None:
        """What this entry alone assumes that the guide does not say (criterio_propio)."""
        return self.own_criterion

    def list_criterion(self) -> str | None:
        """What every entry of its kind assumes that the guide does not say: the
        report says it once under the list, not on each line."""
        return None

    def conditions(self) -> list[Condition]:
        return [c for c in (self.listing(), self.done_when) if c is not None]

    def match(self, facts: Mapping[str, Any]) -> Match | None:
        """Whether the entry applies to these facts, and why."""
        condition = self.listing()
        if condition is not None and not condition.holds(facts):
            return None
        done = None if self.done_when is None else verdict(self.done_when, facts)
        held = support(condition, facts) if condition is not None else []
        if done and self.done_when is not None:
            held += [k for k in support(self.done_when, facts) if k not in held]
        return Match(done=done, facts=tuple(held))


class Network(Entry):
    """A city network (K14). ``when`` says who may join."""

    __texts__ = Entry.__texts__ + ('members', 'joining')
    scope: Literal["global", "regional", "nacional"]
    themes: list[Identifier] = Field(default_factory=list,
                                     description="Temas prioritarios (prioridades.temas) que trabaja.")
    reasons: list[Identifier] = Field(default_factory=list,
                                      description="Razones (prioridades.razones) a las que sirve.")
    members: str = Field(min_length=1, description="Quiénes pueden sumarse, en español llano.")
    joining: str | None = Field(None, description="Cómo se adhiere, cuando la guía o la red lo publican.")
    joinable: bool = Field(True, description="False: no es una red a la que sumarse (un proyecto concluido, un "
                                             "observatorio, una plataforma); nunca se sugiere sumarse.")
    article: Literal["el", "la", "los", "las"] | None = Field(
        None, description="El artículo que lleva el nombre en una oración («sumarse a la Red…»); ninguno para «a C40».")
    about: Literal["guia", "nombra", "enlace"] | None = Field(
        None, description="De dónde sale «text»: la guía la describe (guia); la nombra, y lo demás resume lo que "
                          "la red publica (nombra); la guía solo da su enlace (enlace).")

    def called(self, preposition: str = "") -> str:
        """The name as a Spanish sentence uses it, after ``preposition``
        («a la Red…», «al Centro…», «sobre C40»); other languages get the name."""
        if current() != "es":
            return self.name  # the translation says its own preposition
        if self.article is None:
            return f"{preposition} {self.name}".strip()
        if self.article == "el" and preposition in ("a", "de"):
            return f"{preposition}l {self.name}"
        return f"{preposition} {self.article} {self.name}".strip()

    def provenance(self) -> str | None:
        """What of its description advisor adds to what the guide says; None
        when the guide itself describes it."""
        if self.about in (None, "guia"):
            return None
        if self.about == "nombra":
            return _("La guía nombra {name}; el resto de la descripción resume lo que la red publica, "
                     "no lo dice la guía.", name=self.called())
        return _("La guía solo da el enlace de {name}; la descripción resume lo que la red publica, no lo dice "
                 "la guía.", name=self.called())

    @model_validator(mode="after")
    def _has_purpose(self) -> "Network":
        if not self.themes and not self.reasons:
            raise ValueError(_("la red necesita themes o reasons: sin ellos nunca se recomendaría"))
        return self


class FundingSource(Entry):
    """A source of development-cooperation funds or support (K18). Some give
    money, lent or granted; others knowledge, training, exchange or technical
    assistance (non-financial cooperation, K16): ``modalities`` says which."""

    __texts__ = Entry.__texts__ + ('funds',)
    kind: Literal["banco", "gobierno_local", "organismo_multilateral", "agencia", "red", "filantropia"]
    modalities: list[Modality] = Field(
        min_length=1,
        description="Cómo apoya (K16): financiera_no_reembolsable, financiera_reembolsable, no_financiera."
    )
    funds: str = Field(min_length=1, description="Qué financia u ofrece.")

    def funding_modalities(self) -> list[str]:
        return list(self.modalities)

    def offer_label(self) -> str:
        """What it does with «funds»: a source of non-financial cooperation only never «financia»."""
        money = any(m != "no_financiera" for m in self.modalities)
        other = "no_financiera" in self.modalities
        return _("Financia u ofrece") if money and other else _("Financia") if money else _("Ofrece")

    def details(self) -> list[str]:
        kinds = {
            "banco": _("Banco de desarrollo"), "gobierno_local": _("Gobierno local o regional"),
            "organismo_multilateral": _("Organismo multilateral"), "agencia": _("Agencia de cooperación"),
            "red": _("Red de ciudades"), "filantropia": _("Fundación filantrópica"),
        }
        return [_("Tipo: {kind}", kind=kinds[self.kind]), _("{label}: {value}", label=self.offer_label(),
                                                            value=self.funds),
                _("Modalidad: {money}", money=modalities_said(self.modalities))]

    def list_criterion(self) -> str | None:
        # The guide lists funding sources by name and link only (lines 1548-1585).
        return _("La guía nombra estas fuentes y da su sitio; lo que cada una financia u ofrece y su modalidad "
                 "resumen lo que la fuente publica.")


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


#: The budgets an action may need, cheapest first.
BUDGETS = ("ninguno", "operativo", "propio")


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

    def cost(self) -> tuple[int, int]:
        return BUDGETS.index(self.budget), self.staff

    def details(self) -> list[str]:
        scale = {"ninguno": _("no requiere presupuesto propio"),
                 "operativo": _("requiere al menos presupuesto operativo"),
                 "propio": _("requiere presupuesto propio para actividades")}[self.budget]
        team = "" if not self.staff else ngettext("; un equipo de al menos una persona",
                                                  "; un equipo de al menos {n} personas", self.staff, n=self.staff)
        return [_("Escala: {scale}{team}.", scale=scale, team=team)]

    def list_criterion(self) -> str | None:
        if self.budget == "ninguno" and not self.staff:
            return None
        return _("La guía no dice qué presupuesto ni cuántas personas pide cada acción, salvo que las delegaciones "
                 "en el exterior, las ferias y una gran campaña piden mucho presupuesto y que voceros, un portal o "
                 "una cuenta en redes no; la «Escala» de cada una es una estimación de advisor para no "
                 "sugerir lo que no está a su alcance y empezar por lo que menos cuesta.")


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

    __texts__ = ('ideas_criterion',)
    format: Literal[1]
    version: str = Field(description="Versión de la base de conocimiento; aparece en los informes.")
    pillars: list[Pillar] = Field(min_length=1)
    ideas: list[Idea] = Field(min_length=11, max_length=11)
    ideas_criterion: str | None = Field(
        None, description="Lo que decide si cada idea se cumple y la guía no dice, en una o dos oraciones."
    )

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

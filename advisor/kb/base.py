"""The knowledge base: every rule, classification and catalogue entry read from
``knowledge_base/``, with where each came from, compiled for the engines."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable

from ..i18n import _
from ..model.conditions import tests
from ..model.vocabulary import IDEA_STATES, LEVEL_WORDS, PILLAR_LEVELS, STATE_WORDS
from .catalogue import Catalogue
from .compile import CompiledRule, Written, expand, network_rule, stage_classifications
from .path import DONE_FACT, DONE_VALUES
from .schema import FactSpec, SaturationRule, SaturationSpec

if TYPE_CHECKING:
    from .guide import Guide


class KnowledgeBase:
    """Every rule and catalogue, with where each came from (file and line)."""

    def __init__(
        self,
        catalogue: Catalogue,
        facts: list[FactSpec],
        rules: list[Written],
        classifications: list[Written],
        lines: dict[str, tuple[str, int | None]],
        guide: "Guide | None" = None,
        stages: list[Written] | None = None,
    ):
        self.guide = guide
        self.catalogue = catalogue
        self.facts = facts
        self.rules = rules
        self.written_classifications = classifications
        #: The stages of the guide's path (``stages:`` of the rule files).
        self.stages = stages or []
        #: Rule or classification id → (file, line), for error messages.
        self.lines = lines

    @property
    def version(self) -> str:
        return self.catalogue.version

    @cached_property
    def classifications(self) -> list[Written]:
        """The classifications written in the files, then those each stage
        compiles into: whether each milestone is met and the stage's state."""
        specs = {w.spec.id: w.spec for w in self.rules}
        generated = [Written(file, questionnaire, spec) for file, questionnaire, stage in self.stages
                     for spec in stage_classifications(stage, specs)]
        return [*self.written_classifications, *generated]

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
                says={level: _("el pilar «{title}» está en nivel {level}", title=pillar.title,
                               level=_(LEVEL_WORDS[level]))
                      for level in PILLAR_LEVELS},
            )
        for idea in self.catalogue.ideas:
            number = int(idea.id.split(".")[1])
            specs[idea.id] = FactSpec(
                key=idea.id,
                label=_("idea {number} («{title}»)", number=number, title=idea.title),
                values=list(IDEA_STATES),
                says={state: _("la idea {number} («{title}») está {state}", number=number, title=idea.title,
                               state=_(STATE_WORDS[state])) for state in IDEA_STATES},
            )
        for written in self.classifications:
            key = written.spec.fact
            if key.startswith(DONE_FACT.format(id="")):
                title = next(w.spec.title for w in self.rules if w.spec.id == key[len(DONE_FACT.format(id="")):])
                specs[key] = FactSpec(
                    key=key, label=_("si «{title}» ya está cumplido", title=title), values=list(DONE_VALUES),
                    says={"si": _("«{title}» ya está cumplido", title=title),
                          "no": _("«{title}» todavía no está cumplido", title=title),
                          "desconocido": _("no se sabe si «{title}» está cumplido: depende de preguntas sin respuesta",
                                           title=title)},
                )
        return specs

    @cached_property
    def compiled(self) -> list[CompiledRule]:
        """All rules, classifications expanded, sorted by id."""
        result = []
        steps = {w.spec.id: w.spec.advice.steps for w in self.rules if getattr(w.spec, "advice", None)}
        for file, questionnaire, rule in self.rules:  # Written records
            items = rule.advice.items if rule.advice else None
            result.append(
                CompiledRule(
                    id=rule.id, title=rule.title, topic=rule.topic, when=rule.when, derive=rule.derive,
                    advice=_with_steps(rule.advice, steps), source=rule.source, path=rule.path,
                    own_criterion=rule.own_criterion,
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

    def saturation(self, fact: str) -> "SaturationSpec | None":
        """The criterion of how many memberships a team sustains, as the fact ``fact`` applies it."""
        return next((w.spec.saturation for w in self.rules
                     if isinstance(w.spec, SaturationRule) and w.spec.saturation.fact == fact), None)

    @cached_property
    def on_saturation(self) -> frozenset[str]:
        """Ids of the rules whose condition rests, through derived facts, on
        how many memberships a team sustains (``kb.saturation``)."""
        saturation = {w.spec.saturation.fact for w in self.rules if isinstance(w.spec, SaturationRule)}
        deriving: dict[str, list[CompiledRule]] = {}
        for rule in self.compiled:
            for key in rule.derive:
                deriving.setdefault(key, []).append(rule)
        rests: dict[str, bool] = {}

        def rests_on(key: str) -> bool:
            if key not in rests:
                rests[key] = False  # derived facts form no cycle (kb.strata); this only ends the walk
                rests[key] = key in saturation or any(
                    rests_on(test.fact) for rule in deriving.get(key, []) for test, _negated in tests(rule.when))
            return rests[key]

        return frozenset(r.id for r in self.compiled if any(rests_on(t.fact) for t, _negated in tests(r.when)))

    def translated(self, fn: Callable[[str], str]) -> "KnowledgeBase":
        """The same knowledge base with ``fn`` applied to every user-facing text."""
        from ..io.translations import walk

        return KnowledgeBase(
            walk(self.catalogue, fn), walk(self.facts, fn),
            [written._replace(spec=walk(written.spec, fn)) for written in self.rules],
            [written._replace(spec=walk(written.spec, fn)) for written in self.written_classifications],
            self.lines, self.guide, [written._replace(spec=walk(written.spec, fn)) for written in self.stages],
        )

    def rules_for(self, questionnaire: str) -> list[CompiledRule]:
        """The compiled rules of one questionnaire, sorted by id."""
        return list(self._by_questionnaire.get(questionnaire, ()))

    @cached_property
    def _by_questionnaire(self) -> dict[str, tuple[CompiledRule, ...]]:
        # Asked on every answer saved and every report: sorted out once.
        found: dict[str, list[CompiledRule]] = {}
        for rule in self.compiled:
            found.setdefault(rule.questionnaire, []).append(rule)
        return {name: tuple(rules) for name, rules in found.items()}


def _with_steps(advice: Any, steps: dict[str, list[str]]) -> Any:
    """The advice with each addendum's text followed by the steps it borrows
    (``steps_of``): written once in the knowledge base, said where both apply."""
    if advice is None or not any(a.steps_of for a in advice.addenda):
        return advice
    addenda = [a.model_copy(update={"text": " ".join([a.text, *steps.get(a.steps_of, [])])}) if a.steps_of else a
               for a in advice.addenda]
    return advice.model_copy(update={"addenda": addenda})

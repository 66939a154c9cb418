"""Forward chaining, independent of the engine that runs it.

Answers become facts, rules fire, derived facts chain into further rules, and
every firing records the facts the engine matched. Rules are stratified, so
the result never depends on the order an engine happens to fire them in.
Two engines run the same compiled rules: experta (the default, in
``engine.experta``) and CLIPS (``engine.clips``, the optional ``clips`` extra).
The strata and the rules' conjunctions are the knowledge base's (``kb.strata``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, Iterable, Mapping

from ..errors import EngineError, Problem, UsageError, suggest
from ..i18n import _, one_of
from ..kb.catalogue import Entry, Match
from ..kb.compile import CompiledRule
from ..kb.strata import stratify

#: Firings allowed per rule and run before the run is declared runaway.
FIRINGS_PER_RULE = 20

#: Engine name → module holding its ``Advisor`` subclass, imported on demand.
ENGINES = {"experta": "experta", "clips": "clips"}
DEFAULT_ENGINE = "experta"


@dataclass(frozen=True)
class Firing:
    """A rule that fired, with the facts the engine matched (merged over all
    the alternatives of the rule that held)."""

    rule: CompiledRule
    matched: tuple[tuple[str, Any], ...]


@dataclass
class Inference:
    """What one run concluded."""

    facts: dict[str, Any]
    #: Derived fact key → the firing that derived it.
    derivations: dict[str, Firing] = field(default_factory=dict)
    #: Advice rule id → its firing.
    advice: dict[str, Firing] = field(default_factory=dict)
    #: Advice rule id → the catalogue entries it lists that apply, with why.
    listed: dict[str, list[tuple[Entry, Match]]] = field(default_factory=dict)


def freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


class Advisor:
    """The knowledge base compiled once for one engine, run per profile.

    A subclass compiles ``self.rules`` in ``_compile`` and, in ``_infer``,
    returns the facts in working memory and, per rule that fired, the key and
    value of every fact it matched.
    """

    name = ""

    def __init__(self, rules: list[CompiledRule], fact_order: Iterable[str] = (),
                 cache_key: tuple[str, str] | None = None, firings: int | None = None):
        self.rules = rules
        #: (name, key): where an engine may keep what it compiled, and what names
        #: these exact rules (the checked bundle's fingerprint and the
        #: questionnaire); None: never kept.
        self.cache_key = cache_key
        self.strata = stratify(rules)
        self._top = max(self.strata.values(), default=0)
        self._by_id = {rule.id: rule for rule in rules}
        #: The facts' order in explanations (the questionnaire's), as given.
        self.fact_order = list(fact_order)
        self._order = {key: i for i, key in enumerate(self.fact_order)}
        #: Rule firings a run may take before it is refused as runaway.
        self._limit = firings or FIRINGS_PER_RULE * max(len(rules), 1)
        self._compile()

    def _compile(self) -> None:
        raise NotImplementedError

    def _infer(self, answers: list[tuple[str, Any]]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        raise NotImplementedError

    def salience(self, rule: CompiledRule) -> int:
        """Earlier strata fire first: the higher salience, the earlier."""
        return self._top - self.strata[rule.id]

    def runaway(self) -> EngineError:
        return EngineError(
            Problem(
                _("la inferencia superó el límite de {limit} disparos de reglas", limit=self._limit),
                expected=_("una base de conocimiento cuyas reglas terminan"),
            )
        )

    def _sort_key(self, key: str) -> tuple[int, str]:
        return (self._order.get(key, 10**6), key)

    def run(self, answers: Mapping[str, Any]) -> Inference:
        """Infer from answers given as ``{"section.question": value}``."""
        ordered = sorted(((k, freeze(v)) for k, v in answers.items()), key=lambda kv: self._sort_key(kv[0]))
        facts, matched = self._infer(ordered)
        inference = Inference(facts=facts)
        for rule_id in sorted(matched):
            rule = self._by_id[rule_id]
            keys = sorted(matched[rule_id].items(), key=lambda kv: self._sort_key(kv[0]))
            firing = Firing(rule, tuple(keys))
            for key in rule.derive:
                inference.derivations.setdefault(key, firing)
            if rule.advice is None:
                continue
            if rule.entries:
                # Advice that lists a catalogue says nothing when no entry applies.
                listed = applicable(rule.entries, facts)
                if not listed:
                    continue
                inference.listed[rule.id] = listed
            inference.advice[rule.id] = firing
        return inference


def backend(engine: str) -> type[Advisor]:
    """The ``Advisor`` class of the engine of that name, or a UsageError saying
    which engines exist or what to install."""
    if engine not in ENGINES:
        raise UsageError(
            Problem(
                _("no existe el motor «{engine}»", engine=engine),
                key="--engine",
                expected=one_of(ENGINES),
                suggestion=suggest(engine, list(ENGINES)),
            )
        )
    return import_module(f".{ENGINES[engine]}", __package__).Advisor


def create(engine: str, rules: list[CompiledRule], fact_order: Iterable[str] = (),
           cache_key: tuple[str, str] | None = None, firings: int | None = None) -> Advisor:
    """The rules compiled for the engine of that name; a run takes at most
    ``firings`` rule firings (by default FIRINGS_PER_RULE per rule)."""
    return backend(engine)(rules, fact_order, cache_key, firings)


def applicable(entries: Iterable[Entry], facts: Mapping[str, Any]) -> list[tuple[Entry, Match]]:
    """The entries whose conditions hold on the settled facts, in catalogue order."""
    result = []
    for entry in entries:
        match = entry.match(facts)
        if match is not None:
            result.append((entry, match))
    return result

"""Forward chaining on experta: the knowledge base compiled into rules.

Answers become facts, rules fire, derived facts chain into further rules, and
every firing records the facts the engine matched. Rules are stratified, so
the result never depends on the order experta happens to fire them in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

import bisect

from ._experta import AND, NOT, Fact, KnowledgeEngine, P, Rule, Strategy
from .conditions import Test, conjunctions, matches, tests
from .errors import EngineError, KnowledgeBaseError, Problem
from .knowledge import CompiledRule, Entry, Match

#: Firings allowed per rule and run before the run is declared runaway.
FIRINGS_PER_RULE = 20


class Datum(Fact):
    """One fact in working memory: an answer or a derived fact."""


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


def stratify(rules: Iterable[CompiledRule]) -> dict[str, int]:
    """Stratum of each rule: every rule comes after the rules that derive the
    facts it tests, so a ``not`` is only tested once its fact is settled. Our
    rules need no recursion, so any cycle is refused."""
    rules = list(rules)
    producers: dict[str, list[str]] = {}
    for rule in rules:
        for key in rule.derive:
            producers.setdefault(key, []).append(rule.id)
    parents: dict[str, set[str]] = {
        rule.id: {p for test, _ in tests(rule.when) for p in producers.get(test.fact, ())} for rule in rules
    }
    stratum: dict[str, int] = {}
    visiting: list[str] = []

    def depth(rule_id: str) -> int:
        # The longest chain of producers above a rule.
        if rule_id in stratum:
            return stratum[rule_id]
        if rule_id in visiting:
            cycle = visiting[visiting.index(rule_id):] + [rule_id]
            raise KnowledgeBaseError(
                Problem(
                    "las reglas forman un ciclo: " + " → ".join(cycle),
                    key=rule_id,
                    expected="reglas sin ciclos: ningún hecho puede depender de sí mismo",
                )
            )
        visiting.append(rule_id)
        level = 1 + max((depth(p) for p in sorted(parents[rule_id])), default=-1)
        visiting.pop()
        stratum[rule_id] = level
        return level

    for rule in rules:
        depth(rule.id)
    return stratum


def _pattern(test: Test, bind: str | None) -> Datum:
    if test.op == "answered":
        pattern = Datum(key=test.fact)
    elif test.op == "equals" and isinstance(test.value, str):
        pattern = Datum(key=test.fact, value=test.value)
    else:
        op, expected = test.op, test.value
        pattern = Datum(key=test.fact, value=P(lambda actual: matches(op, expected, actual)))
    return bind << pattern if bind else pattern  # type: ignore[operator]


#: Alternatives (conjunctions) one rule may expand into.
MAX_ALTERNATIVES = 256


def alternatives(rule: CompiledRule) -> list[list[tuple[Test, bool]]]:
    """The rule's condition as conjunctions of (test, negated), duplicates and
    self-contradictions removed.

    experta's own handling of ``OR`` and of ``NOT`` over compound conditions
    loses matches (a rule whose alternatives are all negations may never
    fire), so experta only ever sees conjunctions of single patterns.
    """
    result = []
    expanded = conjunctions(rule.when, limit=MAX_ALTERNATIVES + 1)
    if len(expanded) > MAX_ALTERNATIVES:
        raise KnowledgeBaseError(
            Problem(
                f"la condición de la regla «{rule.id}» es demasiado compleja",
                file=rule.file,
                key=rule.origin,
                expected=f"como máximo {MAX_ALTERNATIVES} alternativas al desplegar any y not",
            )
        )
    for alternative in expanded:
        unique: list[tuple[Test, bool]] = []
        for item in alternative:
            if item not in unique:
                unique.append(item)
        if any((test, not negated) in unique for test, negated in unique):
            continue
        if unique not in result:
            result.append(unique)
    return result


def _lhs(alternative: list[tuple[Test, bool]]) -> Any:
    patterns = []
    bound = 0
    for test, negated in alternative:
        if test.op == "answered" and not test.answered:
            test, negated = Test(fact=test.fact, answered=True), not negated
        if negated:
            patterns.append(NOT(_pattern(test, None)))
        else:
            patterns.append(_pattern(test, f"m{bound}"))
            bound += 1
    return AND(*patterns)


def _rhs(rule: CompiledRule):
    def fire(engine: "_Engine", **bound: Datum) -> None:
        engine.record(rule, bound.values())
        for key, value in rule.derive.items():
            engine.declare(Datum(key=key, value=value))

    fire.__name__ = rule.id
    return fire


class _Agenda(Strategy):
    """experta's depth strategy, made exact and deterministic.

    experta removes a cancelled activation by looking only next to where its
    key would sort; with many activations of equal key (rules of one stratum
    that match only absences) it misses, and a rule whose ``not`` no longer
    holds still fires (experta issue #10). Here removal is exact, and ties are
    broken by rule id instead of by set iteration order.
    """

    def get_key(self, activation):
        facts = sorted((f["__factid__"] for f in activation.facts), reverse=True)
        return (activation.rule.salience, facts, activation.rule.__name__)

    def _update_agenda(self, agenda, added, removed):
        for activation in removed:
            activation.key = self.get_key(activation)
            agenda.activations = [a for a in agenda.activations if a != activation]
        for activation in added:
            activation.key = self.get_key(activation)
            bisect.insort(agenda.activations, activation)


class _Engine(KnowledgeEngine):
    """The experta engine; subclasses carry the compiled rules as attributes."""

    __strategy__ = _Agenda

    def begin(self, order: Mapping[str, int]) -> None:
        self._order = order
        self._matched: dict[str, dict[str, Any]] = {}
        self._rules: dict[str, CompiledRule] = {}

    def record(self, rule: CompiledRule, facts: Iterable[Datum]) -> None:
        matched = self._matched.setdefault(rule.id, {})
        for fact in facts:
            matched[fact["key"]] = fact["value"] if "value" in fact else None
        self._rules[rule.id] = rule

    def firings(self) -> list[Firing]:
        result = []
        for rule_id in sorted(self._matched):
            matched = self._matched[rule_id]
            ordered = tuple(sorted(matched.items(), key=lambda kv: (self._order.get(kv[0], 10**6), kv[0])))
            result.append(Firing(self._rules[rule_id], ordered))
        return result


class Advisor:
    """The knowledge base compiled once into an experta engine, run per profile."""

    def __init__(self, rules: list[CompiledRule], fact_order: Iterable[str] = ()):
        self.rules = rules
        self.strata = stratify(rules)
        top = max(self.strata.values(), default=0)
        attributes: dict[str, Any] = {}
        for index, rule in enumerate(rules):
            salience = top - self.strata[rule.id]
            fire = _rhs(rule)
            for branch, alternative in enumerate(alternatives(rule)):
                attributes[f"rule_{index}_{branch}"] = Rule(_lhs(alternative), salience=salience)(fire)
        engine_class = type("CompiledAdvisor", (_Engine,), attributes)
        self._engine = engine_class()
        self._limit = FIRINGS_PER_RULE * max(len(rules), 1)
        self._order = {key: i for i, key in enumerate(fact_order)}

    def run(self, answers: Mapping[str, Any]) -> Inference:
        """Infer from answers given as ``{"section.question": value}``."""
        engine = self._engine
        engine.reset()
        engine.begin(self._order)
        ordered = sorted(answers.items(), key=lambda kv: (self._order.get(kv[0], 10**6), kv[0]))
        engine.declare(*[Datum(key=key, value=freeze(value)) for key, value in ordered])
        engine.run(self._limit)
        if engine.agenda.activations:
            raise EngineError(
                Problem(
                    f"la inferencia superó el límite de {self._limit} disparos de reglas",
                    expected="una base de conocimiento cuyas reglas terminan",
                )
            )
        facts = {
            fact["key"]: fact["value"]
            for fact in engine.facts.values()
            if isinstance(fact, Datum) and "value" in fact
        }
        inference = Inference(facts=facts)
        for firing in engine.firings():
            for key in firing.rule.derive:
                inference.derivations.setdefault(key, firing)
            if firing.rule.advice is None:
                continue
            if firing.rule.entries:
                # Advice that lists a catalogue says nothing when no entry applies.
                listed = applicable(firing.rule.entries, facts)
                if not listed:
                    continue
                inference.listed[firing.rule.id] = listed
            inference.advice[firing.rule.id] = firing
        return inference


def applicable(entries: Iterable[Entry], facts: Mapping[str, Any]) -> list[tuple[Entry, Match]]:
    """The entries whose conditions hold on the settled facts, in catalogue order."""
    result = []
    for entry in entries:
        match = entry.match(facts)
        if match is not None:
            result.append((entry, match))
    return result

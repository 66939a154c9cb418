"""The knowledge base compiled into experta rules: the default engine."""

from __future__ import annotations

import bisect
from typing import Any, Iterable

from ._experta import AND, NOT, Fact, KnowledgeEngine, P, Rule, Strategy
from .conditions import Test, matches
from .engine import Advisor as _Advisor
from .engine import alternatives
from .knowledge import CompiledRule


class Datum(Fact):
    """One fact in working memory: an answer or a derived fact."""


def _pattern(test: Test, bind: str | None) -> Datum:
    if test.op == "answered":
        pattern = Datum(key=test.fact)
    elif test.op == "equals" and isinstance(test.value, str):
        pattern = Datum(key=test.fact, value=test.value)
    else:
        op, expected = test.op, test.value
        pattern = Datum(key=test.fact, value=P(lambda actual: matches(op, expected, actual)))
    return bind << pattern if bind else pattern  # type: ignore[operator]


def _lhs(alternative: list[tuple[Test, bool]]) -> Any:
    patterns = []
    for test, negated in alternative:
        patterns.append(NOT(_pattern(test, None)) if negated else _pattern(test, f"m{len(patterns)}"))
    return AND(*patterns)


def _rhs(rule: CompiledRule):
    def fire(engine: "_Engine", **bound: Datum) -> None:
        engine.record(rule.id, bound.values())
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

    def begin(self) -> None:
        self.matched: dict[str, dict[str, Any]] = {}

    def record(self, rule_id: str, facts: Iterable[Datum]) -> None:
        matched = self.matched.setdefault(rule_id, {})
        for fact in facts:
            matched[fact["key"]] = fact["value"] if "value" in fact else None


class Advisor(_Advisor):
    """The rules as one experta ``KnowledgeEngine`` class, built once."""

    name = "experta"

    def _compile(self) -> None:
        attributes: dict[str, Any] = {}
        for index, rule in enumerate(self.rules):
            fire = _rhs(rule)
            for branch, alternative in enumerate(alternatives(rule)):
                attributes[f"rule_{index}_{branch}"] = Rule(_lhs(alternative), salience=self.salience(rule))(fire)
        self._engine = type("CompiledAdvisor", (_Engine,), attributes)()

    def _infer(self, answers):
        engine = self._engine
        engine.reset()
        engine.begin()
        engine.declare(*[Datum(key=key, value=value) for key, value in answers])
        engine.run(self._limit)
        if engine.agenda.activations:
            raise self.runaway()
        facts = {
            fact["key"]: fact["value"]
            for fact in engine.facts.values()
            if isinstance(fact, Datum) and "value" in fact
        }
        return facts, engine.matched

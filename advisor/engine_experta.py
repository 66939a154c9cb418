"""The knowledge base compiled into experta rules: the default engine."""

from __future__ import annotations

import bisect
from functools import lru_cache
from typing import Any, Iterable

from ._experta import AND, NOT, Fact, KnowledgeEngine, NoMemory, P, Rule, Strategy, Token, TypeCheck
from .conditions import Test, matches
from .engine import Advisor as _Advisor
from .engine import alternatives
from .knowledge import CompiledRule


class Datum(Fact):
    """One fact in working memory: an answer or a derived fact."""


@lru_cache(maxsize=None)
def datum(key: str) -> type[Datum]:
    """The fact class of one key. With a class per key, a fact is routed to
    the patterns on its key alone (see ``_route_by_class``), instead of being
    tested against every pattern of every key."""
    return type(f"Datum[{key}]", (Datum,), {})


def _pattern(test: Test, bind: str | None) -> Datum:
    cls = datum(test.fact)
    if test.op == "answered":
        pattern = cls()
    elif test.op == "equals" and isinstance(test.value, str):
        pattern = cls(value=test.value)
    else:
        op, expected = test.op, test.value
        pattern = cls(value=P(lambda actual: matches(op, expected, actual)))
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
            engine.declare(datum(key)(key=key, value=value))

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
        if removed:
            for activation in removed:
                activation.key = self.get_key(activation)
            # One pass over the agenda, by hash, however many are removed.
            gone = set(removed)
            agenda.activations = [a for a in agenda.activations if a not in gone]
        for activation in added:
            activation.key = self.get_key(activation)
            bisect.insort(agenda.activations, activation)


class _Engine(KnowledgeEngine):
    """The experta engine; subclasses carry the compiled rules as attributes."""

    __strategy__ = _Agenda

    def run(self, steps: int) -> None:
        """experta's own loop, less what costs without serving us.

        experta formats every fact of every firing for its log even when
        logging is off, and asks the whole network for changes after every
        firing; most of our firings (advice) declare nothing, so the network
        is asked only when facts changed.
        """
        self.running = True
        while steps > 0:
            if self.facts.added or self.facts.removed:
                self.strategy.update_agenda(self.agenda, *self.get_activations())
            activation = self.agenda.get_next()
            if activation is None:
                break
            steps -= 1
            activation.rule(self, **{k: v for k, v in activation.context.items() if not k.startswith("__")})
        self.running = False

    def begin(self) -> None:
        self.matched: dict[str, dict[str, Any]] = {}

    def record(self, rule_id: str, facts: Iterable[Datum]) -> None:
        matched = self.matched.setdefault(rule_id, {})
        for fact in facts:
            matched[fact["key"]] = fact["value"] if "value" in fact else None


def _route_by_class(engine: KnowledgeEngine) -> None:
    """Make the network's root send each fact only to the branches that test
    its class.

    experta's root offers every fact to every branch, one token copy and one
    test each; with a class per key, that is about sixty tests per fact where
    one will do. Every branch below the root starts with its pattern's class
    test (experta sorts that check first), so routing by class skips only
    branches whose first test would fail.
    """
    root = engine.matcher.root_node
    branches: dict[type, list[Any]] = {}
    for child in root.children:
        check = child.node.matcher
        if not isinstance(check, TypeCheck):  # pragma: no cover - experta changed
            return
        branches.setdefault(check.fact_type, []).append(child)

    def send(token: Any, fact: Any) -> None:
        for child in branches.get(type(fact), ()):
            child.callback(token)

    root.add = lambda fact: send(Token.valid(fact), fact)
    root.remove = lambda fact: send(Token.invalid(fact), fact)


def _reset_each_node_once(engine: KnowledgeEngine) -> None:
    """Make the network's reset visit each node with memory once.

    experta resets recursively, through every path: a node shared by many
    rules is reset once per path (about 2,800 visits for 1,650 nodes here),
    and most nodes (the tests) have no memory to reset.
    """
    nodes: dict[int, Any] = {}
    pending = [engine.matcher.root_node]
    while pending:
        node = pending.pop()
        if id(node) not in nodes:
            nodes[id(node)] = node
            pending.extend(child.node for child in node.children)
    resets = [node._reset for node in nodes.values() if not isinstance(node, NoMemory)]

    def reset() -> None:
        for node_reset in resets:
            node_reset()

    engine.matcher.reset = reset


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
        _route_by_class(self._engine)
        _reset_each_node_once(self._engine)

    def _infer(self, answers):
        engine = self._engine
        engine.reset()
        engine.begin()
        engine.declare(*[datum(key)(key=key, value=value) for key, value in answers])
        engine.run(self._limit)
        if engine.agenda.activations:
            raise self.runaway()
        facts = {
            fact["key"]: fact["value"]
            for fact in engine.facts.values()
            if isinstance(fact, Datum) and "value" in fact
        }
        return facts, engine.matched

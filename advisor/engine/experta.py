"""The knowledge base compiled into experta rules: the default engine."""

from __future__ import annotations

import bisect
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from ..io import cache
from ..kb.compile import CompiledRule
from ..kb.strata import alternatives
from ..model.conditions import Test, matches
from ._experta import (
    AND,
    NOT,
    ChildNode,
    ConditionalElement,
    Fact,
    FeatureCheck,
    KnowledgeEngine,
    NoMemory,
    P,
    Rule,
    Strategy,
    Token,
    TypeCheck,
    experta_version,
)
from .base import Advisor as _Advisor

#: Values experta would store as they are: freezing them through its
#: dispatcher was a tenth of an inference.
_FROZEN = frozenset({str, int, float, bool, type(None)})


class Datum(Fact):
    """One fact in working memory: an answer or a derived fact."""

    def __setitem__(self, key: Any, value: Any) -> None:
        if type(value) in _FROZEN and self.__factid__ is None:
            dict.__setitem__(self, key, value)
        else:
            super().__setitem__(key, value)  # lists and the like frozen, a declared fact refused, as experta does


@lru_cache(maxsize=None)
def datum(key: str) -> type[Datum]:
    """The fact class of one key. With a class per key, a fact is routed to
    the patterns on its key alone (see ``_route_by_class``), instead of being
    tested against every pattern of every key. Named so that pickle finds it
    again through this module's ``__getattr__``."""
    name = f"Datum_{key.encode('utf-8').hex()}"
    return type(name, (Datum,), {"__module__": __name__, "__qualname__": name})


def __getattr__(name: str) -> type[Datum]:
    if name.startswith("Datum_"):
        try:
            return datum(bytes.fromhex(name[6:]).decode("utf-8"))
        except ValueError:
            pass
    raise AttributeError(name)


class _Matches:
    """A test on a fact's value, as an object (a lambda could not be kept in
    the cache). Equal tests are one object to the network, so the patterns
    that make the same test share one node of it instead of each running it."""

    __slots__ = ("op", "expected")

    def __init__(self, op: str, expected: Any):
        self.op, self.expected = op, expected

    def __call__(self, actual: Any) -> bool:
        return matches(self.op, self.expected, actual)

    def _identity(self) -> tuple:
        # The type of the value is part of it: True is not 1 (conditions.same).
        expected = self.expected
        items = tuple(expected) if isinstance(expected, (list, tuple)) else (expected,)
        return self.op, tuple((type(item), item) for item in items), isinstance(expected, (list, tuple))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Matches) and self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())


class _Fire:
    """What a rule does when it fires: record what it matched, declare what
    it derives. An object, not a closure, so the network can be cached."""

    def __init__(self, rule: CompiledRule):
        self.rule_id, self.derive = rule.id, dict(rule.derive)
        self.__name__ = self.__qualname__ = rule.id

    def __call__(self, engine: "_Engine", **bound: Datum) -> None:
        engine.record(self.rule_id, bound.values())
        for key, value in self.derive.items():
            engine.declare(datum(key)(key=key, value=value))


def _feature_check(check: Any) -> tuple:
    # experta keeps a closure in each check; it is rebuilt from what it tests.
    return FeatureCheck, (check.what, check.how)


class _ChildLink:
    """Rebuilds a node's link to a child: the child and the name of the
    method that receives tokens (a bound method, which pickle would keep as a
    call to getattr, a door the cache's unpickler keeps shut)."""

    METHODS = ("activate", "activate_left", "activate_right")

    def __new__(cls, node: Any, method: str) -> Any:
        if method not in cls.METHODS:
            raise ValueError(method)
        return ChildNode(node, getattr(node, method))


def _child_node(child: Any) -> tuple:
    return _ChildLink, (child.node, child.callback.__name__)


class _Element:
    """Rebuilds one of experta's conditional elements (rules, patterns, field
    constraints): tuples whose own constructors take other arguments than
    their items, so pickle's default way to rebuild a tuple fails on them."""

    def __new__(cls, kind: type, items: tuple, state: dict[str, Any]) -> Any:
        if not issubclass(kind, ConditionalElement):
            raise TypeError(kind)
        element: Any = tuple.__new__(kind, items)
        element.__dict__.update(state)
        return element


def _element(element: Any) -> tuple:
    return _Element, (type(element), tuple(element), dict(getattr(element, "__dict__", {})))


def _reducers() -> dict[type, Any]:
    """How to keep what pickle cannot keep as it is, by exact type."""
    reducers: dict[type, Any] = {FeatureCheck: _feature_check, ChildNode: _child_node}
    pending = [ConditionalElement]
    while pending:
        kind = pending.pop()
        pending.extend(kind.__subclasses__())
        reducers[kind] = _element
    return reducers


def _pattern(test: Test, bind: str | None) -> Datum:
    cls = datum(test.fact)
    if test.op == "answered":
        pattern = cls()
    elif test.op == "equals" and isinstance(test.value, str):
        pattern = cls(value=test.value)
    else:
        pattern = cls(value=P(_Matches(test.op, test.value)))
    return bind << pattern if bind else pattern


def _lhs(alternative: list[tuple[Test, bool]]) -> Any:
    patterns: list[Any] = []
    for test, negated in alternative:
        patterns.append(NOT(_pattern(test, None)) if negated else _pattern(test, f"m{len(patterns)}"))
    return AND(*patterns)


class _Agenda(Strategy):
    """experta's depth strategy, made exact and deterministic.

    experta removes a cancelled activation by looking only next to where its
    key would sort; with many activations of equal key (rules of one stratum
    that match only absences) it misses, and a rule whose ``not`` no longer
    holds still fires (experta issue #10). Here the key names the rule, so
    removal finds exactly its activation, and ties are broken by rule id
    instead of by set iteration order.
    """

    def get_key(self, activation):
        facts = sorted((f["__factid__"] for f in activation.facts), reverse=True)
        return (activation.rule.salience, facts, activation.rule.__name__)

    def _update_agenda(self, agenda, added, removed):
        activations = agenda.activations
        for activation in removed:
            key = activation.key = self.get_key(activation)
            # The agenda is sorted by key; only the branches of one rule share
            # a key (they bear the rule's name), so the few of equal key are
            # compared whole.
            index = bisect.bisect_left(activations, activation)
            while index < len(activations) and activations[index].key == key:
                if activations[index] == activation:
                    del activations[index]
                    break
                index += 1
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


def _collect_from_touched_rules(engine: KnowledgeEngine) -> None:
    """Make the network hand over new activations from the rules that got a
    token since it was last asked, instead of asking every rule each time.

    experta asks all of its terminal nodes (one per rule alternative, about
    four hundred here) after every firing that changes a fact, although a
    firing touches a handful; that was a fifth of an inference.
    """
    matcher, root = engine.matcher, engine.matcher.root_node
    nodes = matcher._get_conflict_set_nodes()
    touched: set[int] = set()
    for index, node in enumerate(nodes):
        def activate(token: Any, _receive: Any = node._activate, _index: int = index) -> None:
            touched.add(_index)
            _receive(token)

        node._activate = activate

    def changes(adding: Iterable[Any] | None = None, deleting: Iterable[Any] | None = None) -> tuple[list, list]:
        for fact in deleting or ():
            root.remove(fact)
        for fact in adding or ():
            root.add(fact)
        added: list[Any] = []
        removed: list[Any] = []
        # In the network's own order, as experta asks them.
        for index in sorted(touched):
            node_added, node_removed = nodes[index].get_activations()
            added.extend(node_added)
            removed.extend(node_removed)
        touched.clear()
        return added, removed

    network_reset = matcher.reset

    def reset() -> None:
        # What a run left unasked (one refused as runaway) must not reach the next.
        for index in touched:
            nodes[index].get_activations()
        touched.clear()
        network_reset()

    matcher.changes = changes
    matcher.reset = reset


class Advisor(_Advisor):
    """The rules as one experta ``KnowledgeEngine`` class, built once."""

    name = "experta"

    def _compile(self) -> None:
        if self.cache_key:
            # Building experta's network is most of a command's start-up; it is
            # kept in the cache beside the knowledge base it was built from.
            # One entry per installation, language and questionnaire: a new
            # version or a changed base replaces it instead of piling up.
            name, fingerprint = self.cache_key
            key = cache.fingerprint([fingerprint, experta_version], [Path(__file__)])
            network = cache.cached(f"experta-{name}", key, self._network, modules=("experta.",),
                                   reducers=_reducers())
        else:
            network = self._network()
        engine = _Engine()
        engine.matcher, network.engine = network, engine
        _route_by_class(engine)
        _reset_each_node_once(engine)
        _collect_from_touched_rules(engine)
        self._engine = engine

    def _network(self) -> Any:
        """experta's RETE network for the rules, detached from the engine
        class that built it (that class holds the rules, and is not kept)."""
        attributes: dict[str, Any] = {}
        for index, rule in enumerate(self.rules):
            fire = _Fire(rule)
            for branch, alternative in enumerate(alternatives(rule)):
                attributes[f"rule_{index}_{branch}"] = Rule(_lhs(alternative), salience=self.salience(rule))(fire)
        network = type("CompiledAdvisor", (_Engine,), attributes)().matcher
        network.engine = None
        return network

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

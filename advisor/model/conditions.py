"""The condition language of questionnaires and rules.

A condition is plain data, never code::

    all: [cond, …]          every one holds
    any: [cond, …]          at least one holds
    not: cond               it does not hold
    fact: KEY               a test on one fact, with exactly one operator:
      equals: V | in: [V…] | contains: V | gt/ge/lt/le: N | answered: true/false

On a fact whose value is a list (a question with several options),
``contains`` asks for one item, ``in`` for any of several items, and the
comparisons count the items chosen.

A test on a fact that is absent is false (``answered: false`` aside), so
``not`` reads "it is not known that…": the closed-world reading the engine uses.
"""

from __future__ import annotations

from typing import Annotated, Any, Iterator, Mapping, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from ..i18n import N_, _

Scalar = Union[bool, int, float, str]

#: Operators of a test, in the order they are documented.
OPERATORS = ("equals", "in", "contains", "gt", "ge", "lt", "le", "answered")
COMPARISONS = {"gt": ">", "ge": "≥", "lt": "<", "le": "≤"}


class _Node(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class Test(_Node):
    """A test on one fact."""

    fact: str = Field(min_length=1, description="Clave de una respuesta o de un hecho deducido.")
    equals: Scalar | None = None
    in_: list[Scalar] | None = Field(default=None, alias="in", min_length=1)
    contains: Scalar | None = None
    gt: float | None = None
    ge: float | None = None
    lt: float | None = None
    le: float | None = None
    answered: bool | None = None

    @model_validator(mode="after")
    def _one_operator(self) -> "Test":
        used = [op for op in OPERATORS if self._raw(op) is not None]
        if len(used) != 1:
            raise ValueError(_(
                "una prueba sobre un hecho lleva exactamente un operador ({operators}); aquí hay {count}",
                operators=", ".join(OPERATORS), count=len(used) or _("ninguno"),
            ))
        # Kept once validated, in the instance's own dictionary: reports ask for it
        # thousands of times a run, and pydantic's private attributes are slow to read.
        object.__setattr__(self, "_operator", used[0])
        return self

    def _raw(self, op: str) -> Any:
        return self.in_ if op == "in" else getattr(self, op)

    @property
    def op(self) -> str:
        operator: str = self.__dict__["_operator"]
        return operator

    @property
    def value(self) -> Any:
        return self._raw(self.op)

    def holds(self, facts: Mapping[str, Any]) -> bool:
        if self.op == "answered":
            return (self.fact in facts) == self.answered
        if self.fact not in facts:
            return False
        return matches(self.op, self.value, facts[self.fact])


class All(_Node):
    all: list["Condition"] = Field(min_length=1)

    def holds(self, facts: Mapping[str, Any]) -> bool:
        return all(c.holds(facts) for c in self.all)


class AnyOf(_Node):
    any: list["Condition"] = Field(min_length=1)

    def holds(self, facts: Mapping[str, Any]) -> bool:
        return any(c.holds(facts) for c in self.any)


class Not(_Node):
    not_: "Condition" = Field(alias="not")

    def holds(self, facts: Mapping[str, Any]) -> bool:
        return not self.not_.holds(facts)


def _kind(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in ("all", "any", "not"):
            if key in value:
                return key
        return "test"
    kinds: dict[type, str] = {All: "all", AnyOf: "any", Not: "not", Test: "test"}
    return kinds.get(type(value))


Condition = Annotated[
    Union[
        Annotated[All, Tag("all")],
        Annotated[AnyOf, Tag("any")],
        Annotated[Not, Tag("not")],
        Annotated[Test, Tag("test")],
    ],
    Discriminator(
        _kind,
        custom_error_type="condition",
        custom_error_message=N_("se esperaba una condición: all, any, not o fact"),
    ),
]

# No model_rebuild() here: the models are deferred, and pydantic resolves
# «Condition» from this module on first validation, so a command that reads
# the cached base never builds their validators.


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def same(a: Any, b: Any) -> bool:
    """Equality that keeps booleans apart from numbers (``True`` is not ``1``)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if _number(a) and _number(b):
        return a == b
    return type(a) is type(b) and a == b


def matches(op: str, expected: Any, actual: Any) -> bool:
    """Whether a present fact's value passes one operator. Total: never raises."""
    is_list = isinstance(actual, (list, tuple))
    if op == "equals":
        return same(actual, expected)
    if op == "in":
        items = actual if is_list else (actual,)
        return any(same(item, option) for item in items for option in expected)
    if op == "contains":
        return is_list and any(same(item, expected) for item in actual)
    if op in COMPARISONS:
        if is_list:
            actual = len(actual)
        if not _number(actual):
            return False
        return {
            "gt": actual > expected,
            "ge": actual >= expected,
            "lt": actual < expected,
            "le": actual <= expected,
        }[op]
    return False


def tests(condition: Condition, negated: bool = False) -> Iterator[tuple[Test, bool]]:
    """Every test in a condition, with whether it sits under an odd number of ``not``."""
    if isinstance(condition, Test):
        yield condition, negated
    elif isinstance(condition, All):
        for child in condition.all:
            yield from tests(child, negated)
    elif isinstance(condition, AnyOf):
        for child in condition.any:
            yield from tests(child, negated)
    elif isinstance(condition, Not):
        yield from tests(condition.not_, not negated)


def conjunctions(condition: Condition, limit: int = 512) -> list[list[tuple[Test, bool]]]:
    """The condition in disjunctive normal form: a list of alternatives, each a
    list of (test, negated) that must all hold. Stops growing past ``limit``."""
    if isinstance(condition, Test):
        return [[(condition, False)]]
    if isinstance(condition, Not):
        inner = condition.not_
        if isinstance(inner, Test):
            return [[(inner, True)]]
        if isinstance(inner, Not):
            return conjunctions(inner.not_, limit)
        if isinstance(inner, All):  # De Morgan
            return conjunctions(AnyOf(any=[Not(not_=c) for c in inner.all]), limit)
        return conjunctions(All(all=[Not(not_=c) for c in inner.any]), limit)
    if isinstance(condition, AnyOf):
        result: list[list[tuple[Test, bool]]] = []
        for child in condition.any:
            result.extend(conjunctions(child, limit))
        return result[:limit]
    product: list[list[tuple[Test, bool]]] = [[]]
    for child in condition.all:
        product = [left + right for left in product for right in conjunctions(child, limit)][:limit]
    return product


def support(condition: Condition, facts: Mapping[str, Any]) -> list[str]:
    """Keys of the present facts whose tests make a condition hold, in order;
    what a report cites as the reason a catalogue entry applies."""
    keys: list[str] = []
    if isinstance(condition, Test):
        if condition.fact in facts and condition.holds(facts):
            keys.append(condition.fact)
    elif isinstance(condition, (All, AnyOf)):
        children = condition.all if isinstance(condition, All) else condition.any
        for child in children:
            if child.holds(facts):
                keys += [k for k in support(child, facts) if k not in keys]
    return keys


def certain(condition: Condition, truth: bool = True) -> Condition:
    """A condition that holds when the answers show ``condition`` to be
    ``truth`` (true, or false), whatever the questions left blank would say:
    a test on an absent fact is neither. The three-valued reading of «done»
    as a condition, so the engines compute it as they compute any fact."""
    if isinstance(condition, Test):
        if truth or condition.op == "answered":
            return condition if truth else Not(not_=condition)
        return All(all=[Test(fact=condition.fact, answered=True), Not(not_=condition)])
    if isinstance(condition, Not):
        return certain(condition.not_, not truth)
    children = condition.all if isinstance(condition, All) else condition.any
    parts = [certain(c, truth) for c in children]
    if isinstance(condition, All) == truth:
        return All(all=parts)
    return AnyOf(any=parts)


def verdict(condition: Condition, facts: Mapping[str, Any]) -> bool | None:
    """Whether the facts show the condition to hold (True), not to hold
    (False), or cannot tell because what decides it was not answered (None):
    what ``certain`` compiles for the engines, read directly."""
    if isinstance(condition, Test):
        if condition.op != "answered" and condition.fact not in facts:
            return None
        return condition.holds(facts)
    if isinstance(condition, Not):
        inner = verdict(condition.not_, facts)
        return None if inner is None else not inner
    # «all» is decided by one False, «any» by one True; otherwise by all agreeing.
    every = isinstance(condition, All)
    children = condition.all if isinstance(condition, All) else condition.any
    seen = {verdict(child, facts) for child in children}
    decisive = not every
    if decisive in seen:
        return decisive
    return every if seen == {every} else None

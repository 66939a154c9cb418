"""The order rules fire in, and each rule as the conjunctions an engine runs:
properties of the knowledge base that ``kb check`` verifies and both engines
compile from."""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from ..errors import KnowledgeBaseError, Problem
from ..i18n import _
from ..model.conditions import Test, conjunctions, tests
from .compile import CompiledRule
from .path import PATH_STAGES, STAGE_FACT

#: Alternatives (conjunctions) one rule may expand into.
MAX_ALTERNATIVES = 256


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
                    _("las reglas forman un ciclo: {cycle}", cycle=" → ".join(cycle)),
                    key=rule_id,
                    expected=_("reglas sin ciclos: ningún hecho puede depender de sí mismo"),
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


def alternatives(rule: CompiledRule) -> list[list[tuple[Test, bool]]]:
    """The rule's condition as conjunctions of (test, negated), duplicates and
    self-contradictions removed, and ``answered: false`` read as a negated
    ``answered: true``, so an engine only ever sees conjunctions of patterns
    that a fact matches and of their absences.

    experta's own handling of ``OR`` and of ``NOT`` over compound conditions
    loses matches (a rule whose alternatives are all negations may never
    fire); expanding here also keeps both engines on one reading of a rule.
    """
    result = []
    expanded = conjunctions(rule.when, limit=MAX_ALTERNATIVES + 1)
    if len(expanded) > MAX_ALTERNATIVES:
        raise KnowledgeBaseError(
            Problem(
                _("la condición de la regla «{id}» es demasiado compleja", id=rule.id),
                file=rule.file,
                key=rule.origin,
                expected=_("como máximo {count} alternativas al desplegar any y not", count=MAX_ALTERNATIVES),
            )
        )
    seen = set()
    for alternative in expanded:
        # Keyed by what makes two tests equal: comparing the models themselves
        # dominated ``advisor kb check``.
        unique: dict[tuple[Any, ...], tuple[Test, bool]] = {}
        for test, negated in alternative:
            if test.op == "answered" and not test.answered:
                test, negated = Test(fact=test.fact, answered=True), not negated
            unique.setdefault(_identity(test, negated), (test, negated))
        if any(_identity(test, not negated) in unique for test, negated in unique.values()):
            continue
        if tuple(unique) not in seen:
            seen.add(tuple(unique))
            result.append(list(unique.values()))
    return result


def _identity(test: Test, negated: bool) -> tuple[Any, ...]:
    """Equal for two (test, negated) exactly when they are equal: a test has one operator."""
    value = test.value
    return test.fact, test.op, tuple(value) if isinstance(value, list) else value, negated


def settling(rules: Sequence[CompiledRule]) -> list[CompiledRule]:
    """The rules that derive what the path's state rests on: the stages' states
    and every fact a done-condition tests, followed down to the answers. Enough
    to know which stages and steps a change completes, in a fraction of a full run."""
    producers: dict[str, list[CompiledRule]] = {}
    for rule in rules:
        for fact in rule.derive:
            producers.setdefault(fact, []).append(rule)
    wanted = [STAGE_FACT.format(id=s) for s in PATH_STAGES]
    wanted += [t.fact for r in rules if r.path and r.path.done_when for t, _negated in tests(r.path.done_when)]
    kept: set[str] = set()
    seen: set[str] = set()
    while wanted:
        fact = wanted.pop()
        if fact not in seen:
            seen.add(fact)
            for rule in producers.get(fact, []):
                kept.add(rule.id)
                wanted += [t.fact for t, _negated in tests(rule.when)]
    return [rule for rule in rules if rule.id in kept]


def downstream(rules: Sequence[CompiledRule], keys: Iterable[str]) -> tuple[list[CompiledRule], set[str]]:
    """The rules whose firing may change when the facts ``keys`` change, and
    every fact that may change with them: the rules that test a changed fact,
    and all the rules deriving a fact that may change (its value is only known
    with all of its producers). The others fire as they did: the rules are
    stratified, so nothing they test can change."""
    changed = set(keys)
    kept: set[str] = set()
    grown = True
    while grown:
        grown = False
        for rule in rules:
            if rule.id not in kept and (changed.intersection(rule.derive)
                                        or any(t.fact in changed for t, _negated in tests(rule.when))):
                kept.add(rule.id)
                changed.update(rule.derive)
                grown = True
    return [rule for rule in rules if rule.id in kept], changed

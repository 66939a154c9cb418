"""The knowledge base compiled into CLIPS through clipspy: the second engine.

Every fact is a ``datum`` with its key, whether its value is a list, and the
value as a multifield. Each test of the condition language becomes a pattern
on those slots, compiled from the rules' data; no text from an answer file is
ever parsed as CLIPS code (answers enter through ``assert_fact``).
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import Problem, UsageError
from ..i18n import _
from ..kb.strata import alternatives
from ..model.conditions import COMPARISONS, Test
from .base import Advisor as _Advisor

try:
    import clips
except ImportError as error:  # pragma: no cover - exercised where the extra is missing
    raise UsageError(
        Problem(
            _("el motor CLIPS necesita el paquete opcional clipspy"),
            key="--engine",
            expected=_("instalarlo con: pip install 'advisor[clips]'"),
        )
    ) from error

#: The fact templates and the helper functions every compiled rule relies on:
#: a fact, the record of a firing with the facts it matched, equality that
#: keeps booleans (symbols) apart from numbers as ``conditions.same`` does,
#: and the number a comparison reads (a list counts its items).
PRELUDE = (
    "(deftemplate datum (slot key (type STRING)) (slot list (type SYMBOL)) (multislot value))",
    "(deftemplate fired (slot rule (type INTEGER)) (slot branch (type INTEGER)))",
    "(deffunction advisor-same (?a ?b)"
    " (if (and (numberp ?a) (numberp ?b)) then (= ?a ?b) else (eq ?a ?b)))",
    "(deffunction advisor-has (?x $?items)"
    " (foreach ?item ?items (if (advisor-same ?item ?x) then (return TRUE))) FALSE)",
    "(deffunction advisor-measure (?list $?value)"
    " (if (eq ?list TRUE) then (length$ ?value)"
    " else (if (and (= (length$ ?value) 1) (numberp (nth$ 1 ?value))) then (nth$ 1 ?value) else nil)))",
    # Facts cross between Python and CLIPS as flat multifields of plain
    # values, never as fact objects: clipspy's wrappers release their facts
    # outside a garbage frame, and CLIPS 6.4 then never frees them (a leak of
    # about 200 bytes per fact and run). Passing values, not code, also keeps
    # answers from ever being parsed as CLIPS.
    "(deffunction advisor-load ($?data)"
    " (reset) (bind ?i 1)"
    " (while (<= ?i (length$ ?data))"
    "  (bind ?n (nth$ (+ ?i 2) ?data))"
    "  (assert (datum (key (nth$ ?i ?data)) (list (nth$ (+ ?i 1) ?data))"
    "   (value (subseq$ ?data (+ ?i 3) (+ ?i 2 ?n)))))"
    "  (bind ?i (+ ?i 3 ?n)))"
    " nil)",
    "(deffunction advisor-dump ()"
    " (bind ?out (create$))"
    " (do-for-all-facts ((?f datum)) TRUE"
    "  (bind ?out (create$ ?out ?f:key ?f:list (length$ ?f:value) ?f:value)))"
    " (do-for-all-facts ((?f fired)) TRUE (bind ?out (create$ ?out ?f:rule ?f:branch)))"
    " ?out)",
)

_CLIPS_COMPARISON = {"gt": ">", "ge": ">=", "lt": "<", "le": "<="}
assert set(_CLIPS_COMPARISON) == set(COMPARISONS)


def literal(value: Any) -> str:
    """A value of the rules' data as a CLIPS literal."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(float(value)) if isinstance(value, float) else str(value)
    return json.dumps(str(value), ensure_ascii=False)


def _pattern(test: Test, n: int) -> str:
    """One test as a ``datum`` pattern; ``n`` keeps its variables apart."""
    key = f"(key {literal(test.fact)})"
    value, flag = f"$?v{n}", f"?l{n}"
    if test.op == "answered":
        return f"(datum {key})"
    if test.op == "equals":
        expected = test.value
        if isinstance(expected, (int, float)) and not isinstance(expected, bool):
            check = f"(value ?v{n}&:(and (numberp ?v{n}) (= ?v{n} {literal(expected)})))"
        else:
            check = f"(value {literal(expected)})"
        return f"(datum {key} (list FALSE) {check})"
    if test.op == "in":
        options = [f"(advisor-has {literal(option)} {value})" for option in test.value]
        check = options[0] if len(options) == 1 else f"(or {' '.join(options)})"
        return f"(datum {key} (value {value}&:{check}))"
    if test.op == "contains":
        return f"(datum {key} (list TRUE) (value {value}&:(advisor-has {literal(test.value)} {value})))"
    measure = f"(advisor-measure {flag} {value})"
    compare = f"({_CLIPS_COMPARISON[test.op]} {measure} {literal(test.value)})"
    return f"(datum {key} (list {flag}) (value {value}&:(numberp {measure})&:{compare}))"


def _value(item: Any) -> Any:
    if isinstance(item, clips.Symbol):
        return {"TRUE": True, "FALSE": False}.get(str(item), str(item))
    return item


class Advisor(_Advisor):
    """The rules built once into a CLIPS environment."""

    name = "clips"

    def _compile(self) -> None:
        self._env = env = clips.Environment()
        self._matches: dict[tuple[int, int], tuple[str, list[str]]] = {}
        for construct in PRELUDE:
            env.build(construct)
        for index, rule in enumerate(self.rules):
            derive = " ".join(
                f"(assert (datum (key {literal(k)}) (list FALSE) (value {literal(v)})))" for k, v in rule.derive.items()
            )
            for branch, alternative in enumerate(alternatives(rule)):
                patterns = [
                    f"(not {_pattern(test, n)})" if negated else _pattern(test, n)
                    for n, (test, negated) in enumerate(alternative)
                ]
                # Each positive test names its fact's key, so the facts a
                # firing matched are known here; the firing only says which.
                self._matches[index, branch] = (rule.id, [t.fact for t, negated in alternative if not negated])
                env.build(
                    f"(defrule r{index}-{branch} (declare (salience {self.salience(rule)}))\n  "
                    + "\n  ".join(patterns)
                    + f"\n  =>\n  (assert (fired (rule {index}) (branch {branch})))\n  {derive})"
                )

    def _infer(self, answers):
        data: list[Any] = []
        for key, value in answers:
            items = list(value) if isinstance(value, tuple) else [value]
            data += [key, clips.Symbol("TRUE" if isinstance(value, tuple) else "FALSE"), len(items), *items]
        env = self._env
        env.call("advisor-load", *data)
        if env.run(self._limit) >= self._limit and any(True for _ in env.activations()):
            raise self.runaway()
        dump = env.call("advisor-dump")
        facts: dict[str, Any] = {}
        fired = []
        i = 0
        while i < len(dump):
            if isinstance(dump[i], str):  # a datum: key, list flag, count, items
                n = dump[i + 2]
                values = tuple(_value(item) for item in dump[i + 3:i + 3 + n])
                facts[dump[i]] = values if dump[i + 1] == "TRUE" else values[0]
                i += 3 + n
            else:  # a firing: rule index, branch
                fired.append(self._matches[dump[i], dump[i + 1]])
                i += 2
        matched: dict[str, dict[str, Any]] = {}
        for rule_id, keys in fired:
            matched.setdefault(rule_id, {}).update((key, facts[key]) for key in keys)
        return facts, matched

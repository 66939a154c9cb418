"""Plain-Spanish sentences about facts and conditions, for the "por qué" of
every finding and for the advice that was not given."""

from __future__ import annotations

from typing import Any, Iterable

from .conditions import COMPARISONS, All, Not, Test, conjunctions
from .countries import country_name
from .knowledge import FactSpec, KnowledgeBase
from .questionnaire import BooleanSays, KeyedQuestion, Questionnaire


def join_or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " o " + items[-1]


def join_and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " y " + items[-1]


class Explainer:
    """Knows how each fact is said, from the questionnaire and the knowledge base."""

    def __init__(self, questionnaire: Questionnaire, kb: KnowledgeBase):
        self.questions: dict[str, KeyedQuestion] = questionnaire.by_key
        self.facts: dict[str, FactSpec] = kb.fact_specs

    def label(self, key: str) -> str:
        if key in self.questions:
            return self.questions[key].label
        if key in self.facts:
            return self.facts[key].label
        return key

    def value(self, key: str, value: Any) -> str:
        """A value as the user saw it (the option's label, «sí», a country's name…)."""
        question = self.questions.get(key)
        if isinstance(value, (list, tuple)):
            return join_and([self.value(key, v) for v in value]) if value else "ninguna"
        if question is not None:
            if question.type in ("choice", "multi"):
                option = question.option(value)
                return option.label if option else str(value)
            if question.type == "country":
                return country_name(value)
        if value is True:
            return "sí"
        if value is False:
            return "no"
        return str(value).replace("_", " ")

    def statement(self, key: str, value: Any) -> str:
        """What a fact says: «el territorio limita con otro país»."""
        question = self.questions.get(key)
        if question is not None:
            says = question.says
            if isinstance(says, BooleanSays) and isinstance(value, bool):
                return says.si if value else says.no
            if question.type == "choice":
                option = question.option(value)
                if option and option.says:
                    return option.says
            if isinstance(says, str) and not isinstance(value, (list, tuple)):
                return says.format(valor=self.value(key, value))
            return f"en «{question.label}»: {self.value(key, value)}"
        spec = self.facts.get(key)
        if spec is not None and str(value).lower() in spec.says:
            return spec.says[str(value).lower()]
        return f"{self.label(key)}: {self.value(key, value)}"

    def fact(self, key: str, value: Any) -> str:
        """The sentence for a fact the engine matched."""
        if key in self.questions:
            statement = self.statement(key, value)
            joiner = " " if statement.startswith("en «") else " que "
            return f"Indicó{joiner}{statement}."
        return f"Se dedujo que {self.statement(key, value)}."

    def unanswered(self, key: str) -> str:
        return f"No respondió «{self.label(key)}»."

    def test(self, test: Test) -> str:
        """What a test asks for, stated positively."""
        key, op, value = test.fact, test.op, test.value
        label = self.label(key)
        question = self.questions.get(key)
        is_list = question is not None and question.type == "multi"
        if op == "answered":
            return f"se respondió «{label}»" if value else f"no se respondió «{label}»"
        if op in COMPARISONS:
            number = int(value) if float(value).is_integer() else value
            bound = {"gt": f"más de {number}", "ge": f"al menos {number}", "lt": f"menos de {number}", "le": f"como máximo {number}"}[op]
            if is_list:
                return f"se marcaron {bound} opción(es) en «{label}»"
            return f"«{label}» es {bound}"
        values = value if op == "in" else [value]
        if is_list:
            return f"se marcó {join_or([f'«{self.value(key, v)}»' for v in values])} en «{label}»"
        if len(values) == 1 and (question is None or question.type in ("boolean", "choice")):
            return self.statement(key, values[0])
        if question is None:
            return f"{label}: {join_or([self.value(key, v) for v in values])}"
        return f"«{label}» es {join_or([f'«{self.value(key, v)}»' for v in values])}"

    def unmet(self, test: Test, negated: bool, facts: dict[str, Any]) -> str:
        """Why one test of a rule that did not fire fails, and what would unlock it."""
        wanted = self.test(test)
        current = (
            f" (respuesta actual: {self.value(test.fact, facts[test.fact])})" if test.fact in facts
            else " (sin respuesta)" if test.fact in self.questions else ""
        )
        if negated:
            return f"Haría falta que no se cumpla: {wanted}{current}."
        return f"Haría falta: {wanted}{current}."

    def negation(self, test: Test, facts: dict[str, Any]) -> str:
        """Why a rule with ``not`` fired: what the engine held instead."""
        if test.fact in facts:
            return self.fact(test.fact, facts[test.fact])
        if test.fact in self.questions:
            return self.unanswered(test.fact)
        return f"No se dedujo que {self.test(test)}."


def closest_unmet(condition: Any, facts: dict[str, Any]) -> list[tuple[Test, bool]]:
    """The tests that fail in the alternative of a condition closest to holding."""
    best: list[tuple[Test, bool]] | None = None
    for alternative in conjunctions(condition):
        failing = [(t, neg) for t, neg in alternative if t.holds(facts) == neg]
        if best is None or len(failing) < len(best):
            best = failing
    return best or []


def negated_tests(condition: Any) -> Iterable[Test]:
    """Tests a rule requires to be absent, at the top level of its condition."""
    parts = condition.all if isinstance(condition, All) else [condition]
    for part in parts:
        if isinstance(part, Not) and isinstance(part.not_, Test):
            yield part.not_
        elif isinstance(part, Test) and part.op == "answered" and not part.answered:
            yield Test(fact=part.fact, answered=True)

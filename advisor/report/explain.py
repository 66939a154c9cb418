"""Plain sentences about facts and conditions, for the "por qué" of every
finding and for the advice that was not given."""

from __future__ import annotations

from typing import Any, Iterable

from ..i18n import _, joined, number
from ..kb.base import KnowledgeBase
from ..kb.schema import FactSpec
from ..model.conditions import COMPARISONS, All, Not, Test, conjunctions
from ..model.countries import country_name
from ..model.questionnaire import BooleanSays, KeyedQuestion, Questionnaire


def others(entries: Iterable[Any]) -> str:
    """The catalogue entries left out of a short list, in one line, each one
    already done said so (the Markdown report and the memo)."""
    names = [e.nombre + (" (" + _("ya cumplido") + ")" if e.cumplido is True else "") for e in entries]
    if len(names) == 1:
        return _("Otro que también corresponde: {names}.", names=names[0])
    return _("Otros {n} que también corresponden: {names}.", n=len(names), names="; ".join(names))


class Explainer:
    """Knows how each fact is said, from the questionnaire and the knowledge base."""

    def __init__(self, questionnaire: Questionnaire, kb: KnowledgeBase, dont_know: Iterable[str] = ()):
        self.questions: dict[str, KeyedQuestion] = questionnaire.by_key
        self.facts: dict[str, FactSpec] = kb.fact_specs
        #: Questions answered «No sé»: an answer, not a gap.
        self.dont_know = set(dont_know)

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
            return joined([self.value(key, v) for v in value]) if value else _("ninguna")
        if question is not None:
            if question.type in ("choice", "multi"):
                option = question.option(value)
                return option.label if option else str(value)
            if question.type == "country":
                return country_name(value)
        if value is True:
            return _("sí")
        if value is False:
            return _("no")
        if isinstance(value, (int, float)):
            return number(value)
        return str(value).replace("_", " ")

    def said(self, key: str, value: Any) -> str | None:
        """What an answer says in the questionnaire's own words («el territorio
        limita con otro país»), when it has words for it."""
        question = self.questions[key]
        says = question.says
        if isinstance(says, BooleanSays) and isinstance(value, bool):
            return says.si if value else says.no
        if question.type == "choice":
            option = question.option(value)
            if option and option.says:
                return option.says
        if isinstance(value, int) and not isinstance(value, bool) and value in question.says_count:
            return question.says_count[value]
        if isinstance(says, str) and not isinstance(value, (list, tuple)):
            return says.format(valor=self.value(key, value))
        return None

    def statement(self, key: str, value: Any) -> str:
        """What a fact says: «el territorio limita con otro país»."""
        if key in self.questions:
            said = self.said(key, value)
            if said is not None:
                return said
            return _("en «{label}»: {value}", label=self.label(key), value=self.value(key, value))
        spec = self.facts.get(key)
        if spec is not None and str(value).lower() in spec.says:
            return spec.says[str(value).lower()]
        return _("{label}: {value}", label=self.label(key), value=self.value(key, value))

    def fact(self, key: str, value: Any) -> str:
        """The sentence for a fact the engine matched."""
        if key in self.questions:
            said = self.said(key, value)
            if said is None:
                return _("Indicó en «{label}»: {value}.", label=self.label(key), value=self.value(key, value))
            return _("Indicó que {statement}.", statement=said)
        return _("Se dedujo que {statement}.", statement=self.statement(key, value))

    def unanswered(self, key: str, facts: dict[str, Any] | None = None) -> str:
        """Why a question has no answer: «No sé», not asked because it did not
        apply, or left unanswered; only the last is «No respondió»."""
        if key in self.dont_know:
            return _("Respondió «No sé» en «{label}».", label=self.label(key))
        question = self.questions.get(key)
        if question is not None and facts is not None and not question.applies(facts):
            return _("«{label}» no se preguntó: no aplica según sus otras respuestas.", label=self.label(key))
        return _("No respondió «{label}».", label=self.label(key))

    def test(self, test: Test) -> str:
        """What a test asks for, stated positively."""
        key, op, value = test.fact, test.op, test.value
        label = self.label(key)
        question = self.questions.get(key)
        is_list = question is not None and question.type == "multi"
        if op == "answered":
            return _("se respondió «{label}»", label=label) if value else _("no se respondió «{label}»", label=label)
        if op in COMPARISONS:
            shown = number(int(value) if float(value).is_integer() else value)
            bound = {
                "gt": _("más de {n}", n=shown), "ge": _("al menos {n}", n=shown),
                "lt": _("menos de {n}", n=shown), "le": _("como máximo {n}", n=shown),
            }[op]
            if is_list:
                if op == "ge" and value == 1:
                    return _("se marcó al menos una opción en «{label}»", label=label)
                return _("se marcaron {bound} opciones en «{label}»", bound=bound, label=label)
            return _("«{label}» es {bound}", label=label, bound=bound)
        values = value if op == "in" else [value]
        quoted = [_("«{value}»", value=self.value(key, v)) for v in values]
        if is_list:
            return _("se marcó {values} en «{label}»", values=joined(quoted, "or"), label=label)
        if len(values) == 1 and (question is None or question.type in ("boolean", "choice")):
            return self.statement(key, values[0])
        if question is None:
            return _("{label}: {value}", label=label, value=joined([self.value(key, v) for v in values], "or"))
        return _("«{label}» es {values}", label=label, values=joined(quoted, "or"))

    def unmet(self, test: Test, negated: bool, facts: dict[str, Any]) -> str:
        """Why one test of a rule that did not fire fails, and what would unlock it."""
        wanted, current = self.test(test), self.current(test, facts)
        if negated:
            return _("Haría falta que no se cumpla: {wanted}{current}.", wanted=wanted, current=current)
        return _("Haría falta: {wanted}{current}.", wanted=wanted, current=current)

    def current(self, test: Test, facts: dict[str, Any]) -> str:
        """The answer a test is read against, in parentheses, or nothing."""
        if test.fact in facts:
            return _(" (respuesta actual: {value})", value=self.value(test.fact, facts[test.fact]))
        if test.fact in self.dont_know:
            return _(" (respondió «No sé»)")
        return _(" (sin respuesta)") if test.fact in self.questions else ""

    def negation(self, test: Test, facts: dict[str, Any]) -> str:
        """Why a rule with ``not`` fired: what the engine held instead."""
        if test.fact in facts:
            return self.fact(test.fact, facts[test.fact])
        if test.fact in self.questions:
            return self.unanswered(test.fact, facts)
        return _("No se dedujo que {statement}.", statement=self.test(test))


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


class Explained:
    """Which derived facts a report has explained in full, and under which
    numbered card: a later card refers back instead of saying it all again."""

    def __init__(self) -> None:
        self.where: dict[str, int] = {}


def reason_lines(reasons: Iterable[str], chain: Iterable[Any], explained: Explained | None = None,
                 number: int | None = None) -> list[tuple[int, str]]:
    """Each reason once, as (depth, sentence): a derived fact («Se dedujo…»)
    with what it was derived from beneath it, so the chain is not said twice;
    with ``explained``, a fact a card before ``number`` explained is one line
    that points to that card."""
    steps = {step.texto: step for step in chain}
    said: set[str] = set()
    lines: list[tuple[int, str]] = []

    def visit(texts: Iterable[str], depth: int) -> None:
        fresh = [t for t in dict.fromkeys(texts) if t not in said]
        said.update(fresh)
        for text in fresh:
            step = steps.get(text)
            if step is None or not step.porque:
                lines.append((depth, text))
                continue
            first = explained.where.setdefault(text, number) if explained is not None and number else number
            if first != number:
                lines.append((depth, _("{reason} (ver el punto {n}).", reason=text.rstrip("."), n=first)))
                continue
            lines.append((depth, text))
            visit(step.porque, depth + 1)

    visit(reasons, 0)
    return lines


def gap_note(rec: Any, assumptions: Iterable[Any]) -> str:
    """Why advice that rests on unanswered questions is still given, saying
    «No sé» where that was the answer and «sin respuesta» where none was."""
    if not rec.falta_respuesta:
        return ""
    dont_know = {a.clave for a in assumptions if a.no_sabe}
    said = [key in dont_know for key in rec.falta_respuesta]
    if all(said):
        return _("Se da porque respondió «No sé»: si ya está hecho, pase al siguiente.")
    if any(said):
        return _("Se da porque una pregunta quedó sin respuesta y otra con «No sé»: si ya está hecho, pase al "
                 "siguiente.")
    if len(said) > 1:
        return _("Se da porque esas preguntas quedaron sin respuesta: si ya está hecho, pase al siguiente.")
    return _("Se da porque esa pregunta quedó sin respuesta: si ya está hecho, pase al siguiente.")


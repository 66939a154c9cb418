"""The rule base as trainers browse it: `advisor rules list` and `rules show`,
every condition in plain Spanish, with the guide passage it encodes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .conditions import All, AnyOf, Condition, Not, Test
from .errors import Problem, UsageError, suggest
from .explain import Explainer
from .knowledge import ClassificationSpec, CompiledRule

if TYPE_CHECKING:
    from .loading import Bundle

#: Lines of a passage shown before it is cut (``--completo`` shows it all).
PASSAGE_LINES = 40

_CHAPTERS = {"recomendaciones": "Recomendaciones", "anexo_1": "Anexo I", "anexo_2": "Anexo II"}


def chapter_name(chapter: int | str) -> str:
    return f"Capítulo {chapter}" if isinstance(chapter, int) else _CHAPTERS[chapter]


class Browser:
    """Rules as written in the files: one entry per rule, classification or network."""

    def __init__(self, bundle: "Bundle"):
        self.bundle = bundle
        self.kb = bundle.kb
        self.rules: dict[str, list[CompiledRule]] = {}
        for rule in self.kb.compiled:
            self.rules.setdefault(_public_id(rule), []).append(rule)

    def topics(self) -> list[str]:
        return sorted({rules[0].topic for rules in self.rules.values()})

    def listing(self, topic: str | None = None) -> str:
        if topic is not None and topic not in self.topics():
            raise UsageError(Problem(
                f"no hay reglas del tema «{topic}»",
                key="--tema",
                expected="uno de: " + ", ".join(self.topics()),
                suggestion=suggest(topic, self.topics()),
            ))
        lines = []
        for current in self.topics():
            if topic is not None and current != topic:
                continue
            entries = sorted((rid, rules[0]) for rid, rules in self.rules.items() if rules[0].topic == current)
            lines.append(f"{current} ({len(entries)})")
            for rid, rule in entries:
                lines.append(f"  {rid:<40} {rule.source.ref}  {_title(rule)}")
            lines.append("")
        count = sum(1 for rules in self.rules.values() if topic is None or rules[0].topic == topic)
        lines.append(f"{count} reglas. Detalle de una: advisor rules show ID")
        return "\n".join(lines)

    def show(self, rule_id: str, complete: bool = False) -> str:
        rules = self.rules.get(rule_id)
        if rules is None:
            raise UsageError(Problem(
                f"no existe la regla «{rule_id}»",
                key=rule_id,
                expected="un id de «advisor rules list»",
                suggestion=suggest(rule_id, self.rules),
            ))
        first = rules[0]
        explainer = Explainer(self.bundle.questionnaire(first.questionnaire), self.kb)
        file, line = self.kb.lines.get(first.origin, (first.file, None))
        out = [f"{rule_id} — {_title(first)}",
               f"Tema: {first.topic} · Cuestionario: {first.questionnaire} · Archivo: {file}"
               + (f", línea {line}" if line else ""), ""]
        spec = self._classification(first)
        if spec is not None:
            out += self._classification_lines(spec, explainer)
        else:
            out.append("Se aplica cuando:")
            out += describe(first.when, explainer, "  ")
            for key, value in first.derive.items():
                out.append(f"Deduce: {explainer.statement(key, value)} ({key} = {_shown(value)}).")
            if first.advice is not None:
                out += ["", f"Consejo (prioridad {first.advice.priority}): {' '.join(first.advice.text.split())}"]
                out += [f"  {n}. {step}" for n, step in enumerate(first.advice.steps, start=1)]
                if first.entries:
                    out.append(f"  Lista, según el perfil, entradas del catálogo «{first.advice.items}»:")
                    out += [f"    - {e.name}" for e in first.entries]
        out += ["", *self._source(first, complete)]
        return "\n".join(out)

    def _classification(self, rule: CompiledRule) -> ClassificationSpec | None:
        return next((spec for _, _, spec in self.kb.classifications if spec.id == rule.origin), None)

    def _classification_lines(self, spec: ClassificationSpec, explainer: Explainer) -> list[str]:
        out = [f"Deduce «{explainer.label(spec.fact)}» ({spec.fact}); vale lo del primer caso que se cumple:"]
        for case in spec.cases:
            out.append(f"- {_shown(case.value)}, si:")
            out += describe(case.when, explainer, "    ")
        out.append(f"- {_shown(spec.otherwise)}, en cualquier otro caso.")
        return out

    def _source(self, rule: CompiledRule, complete: bool) -> list[str]:
        source = rule.source
        out = [f"Fuente: {source.ref} — {chapter_name(source.chapter)}, «{source.section}»."]
        guide = self.kb.guide
        if guide is None:
            return out
        passage = guide.passage(source.ref, source.lines)
        spans = ", ".join(f"{a}–{b}" for a, b in guide.ranges(source.ref, source.lines))
        out += ["", f"Pasaje de la guía (líneas {spans}):"]
        shown = passage if complete else passage[:PASSAGE_LINES]
        out += [f"  {number:>5} │ {text}" for number, text in shown]
        if len(shown) < len(passage):
            out.append(f"  … {len(passage) - len(shown)} líneas más (vea todo con --completo).")
        return out


def describe(condition: Condition, explainer: Explainer, indent: str = "") -> list[str]:
    """A condition as an indented list of plain-Spanish lines."""
    if isinstance(condition, Test):
        return [f"{indent}- {explainer.test(condition)}"]
    if isinstance(condition, All):
        if not indent.strip() or len(condition.all) == 1:
            return [line for child in condition.all for line in describe(child, explainer, indent)]
        return [f"{indent}- todas estas:"] + [l for c in condition.all for l in describe(c, explainer, indent + "    ")]
    if isinstance(condition, AnyOf):
        return [f"{indent}- al menos una de estas:"] + [l for c in condition.any for l in describe(c, explainer, indent + "    ")]
    assert isinstance(condition, Not)
    inner = condition.not_
    if isinstance(inner, Test):
        return [f"{indent}- NO: {explainer.test(inner)}"]
    return [f"{indent}- que NO se cumpla:"] + describe(inner, explainer, indent + "    ")


def _public_id(rule: CompiledRule) -> str:
    """The id a trainer knows: a network's red.<id>, else the id in the file."""
    return rule.id if rule.origin.startswith("networks:") else rule.origin


def _title(rule: CompiledRule) -> str:
    if rule.exclusive:
        return rule.title.rsplit(":", 1)[0]
    return rule.title


def _shown(value: Any) -> str:
    return "sí" if value is True else "no" if value is False else str(value)

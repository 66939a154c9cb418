"""The rule base as trainers browse it: `advisor rules list` and `rules show`,
every condition in plain Spanish, with the guide passage it encodes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import Problem, UsageError, suggest
from ..i18n import _, one_of
from ..kb import saturation
from ..kb.compile import CompiledRule
from ..kb.schema import ClassificationSpec
from ..model.conditions import All, AnyOf, Condition, Not, Test
from ..model.vocabulary import chapter_name
from ..report.explain import Explainer

if TYPE_CHECKING:
    from ..kb.bundle import Bundle

#: Lines of a passage shown before it is cut (``--full`` shows it all).
PASSAGE_LINES = 40

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
                _("no hay reglas del tema «{topic}»", topic=topic),
                key="--topic",
                expected=one_of(self.topics()),
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
        lines.append(_("{count} reglas. Detalle de una: advisor rules show ID", count=count))
        return "\n".join(lines)

    def show(self, rule_id: str, complete: bool = False) -> str:
        rules = self.rules.get(rule_id)
        if rules is None:
            raise UsageError(Problem(
                _("no existe la regla «{id}»", id=rule_id),
                key=rule_id,
                expected=_("un id de «advisor rules list»"),
                suggestion=suggest(rule_id, self.rules),
            ))
        first = rules[0]
        explainer = Explainer(self.bundle.questionnaire(first.questionnaire), self.kb)
        file, line = self.kb.lines.get(first.origin, (first.file, None))
        place = _("{file}, línea {line}", file=file, line=line) if line else file
        out = [f"{rule_id} — {_title(first)}",
               _("Tema: {topic} · Cuestionario: {questionnaire} · Archivo: {file}",
                 topic=first.topic, questionnaire=first.questionnaire, file=place), ""]
        spec = self._classification(first)
        if spec is not None:
            out += self._classification_lines(spec, explainer)
        else:
            out.append(_("Se aplica cuando:"))
            out += describe(first.when, explainer, "  ")
            for key, value in first.derive.items():
                out.append(_("Deduce: {statement} ({key} = {value}).",
                             statement=explainer.statement(key, value), key=key, value=_shown(value)))
            if first.advice is not None:
                out += ["", _("Consejo (prioridad {priority}): {text}", priority=first.advice.priority,
                              text=" ".join(first.advice.text.split()))]
                out += [f"  {n}. {step}" for n, step in enumerate(first.advice.steps, start=1)]
                for addendum in first.advice.addenda:
                    out.append(_("Además, solo cuando se cumple:"))
                    out += describe(addendum.when, explainer, "  ")
                    out.append("  " + " ".join(addendum.text.split()))
                    if addendum.own_criterion:
                        out.append("  " + _("Criterio de advisor, no de la guía:") + " "
                                   + " ".join(addendum.own_criterion.split()))
                if first.entries:
                    out.append("  " + _("Lista, según el perfil, entradas del catálogo «{catalogue}»:",
                                        catalogue=first.advice.items))
                    out += [f"    - {e.name}" for e in first.entries]
            if first.path is not None:
                out += ["", _("Hecho cuando: {done}", done=" ".join(first.path.done.split()))]
                if first.path.done_when is not None:
                    out.append(_("Se da por cumplido cuando:"))
                    out += describe(first.path.done_when, explainer, "  ")
                    if first.path.done_unasked:
                        out.append("  " + _("(Es necesario, no suficiente: si se cumple, las respuestas no alcanzan "
                                            "para saber si está hecho.)"))
            own = [first.own_criterion, saturation.criterion() if first.id in self.kb.on_saturation else None]
            if any(own):
                criterion = " ".join(" ".join(c for c in own if c).split())
                out += ["", _("Criterio de advisor, no de la guía:") + " " + criterion]
        out += ["", *self._source(first, complete)]
        return "\n".join(out)

    def _classification(self, rule: CompiledRule) -> ClassificationSpec | None:
        return next((w.spec for w in self.kb.classifications if w.spec.id == rule.origin), None)

    def _classification_lines(self, spec: ClassificationSpec, explainer: Explainer) -> list[str]:
        out = [_("Deduce «{label}» ({fact}); vale lo del primer caso que se cumple:",
                 label=explainer.label(spec.fact), fact=spec.fact)]
        for case in spec.cases:
            out.append("- " + _("{value}, si:", value=_shown(case.value)))
            out += describe(case.when, explainer, "    ")
        out.append("- " + _("{value}, en cualquier otro caso.", value=_shown(spec.otherwise)))
        return out

    def _source(self, rule: CompiledRule, complete: bool) -> list[str]:
        source = rule.source
        out = [_("Fuente: {ref} — {chapter}, «{section}».", ref=source.ref,
                 chapter=chapter_name(source.chapter, capital=True), section=source.section)]
        guide = self.kb.guide
        if guide is None:
            return out
        passage = guide.passage(source.ref, source.lines)
        spans = ", ".join(f"{a}–{b}" for a, b in guide.ranges(source.ref, source.lines))
        out += ["", _("Pasaje de la guía (líneas {spans}):", spans=spans)]
        shown = passage if complete else passage[:PASSAGE_LINES]
        out += [f"  {number:>5} │ {text}" for number, text in shown]
        if len(shown) < len(passage):
            out.append("  " + _("… {count} líneas más (vea todo con --full).", count=len(passage) - len(shown)))
        return out


def describe(condition: Condition, explainer: Explainer, indent: str = "") -> list[str]:
    """A condition as an indented list of plain-Spanish lines."""
    if isinstance(condition, Test):
        return [f"{indent}- {explainer.test(condition)}"]
    if isinstance(condition, All):
        if not indent.strip() or len(condition.all) == 1:
            return [line for child in condition.all for line in describe(child, explainer, indent)]
        lines = [line for c in condition.all for line in describe(c, explainer, indent + "    ")]
        return [f"{indent}- " + _("todas estas:"), *lines]
    if isinstance(condition, AnyOf):
        lines = [line for c in condition.any for line in describe(c, explainer, indent + "    ")]
        return [f"{indent}- " + _("al menos una de estas:"), *lines]
    assert isinstance(condition, Not)
    inner = condition.not_
    if isinstance(inner, Test):
        return [f"{indent}- " + _("NO: {test}", test=explainer.test(inner))]
    return [f"{indent}- " + _("que NO se cumpla:")] + describe(inner, explainer, indent + "    ")


def _public_id(rule: CompiledRule) -> str:
    """The id a trainer knows: a network's red.<id>, else the id in the file."""
    return rule.id if rule.origin.startswith("networks:") else rule.origin


def _title(rule: CompiledRule) -> str:
    if rule.exclusive:
        return rule.title.rsplit(":", 1)[0]
    return rule.title


def _shown(value: Any) -> str:
    return _("sí") if value is True else _("no") if value is False else str(value)

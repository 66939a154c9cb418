"""From an inference to the report (``report.model``): which advice, in
which order, why, and the profile, levels and annexes around it."""

from __future__ import annotations

import datetime as dt
from typing import AbstractSet, Any

from ..engine.base import Firing, Inference
from ..i18n import _, joined
from ..kb import saturation
from ..kb.base import KnowledgeBase
from ..kb.catalogue import Entry, Match
from ..kb.path import stage_states
from ..model.answers import Answers
from ..model.conditions import Test, conjunctions, tests
from ..model.countries import country_name
from ..model.questionnaire import Questionnaire
from ..model.vocabulary import LEVEL_NAMES
from ..version import __version__
from .cards import CARDS, CARDS_SMALL, cards, small
from .explain import Explainer, closest_unmet, negated_tests
from .model import (
    Assumption,
    Citation,
    IdeaResult,
    LevelRow,
    ListedEntry,
    Note,
    NotGiven,
    Outcome,
    PillarResult,
    Profile,
    Recommendation,
    Report,
    ShownAnswer,
    StageResult,
    Step,
)
from .plan import best_first, plan_of

#: Topics whose rules that did not fire are listed, with what would unlock them.
WHY_NOT_TOPICS = ("cooperacion", "dimensiones")
#: Answers that say who the government is, not why advice fits it: «Indicó que
#: es un municipio o ciudad» explains nothing the reader does not know, so it is
#: a reason only when no other answer is, and never the one reason for an entry.
IDENTITY = ("perfil.nivel",)


def build_report(
    questionnaire: Questionnaire,
    kb: KnowledgeBase,
    answers: Answers,
    inference: Inference,
    today: dt.date | None = None,
) -> Report:
    """Assemble the report; the date is the answer file's, else ``today``."""
    explainer = Explainer(questionnaire, kb, answers.dont_know)
    facts = inference.facts
    builder = _Builder(explainer, kb, inference, questionnaire.id)
    given = {f.rule.id: builder.recommendation(f).model_copy(update={"nota": answers.notes.get(f.rule.id)})
             for f in inference.advice.values()}
    recommendations, path = plan_of(given, {f.rule.id: f.rule for f in inference.advice.values()}, kb, facts)
    titles = {rule.id: rule.title for rule in kb.rules_for(questionnaire.id)}
    titles |= {w.spec.id: w.spec.title for w in kb.stages if w.questionnaire == questionnaire.id}
    return Report(
        cuestionario=questionnaire.id,
        titulo=questionnaire.title,
        asesor=answers.adviser,
        asunto=next((explainer.value(k, facts[k]) for k in questionnaire.subject if k in facts), None),
        fecha=answers.date or today or dt.date.today(),
        versiones={"cuestionario": questionnaire.version, "base_de_conocimiento": kb.version, "advisor": __version__},
        perfil=Profile(
            nombre=str(facts.get("perfil.nombre", _("Gobierno sin nombre"))),
            pais=facts.get("perfil.pais"),
            pais_nombre=country_name(facts["perfil.pais"]) if "perfil.pais" in facts else None,
            nivel=explainer.value("perfil.nivel", facts["perfil.nivel"]) if "perfil.nivel" in facts else None,
        ),
        primeros_pasos=path.plan,
        plan=path.plan,
        despues=path.after,
        etapas=[StageResult(id=i, titulo=titles.get(i, i), estado=state) for i, state in stage_states(facts).items()],
        pilares=builder.pillars(questionnaire),
        ideas=builder.ideas(),
        criterio_ideas=(kb.catalogue.ideas_criterion if any(i.id in inference.derivations for i in kb.catalogue.ideas)
                        else None),
        niveles=builder.levels(),
        resultado=builder.outcome(),
        recomendaciones=recommendations,
        tarjetas=cards(recommendations, path.plan, path.after,
                       CARDS_SMALL if small(facts, "perfil.nivel" in questionnaire.by_key) else CARDS),
        no_aplicadas=builder.not_given(),
        supuestos=_assumptions(questionnaire, answers),
        respuestas=answers.nested(questionnaire),
        respuestas_legibles=[
            ShownAnswer(clave=q.key, pregunta=q.label, respuesta=explainer.value(q.key, answers.flat[q.key]))
            for q in questionnaire.questions() if q.key in answers.flat
        ],
        otras_notas=[Note(id=rule_id, titulo=titles[rule_id], texto=text)
                     for rule_id, text in answers.notes.items() if rule_id not in inference.advice],
    )


class _Builder:
    def __init__(self, explainer: Explainer, kb: KnowledgeBase, inference: Inference, questionnaire: str):
        self.explainer = explainer
        self.kb = kb
        self.inference = inference
        self.questionnaire = questionnaire

    def reasons(self, firing: Firing) -> list[str]:
        """The sentences for what the engine matched, then for what it did not find."""
        facts = self.inference.facts
        matched = [(key, value) for key, value in firing.matched if key not in IDENTITY] or firing.matched
        sentences = [self.explainer.fact(key, self.relevant(firing, key, value)) for key, value in matched]
        if not firing.rule.exclusive:
            sentences += [self.explainer.negation(t, facts) for t in negated_tests(firing.rule.when)]
            if not sentences:  # it fired on what was not answered, deep in its condition
                sentences = [self.explainer.unanswered(key, facts) for key in self.gaps(firing)]
        return sentences

    @staticmethod
    def relevant(firing: Firing, key: str, value: Any) -> Any:
        """Of a list answer, the options the rule asks for («contains», «in»):
        the reason names those, not every option ticked."""
        if not isinstance(value, (list, tuple)):
            return value
        wanted: set[Any] = set()
        for test, negated in tests(firing.rule.when):
            if test.fact == key and not negated and test.op in ("contains", "in"):
                wanted |= set(test.value) if test.op == "in" else {test.value}
        shown = [v for v in value if v in wanted]
        return shown or value

    def gaps(self, firing: Firing) -> list[str]:
        """The unanswered questions a recommendation rests on: it fired because
        they were left unanswered (a «not» or an «answered: false» on them), so
        it may already be done. None when one way the condition holds needs no
        unanswered question (``any: [answered no, left unanswered]``)."""
        facts = self.inference.facts

        def unanswered(test: Test, negated: bool) -> bool:
            return ((negated or (test.op == "answered" and not test.answered))
                    and test.fact in self.explainer.questions and test.fact not in facts
                    and self.explainer.questions[test.fact].applies(facts))

        def inherited(test: Test, negated: bool) -> list[str]:
            # A fact a rule derived (not a classification, which always gives a value)
            # rests on what that rule's firing rested on.
            derivation = self.inference.derivations.get(test.fact)
            if negated or derivation is None or derivation.rule.exclusive:
                return []
            return self.gaps(derivation)

        ways = [way for way in conjunctions(firing.rule.when) if all(t.holds(facts) != negated for t, negated in way)]
        if any(not any(unanswered(t, negated) or inherited(t, negated) for t, negated in way) for way in ways):
            return []
        keys = [t.fact for t, negated in tests(firing.rule.when) if unanswered(t, negated)]
        keys += [key for t, negated in tests(firing.rule.when) if t.holds(facts) for key in inherited(t, negated)]
        return list(dict.fromkeys(keys))

    def chain(self, firing: Firing) -> list[Step]:
        """Derived facts behind a firing, deepest first, each once."""
        steps: list[Step] = []
        seen: set[str] = set()

        def visit(current: Firing) -> None:
            for key, value in current.matched:
                derivation = self.inference.derivations.get(key)
                if derivation is None or key in seen:
                    continue
                seen.add(key)
                visit(derivation)
                steps.append(
                    Step(
                        hecho=key,
                        valor=value,
                        texto=self.explainer.fact(key, value),
                        regla=derivation.rule.id,
                        porque=self.classified(derivation),
                    )
                )

        visit(firing)
        return steps

    def classified(self, firing: Firing) -> list[str]:
        """Why a derived fact has its value; a default value is explained by the
        answers the classification names, or by their absence."""
        reasons = self.reasons(firing)
        if reasons:
            return reasons
        spec = next((w.spec for w in self.kb.classifications if w.spec.id == firing.rule.origin), None)
        keys = spec.explain if spec else []
        facts = self.inference.facts
        reasons = [
            self.explainer.fact(key, facts[key]) if key in facts else self.explainer.unanswered(key,
                                                                                                facts) for key in keys
        ]
        return reasons or [_("Ninguna de las condiciones de los otros niveles se cumple.")]

    def recommendation(self, firing: Firing) -> Recommendation:
        rule = firing.rule
        assert rule.advice is not None
        listed = self.inference.listed.get(rule.id, [])
        shared, criterio_lista = self.list_criteria([e for e, _m in listed])
        elements = best_first(rule.advice.items, [(e, self.element(e, m, shared)) for e, m in listed])
        porque = self.reasons(firing) or [_("La guía lo recomienda a todo gobierno, sin condiciones previas.")]
        fitting = [e.nombre for e in elements if e.porque]
        keys = {key for key, _value in firing.matched}
        if fitting and keys and keys <= set(IDENTITY) and len(porque) == len(keys):
            # Given to any government of its level: what fits is in the entries it lists.
            porque = [_("Su perfil comparte rasgos con {names}; abajo, cuáles.", names=joined(fitting))]
        addenda = rule.advice.said(self.inference.facts)
        criteria = [c for c in (rule.own_criterion, *(a.own_criterion for a in addenda)) if c]
        if rule.id in self.kb.on_saturation:
            criteria.append(saturation.criterion())
        return Recommendation(
            id=rule.id,
            titulo=rule.title,
            prioridad=rule.advice.priority_for(self.inference.facts),
            tema=rule.topic,
            texto=" ".join([rule.advice.text, *(a.text for a in addenda)]),
            pasos=list(rule.advice.steps),
            elementos=elements,
            criterio_lista=criterio_lista,
            porque=porque,
            cadena=self.chain(firing),
            regla=rule.id,
            fuente=Citation.of(rule.source),
            criterio_propio=" ".join(criteria) or None,
            falta_respuesta=self.gaps(firing),
            etapa=rule.path.stage if rule.path else None,
            cumplido=rule.path.met(self.inference.facts) if rule.path else None,
            hecho=rule.path.done if rule.path else None,
        )

    @staticmethod
    def list_criteria(entries: list[Entry]) -> tuple[set[str], str | None]:
        """What a list's entries assume that the guide does not say, said once
        under the list (``criterio_lista``): what every entry of its kind
        assumes, and an entry's own criterion that others of the list share,
        naming them unless all do. Returns those shared criteria too, which
        the entries then leave out."""
        said = [e.criterion() for e in entries]
        shared = {c for c in said if c and said.count(c) > 1}
        sentences = [c for e in entries if (c := e.list_criterion())]
        for criterion in dict.fromkeys(c for c in said if c in shared):
            names = [e.name for e, c in zip(entries, said, strict=True) if c == criterion]
            sentences.append(criterion if len(names) == len(entries) else
                             _("Sobre {names}: {criterion}", names=joined(names), criterion=criterion))
        return shared, " ".join(dict.fromkeys(sentences)) or None

    def element(self, entry: Entry, match: Match, shared: AbstractSet[str] = frozenset()) -> ListedEntry:
        facts = self.inference.facts
        porque = [self.explainer.fact(key, facts[key]) for key in match.facts if key not in IDENTITY]
        porque += [_("Comparte un rasgo del caso: {note}.", note=note) for note in match.notes]
        return ListedEntry(
            id=entry.id,
            nombre=entry.name,
            texto=" ".join(entry.text.split()),
            detalle=entry.details(),
            enlace=entry.url,
            cumplido=match.done,
            porque=porque,
            fuente=Citation.of(entry.source),
            criterio_propio=None if entry.criterion() in shared else entry.criterion(),
            modalidades=entry.funding_modalities(),
        )

    def pillars(self, questionnaire: Questionnaire) -> dict[str, PillarResult]:
        result = {}
        answered_groups = {key.split(".")[0] for key in self.inference.facts if key in questionnaire.by_key}
        for pillar in self.kb.catalogue.pillars:
            key = f"pilar.{pillar.id}"
            firing = self.inference.derivations.get(key)
            if firing is None:  # not the diagnostic: its rules derive no pillars
                continue
            if not answered_groups.intersection(pillar.groups):
                porque = [_("No se respondió la sección «{title}»; se asumió el nivel inicial.", title=pillar.title)]
            else:
                porque = self.classified(firing) + self.next_level(key)
            result[pillar.id] = PillarResult(
                titulo=pillar.title, nivel=self.inference.facts[key], porque=porque, fuente=Citation.of(pillar.source),
                # The guide describes each pillar (its chapter 3) but gives it no levels.
                criterio_propio=_("Los tres niveles de cada pilar (inicial, en desarrollo, consolidado) y las "
                                  "respuestas que pide cada uno; la guía describe cada pilar, no sus niveles."),
            )
        return result

    def next_level(self, key: str) -> list[str]:
        """What the next level of a pillar asks for that the answers do not give."""
        spec = next((w.spec for w in self.kb.classifications if w.spec.fact == key), None)
        facts = self.inference.facts
        if spec is None:
            return []
        values = [case.value for case in spec.cases]
        here = values.index(facts[key]) if facts.get(key) in values else len(values)
        if here == 0:
            return []
        target = spec.cases[here - 1]
        missing = [self.explainer.test(t) + self.explainer.current(t, facts)
                   for t, negated in closest_unmet(target.when, facts) if not negated]
        if not missing:
            return []
        return [_("Para el nivel «{level}» haría falta: {missing}.", level=_(LEVEL_NAMES[target.value]).lower(),
                  missing="; ".join(missing))]

    def _derived(self, role: str) -> list[tuple[str, Firing]]:
        """Derived facts of a role, in the order hechos and rule files declare them."""
        return [
            (spec.key, self.inference.derivations[spec.key])
            for spec in self.kb.facts
            if spec.role == role and spec.key in self.inference.derivations
        ]

    def levels(self) -> list[LevelRow]:
        facts = self.inference.facts
        return [
            LevelRow(
                id=key, titulo=self.kb.fact_specs[key].title or self.explainer.label(key), nivel=str(facts[key]),
                texto=self.explainer.statement(key, facts[key]), porque=self.classified(firing),
                fuente=Citation.of(firing.rule.source),
            )
            for key, firing in self._derived("level")
        ]

    def outcome(self) -> Outcome | None:
        for key, firing in self._derived("outcome"):
            value = self.inference.facts[key]
            return Outcome(
                hecho=key, valor=str(value), texto=self.explainer.statement(key, value),
                porque=self.classified(firing), fuente=Citation.of(firing.rule.source),
            )
        return None

    def ideas(self) -> list[IdeaResult]:
        result = []
        for idea in self.kb.catalogue.ideas:
            firing = self.inference.derivations.get(idea.id)
            if firing is None:
                continue
            result.append(
                IdeaResult(
                    id=idea.id, titulo=idea.title, texto=idea.text.strip(), estado=self.inference.facts[idea.id],
                    porque=self.classified(firing), fuente=Citation.of(idea.source),
                )
            )
        return result

    def not_given(self) -> list[NotGiven]:
        result = []
        facts = self.inference.facts
        fired = set(self.inference.advice)
        rules = [
            r for r in self.kb.rules_for(self.questionnaire)
            if r.advice and r.topic in WHY_NOT_TOPICS and r.id not in fired
        ]
        for rule in rules:
            missing = [self.explainer.unmet(t, neg, facts) for t, neg in closest_unmet(rule.when, facts)]
            result.append(
                NotGiven(id=rule.id, titulo=rule.title, tema=rule.topic, falta=missing, fuente=Citation.of(rule.source))
            )
        return sorted(result, key=lambda n: n.id)


def _assumptions(questionnaire: Questionnaire, answers: Answers) -> list[Assumption]:
    flat = answers.flat
    result = []
    for q in questionnaire.questions():
        if q.key in flat or not q.applies(flat):
            continue
        dont_know = q.key in answers.dont_know
        result.append(
            Assumption(
                clave=q.key,
                pregunta=q.label,
                no_sabe=dont_know,
                supuesto=q.assumed or _("Sin respuesta: las reglas que dependen de este dato no se aplicaron."),
            )
        )
    return result

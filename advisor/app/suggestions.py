"""«Lo que más cambiaría»: the single changes of an answer that would take a
government furthest along the guide's path, each tried in memory with the
engine (advisor's criterion, said in ``CRITERION``). Nothing is written."""

from __future__ import annotations

import copy
import json
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from ..engine.base import DEFAULT_ENGINE
from ..errors import ValidationError
from ..i18n import N_, _
from ..kb.bundle import Bundle
from ..kb.path import PATH_STAGE, PATH_STAGES, stage_states
from ..model.answers import Answers, changed
from ..model.conditions import Test, tests
from ..model.questionnaire import Questionnaire
from ..report.model import Report, Suggestion
from ..report.whatif import shown_answer
from .engines import Baseline

#: How many suggestions a report carries under its plan.
SUGGESTIONS = 3
#: Answer sets whose suggestions each bundle keeps, the least recently asked for forgotten first.
REMEMBERED = 128
#: The changes already worked out (``_Pick``), per bundle, or per reasoning
#: shared by the packaged bundle's languages: the same answers give the same
#: changes, and a report is often made again (in each format and language, on
#: each page of a server, by batch and compare), each time a dozen runs of the engine.
_remembered: WeakKeyDictionary[Bundle, OrderedDict[str, list["_Pick"]]] = WeakKeyDictionary()
_shared: dict[str, OrderedDict[str, list["_Pick"]]] = {}
_remembering = threading.Lock()  # a server works out reports in several threads

#: The ranking, said once: advisor's criterion, not the guide's.
CRITERION = N_("La guía no ordena qué cambio conviene primero: advisor sugiere antes las respuestas que completarían o "
               "harían avanzar la etapa por la que empieza el plan, y entre ellas, como entre las demás, las que, "
               "cambiadas una por una, completarían más etapas del camino de la guía y, a igualdad, resolverían más "
               "pasos pendientes.")


def suggestions(answers: Answers, questionnaire: Questionnaire, bundle: Bundle, before: Report,
                engine: str = DEFAULT_ENGINE, count: int = SUGGESTIONS,
                facts: Mapping[str, Any] | None = None) -> list[Suggestion]:
    """The ``count`` single changes that would move the stage the plan starts
    from, then complete the most stages of the guide's path, then resolve the
    most pending steps (``CRITERION``); worked out once per answers and
    engine in this process, whatever the language (``REMEMBERED``). ``facts``:
    those of the run ``before`` was made from, when at hand."""
    # ``before`` is the report of these answers, so the answers stand for it;
    # which changes help does not depend on the language they are said in.
    key = (questionnaire.id, engine, count, sorted(answers.dont_know),
           json.dumps(answers.flat, sort_keys=True, ensure_ascii=False, default=repr))
    marker = json.dumps(key, ensure_ascii=False, default=repr)
    with _remembering:
        memo = _shared.setdefault(bundle.reasoning, OrderedDict()) if bundle.reasoning \
            else _remembered.setdefault(bundle, OrderedDict())
        found = memo.get(marker)
        if found is not None:
            memo.move_to_end(marker)
    if found is None:
        found = _worked_out(answers, questionnaire, bundle, before, engine, count, facts)
        with _remembering:
            memo[marker] = found
            while len(memo) > REMEMBERED:
                memo.popitem(last=False)
    # Said in the language in use: the questions, answers, stages and steps of this bundle and report.
    stages, steps = {s.id: s.titulo for s in before.etapas}, {r.id: r.titulo for r in before.to_do()}
    return [Suggestion(clave=pick.key, pregunta=questionnaire.by_key[pick.key].label,
                       valor=copy.deepcopy(pick.new.flat.get(pick.key)),
                       respuesta=_shown(bundle, questionnaire, pick.new, pick.key),
                       actual=shown_answer(before, pick.key), etapas=[stages.get(s, s) for s in pick.completed],
                       pasos=[steps[r] for r in pick.resolved])
            for pick in found]


def forget() -> None:
    """Drop every suggestion worked out so far (a benchmark times the working out)."""
    with _remembering:
        _remembered.clear()
        _shared.clear()


@dataclass(frozen=True)
class _Pick:
    """A suggested change, before it is said in a language: the answers with
    it made, and the ids of the stages it completes and the steps it resolves."""

    key: str
    new: Answers
    completed: tuple[str, ...]
    resolved: tuple[str, ...]


def _worked_out(answers: Answers, questionnaire: Questionnaire, bundle: Bundle, before: Report,
                engine: str, count: int, facts: Mapping[str, Any] | None = None) -> list[_Pick]:
    """The ``count`` single changes that would complete or advance the stage
    the plan starts from (the earliest one not complete), then complete the
    most stages of the guide's path, then resolve the most pending steps
    (advisor's criterion, ``CRITERION``), one per question. Candidates are the values the done-conditions
    of the incomplete stages test; each runs the engine once, in memory (only the rules downstream of the change)."""
    states = {s.id: s.estado for s in before.etapas}
    open_stages = [s for s in PATH_STAGES if states.get(s, "completa") != "completa"]
    if not open_stages:
        return []
    baseline = Baseline(bundle, questionnaire.id, answers.flat, engine, facts)
    rules = {r.id: r for r in bundle.kb.rules_for(questionnaire.id)}
    pending = [r for r in before.to_do() if r.etapa and r.etapa != "referencia"]
    # The plan starts from the earliest stage not complete: a beginner's first
    # suggestion should help there, not leap to a later stage.
    start = open_stages[0]
    best: dict[str, tuple[tuple[bool, int, int], _Pick]] = {}
    for key, value in _candidates(answers, questionnaire, bundle, open_stages, before):
        try:
            new = changed(answers, questionnaire, {key: value})
        except ValidationError:
            continue  # a threshold outside the question's bounds: not an answer anyone can give
        facts = baseline.facts_if(new.flat)
        after = stage_states(facts)
        completed = [s for s in open_stages if after.get(s) == "completa"]
        lost = [s for s in PATH_STAGES if states.get(s) == "completa" and after.get(s) != "completa"]
        resolved = [r for r in pending
                    if (path := rules[r.id].path) is not None and path.met(facts) is True]
        if lost or not (completed or resolved):
            continue
        advances = start in completed or any(PATH_STAGE.get(r.etapa or "") == start for r in resolved)
        score = (advances, len(completed), len(resolved))
        if key in best and best[key][0] >= score:
            continue
        best[key] = score, _Pick(key, new, tuple(completed), tuple(r.id for r in resolved))
    order = list(questionnaire.by_key)
    ranked = sorted(best.values(), key=lambda pair: (not pair[0][0], -pair[0][1], -pair[0][2],
                                                     order.index(pair[1].key)))
    return [pick for _score, pick in ranked[:count]]


def _candidates(answers: Answers, questionnaire: Questionnaire, bundle: Bundle, stages: list[str],
                before: Report) -> Iterator[tuple[str, Any]]:
    """(key, value) pairs that would make a done-condition of an unmet milestone
    of the stages hold, followed down through the derived facts to the answers:
    each once, and none whose test the answer given already passes."""
    rules = {r.id: r for r in bundle.kb.rules_for(questionnaire.id)}
    producers: dict[str, list[Any]] = {}
    for rule in rules.values():
        for fact in rule.derive:
            producers.setdefault(fact, []).append(rule)
    met = {r.id for r in before.recomendaciones if r.cumplido is True}
    found: list[tuple[Test, bool]] = []
    followed: set[tuple[str, bool]] = set()

    def follow(condition: Any, negated: bool) -> None:
        for test, flipped in tests(condition, negated):
            if test.fact in questionnaire.by_key:
                found.append((test, flipped))
                continue
            for rule in producers.get(test.fact, []):
                # A producer matters when the value it derives makes the test come out as wanted.
                if test.holds({test.fact: rule.derive[test.fact]}) != flipped and (rule.id, False) not in followed:
                    followed.add((rule.id, False))
                    follow(rule.when, False)

    for written in bundle.kb.stages:
        if written.questionnaire == questionnaire.id and written.spec.id in stages:
            for milestone in written.spec.milestones:
                path = rules[milestone].path if milestone in rules else None
                if milestone not in met and path is not None and path.done_when is not None:
                    follow(path.done_when, False)
    # Values that every test on their question treats alike lead to the same
    # stages: the first of them (the smallest step, in the options' order) stands for all.
    seen: set[tuple[str, tuple[bool, ...]]] = set()
    for test, negated in found:
        if test.op != "answered" and test.holds(answers.flat) != negated:
            continue  # the answer given already passes it
        for value in _values(test, questionnaire, answers.flat.get(test.fact)):
            if value == answers.flat.get(test.fact) or test.holds({test.fact: value}) == negated:
                continue
            mark = (test.fact, tuple(t.holds({test.fact: value}) for t, _n in found if t.fact == test.fact))
            if mark not in seen:
                seen.add(mark)
                yield test.fact, value


def _values(test: Test, questionnaire: Questionnaire, current: Any) -> list[Any]:
    """Answers to try for ``test``: those that may make it hold, or fail."""
    question = questionnaire.by_key[test.fact]
    op, value = test.op, test.value
    if question.type == "boolean":
        return [True, False]
    if question.type == "choice":
        return [o.value for o in question.options]
    if question.type == "multi":
        have = list(current or [])
        if op == "contains":
            return [have + [value]] if value not in have else []
        if op in ("ge", "gt"):
            want = int(value) + (op == "gt")
            extra = [o.value for o in question.options if o.value not in have]
            return [have + extra[: want - len(have)]] if len(have) < want <= len(have) + len(extra) else []
        return []
    if question.type == "integer" and op in ("ge", "gt", "le", "lt"):
        return [int(value) + {"ge": 0, "gt": 1, "le": 0, "lt": -1}[op]]
    return []


def _shown(bundle: Bundle, questionnaire: Questionnaire, answers: Answers, key: str) -> str:
    from ..report.explain import Explainer

    return Explainer(questionnaire, bundle.kb).value(key,
                                                     answers.flat[key]) if key in answers.flat else _("sin respuesta")

"""Golden profiles: an answer file in, the advice the guide implies out.

Each case in tests/golden/ says in ``why`` what in the guide implies its
expectations; the shipped samples are cases too.
"""

from __future__ import annotations

import json

import pytest
from conftest import SAMPLES, read_yaml
from golden_cases import CASES, REPORT_KEYS, load_case

from advisor.app.assessment import compiled
from advisor.io.documents import Document
from advisor.kb.path import PATH_STAGE, PATH_STAGES, steps_of
from advisor.model.answers import parse_answers
from advisor.report.build import build_report
from advisor.report.render import render

#: Each case's report and inference, made once per worker: several tests read the same case.
_made: dict[tuple[int, str, str], tuple] = {}


def infer(bundle, document: Document):
    return report(bundle, document)[1]


def report(bundle, document: Document):
    key = (id(bundle), document.name, json.dumps(document.data, sort_keys=True, default=str))
    if key not in _made:
        answers, questionnaire = parse_answers(document, bundle)
        inference = compiled(bundle, questionnaire.id).run(answers.flat)
        _made[key] = build_report(questionnaire, bundle.kb, answers, inference), inference
    return _made[key]


@pytest.mark.parametrize("path", CASES, ids=[c.stem for c in CASES])
def test_golden_profile(bundle, path):
    case, document = load_case(path)
    expect, why = case["expect"], " ".join(case["why"].split())
    inference = infer(bundle, document)
    fired = set(inference.advice)
    for rule in expect.get("fires", []):
        assert rule in fired, f"{rule} should fire. {why}"
    for rule in expect.get("silent", []):
        assert rule not in fired, f"{rule} should not fire. {why}"
    for pillar, level in expect.get("pilares", {}).items():
        assert inference.facts[f"pilar.{pillar}"] == level, f"pilar {pillar}. {why}"
    for idea, state in expect.get("ideas", {}).items():
        assert inference.facts[idea] == state, f"{idea}. {why}"
    for key, value in expect.get("facts", {}).items():
        assert inference.facts[key] == value, f"{key}. {why}"
    for rule, lists in expect.get("items", {}).items():
        assert rule in fired, f"{rule} should fire to list its items. {why}"
        listed = {entry.id: match for entry, match in inference.listed[rule]}
        for entry in lists.get("include", []):
            assert entry in listed, f"{rule} should list {entry}. {why}"
        for entry in lists.get("exclude", []):
            assert entry not in listed, f"{rule} should not list {entry}. {why}"
        for entry in lists.get("done", []):
            assert listed[entry].done is True, f"{rule}: {entry} should be marked done. {why}"
        for entry in lists.get("pending", []):
            assert listed[entry].done is False, f"{rule}: {entry} should be pending. {why}"
        for entry in lists.get("unknown", []):
            assert listed[entry].done is None, f"{rule}: the answers cannot tell whether {entry} is done. {why}"
        if "first" in lists or "later" in lists:
            check_item_order(bundle, document, rule, lists, why)
    if REPORT_KEYS & set(expect):
        check_report(bundle, document, expect, why)


def check_item_order(bundle, document: Document, rule: str, lists: dict, why: str) -> None:
    """The order a reader sees a recommendation's list in: ``first`` opens it,
    and each of ``later`` comes after all of them."""
    built, _inference = report(bundle, document)
    shown = [e.id for e in next(r for r in built.recomendaciones if r.id == rule).elementos]
    first = lists.get("first", [])
    assert shown[: len(first)] == first, f"{rule} lists {shown}. {why}"
    for entry in lists.get("later", []):
        assert entry in shown[len(first):], f"{rule}: {entry} should come after {first}, not in {shown}. {why}"


def check_report(bundle, document: Document, expect: dict, why: str) -> None:
    """What the report says: its plan (the first steps, in order), the advice it
    gives after choosing networks, and words it must or must not use."""
    built, _inference = report(bundle, document)
    given = [r.id for r in built.recomendaciones]
    if "first" in expect:
        assert built.plan[0] == expect["first"], f"plan {built.plan}. {why}"
    if "plan" in expect:
        assert built.plan == expect["plan"], why
    if "plan_starts" in expect:
        assert built.plan[: len(expect["plan_starts"])] == expect["plan_starts"], f"plan {built.plan}. {why}"
    for rule in expect.get("plan_excludes", []):
        assert rule not in built.plan, f"{rule} should not be a first step: plan {built.plan}. {why}"
    if "after_starts" in expect:
        starts = built.despues[: len(expect["after_starts"])]
        assert starts == expect["after_starts"], f"«Después» {built.despues}. {why}"
    for rule in expect.get("given", []):
        assert rule in given, f"{rule} should be given. {why}"
    for rule in expect.get("not_given", []):
        assert rule not in given, f"{rule} should not be given. {why}"
    if "etapas" in expect:
        assert {e.id: e.estado for e in built.etapas} == expect["etapas"], f"etapas {built.etapas}. {why}"
        assert [e.id for e in built.etapas] == list(PATH_STAGES), "the stages, in the guide's order"
    if "cumplido" in expect:
        done = [r.id for r in built.recomendaciones if r.cumplido is True]
        assert sorted(done) == sorted(expect["cumplido"]), f"marked done: {done}. {why}"
        assert not set(done) & set(built.plan + built.despues), f"met advice is never a step to start. {why}"
    if "count" in expect:
        assert len(built.recomendaciones) == expect["count"], f"{len(built.recomendaciones)} recommendations. {why}"
    if "networks_at_most" in expect:
        joins = [i for i in given if i.startswith("red.") and i != "red.revisar_membresias"]
        assert len(joins) <= expect["networks_at_most"], f"networks {joins}. {why}"
    for rule in expect.get("criterio_propio", []):
        rec = next(r for r in built.recomendaciones if r.id == rule)
        assert rec.criterio_propio, f"{rule} rests on the tool's own criterion and must say so. {why}"
    texts = {r.id: " ".join([r.texto, *r.pasos]) for r in built.recomendaciones}
    for rule, text in expect.get("texts", {}).items():
        assert text in texts[rule], f"{rule} should say «{text}». {why}"
    brief = {card.id for card in built.tarjetas if card.breve}
    for card in expect.get("brief", []):
        assert card in brief, f"{card} should be named in one line, for later: {sorted(brief)}. {why}"
    if {"md_contains", "md_lacks", "md_once"} & set(expect):
        md = render(built, "md")
        for text in expect.get("md_contains", []):
            assert text in md, f"«{text}» should be in the report. {why}"
        for text in expect.get("md_lacks", []):
            assert text not in md, f"«{text}» should not be in the report. {why}"
        for text in expect.get("md_once", []):
            assert md.count(text) == 1, f"«{text}» should be said once, not {md.count(text)} times. {why}"


@pytest.mark.parametrize("path", CASES, ids=[c.stem for c in CASES])
def test_first_steps_are_ordered_by_the_guide_never_by_id(bundle, path):
    """Two of the first five never differ only by id: stage, urgency,
    prerequisites and the guide's own order place each one."""
    _case, document = load_case(path)
    built, inference = report(bundle, document)
    rules = {f.rule.id: f.rule for f in inference.advice.values()}
    by_id = {r.id: r for r in built.recomendaciones}
    # The keys as the plan was ordered: stage states, milestones and done-conditions included.
    keyed = {s.id: s.key() for s in steps_of([(i, by_id[i].prioridad, rules[i].path, by_id[i].fuente.ref,
                                                rules[i].source.lines, bool(by_id[i].falta_respuesta))
                                               for i in built.plan], inference.facts)}
    keys = [keyed[i] for i in built.plan]
    waiting = {i for i in built.plan if by_id[i].cuando_tenga}
    ties = [(a, b) for n, a in enumerate(built.plan) for b in built.plan[n + 1:]
            if keys[built.plan.index(a)] == keys[built.plan.index(b)] and not ({a, b} & waiting)]
    assert not ties, f"ordered only by id: {ties}"


@pytest.mark.parametrize("path", CASES, ids=[c.stem for c in CASES])
def test_no_step_is_labelled_more_urgent_than_one_before_it(bundle, path):
    """Read in order, the plan and «Después» never show a «Prioridad 2 (bases)»
    after a «Prioridad 3» or «4»: a condition left at a complete stage and not
    carried is labelled by the place it waits in (plan-review §14, N7)."""
    _case, document = load_case(path)
    built, _inference = report(bundle, document)
    by_id = {r.id: r for r in built.recomendaciones}
    labels = [(i, by_id[i].prioridad) for i in built.plan + built.despues]
    wrong = [(a, b) for (a, pa), (b, pb) in zip(labels, labels[1:], strict=False) if pb < pa]
    assert not wrong, f"labelled more urgent than the step before it: {wrong} in {labels}"


def test_every_sample_is_a_golden_case():
    used = {read_yaml(c).get("sample") for c in CASES}
    shipped = {p.name for p in SAMPLES.glob("*.yaml")}
    assert shipped <= used, f"samples without a golden case: {sorted(shipped - used)}"


def test_every_rule_fires_in_some_profile(bundle):
    """The knowledge base is reviewed like code: no rule without a profile that fires it."""
    fired: set[str] = set()
    for path in CASES:
        _, document = load_case(path)
        inference = infer(bundle, document)
        fired |= set(inference.advice)
        fired |= {firing.rule.id for firing in inference.derivations.values()}
    everything = {rule.id for name in bundle.questionnaires for rule in bundle.kb.rules_for(name)}
    assert sorted(everything - fired) == []


def test_every_advice_rule_is_silent_in_some_profile(bundle):
    """…and a contrasting profile in which it does not fire."""
    silent: set[str] = set()
    advice = {rule.id for name in bundle.questionnaires for rule in bundle.kb.rules_for(name) if rule.advice}
    for path in CASES:
        _, document = load_case(path)
        silent |= advice - set(infer(bundle, document).advice)
    assert sorted(advice - silent) == []


def test_advice_rests_on_unanswered_questions_only_when_no_answer_makes_it_hold(bundle):
    """Three memberships without an own budget are too many whatever the team's
    size: the review of memberships does not rest on the unanswered size. With
    an own budget it does: only the unknown size of a one-person team raises it."""
    answers = {"perfil": {"nombre": "Ciudad", "pais": "AR", "nivel": "municipio"},
               "apoyo": {"maxima_autoridad": "activo"},
               "recursos": {"ori": "responsable", "presupuesto": "ninguno"},
               "antecedentes": {"redes": ["cglu", "mercociudades", "cideu"]}}
    rests = {}
    for budget in ("ninguno", "propio"):
        answers["recursos"]["presupuesto"] = budget
        built, _ = report(bundle, Document("perfil.yaml", {"cuestionario": "diagnostico", "version": 1,
                                                            "respuestas": answers}))
        rests[budget] = next(r for r in built.recomendaciones if r.id == "red.revisar_membresias").falta_respuesta
    assert rests == {"ninguno": [], "propio": ["recursos.equipo"]}


@pytest.mark.parametrize("path", CASES, ids=[c.stem for c in CASES])
def test_no_step_comes_before_a_pending_step_of_an_earlier_open_stage(bundle, path):
    """CONTRACT §6: in ``plan`` and in ``recomendaciones`` alike, a later stage's
    step never precedes a pending step of an earlier stage that is not complete;
    met advice is never a step."""
    _case, document = load_case(path)
    built, _inference = report(bundle, document)
    if not built.etapas:
        return
    open_stages = {e.id for e in built.etapas if e.estado != "completa"}
    by_id = {r.id: r for r in built.recomendaciones}

    def stage(rid):
        return PATH_STAGES.index(PATH_STAGE[by_id[rid].etapa]) if by_id[rid].etapa in PATH_STAGE else len(PATH_STAGES)

    for listing in (built.plan, [r.id for r in built.recomendaciones]):
        for n, later in enumerate(listing):
            for earlier in listing[n + 1:]:
                pending = by_id[earlier].cumplido is not True and PATH_STAGE.get(by_id[earlier].etapa) in open_stages
                assert not (pending and stage(earlier) < stage(later)), f"{later} comes before {earlier}"
    assert not {r.id for r in built.recomendaciones if r.cumplido} & set(built.plan + built.despues)


@pytest.mark.parametrize("path", CASES, ids=[c.stem for c in CASES])
def test_a_stage_s_pending_milestones_come_before_its_complements(bundle, path):
    """Within a stage that is not complete, what completes it (the four elements
    of the policy, the baseline) comes before what complements it (an office's
    norm, a budget), in ``plan`` and in ``recomendaciones`` alike (K21, lines
    1728-1746; structure «no es una condición necesaria», lines 1768-1779),
    unless the path data puts it first (``requires``, ``after``)."""
    _case, document = load_case(path)
    built, inference = report(bundle, document)
    open_stages = {e.id for e in built.etapas if e.estado != "completa"}
    by_id = {r.id: r for r in built.recomendaciones}
    milestone = {i for i in by_id if f"cumplido.{i}" in inference.facts}
    rules = {f.rule.id: f.rule for f in inference.advice.values()}
    first = {i: {p.rule for p in rules[i].path.requires + rules[i].path.after} for i in by_id if rules[i].path}
    for listing in (built.plan, [r.id for r in built.recomendaciones]):
        for n, later in enumerate(listing):
            for earlier in listing[n + 1:]:
                same = (by_id[later].etapa == by_id[earlier].etapa
                        and PATH_STAGE.get(by_id[earlier].etapa) in open_stages)
                same = same and later not in first.get(earlier, set())
                pending = by_id[earlier].cumplido is not True and earlier in milestone
                assert not (same and pending and later not in milestone and by_id[later].cumplido is not True), \
                    f"{later} comes before the milestone {earlier}"

"""Runs of changed answers made from a baseline (only the rules downstream of
the change run again) settle exactly the facts a whole run of the path's
rules settles, in both engines: for the Annex II cases and three other profiles with each single change
the suggestions try (experta, the default), and for generated answer files
with any change (either engine)."""

from __future__ import annotations

import importlib.util

import pytest
from conftest import SAMPLES
from generated import BUNDLE, SETTINGS, answer_files, value_for
from hypothesis import given, strategies as st

from advisor.app.assessment import assess_answers
from advisor.app.engines import Baseline, compiled
from advisor.app.suggestions import _candidates
from advisor.errors import ValidationError
from advisor.io.documents import Document, read_document
from advisor.model.answers import changed, parse_answers

#: The five Annex II cases and three profiles of other sizes (the golden cases, 62, took a minute).
PROFILES = ["caso_bogota", "caso_buenos_aires", "caso_cuenca", "caso_jujuy", "caso_mendoza", "municipio_pequeno",
            "ciudad_intermedia", "provincia_consolidada"]
ENGINES = ["experta"] + (["clips"] if importlib.util.find_spec("clips") else [])


def whole_run(name: str, engine: str, flat: dict) -> dict:
    return compiled(BUNDLE, name, engine, facts_only=True).run(flat).facts


def tried_twice(baseline: Baseline, flat: dict) -> dict:
    """The facts for ``flat`` as the second try makes them (the first runs the
    whole path's rules; the second, the downstream rules compiled), the same both times."""
    first = baseline.facts_if(flat)
    second = baseline.facts_if(flat)
    assert second == first
    return second


@pytest.mark.parametrize("case", PROFILES)
def test_each_change_the_suggestions_try_settles_what_a_whole_run_does(case, engine="experta"):
    document = read_document(SAMPLES / f"{case}.yaml")
    answers, questionnaire = parse_answers(document, BUNDLE)
    baseline = Baseline(BUNDLE, questionnaire.id, answers.flat, engine)
    assert baseline.facts == whole_run(questionnaire.id, engine, answers.flat)
    every_rule = compiled(BUNDLE, questionnaire.id, engine).run(answers.flat).facts
    assert Baseline(BUNDLE, questionnaire.id, answers.flat, engine, every_rule).facts == baseline.facts
    report = assess_answers(answers, questionnaire, BUNDLE, engine=engine, suggestions=False)
    stages = [s.id for s in report.etapas if s.estado != "completa"]
    tried = 0
    for key, value in _candidates(answers, questionnaire, BUNDLE, stages, report):
        try:
            new = changed(answers, questionnaire, {key: value})
        except ValidationError:
            continue
        assert tried_twice(baseline, new.flat) == whole_run(questionnaire.id, engine, new.flat), (key, value)
        tried += 1
    assert tried or not stages


@SETTINGS
@given(data=answer_files(name="diagnostico"), change=st.data(), engine=st.sampled_from(ENGINES))
def test_any_change_settles_what_a_whole_run_does(data, change, engine):
    try:
        answers, questionnaire = parse_answers(Document("generado.yaml", data), BUNDLE)
    except ValidationError:  # the generator also writes a few files advisor refuses
        return
    questions = [q for q in questionnaire.questions() if q.question.options or not q.question.options_from]
    picked = change.draw(st.lists(st.sampled_from(questions), min_size=1, max_size=3, unique_by=lambda q: q.key))
    try:
        new = changed(answers, questionnaire, {q.key: change.draw(value_for(q)) for q in picked})
    except ValidationError:
        return
    baseline = Baseline(BUNDLE, questionnaire.id, answers.flat, engine)
    assert tried_twice(baseline, new.flat) == whole_run(questionnaire.id, engine, new.flat)
    assert baseline.facts_if(answers.flat) == baseline.facts

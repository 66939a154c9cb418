"""The condition language and the engine's guarantees."""

from __future__ import annotations

import pytest
from generated import BUNDLE, SETTINGS
from hypothesis import given, strategies as st
from pydantic import TypeAdapter

from advisor.app.assessment import compiled
from advisor.engine.base import create
from advisor.errors import EngineError
from advisor.kb.catalogue import CATALOGUE_LISTS
from advisor.model.conditions import Condition, certain, tests as each_test, verdict

condition = TypeAdapter(Condition).validate_python


@pytest.mark.parametrize(
    "data, facts, expected",
    [
        ({"fact": "a", "equals": True}, {"a": True}, True),
        ({"fact": "a", "equals": True}, {"a": 1}, False),  # a boolean is not a number
        ({"fact": "a", "equals": True}, {}, False),  # absent facts fail every test…
        ({"not": {"fact": "a", "equals": True}}, {}, True),  # …so `not` reads "not known that"
        ({"fact": "a", "answered": False}, {}, True),
        ({"fact": "l", "contains": "x"}, {"l": ["x", "y"]}, True),
        ({"fact": "l", "in": ["z", "y"]}, {"l": ["x", "y"]}, True),  # any item of the list
        ({"fact": "l", "ge": 2}, {"l": ["x", "y"]}, True),  # comparisons count list items
        ({"fact": "l", "ge": 1}, {"l": []}, False),
        ({"fact": "n", "lt": 3}, {"n": "2"}, False),  # never raises on a wrong type
        ({"any": [{"fact": "a", "equals": 1}, {"all": [{"fact": "b", "in": ["p", "q"]}]}]}, {"b": "q"}, True),
    ],
)
def test_condition_semantics(data, facts, expected):
    assert condition(data).holds(facts) is expected


@pytest.mark.parametrize("engine", ["experta", "clips"])
def test_firings_are_capped(bundle, engine):
    advisor = create(engine, bundle.kb.rules_for("diagnostico"), firings=3)
    with pytest.raises(EngineError) as error:
        advisor.run({"perfil.frontera": True})
    assert error.value.problems[0].message == "la inferencia superó el límite de 3 disparos de reglas"


def test_rules_run_in_strata(bundle):
    advisor = compiled(bundle, "diagnostico")
    strata = advisor.strata
    # answers → pillar levels, whether each stage's milestones are met → installed capacity,
    # the stages of the path, room for networks → advice
    assert strata["pilar.recursos_estructura:en_desarrollo"] == 0
    assert strata["cumplido.recursos.designar_responsable:si"] == 0
    assert strata["capacidad.instalada:media"] == 1
    assert strata["etapa.definir_politica:completa"] == 1 and strata["etapa.definir_politica:desconocida"] == 1
    assert strata["redes.margen:sin_voluntad"] == 1
    assert strata["plan.elaborar_pai"] == 2 and strata["red.revisar_membresias"] == 2


def test_engine_is_reused_across_runs_without_leaking_facts(bundle):
    advisor = compiled(bundle, "diagnostico")
    first = advisor.run({"perfil.frontera": True})
    second = advisor.run({"perfil.frontera": False})
    assert "cooperacion.transfronteriza" in first.advice
    assert "cooperacion.transfronteriza" not in second.advice
    assert second.facts["perfil.frontera"] is False


def test_a_criterion_does_not_apply_only_when_every_answer_given_says_so(bundle):
    """The project rubric's «no_aplica» case is right by itself, whatever cases are tried before it."""
    spec = next(w.spec for w in bundle.kb.classifications if w.spec.id == "criterio.eficacia")
    not_applicable = next(case.when for case in spec.cases if case.value == "no_aplica")
    assert not_applicable.holds({"eficacia.p1": "no_aplica"})
    assert not_applicable.holds({"eficacia.p1": "no_aplica", "eficacia.p3": "no_aplica"})
    assert not not_applicable.holds({"eficacia.p1": "no_aplica", "eficacia.p2": "si"})
    assert not not_applicable.holds({"eficacia.p2": "no_aplica", "eficacia.p3": "no"})  # «No» is favourable in p3
    assert not not_applicable.holds({})


def _kb_conditions():
    """Every «already done» condition of the knowledge base: the stages' and the catalogues'."""
    kb = BUNDLE.kb
    found = [w.spec.path.done_when for w in kb.rules if w.spec.path and w.spec.path.done_when is not None]
    found += [e.done_when for name in CATALOGUE_LISTS for e in kb.catalogue.entries(name) if e.done_when is not None]
    return found


def test_the_report_reads_done_as_the_engines_compile_it():
    """A step the report calls done (``verdict``) is one the engines derive as
    done (``certain``), and the same for not done and unknown, whatever is answered."""
    conditions = _kb_conditions()
    assert len(conditions) > 20

    def engines_reading(c, facts):
        return True if certain(c, True).holds(facts) else False if certain(c, False).holds(facts) else None

    @st.composite
    def cases(draw):
        c = draw(st.sampled_from(conditions))
        facts = {}
        for test, _negated in each_test(c):
            seen = [t.value for t, _n in each_test(c) if t.fact == test.fact and t.op != "answered"]
            options = [*seen, *(v for s in seen if isinstance(s, list) for v in s), True, False, 0, 3, "otro", ["otro"]]
            if draw(st.booleans()):
                facts[test.fact] = draw(st.sampled_from(options))
        return c, facts

    @SETTINGS
    @given(cases())
    def agree(case):
        c, facts = case
        assert verdict(c, facts) is engines_reading(c, facts)

    agree()

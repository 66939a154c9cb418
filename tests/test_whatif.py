"""«¿Y si…?»: the golden what-ifs of the Annex II cases (``tests/golden_whatif``),
the suggestions under the plan, `advisor report --what-if`, and that a what-if
never changes the answer file it starts from."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from conftest import SAMPLES, read_yaml, run_cli
from hypothesis import HealthCheck, given, settings, strategies as st

from advisor.app.assessment import assess_answers
from advisor.app.suggestions import suggestions
from advisor.app.whatif import what_if
from advisor.errors import ValidationError
from advisor.kb.path import PATH_STAGE
from advisor.model.answers import CLEAR, DONT_KNOW, load_answers

CASES = sorted((Path(__file__).parent / "golden_whatif").glob("*.yaml"))
EXPECT_KEYS = {"cambios", "pilares", "etapas", "plan", "despues", "suggested", "suggested_first_stage"}
MOVE_KEYS = {"aparece", "sale", "sube", "baja", "first"}


def _case(path: Path) -> dict:
    case = read_yaml(path)
    assert set(case) == {"why", "sample", "changes", "expect"}, path.name
    assert not set(case["expect"]) - EXPECT_KEYS, f"{path.name}: unknown expect keys"
    return case


@pytest.mark.parametrize("engine", ["experta", "clips"])
@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden_what_if(path, engine, bundle):
    case = _case(path)
    answers, questionnaire = load_answers(SAMPLES / case["sample"], bundle)
    run = what_if(answers, questionnaire, bundle, case["changes"], engine)
    diff, expect = run.diff, case["expect"]
    if "cambios" in expect:
        assert {c.clave: [c.antes, c.despues] for c in diff.cambios} == expect["cambios"]
    if "pilares" in expect:
        assert {p.id: [p.antes, p.despues] for p in diff.pilares} == expect["pilares"]
    if "etapas" in expect:
        assert {s.id: [s.antes, s.despues] for s in diff.etapas} == expect["etapas"]
    for part in ("plan", "despues"):
        if part not in expect:
            continue
        moves, wanted = getattr(diff, part), expect[part]
        assert not set(wanted) - MOVE_KEYS, path.name
        for kind in ("aparece", "sube", "baja"):
            if kind in wanted:
                assert set(wanted[kind]) <= {m.id for m in moves if m.cambio == kind}, (part, kind)
        if "sale" in wanted:
            assert {m.id: m.ahora for m in moves if m.cambio == "sale"} == wanted["sale"], part
        if "first" in wanted:
            assert getattr(run.after, part)[0] == wanted["first"]
        if not wanted:
            assert moves == [], part
        for move in moves:  # every step that stays or arrives says why, for the changed answers
            if move.cambio != "sale":
                assert move.porque == next(r.porque for r in run.after.recomendaciones if r.id == move.id)
    if "suggested" in expect:
        report = assess_answers(answers, questionnaire, bundle, engine=engine)
        assert [s.clave for s in report.lo_que_mas_cambiaria] == expect["suggested"]
        if "suggested_first_stage" in expect:
            stage = expect["suggested_first_stage"]
            _assert_first_suggestion_advances(report, answers, questionnaire, bundle, engine, stage)


def _assert_first_suggestion_advances(report, answers, questionnaire, bundle, engine, stage):
    """The plan starts at ``stage``, and the first suggestion completes it or
    takes one of its steps out of the plan (met, or no longer needed)."""
    stage_of = {r.id: PATH_STAGE.get(r.etapa or "") for r in report.recomendaciones}
    assert stage_of[report.plan[0]] == stage
    first = report.lo_que_mas_cambiaria[0]
    moved = what_if(answers, questionnaire, bundle, {first.clave: first.valor}, engine, before=report).diff
    assert any(s.id == stage and s.despues == "completa" for s in moved.etapas) or any(
        m.cambio == "sale" and m.ahora in ("no_se_da", "cumplido") and stage_of.get(m.id) == stage
        for m in moved.plan), (first.clave, moved.plan)


@pytest.mark.parametrize("sample", ["municipio_pequeno.yaml", "caso_mendoza.yaml", "municipio_turistico.yaml"])
def test_suggestions_are_ranked_by_the_plans_stage_then_stages_then_steps_and_each_does_what_it_says(sample,
                                                                                                    bundle):
    answers, questionnaire = load_answers(SAMPLES / sample, bundle)
    report = assess_answers(answers, questionnaire, bundle)
    found = report.lo_que_mas_cambiaria
    assert len(found) == 3 and len({s.clave for s in found}) == 3
    assert report.criterio_cambiaria and "advisor" in report.criterio_cambiaria
    assert "la etapa por la que empieza el plan" in report.criterio_cambiaria
    start = next(s for s in report.etapas if s.estado != "completa")
    titles = {r.titulo: PATH_STAGE.get(r.etapa or "") for r in report.recomendaciones}
    scores = []
    for suggestion in found:  # the what-if of each suggestion completes the stages it names
        run = what_if(answers, questionnaire, bundle, {suggestion.clave: suggestion.valor}, before=report)
        completed = {s.titulo for s in run.diff.etapas if s.despues == "completa"}
        assert completed == set(suggestion.etapas)
        advances = start.titulo in completed or any(titles.get(p) == start.id for p in suggestion.pasos)
        scores.append((advances, len(suggestion.etapas), len(suggestion.pasos)))
    assert scores == sorted(scores, reverse=True)
    assert scores[0][0], "the first suggestion moves the stage the plan starts from"


def test_a_government_with_every_stage_complete_gets_no_suggestion(bundle):
    answers, questionnaire = load_answers(SAMPLES / "provincia_consolidada.yaml", bundle)
    report = assess_answers(answers, questionnaire, bundle)
    if all(s.estado == "completa" for s in report.etapas):
        assert report.lo_que_mas_cambiaria == [] and report.criterio_cambiaria is None
    else:
        assert report.lo_que_mas_cambiaria


def test_the_suggestions_are_under_the_plan_in_markdown_and_the_memo(tmp_path):
    md = run_cli("report", str(SAMPLES / "caso_mendoza.yaml"), "--format", "md").stdout
    plan, after = md.index("## Plan de acción"), md.index("### Lo que más cambiaría")
    assert plan < after < md.index("## Perfil por pilares")
    assert "«Incluida en el plan de gobierno»" in md or "«" in md[after:after + 400]
    assert "Criterio de advisor, no de la guía:* La guía no ordena qué cambio conviene primero" in md
    html = run_cli("report", str(SAMPLES / "caso_mendoza.yaml"), "--format", "html").stdout
    assert html.index("Plan de acción</h2>") < html.index("Lo que más cambiaría</h3>") < html.index("Perfil por "
                                                                                                    "pilares</h2>")
    memo = tmp_path / "memo.docx"
    assert run_cli("report", str(SAMPLES / "caso_mendoza.yaml"), "-o", str(memo)).returncode == 0
    import docx

    text = "\n".join(p.text for p in docx.Document(str(memo)).paragraphs)
    assert "Lo que más cambiaría" in text and "Completaría" in text


def test_json_carries_the_suggestions_as_additions():
    data = json.loads(run_cli("report", str(SAMPLES / "caso_mendoza.yaml"), "--format", "json").stdout)
    first = data["lo_que_mas_cambiaria"][0]
    assert set(first) == {"clave", "pregunta", "valor", "respuesta", "actual", "etapas", "pasos"}
    # Mendoza's plan starts from defining the policy: the government plan, unanswered, would complete it.
    assert (first["clave"], first["valor"], first["actual"]) == ("apoyo.en_plan_de_gobierno", True, "sin respuesta")
    assert first["etapas"] == ["Definir la política pública"]
    # The operational plan alone completes a later stage (the baseline belongs to the diagnosis): it follows.
    assert [s["clave"] for s in data["lo_que_mas_cambiaria"]][1] == "plan.operativo"
    assert data["plan"] and data["despues"]  # the contract's keys are still there


def test_clearing_and_dont_know_are_changes_too(bundle):
    answers, questionnaire = load_answers(SAMPLES / "caso_mendoza.yaml", bundle)
    run = what_if(answers, questionnaire, bundle, {"plan.pai": CLEAR, "recursos.ori": DONT_KNOW})
    # Training the team is asked only when someone is in charge: with «No sé» it no longer applies.
    assert {c.clave: c.despues for c in run.diff.cambios} == {
        "recursos.ori": "No sé", "recursos.formacion": "sin respuesta", "plan.pai": "sin respuesta"}
    assert "recursos.ori" in run.answers.dont_know and "plan.pai" not in run.answers.flat
    assert answers.flat["plan.pai"] == "aprobado" and "recursos.ori" not in answers.dont_know


def test_a_bad_change_is_refused_as_an_answer_file_would_be(bundle):
    answers, questionnaire = load_answers(SAMPLES / "caso_mendoza.yaml", bundle)
    with pytest.raises(ValidationError) as caught:
        what_if(answers, questionnaire, bundle, {"plan.pia": "aprobado"}, source="--what-if")
    assert caught.value.problems[0].suggestion == "plan.pai"
    with pytest.raises(ValidationError) as caught:
        what_if(answers, questionnaire, bundle, {"plan.pai": "aprobad"})
    problem = caught.value.problems[0]
    assert (problem.key, problem.suggestion) == ("plan.pai", "aprobado")
    assert "no está permitido" in problem.message


def _digest(path: Path) -> tuple[str, float]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_what_if_never_changes_the_answer_file_or_the_answers(data, bundle, tmp_path_factory):
    folder = tmp_path_factory.mktemp("whatif")
    source = folder / "respuestas.yaml"
    source.write_bytes((SAMPLES / data.draw(st.sampled_from(["caso_mendoza.yaml",
                                                             "municipio_pequeno.yaml"]))).read_bytes())
    before = _digest(source)
    answers, questionnaire = load_answers(source, bundle)
    kept = (dict(answers.flat), list(answers.dont_know))
    questions = [q for q in questionnaire.questions() if q.type in ("boolean", "choice", "integer")]
    changes = {}
    for question in data.draw(st.lists(st.sampled_from(questions), min_size=1, max_size=3, unique_by=lambda q: q.key)):
        if question.type == "boolean":
            value = data.draw(st.sampled_from([True, False, CLEAR, DONT_KNOW]))
        elif question.type == "choice":
            value = data.draw(st.sampled_from([o.value for o in question.options] + [CLEAR, DONT_KNOW]))
        else:
            value = data.draw(st.integers(min_value=question.min or 0, max_value=question.max or 10**6))
        changes[question.key] = value
    try:
        what_if(answers, questionnaire, bundle, changes)
    except ValidationError:
        pass  # a change the questionnaire refuses is refused; the file is still untouched
    assert (dict(answers.flat), list(answers.dont_know)) == kept
    assert _digest(source) == before
    assert sorted(p.name for p in folder.iterdir()) == ["respuestas.yaml"]


def test_cli_what_if_prints_the_comparison_and_saves_nothing(tmp_path):
    source = tmp_path / "mendoza.yaml"
    source.write_bytes((SAMPLES / "caso_mendoza.yaml").read_bytes())
    before = _digest(source)
    result = run_cli("report", str(source), "--what-if", "plan.operativo=sí", "--what-if", "plan.linea_base=sí")
    assert result.returncode == 0, result.stderr
    assert "# ¿Y si…? Ciudad de Mendoza" in result.stdout
    assert "**Plan operativo**: sin respuesta → sí" in result.stdout
    assert "**Bajar el plan estratégico a un plan operativo**: sale, ya no se da." in result.stdout
    assert "La planificación operativa**: no se sabe → completa" in result.stdout
    assert _digest(source) == before and sorted(p.name for p in tmp_path.iterdir()) == ["mendoza.yaml"]
    cleared = run_cli("report", str(source), "--what-if", "plan.pai=", "--what-if", "recursos.formacion=?")
    assert "**Plan de acción internacional**: Aprobado → sin respuesta" in cleared.stdout
    assert "→ No sé" in cleared.stdout
    data = json.loads(run_cli("report", str(source), "--what-if", "plan.operativo=sí", "--format", "json").stdout)
    assert [m["id"] for m in data["despues"] if m["cambio"] == "sale"][0] == "plan.planificacion_operativa"


@pytest.mark.parametrize("change, words", [
    ("plan.operatvo=sí", ["clave «plan.operatvo»", "no existe en el cuestionario «diagnostico»",
                          "¿Quiso decir «plan.operativo»?"]),
    ("plan.pai=aprobad", ["clave «plan.pai»", "el valor «aprobad» no está permitido", "¿Quiso decir «aprobado»?"]),
    ("plan.operativo=quizás", ["clave «plan.operativo»", "no es sí ni no", "Se esperaba sí, no, true o false"]),
    ("plan.operativo", ["«plan.operativo» no tiene la forma CLAVE=VALOR", "--what-if plan.operativo=sí"]),
])
def test_cli_bad_what_if_exits_2_with_a_spanish_message(change, words):
    result = run_cli("report", str(SAMPLES / "caso_mendoza.yaml"), "--what-if", change)
    assert result.returncode == 2 and result.stdout == ""
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr


def test_cli_what_if_refuses_the_memo_format(tmp_path):
    result = run_cli("report", str(SAMPLES / "caso_mendoza.yaml"), "--what-if", "plan.operativo=sí",
                     "--format", "docx", "-o", str(tmp_path / "m.docx"))
    assert result.returncode == 2 and "no está disponible con --what-if" in result.stderr
    assert not (tmp_path / "m.docx").exists()


def test_compare_shows_what_moved_along_the_path(tmp_path):
    base = tmp_path / "base.yaml"
    text = (SAMPLES / "municipio_pequeno.yaml").read_text(encoding="utf-8")
    base.write_text(text, encoding="utf-8")
    followup = tmp_path / "seguimiento.yaml"
    followup.write_text(text.replace("maxima_autoridad: declarativo", "maxima_autoridad: activo"), encoding="utf-8")
    data = json.loads(run_cli("compare", str(base), str(followup), "--format", "json").stdout)
    path = data["camino"]
    assert [c["clave"] for c in path["cambios"]] == ["apoyo.maxima_autoridad"]
    assert {m["id"]: m["ahora"] for m in path["plan"] if m["cambio"] == "sale"}["apoyo.asegurar_voluntad"] == "no_se_da"
    md = run_cli("compare", str(base), str(followup), "--format", "md").stdout
    assert "- **Asegurar el compromiso de la máxima autoridad**: sale, ya no se da." in md
    assert md.index("## Recomendaciones") < md.index("## Plan de acción")


def test_demo_names_the_change_that_would_move_the_plan_most(tmp_path):
    result = run_cli("demo", "--dir", str(tmp_path / "demo"))
    assert result.returncode == 0, result.stderr
    # The small municipality's plan starts with the mayor's commitment, and so does the suggestion.
    assert ("Lo que más cambiaría: «Compromiso de la máxima autoridad»: La impulsa con decisiones y recursos "
            "(hoy: La apoya de palabra, pero no con decisiones ni recursos)") in result.stdout


@pytest.mark.parametrize("sample, changes", [
    ("caso_cuenca.yaml", {"plan.linea_base": True}),
    ("caso_bogota.yaml", {"recursos.ori": "ninguna", "plan.pai": CLEAR}),
    ("municipio_pequeno.yaml", {"recursos.ori": "responsable", "apoyo.en_plan_de_gobierno": DONT_KNOW}),
])
def test_both_engines_give_the_same_what_if_and_suggestions(sample, changes, bundle):
    answers, questionnaire = load_answers(SAMPLES / sample, bundle)
    runs = [what_if(answers, questionnaire, bundle, changes, engine) for engine in ("experta", "clips")]
    assert runs[0].diff.model_dump() == runs[1].diff.model_dump()
    assert runs[0].after.model_dump() == runs[1].after.model_dump()
    found = [suggestions(answers, questionnaire, bundle, run.before, engine)
             for run, engine in zip(runs, ("experta", "clips"), strict=True)]
    assert found[0] == found[1]


def test_a_class_summary_counts_who_would_complete_each_stage(bundle):
    from advisor.app.whatif import stages_if

    cases = [load_answers(SAMPLES / name, bundle) for name in ("caso_mendoza.yaml", "caso_cuenca.yaml",
                                                               "caso_bogota.yaml")]
    counts = stages_if(cases, bundle, {"plan.linea_base": True})
    reports = [assess_answers(a, q, bundle, suggestions=False) for a, q in cases]
    assert {s: before for s, (before, _after) in counts.items()} == {
        stage: sum(1 for r in reports for e in r.etapas if e.id == stage and e.estado == "completa")
        for stage in counts}
    # The baseline belongs to the diagnosis (K26): it completes that stage for all three, each with a profile
    # or an approved plan; the operational stage does not move (Mendoza has no operational plan).
    assert counts["diagnosticar"][1] - counts["diagnosticar"][0] == 3
    assert counts["planificacion_operativa"][1] == counts["planificacion_operativa"][0]
    with pytest.raises(ValidationError):
        stages_if(cases, bundle, {"plan.linea_bas": True})


def test_a_what_if_on_a_network_candidacy_shows_the_decision_change(bundle):
    answers, questionnaire = load_answers(SAMPLES / "red_esperar.yaml", bundle)
    run = what_if(answers, questionnaire, bundle, {
        "apoyo.maxima_autoridad": "activo", "preguntas.plan": "si", "preguntas.capacidad": "si",
        "preguntas.implicaciones": "asumibles", "recursos.presupuesto": "propio"})
    assert (run.diff.resultado.antes, run.diff.resultado.despues) == ("esperar", "unirse")
    from advisor.report.render import render_whatif

    md = render_whatif(run.diff, "md")
    assert "## Resultado" in md and "conviene sumarse a la red" in md

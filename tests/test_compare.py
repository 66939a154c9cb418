"""`advisor compare`: the progress between two assessments of one government."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli

from advisor.app.assessment import assess
from advisor.report.compare import compare

#: A year later the mayor backs the international action for real: it is in the
#: government plan and a rule makes it State policy.
FOLLOWUP_EDITS = [
    ("fecha: 2026-11-02", "fecha: 2027-11-05"),
    ("maxima_autoridad: declarativo", "maxima_autoridad: activo"),
    ("en_plan_de_gobierno: no", "en_plan_de_gobierno: sí"),
    ("norma_institucional: no", "norma_institucional: sí"),
]


@pytest.fixture
def pair(tmp_path):
    text = (SAMPLES / "municipio_pequeno.yaml").read_text(encoding="utf-8")
    base = tmp_path / "base.yaml"
    base.write_text(text, encoding="utf-8")
    for old, new in FOLLOWUP_EDITS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    followup = tmp_path / "seguimiento.yaml"
    followup.write_text(text, encoding="utf-8")
    return base, followup


def run(capsys, *args: str) -> tuple[int, str, str]:
    result = run_cli(*args)
    return result.returncode, result.stdout, result.stderr


def test_json_names_what_moved(pair, tmp_path, capsys):
    target = tmp_path / "progreso.json"
    code, _out, err = run(capsys, "compare", str(pair[0]), str(pair[1]), "-o", str(target))
    assert code == 0, err
    assert f"Informe de seguimiento escrito en {target}" in err
    data = json.loads(target.read_text(encoding="utf-8"))
    assert (data["cuestionario"], data["fecha_base"], data["fecha_seguimiento"]) == ("diagnostico", "2026-11-02",
                                                                                     "2027-11-05")
    assert data["perfil"]["nombre"] == "Municipio de San Isidro del Valle"
    moved = {p["id"]: (p["antes"], p["despues"], p["cambio"]) for p in data["pilares"] if p["cambio"] != "igual"}
    assert moved == {"apoyo_politico": ("inicial", "consolidado", "sube")}
    assert len(data["pilares"]) == 6, "every pillar is listed, the unchanged ones too"
    assert {i["id"]: (i["antes"], i["despues"]) for i in data["ideas"]} == {
        "idea.01": ("parcial", "cumplida"), "idea.06": ("pendiente", "parcial"), "idea.08": ("parcial", "cumplida"),
    }
    recs = data["recomendaciones"]
    assert recs["resueltas"][0] == {"id": "apoyo.asegurar_voluntad",
                                    "titulo": "Asegurar el compromiso de la máxima autoridad",
                                    "prioridad": 1, "ref": "K23"}
    assert {r["id"] for r in recs["resueltas"]} == {"apoyo.asegurar_voluntad", "apoyo.incluir_en_plan"}
    assert "recursos.presupuesto_propio" in {r["id"] for r in recs["nuevas"]}
    still = {r["id"] for r in recs["pendientes"]}
    assert "recursos.designar_responsable" in still
    assert not still & {r["id"] for r in recs["resueltas"] + recs["nuevas"]}
    assert data["niveles"] == [] and data["resultado"] is None


def test_markdown_and_html_show_the_progress(pair, tmp_path, capsys):
    code, md, err = run(capsys, "compare", str(pair[0]), str(pair[1]), "--format", "md")
    assert code == 0, err
    assert md.startswith("# Seguimiento: Diagnóstico de la acción internacional\n")
    assert "Evaluación de base: 2 de noviembre de 2026 · Seguimiento: 5 de noviembre de 2027" in md
    assert "| Apoyo político | Inicial | Consolidado | ▲ avanzó |" in md
    assert "| Recursos y estructura | Inicial | Inicial | = sin cambio |" in md
    assert "- **Alinear con lo local**: ◐ parcial → ☑ cumplida (▲ avanzó)." in md
    resolved = md.split("### Resueltas")[1].split("### Nuevas")[0]
    assert "**Asegurar el compromiso de la máxima autoridad**: prioridad 1 (condición previa), K23.\n" in resolved
    assert "apoyo.asegurar_voluntad" not in md, "no internal ids in what a reader reads"
    assert "Atención" not in md, "same government, dates in order: no warning"

    target = tmp_path / "progreso.html"  # the format follows the suffix
    code, _out, err = run(capsys, "compare", str(pair[0]), str(pair[1]), "-o", str(target))
    assert code == 0, err
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<h1>Seguimiento: Diagnóstico de la acción internacional</h1>" in html
    assert "<td>Apoyo político</td>" in html and "apoyo.asegurar_voluntad" not in html


def test_json_is_deterministic(pair, capsys):
    other_process = run_cli("compare", str(pair[0]), str(pair[1]), "--format", "json")
    assert other_process.returncode == 0, other_process.stderr
    assert run(capsys, "compare", str(pair[0]), str(pair[1]), "--format", "json")[1] == other_process.stdout


def test_an_assessment_against_itself_shows_no_change(bundle):
    report = assess(SAMPLES / "ciudad_intermedia.yaml", bundle)
    same = compare(report, report)
    assert {p.cambio for p in same.pilares} == {"igual"} and same.ideas == []
    assert same.recomendaciones.resueltas == [] and same.recomendaciones.nuevas == []
    assert [r.id for r in same.recomendaciones.pendientes] == [r.id for r in report.to_do()]
    assert "cooperacion.ciudad_ciudad" not in {r.id for r in same.recomendaciones.pendientes}, "met advice is not open"


def test_advice_met_a_year_later_is_resolved_though_its_rule_still_speaks(bundle, tmp_path):
    """A first twinning makes city-to-city cooperation done (K11): the follow-up
    marks it met, so the comparison lists it as resolved, not as still open."""
    text = (SAMPLES / "municipio_pequeno.yaml").read_text(encoding="utf-8")
    base = tmp_path / "base.yaml"
    base.write_text(text.replace("hermanamientos: 1", "hermanamientos: 0"), encoding="utf-8")
    before, after = assess(base, bundle), assess(SAMPLES / "municipio_pequeno.yaml", bundle)
    assert next(r for r in before.recomendaciones if r.id == "cooperacion.ciudad_ciudad").cumplido is False
    assert next(r for r in after.recomendaciones if r.id == "cooperacion.ciudad_ciudad").cumplido is True
    changes = compare(before, after).recomendaciones
    assert "cooperacion.ciudad_ciudad" in {r.id for r in changes.resueltas}
    assert "cooperacion.ciudad_ciudad" not in {r.id for r in changes.pendientes}


def test_checklists_show_levels_and_outcome(capsys):
    code, out, err = run(capsys, "compare", str(SAMPLES / "cid_con_brechas.yaml"), str(SAMPLES / "cid_lista.yaml"))
    assert code == 0, err
    data = json.loads(out)
    assert data["pilares"] == [] and data["ideas"] == []
    assert (data["resultado"]["antes"], data["resultado"]["despues"]) == ("brechas", "lista")
    levels = {n["id"]: (n["antes"], n["despues"]) for n in data["niveles"]}
    assert levels["paso.paso_03"] == ("en_curso", "cumplido") and "paso.paso_01" not in levels
    assert "postulacion.paso_03" in {r["id"] for r in data["recomendaciones"]["resueltas"]}
    assert [r["id"] for r in data["recomendaciones"]["nuevas"]] == ["postulacion.lista"]

    code, md, err = run(capsys, "compare", str(SAMPLES / "cid_con_brechas.yaml"), str(SAMPLES / "cid_lista.yaml"),
                        "--format", "md")
    assert "| 3. Necesidad identificada (autoevaluación) | ◐ en curso | ✔ cumplido |" in md
    assert "- Ahora: los diez pasos están cumplidos" in md
    assert "Atención: la evaluación de base es de «Municipio de San Isidro del Valle»" in md, "two governments: warned"


def test_different_questionnaires_are_refused(tmp_path):
    target = tmp_path / "progreso.md"
    base, other = SAMPLES / "municipio_pequeno.yaml", SAMPLES / "red_unirse.yaml"
    result = run_cli("compare", str(base), str(other), "-o", str(target))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"advisor: los archivos son de cuestionarios distintos: «{base}» es de «diagnostico» y «{other}» de "
        f"«red_candidata». "
        "Se esperaba dos archivos de respuestas del mismo cuestionario."
    )
    assert not target.exists()


@pytest.mark.parametrize("which", [0, 1])
def test_a_missing_or_invalid_file_is_refused(pair, tmp_path, capsys, which):
    files = [str(pair[0]), str(pair[1])]
    files[which] = str(tmp_path / "no_existe.yaml")
    code, out, err = run(capsys, "compare", *files)
    assert code == 2 and out == ""
    assert err.strip() == f"advisor: {files[which]}: el archivo no existe."

    broken = tmp_path / "roto.yaml"
    broken.write_text(pair[1].read_text(encoding="utf-8").replace("maxima_autoridad: activo",
                                                                  "maxima_autoridad: tal vez"),
                      encoding="utf-8")
    files = [str(pair[0]), str(broken)] if which else [str(broken), str(pair[1])]
    code, out, err = run(capsys, "compare", *files)
    assert code == 2 and out == ""
    assert err.startswith(f"advisor: {broken}, línea ") and "«respuestas.apoyo.maxima_autoridad»" in err


def test_readme_follow_up_example_runs(tmp_path):
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Follow-up a year later (advisers)")[1].split("###")[0]
    lines = [line.split("#")[0].split() for line in re.search(r"```sh\n(.*?)```", section,
                                                              flags=re.DOTALL)[1].splitlines()]
    copy, ask, progress = (line[1:] for line in lines)
    assert run_cli(*copy, cwd=tmp_path).returncode == 0
    # `ask --from` needs a terminal (tests/test_followup_pty.py drives it): write its result instead.
    previous = tmp_path / ask[-1]
    followup = previous.with_name(previous.stem + "-seguimiento.yaml")
    followup.write_text(previous.read_text(encoding="utf-8").replace("maxima_autoridad: declarativo",
                                                                     "maxima_autoridad: activo"),
                        encoding="utf-8")
    result = run_cli(*progress, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / progress[-1]).read_text(encoding="utf-8")
    assert "<h1>Seguimiento: Diagnóstico de la acción internacional</h1>" in html and "▲ avanzó" in html


def test_the_comparison_speaks_english_whole(pair, capsys):
    """--lang en: the levels, states and priority names too, not only the headings."""
    code, md, err = run(capsys, "compare", str(pair[0]), str(pair[1]), "--format", "md", "--lang", "en")
    assert code == 0, err
    assert "| Political support | Initial | Consolidated | ▲ improved |" in md
    for spanish in ("| Inicial |", "| Consolidado |", "☐ pendiente", "◐ parcial", "☑ cumplida", "(condición previa)",
                    "(estrategia y plan)"):
        assert spanish not in md, spanish

"""The real `advisor ask`, driven in a pseudo-terminal from the first question
to the written report, and interrupted with Ctrl-C then resumed."""

from __future__ import annotations

import json
import re
import signal

import pexpect
import yaml
from conftest import SAMPLES, read_yaml, run_cli
from pty_driver import CTRL_C, DOWN, ENTER, SPACE, answer, pick, spawn, yes_no

from advisor.io.documents import read_document
from advisor.model.answers import load_answers

FIRST_SECTION = [
    ("¿Cuál es el nombre", "Villa Prueba" + ENTER),
    ("¿En qué país está?", "AR" + ENTER),
]


def test_full_interview_writes_answers_and_report(tmp_path):
    child = spawn(tmp_path, "diagnostico")
    child.expect("Sección 1 de 8: Perfil del gobierno")
    for question, keys in FIRST_SECTION:
        answer(child, question, keys)
    pick(child, "¿Qué nivel de gobierno es?")                         # Municipio o ciudad
    answer(child, "¿Cuántos habitantes tiene", "?" + ENTER)           # help on demand
    child.expect("Algunas redes reúnen a ciudades grandes")
    answer(child, "¿Cuántos habitantes tiene", "4500" + ENTER)
    yes_no(child, "¿Es la capital del país?", 1)                        # No
    yes_no(child, "¿Limita con otro país", 0)                            # Sí
    yes_no(child, "¿Forma parte de un área metropolitana?", 2)          # No sé
    yes_no(child, "¿Tiene algún sitio inscrito", 1)                       # No
    child.expect("Sección 2 de 8: Apoyo político")
    pick(child, "¿Cómo es el compromiso", 1)                           # declarativo
    yes_no(child, "¿La acción internacional figura", 1)                 # No
    yes_no(child, "¿Hay una norma", 3)                                    # ¿Por qué…?
    child.expect("Darle rango de política de Estado")
    yes_no(child, "¿Hay una norma", 1)                                    # No
    child.expect("Sección 3 de 8: Recursos y estructura")
    pick(child, "¿Quién se ocupa hoy")                                  # Nadie: no team questions
    pick(child, "¿Con qué presupuesto")                                 # Ninguno
    yes_no(child, "¿Otras áreas del gobierno", 1)                        # No
    pick(child, "¿El marco legal", 2)                                   # No lo sé
    yes_no(child, "¿Su gobierno firma", 1)                                # No
    answer(child, "¿Por qué quiere actuar en el exterior?", SPACE + DOWN + SPACE + ENTER)
    answer(child, "¿Cuáles son los temas prioritarios", SPACE + ENTER)
    answer(child, "¿Qué agendas globales adoptó", ENTER)
    answer(child, "¿Cuántos hermanamientos", "1" + ENTER)
    answer(child, "¿A qué redes de ciudades", ENTER)
    answer(child, "¿Cuántos proyectos de cooperación", "0" + ENTER)
    answer(child, "¿De cuáles de estas fuentes", ENTER)                  # ninguna
    yes_no(child, "¿Fue sede de eventos", 1)                              # No
    yes_no(child, "¿Tiene una marca ciudad", 1)                           # No
    pick(child, "¿Su gobierno ofrece cooperación")                        # solo la recibe
    answer(child, "¿Qué actores del territorio", SPACE + ENTER)
    yes_no(child, "¿Hay un espacio estable", 1)                           # No
    yes_no(child, "¿Hay dentro de su territorio otros gobiernos", 1)      # No
    child.expect("Sección 8 de 8: Plan, comunicación y evaluación")
    yes_no(child, "¿Tiene un diagnóstico", 1)
    pick(child, "¿Tiene un plan de acción internacional")               # No
    yes_no(child, "¿Midió indicadores", 1)
    yes_no(child, "¿Tiene una estrategia para comunicar", 1)
    answer(child, "¿Por qué canales comunica", DOWN + SPACE + ENTER)    # Redes sociales
    yes_no(child, "¿Se hace un seguimiento", 1)
    child.expect("Revise sus respuestas")
    child.expect("Frontera: sí")
    child.send(ENTER)                                                   # Terminar
    child.expect("Informe: respuestas-diagnostico-informe.md")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    saved = read_yaml(tmp_path / "respuestas-diagnostico.yaml")
    assert saved["respuestas"]["perfil"] == {
        "nombre": "Villa Prueba", "pais": "AR", "nivel": "municipio", "poblacion": 4500,
        "capital": False, "frontera": True, "patrimonio": False,
    }
    assert saved["no_sabe"] == ["perfil.metropolitano"]
    assert saved["respuestas"]["prioridades"]["razones"] == ["posicionamiento", "cooperacion"]
    assert "equipo" not in saved["respuestas"]["recursos"]
    assert "ejes" not in saved["respuestas"]["plan"], "no plan, so no question on its axes"
    assert saved["respuestas"]["comunicacion"]["canales"] == ["redes_sociales"]
    html = (tmp_path / "respuestas-diagnostico-informe.html").read_text(encoding="utf-8")
    assert "Villa Prueba" in html and "Asegurar el compromiso de la máxima autoridad" in html
    report = json.loads(run_cli("report", str(tmp_path / "respuestas-diagnostico.yaml")).stdout)
    assert report["primeros_pasos"][0] == "apoyo.asegurar_voluntad"
    assert "cooperacion.transfronteriza" in {r["id"] for r in report["recomendaciones"]}


def up_to_the_population(child) -> None:
    """The first questions of the diagnostic, as most tests answer them."""
    for question, keys in FIRST_SECTION:
        answer(child, question, keys)
    pick(child, "¿Qué nivel de gobierno es?")
    answer(child, "¿Cuántos habitantes tiene", "4500" + ENTER)


def test_ctrl_c_saves_and_resume_continues(tmp_path):
    child = spawn(tmp_path, "diagnostico", "-o", "mias.yaml")
    for question, keys in FIRST_SECTION:
        answer(child, question, keys)
    child.expect(re.escape("¿Qué nivel de gobierno es?"))
    child.send(CTRL_C)
    child.expect("Sus respuestas quedaron guardadas en mias.yaml")
    child.expect("advisor ask --resume mias.yaml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    saved = read_yaml(tmp_path / "mias.yaml")
    assert saved["respuestas"] == {"perfil": {"nombre": "Villa Prueba", "pais": "AR"}}

    child = spawn(tmp_path, "--resume", "mias.yaml")
    child.expect("Sección 1 de 8")
    index = child.expect([re.escape("¿Qué nivel de gobierno es?"), re.escape("¿Cuál es el nombre")])
    assert index == 0, "resume continues at the first unanswered question"
    child.send(DOWN + ENTER)                                            # provincia
    child.expect(re.escape("¿Cuántos habitantes tiene"))
    child.send(CTRL_C)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    saved = read_yaml(tmp_path / "mias.yaml")
    assert saved["respuestas"]["perfil"] == {"nombre": "Villa Prueba", "pais": "AR", "nivel": "provincia"}


def test_killed_process_loses_no_completed_section(tmp_path, bundle):
    """SIGKILL gives no chance to clean up: what was saved before it must be
    whole. On the way, Enter on a yes/no question not yet answered."""
    child = spawn(tmp_path, "diagnostico", "-o", "matado.yaml")
    up_to_the_population(child)
    # Enter on a yes/no question not answered yet records nothing and asks again.
    child.expect(re.escape("(elija Sí o No con las flechas)"))
    child.send(ENTER)
    child.expect("Elija una respuesta con las flechas y presione Enter.")
    child.expect(re.escape("¿Es la capital del país?"))
    saved = read_yaml(tmp_path / "matado.yaml")
    assert saved["respuestas"]["perfil"]["poblacion"] == 4500 and "capital" not in saved["respuestas"]["perfil"]
    child.send(DOWN * 2 + ENTER)                                        # No: the cursor stayed above «Sí»
    yes_no(child, "¿Limita con otro país", 0)
    yes_no(child, "¿Forma parte de un área metropolitana?", 1)
    yes_no(child, "¿Tiene algún sitio inscrito", 1)
    child.expect("Sección 2 de 8: Apoyo político")
    pick(child, "¿Cómo es el compromiso", 2)                           # activo
    child.expect(re.escape("¿La acción internacional figura"))
    child.kill(signal.SIGKILL)
    child.close(force=True)
    assert child.signalstatus == signal.SIGKILL

    text = (tmp_path / "matado.yaml").read_text(encoding="utf-8")
    assert text.rstrip().endswith("quedó incompleto."), "the file on disk is a whole save"
    saved = yaml.safe_load(text)
    assert saved["respuestas"] == {
        "perfil": {"nombre": "Villa Prueba", "pais": "AR", "nivel": "municipio", "poblacion": 4500,
                   "capital": False, "frontera": True, "metropolitano": False, "patrimonio": False},
        "apoyo": {"maxima_autoridad": "activo"},
    }

    # Resuming in the terminal is test_ctrl_c_saves_and_resume_continues's (the
    # same save wrote both files): here advisor reads this one, next asking the
    # first unanswered question.
    answers, questionnaire = load_answers(tmp_path / "matado.yaml", bundle)
    pending = [q.key for q in questionnaire.questions() if answers.pending(q) and q.applies(answers.flat)]
    assert pending[0] == "apoyo.en_plan_de_gobierno"


def _partial_file(tmp_path, name: str, respuestas: dict) -> str:
    data = {"cuestionario": "diagnostico", "version": 1, "respuestas": respuestas}
    (tmp_path / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return name


def test_ctrl_c_at_a_checkbox_and_at_the_review_screen_keeps_the_file(tmp_path):
    """Ctrl-C at any prompt: here a several-options question, then the review screen."""
    first = {
        "perfil": {"nombre": "Villa Prueba", "pais": "AR", "nivel": "municipio", "poblacion": 10, "capital": False,
                   "frontera": False, "metropolitano": False, "patrimonio": False},
        "apoyo": {"maxima_autoridad": "activo", "en_plan_de_gobierno": True, "norma_institucional": False},
        "recursos": {"ori": "ninguna", "presupuesto": "ninguno", "puntos_focales": False},
        "normativa": {"competencias": "explicitas", "ori_formalizada": False, "convenios": False},
    }
    name = _partial_file(tmp_path, "parcial.yaml", first)
    child = spawn(tmp_path, "--resume", name)
    child.expect(re.escape("¿Por qué quiere actuar en el exterior?"))
    child.send(SPACE + CTRL_C)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert read_yaml(tmp_path / name)["respuestas"] == first

    full = read_yaml(SAMPLES / "municipio_rural.yaml")
    full["respuestas"]["comunicacion"]["canales"] = []                 # now every question has an answer
    (tmp_path / "completo.yaml").write_text(yaml.safe_dump(full, allow_unicode=True), encoding="utf-8")
    child = spawn(tmp_path, "--resume", "completo.yaml")
    child.expect("Revise sus respuestas")
    child.send(CTRL_C)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    saved = read_yaml(tmp_path / "completo.yaml")
    assert saved["respuestas"] == full["respuestas"] and saved["no_sabe"] == full["no_sabe"]


def answer_everything(child) -> None:
    """Drive any questionnaire to its end: first option of every choice, the
    first box of every checklist, «7» in every typed answer, then finish. A
    yes/no question starts on a line that records nothing: Enter there asks
    again, and then DOWN reaches «Sí»."""
    from advisor.app.interview import CHECKBOX_HINT, SELECT_HINT

    unchosen = False
    while True:
        index = child.expect([re.escape(SELECT_HINT), re.escape(CHECKBOX_HINT), re.escape("(? para ayuda"),
                              "Informe: .*-informe\\.md", "Elija una respuesta con las flechas"])
        if index == 3:
            break
        if index == 4:
            unchosen = True
            continue
        child.send([DOWN + ENTER if unchosen else ENTER, SPACE + ENTER, "7" + ENTER][index])
        unchosen = False
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_ask_without_a_name_offers_every_questionnaire(tmp_path):
    """The menu names every questionnaire; the one chosen, here the candidate
    network's, is asked to its end and its report written (one walk for both:
    the reports' contents are the golden tests')."""
    child = spawn(tmp_path)
    child.expect("¿Qué cuestionario quiere responder?")
    for title in ("Diagnóstico de la acción internacional", "Evaluación de un proyecto de acción internacional",
                  "Evaluación de una red candidata", "Preparación para una convocatoria de cooperación al desarrollo"):
        child.expect(re.escape(title))
    child.send(DOWN * 2 + ENTER)
    answer_everything(child)
    assert (tmp_path / "respuestas-red_candidata-informe.md").exists()
    assert_a_whole_report(tmp_path / "respuestas-red_candidata.yaml", "red_candidata")


def test_a_project_evaluation_runs_interactively_to_its_report(tmp_path):
    """Its 16 Annex I criteria ask 48 questions with the same four answers: a
    file with all but the first sections and the last criterion answered walks
    every kind of question it has, the review screen shows every answer, and the
    report is written (the whole walk cost five seconds more for no other case)."""
    data = read_document(SAMPLES / "proyecto_solido.yaml").data
    for section in ("perfil", "proyecto", "prioridades", "innovacion"):
        del data["respuestas"][section]
    name = "respuestas-evaluacion_proyecto.yaml"
    (tmp_path / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    child = spawn(tmp_path, "--resume", name)
    child.expect(re.escape("¿Cuál es el nombre"))
    answer_everything(child)
    saved = read_yaml(tmp_path / name)
    assert set(saved["respuestas"]) >= {"perfil", "proyecto", "prioridades", "innovacion", "sostenibilidad"}
    assert_a_whole_report(tmp_path / name, "evaluacion_proyecto")


def assert_a_whole_report(path, name: str) -> None:
    saved = read_yaml(path)
    assert saved["cuestionario"] == name
    report = json.loads(run_cli("report", str(path)).stdout)
    assert report["cuestionario"] == name and report["recomendaciones"]
    assert all(r["porque"] and r["fuente"]["ref"] for r in report["recomendaciones"])

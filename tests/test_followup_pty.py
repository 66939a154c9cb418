"""`advisor ask --from`: a new assessment a year later, every question asked
again with the previous answer as its default, driven in a pseudo-terminal."""

from __future__ import annotations

import datetime as dt
import json
import re

import pexpect
import yaml
from conftest import SAMPLES, read_yaml, run_cli
from pty_driver import DOWN, ENTER, spawn

from advisor.app.interview import CHECKBOX_HINT, SELECT_HINT

CLEAR_LINE = "\x15"  # Ctrl-U: erase the default of a typed answer

#: What the adviser changes; every other question is confirmed with Enter. The
#: sample answered four yes/no questions «No sé»: they come back without a default,
#: the cursor on a line that records nothing, above «Sí».
CHANGES = {
    "¿Cuántos habitantes tiene": CLEAR_LINE + "9500" + ENTER,
    "¿Cómo es el compromiso": DOWN + ENTER,                   # from «declarativo» (the default) to «activo»
    "¿La acción internacional figura": DOWN * 3 + ENTER,      # No sé, again
    "¿Hay una norma": DOWN * 2 + ENTER,                       # No: known now
    "¿Otras áreas del gobierno": DOWN + ENTER,                # Sí: there is no default
    "¿Su gobierno firma": DOWN + ENTER,                       # Sí
}


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def drive(child, changes: dict[str, str]) -> list[str]:
    """Answer every question up to the review screen, each once; returns the
    questions asked, in order."""
    asked: list[str] = []
    pending = dict(changes)
    while True:
        index = child.expect([re.escape(SELECT_HINT), re.escape(CHECKBOX_HINT), re.escape("(? para ayuda"),
                              "Revise sus respuestas"])
        if index == 3:
            break
        question = "¿" + ANSI.sub("", child.before).rsplit("? ¿", 1)[-1].strip()
        if asked and asked[-1] == question:
            continue  # prompt_toolkit draws a typed question again when it learns the cursor position
        asked.append(question)
        fragment = next((f for f in pending if question.startswith(f)), None)
        child.send(pending.pop(fragment) if fragment else ENTER)
    assert not pending, f"not asked: {list(pending)}"
    return asked


def test_follow_up_asks_everything_again_and_keeps_the_previous_file(tmp_path):
    previous = tmp_path / "pampa.yaml"
    previous.write_bytes((SAMPLES / "municipio_rural.yaml").read_bytes())
    before = previous.read_bytes()
    child = spawn(tmp_path, "--from", "pampa.yaml")
    child.expect("Cada pregunta trae la respuesta anterior")
    asked = drive(child, CHANGES)
    child.send(ENTER)                                                   # Terminar
    child.expect("Informe: pampa-seguimiento-informe.md")
    child.expect(re.escape("Para ver el progreso: advisor compare pampa.yaml pampa-seguimiento.yaml"))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    assert previous.read_bytes() == before, "the previous assessment is never touched"
    assert len(asked) == 35 and asked[0] == "¿Cuál es el nombre del gobierno local o regional?", \
        "every applicable question is asked again, the answered ones too"
    old = yaml.safe_load(before.decode("utf-8"))
    saved = read_yaml(tmp_path / "pampa-seguimiento.yaml")
    expected = old["respuestas"]
    expected["perfil"]["poblacion"] = 9500
    expected["apoyo"] |= {"maxima_autoridad": "activo", "norma_institucional": False}
    expected["recursos"]["puntos_focales"] = True
    expected["normativa"]["convenios"] = True
    expected["comunicacion"]["canales"] = []
    expected["prioridades"]["temas"] = ["agua_saneamiento", "alimentacion", "riesgo_desastres"]  # the options' order
    assert saved["respuestas"] == expected
    assert saved["no_sabe"] == ["apoyo.en_plan_de_gobierno"]
    assert saved["fecha"] == dt.date.today(), "a new assessment gets today's date"
    assert (tmp_path / "pampa-seguimiento-informe.html").exists()

    progress = run_cli("compare", "pampa.yaml", "pampa-seguimiento.yaml", "--format", "json", cwd=tmp_path)
    assert progress.returncode == 0, progress.stderr
    assert "apoyo.asegurar_voluntad" in {r["id"] for r in json.loads(progress.stdout)["recomendaciones"]["resueltas"]}


def test_from_and_resume_together_are_refused(tmp_path):
    result = run_cli("ask", "--from", str(SAMPLES / "municipio_rural.yaml"), "--resume", "otro.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("advisor: «--from» y «--resume» no se pueden usar juntos.")


def test_an_existing_follow_up_file_is_never_overwritten(tmp_path):
    previous = tmp_path / "pampa.yaml"
    previous.write_bytes((SAMPLES / "municipio_rural.yaml").read_bytes())
    (tmp_path / "pampa-seguimiento.yaml").write_text("mío\n", encoding="utf-8")
    for args in (["--from", "pampa.yaml"], ["--from", "pampa.yaml", "-o", "pampa-seguimiento.yaml"]):
        result = run_cli("ask", *args, cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr.startswith("advisor: pampa-seguimiento.yaml: el archivo ya existe y no se sobrescribe.")
    assert (tmp_path / "pampa-seguimiento.yaml").read_text(encoding="utf-8") == "mío\n"


def test_a_missing_previous_file_is_refused(tmp_path):
    result = run_cli("ask", "--from", "no_existe.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "advisor: no_existe.yaml: el archivo no existe."

"""Bad input: a Spanish message with file, key, line and what was expected;
exit code 2; no traceback; nothing written over an existing output."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ANSWERS = "cuestionario: diagnostico\nversion: 1\nrespuestas:\n"

CASES = {
    "valor_no_permitido": (
        ANSWERS + "  plan:\n    pai: tal vez\n",
        "advisor: entrada.yaml, línea 5, clave «respuestas.plan.pai»: el valor «tal vez» no está permitido. "
        "Se esperaba uno de: «no», «en_elaboracion» o «aprobado».",
    ),
    "cuestionario_desconocido": (
        "cuestionario: diagnostic\nversion: 1\nrespuestas: {}\n",
        "advisor: entrada.yaml, línea 1, clave «cuestionario»: el cuestionario «diagnostic» no existe. "
        "Se esperaba uno de: «diagnostico», «evaluacion_proyecto», «postulacion_cid» o «red_candidata». ¿Quiso decir "
        "«diagnostico»?",
    ),
    "varios_problemas": (
        ANSWERS + "  perfil:\n    nombr: X\n    poblacion: muchos\n  apoyo:\n    en_plan_de_gobierno: quizás\n",
        "advisor: entrada.yaml tiene 3 problemas:\n"
        "  - línea 5, clave «respuestas.perfil.nombr»: la clave no existe en este formato. Se esperaba uno de: "
        "«nombre», «pais», «nivel», «poblacion», «capital», «frontera», «metropolitano» o «patrimonio». ¿Quiso decir "
        "«nombre»?\n"
        "  - línea 6, clave «respuestas.perfil.poblacion»: «muchos» no es un número entero. "
        "Se esperaba un número entero sin signo, como 8000, 8.000 o 8 000.\n"
        "  - línea 8, clave «respuestas.apoyo.en_plan_de_gobierno»: el valor «quizás» no es sí ni no. "
        "Se esperaba sí, no, true o false.",
    ),
    "pais_por_nombre": (
        ANSWERS + "  perfil: {pais: Argentina}\n",
        "advisor: entrada.yaml, línea 4, clave «respuestas.perfil.pais»: «Argentina» no es un código de país. "
        "Se esperaba un código de país ISO 3166-1 de dos letras, como AR, EC o CO. ¿Quiso decir «AR»?",
    ),
    "version_desconocida": (
        "cuestionario: diagnostico\nversion: 2\nrespuestas: {}\n",
        "advisor: entrada.yaml, línea 2, clave «version»: la versión de formato «2» no es conocida. "
        "Se esperaba version: 1 (la que lee esta versión de advisor).",
    ),
    "lista_en_la_raiz": (
        "- a\n- b\n",
        "advisor: entrada.yaml: el archivo de respuestas no es un conjunto de claves. "
        "Se esperaba claves cuestionario, version y respuestas (vea «advisor schema»).",
    ),
    "yaml_roto": (
        "a: [1, 2\n",
        "advisor: entrada.yaml, línea 2: el YAML no es válido: la estructura no se puede leer "
        "(revise sangrías, comillas y dos puntos).",
    ),
    "no_sabe_y_respuesta": (
        "cuestionario: diagnostico\nversion: 1\nno_sabe: [perfil.frontera]\nrespuestas:\n  perfil: {frontera: true}\n",
        "advisor: entrada.yaml, línea 3, clave «no_sabe»: «perfil.frontera» figura en no_sabe y también tiene "
        "una respuesta. Se esperaba cada pregunta respondida o en no_sabe, no ambas.",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_answer_file_is_refused_in_spanish(cli, tmp_path, name):
    content, message = CASES[name]
    (tmp_path / "entrada.yaml").write_text(content, encoding="utf-8")
    result = cli("report", "entrada.yaml")
    assert result.returncode == 2
    assert result.stderr.strip() == message
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_non_utf8_file(cli, tmp_path):
    (tmp_path / "entrada.yaml").write_bytes("nombre: Bogotá\n".encode("latin-1"))
    result = cli("report", "entrada.yaml")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "advisor: entrada.yaml, línea 1: el archivo no está codificado en UTF-8. "
        "Se esperaba texto UTF-8 (guárdelo como «UTF-8» en su editor)."
    )


def test_missing_file(cli):
    result = cli("report", "no-existe.yaml")
    assert (result.returncode, result.stderr.strip()) == (2, "advisor: no-existe.yaml: el archivo no existe.")


def test_refused_input_leaves_existing_output_untouched(cli, tmp_path):
    (tmp_path / "entrada.yaml").write_text(CASES["valor_no_permitido"][0], encoding="utf-8")
    (tmp_path / "informe.json").write_text("informe anterior", encoding="utf-8")
    result = cli("report", "entrada.yaml", "-o", "informe.json")
    assert result.returncode == 2
    assert (tmp_path / "informe.json").read_text(encoding="utf-8") == "informe anterior"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entrada.yaml", "informe.json"]


def test_unknown_command_is_spanish(cli):
    result = cli("reporte")
    assert result.returncode == 2
    assert ("advisor: «reporte» no es una opción de advisor. Se esperaba uno de: «ask», «report», «compare»"
            in result.stderr)
    assert result.stderr.strip().endswith("¿Quiso decir «report»?")
    assert "Traceback" not in result.stderr


def test_a_mistyped_command_or_choice_gets_the_closest_one(cli):
    assert cli("aks").stderr.strip().endswith("¿Quiso decir «ask»?")
    choice = cli("report", "x.yaml", "--format", "jsno")
    assert choice.returncode == 2 and "«jsno» no es una opción de --format" in choice.stderr
    assert choice.stderr.strip().endswith("¿Quiso decir «json»?")


def test_a_mistyped_command_after_an_option_or_under_another_gets_the_closest_one(cli):
    after_lang = cli("--lang", "es", "reprot")
    assert after_lang.returncode == 2 and after_lang.stderr.startswith("advisor: «reprot» no es una opción de advisor")
    assert after_lang.stderr.strip().endswith("¿Quiso decir «report»?")
    nested = cli("kb", "chek")
    assert nested.returncode == 2 and "«chek» no es una opción de advisor kb" in nested.stderr
    assert nested.stderr.strip().endswith("¿Quiso decir «check»?")
    separator = cli("batch", "x.yaml", "-o", "salida", "--separador", ":")
    assert separator.returncode == 2
    assert "«:» no es una opción de --separator/--separador. Se esperaba uno de: «,» o «;»." in separator.stderr


def test_an_output_suffix_that_names_no_format_is_refused(cli, tmp_path):
    """-o informe.pdf used to write JSON into a .pdf with exit 0."""
    from conftest import SAMPLES

    result = cli("report", str(SAMPLES / "municipio_rural.yaml"), "-o", "informe.pdf")
    assert result.returncode == 2
    assert "no se sabe en qué formato escribir «informe.pdf»" in result.stderr
    assert ".json, .md, .markdown, .html, .htm, .docx" in result.stderr
    assert not (tmp_path / "informe.pdf").exists()


def test_ask_refuses_without_a_terminal(cli, tmp_path):
    result = cli("ask")
    assert result.returncode == 2
    assert result.stderr.startswith("advisor: «advisor ask» necesita una terminal interactiva.")
    assert not (tmp_path / "respuestas-diagnostico.yaml").exists()


def test_ask_never_overwrites_an_answer_file(cli, tmp_path):
    (tmp_path / "mias.yaml").write_text("guardado", encoding="utf-8")
    result = cli("ask", "-o", "mias.yaml")
    assert result.returncode == 2
    assert "mias.yaml: el archivo ya existe y no se sobrescribe." in result.stderr
    assert (tmp_path / "mias.yaml").read_text(encoding="utf-8") == "guardado"


def test_the_installed_command_exits_with_the_contract_codes(tmp_path):
    """The console script itself, as a process: 0 for a report, 2 with the
    Spanish message for refused input, 0 for --help; no traceback."""
    from conftest import SAMPLES, run_process

    (tmp_path / "entrada.yaml").write_text(CASES["valor_no_permitido"][0], encoding="utf-8")
    good = run_process("report", str(SAMPLES / "municipio_rural.yaml"), "--format", "json")
    assert good.returncode == 0 and good.stdout.startswith("{") and good.stderr == ""
    bad = run_process("report", "entrada.yaml", cwd=tmp_path)
    assert (bad.returncode, bad.stderr.strip(), bad.stdout) == (2, CASES["valor_no_permitido"][1], "")
    helped = run_process("--help")
    assert helped.returncode == 0 and helped.stdout.startswith("uso: advisor")


def test_a_broken_installed_knowledge_base_is_a_defect_not_the_users_input(tmp_path):
    """A file that ships with advisor refused at load is the installation's
    defect: exit code 1 and a message that says so, never «your input» (2)."""
    import shutil
    import subprocess
    import sys

    from conftest import SAMPLES

    import advisor
    from advisor.io.resources import FOLDERS, data_dir

    # An installation of its own (a new process: the one under test has its
    # base loaded): the package with its data inside it, the base broken.
    installed = tmp_path / "site-packages" / "advisor"
    # Installed, the data folders are inside the package; in a checkout, beside it: linked either way.
    shutil.copytree(Path(advisor.__file__).parent, installed, ignore=shutil.ignore_patterns("__pycache__", *FOLDERS))
    for name in set(FOLDERS) - {"knowledge_base"}:
        (installed / name).symlink_to(data_dir(name), target_is_directory=True)
    shutil.copytree(data_dir("knowledge_base"), installed / "knowledge_base")
    rules = installed / "knowledge_base" / "reglas" / "redes.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("ref: K15", "ref: K51", 1), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "advisor", "report", str(SAMPLES / "municipio_rural.yaml")],
                            capture_output=True, text=True, cwd=tmp_path, stdin=subprocess.DEVNULL, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(installed.parent), "ADVISOR_CACHE_DIR": "off",
                                 "PYTHONWARNINGS": "ignore"})
    assert result.returncode == 1
    assert result.stderr.startswith("advisor: los archivos que vienen con advisor tienen un defecto")
    assert "knowledge_base/reglas/redes.yaml, línea" in result.stderr and "K51" in result.stderr
